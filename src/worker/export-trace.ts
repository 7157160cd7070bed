// A download made in the worker: one trace written as OTLP JSON or Jaeger JSON. The writers give ~one
// string per span; a Blob built from batches of them never holds the document as one string (a
// million spans is ~1 GB, V8 stops at 512 MiB).
import { batchChunks, type ExportFormat } from '../core/export/chunks.ts';
import { jaegerJsonChunks } from '../core/export/jaeger-json.ts';
import { otlpJsonChunks } from '../core/export/otlp-json.ts';
import type { TraceCollection, TraceModel } from '../core/model/trace-model.ts';

/** Pieces folded into one Blob at a time: the browser then keeps them off the JS heap. */
const PIECES_PER_BLOB = 32;

export function exportTraceBlob(collection: TraceCollection, model: TraceModel, format: ExportFormat): Blob {
  // The trace alone; the stores are shared, and link targets are not written.
  const one: TraceCollection = { ...collection, traces: [model] };
  const chunks = format === 'otlp' ? otlpJsonChunks(one) : jaegerJsonChunks(one);
  let parts: BlobPart[] = [];
  for (const piece of batchChunks(chunks, 1 << 20)) {
    parts.push(piece);
    if (parts.length > PIECES_PER_BLOB) parts = [new Blob(parts)];
  }
  return new Blob(parts, { type: 'application/json' });
}
