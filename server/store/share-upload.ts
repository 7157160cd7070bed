// An uploaded trace file → parsed, checked against the limits, stored. Every refusal is a 4xx naming
// the limit or the parse error; only a stored (committed) file is acknowledged.
import { gunzipSync } from 'node:zlib';
import type { ShareReceipt } from '../../src/core/api/backend-api.ts';
import { importTraces, isGzip } from '../../src/core/import/index.ts';
import { LoadError } from '../../src/core/import/load-error.ts';
import type { TraceCollection } from '../../src/core/model/trace-model.ts';
import type { ServerLimits } from '../config.ts';
import { HttpError } from '../http-error.ts';
import { TraceStore, type StoredOrigin } from './trace-store.ts';

export function storeTraceFile(store: TraceStore, raw: Uint8Array, name: string, limits: ServerLimits, origin: StoredOrigin): ShareReceipt & { readonly created: boolean } {
  if (raw.byteLength === 0) throw new HttpError(400, 'Empty upload', 'The request body is empty: send the trace file as the body');
  const bytes = isGzip(raw) ? inflate(raw, limits.decompressedBytes) : raw;
  const id = TraceStore.contentId(bytes);
  const stored = store.fileMeta(id);
  if (stored) return { id: stored.id, traceIds: stored.traceIds, spanCount: stored.spanCount, created: false };
  let collection: TraceCollection;
  try {
    collection = importTraces(bytes, { fileName: name });
  } catch (err) {
    if (err instanceof LoadError) {
      const where = err.info.line !== undefined ? ` (line ${err.info.line}, column ${err.info.column})` : '';
      throw new HttpError(err.info.kind === 'too-large' ? 413 : 400, err.info.message, `${err.info.detail ?? ''}${where}`.trim());
    }
    throw err;
  }
  const tooBig = collection.traces.find((t) => t.spanCount > limits.spansPerTrace);
  if (tooBig) {
    throw new HttpError(413, 'Trace has too many spans', `Trace ${tooBig.traceId} has ${tooBig.spanCount} spans; this server stores at most ${limits.spansPerTrace} per trace`);
  }
  const meta = store.put(bytes, collection, name, origin, id);
  return { id: meta.id, traceIds: meta.traceIds, spanCount: meta.spanCount, created: true };
}

function inflate(gz: Uint8Array, maxBytes: number): Uint8Array {
  try {
    return gunzipSync(gz, { maxOutputLength: maxBytes });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new HttpError(413, 'Upload too large once decompressed', `The gzip body inflates to more than ${maxBytes} bytes, this server's limit`);
    }
    throw new HttpError(400, 'The upload looks gzip-compressed but does not decompress', err instanceof Error ? err.message : String(err));
  }
}
