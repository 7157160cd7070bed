// Grafana Tempo trace-by-id responses (FORMATS.md §3): {"batches": [ResourceSpans]} from Tempo < 2.6 (and
// Grafana's "Download traces" OTLP export, with hex ids), and /api/v2/traces {"trace": {...}, "status",
// "message"}. gogo jsonpb: base64 ids and enum names, which the shared OtlpReader handles per value.
// A bare {"resourceSpans"} (Tempo ≥ 2.6 v1 API) is plain OTLP and detected by the OTLP importer.
import type { JsonCursor } from '../json/json-cursor.ts';
import type { JsonSample } from '../json/json-sample.ts';
import type { TraceModelBuilder } from '../model/trace-model-builder.ts';
import { isRecord, readObject, type TraceImporter } from './importer.ts';
import { looksLikeResourceSpans, OtlpReader } from './otlp-json.ts';
import { field, normKey } from './otlp-values.ts';

function looksLikeBatches(v: unknown): boolean {
  return Array.isArray(v) && (v.length === 0 || looksLikeResourceSpans(v[0]));
}

function looksLikeTempoValue(v: unknown): boolean {
  if (!isRecord(v)) return false;
  if (looksLikeBatches(v.batches)) return true;
  // v2: {"trace": {"resourceSpans": [...]}, "status", "message", "metrics"}; an empty trace is {}.
  const trace = v.trace;
  if (!isRecord(trace)) return false;
  if (Array.isArray(field(trace, 'resourceSpans')) || looksLikeBatches(trace.batches)) return true;
  return Object.keys(trace).length === 0 && ('status' in v || 'metrics' in v);
}

export const tempoImporter: TraceImporter = {
  format: 'tempo',
  label: 'Tempo API JSON',
  fileNameHint: /tempo/i,
  looksLike: (sample: JsonSample) => sample.values.some(looksLikeTempoValue),
  read(cursor, builder) {
    const reader = new OtlpReader(builder);
    while (!cursor.atEnd()) readTempoDocument(cursor, reader, builder);
    reader.finish();
  },
};

function readTempoDocument(cursor: JsonCursor, reader: OtlpReader, builder: TraceModelBuilder): void {
  if (cursor.peek() !== 'object') {
    cursor.skipValue();
    reader.skippedValue();
    return;
  }
  const response: { status?: unknown; message?: unknown } = {};
  readObject(cursor, (key) => {
    switch (normKey(key)) {
      case 'batches':
      case 'resourceSpans':
        reader.readResourceSpansList(cursor);
        return true;
      case 'trace':
        if (cursor.peek() !== 'object') return false;
        readObject(cursor, (traceKey) => {
          const name = normKey(traceKey);
          if (name !== 'resourceSpans' && name !== 'batches') return false;
          reader.readResourceSpansList(cursor);
          return true;
        });
        return true;
      case 'status':
        response.status = cursor.readValue();
        return true;
      case 'message':
        response.message = cursor.readValue();
        return true;
    }
    return false;
  });
  // PartialStatus enum: COMPLETE = 0 (omitted), PARTIAL = 1; jsonpb writes the name.
  if (response.status === 'PARTIAL' || response.status === 1) {
    const detail = typeof response.message === 'string' && response.message !== '' ? `: ${response.message}` : '';
    builder.warn(`Tempo returned a partial trace (status PARTIAL)${detail}`);
  }
}
