// Jaeger UI / query-API JSON: the {data:[trace]} envelope, a bare trace, a bare span array with inline
// `process` (jaeger-anonymizer), or NDJSON of those. Times are microseconds. See FORMATS.md §1.
import type { JsonCursor } from '../json/json-cursor.ts';
import type { JsonSample } from '../json/json-sample.ts';
import type { AttrType, AttrValue } from '../model/attributes.ts';
import { normalizeSpanId, normalizeTraceId } from '../model/ids.ts';
import { epochFromMicros } from '../model/time.ts';
import type { TraceModelBuilder } from '../model/trace-model-builder.ts';
import type { SpanKind } from '../model/trace-model.ts';
import { FormatError, isRecord, readArray, readObject, type TraceImporter } from './importer.ts';

interface JaegerTag {
  key?: unknown;
  type?: unknown;
  value?: unknown;
}

interface JaegerProcess {
  serviceName?: unknown;
  tags?: unknown;
}

function isJaegerSpan(v: unknown): boolean {
  return isRecord(v) && 'spanID' in v && ('operationName' in v || 'startTime' in v);
}

function isJaegerTrace(v: unknown): boolean {
  return isRecord(v) && 'traceID' in v && Array.isArray(v.spans);
}

function looksLikeJaegerValue(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0 && isJaegerSpan(v[0]);
  if (!isRecord(v)) return false;
  if (Array.isArray(v.data)) return v.data.length === 0 ? 'total' in v || 'errors' in v : isJaegerTrace(v.data[0]) || isJaegerSpan(v.data[0]);
  return isJaegerTrace(v) || isJaegerSpan(v);
}

export const jaegerImporter: TraceImporter = {
  format: 'jaeger',
  label: 'Jaeger JSON',
  fileNameHint: /jaeger/i,
  looksLike: (sample: JsonSample) => sample.values.some(looksLikeJaegerValue),
  read(cursor, builder) {
    const reader = new JaegerReader(builder);
    while (!cursor.atEnd()) reader.readTopLevel(cursor);
    if (reader.spansSeen === 0 && reader.envelopeErrors.length > 0) {
      throw new FormatError(`the Jaeger response holds no traces, only errors: ${reader.envelopeErrors.join('; ')}`);
    }
  },
};

class JaegerReader {
  spansSeen = 0;
  readonly envelopeErrors: string[] = [];
  private skipped = 0;

  constructor(private readonly builder: TraceModelBuilder) {}

  readTopLevel(cursor: JsonCursor): void {
    const kind = cursor.peek();
    if (kind === 'array') {
      readArray(cursor, () => this.readSpanOrTrace(cursor, new Map()));
      return;
    }
    if (kind !== 'object') {
      cursor.skipValue();
      this.builder.warn('skipped a top-level value that is not a Jaeger trace, span or response');
      return;
    }
    // An envelope, a trace or a single span: decide by the keys as they come.
    const start = cursor.pos;
    let isEnvelope = false;
    readObject(cursor, (key) => {
      if (key === 'data') {
        isEnvelope = true;
        if (cursor.peek() !== 'array') return false;
        readArray(cursor, () => this.readSpanOrTrace(cursor, new Map()));
        return true;
      }
      if (key === 'errors') {
        const errors = cursor.readValue();
        if (Array.isArray(errors)) {
          for (const e of errors) {
            const msg = isRecord(e) ? `${String(e.msg ?? e.message ?? 'error')}${e.traceID ? ` (trace ${String(e.traceID)})` : ''}` : String(e);
            this.envelopeErrors.push(msg);
            this.builder.warn(`the Jaeger query returned an error: ${msg}`);
          }
        }
        return true;
      }
      return false;
    });
    if (!isEnvelope) {
      cursor.pos = start;
      this.readSpanOrTrace(cursor, new Map());
    }
  }

  // A trace object streams its spans; anything else is read whole.
  private readSpanOrTrace(cursor: JsonCursor, processes: Map<string, number>): void {
    if (cursor.peek() !== 'object') {
      cursor.skipValue();
      this.skipped++;
      return;
    }
    const start = cursor.pos;
    // Peek at the keys: a trace has "spans"; processes may come after the spans, so read them first.
    let spansAt = -1;
    let processesValue: unknown;
    readObject(cursor, (key) => {
      if (key === 'spans') {
        cursor.skipWhitespace();
        spansAt = cursor.pos;
        return false;
      }
      if (key === 'processes') {
        processesValue = cursor.readValue();
        return true;
      }
      if (key === 'warnings') {
        const w = cursor.readValue();
        if (Array.isArray(w)) for (const m of w) this.builder.warn(`Jaeger: ${String(m)}`);
        return true;
      }
      return false;
    });
    const end = cursor.pos;
    if (spansAt < 0) {
      // A single span object.
      cursor.pos = start;
      this.addSpan(cursor.readValue(), processes);
      return;
    }
    const traceProcesses = new Map(processes);
    if (isRecord(processesValue)) {
      for (const [id, p] of Object.entries(processesValue)) traceProcesses.set(id, this.addProcess(p as JaegerProcess));
    }
    cursor.pos = spansAt;
    if (cursor.peek() === 'array') readArray(cursor, () => this.addSpan(cursor.readValue(), traceProcesses));
    cursor.pos = end;
  }

  private addProcess(p: JaegerProcess): number {
    const service = typeof p?.serviceName === 'string' && p.serviceName !== '' ? p.serviceName : 'unknown_service';
    const resource = this.builder.addResource(service);
    if (Array.isArray(p?.tags)) for (const t of p.tags) this.addTag(t as JaegerTag);
    return resource;
  }

  private addTag(tag: JaegerTag): void {
    if (!isRecord(tag) || typeof tag.key !== 'string') return;
    const converted = convertTagValue(tag.type, tag.value);
    this.builder.attr(tag.key, converted.value, converted.type);
  }

  private addSpan(raw: unknown, processes: Map<string, number>): void {
    const b = this.builder;
    if (!isJaegerSpan(raw)) {
      this.skipped++;
      if (this.skipped === 1 || this.skipped % 1000 === 0) b.warn(`skipped ${this.skipped} value(s) that are not Jaeger spans`);
      return;
    }
    const s = raw as Record<string, unknown>;
    const traceId = normalizeTraceId(s.traceID);
    const spanId = normalizeSpanId(s.spanID);
    if (!traceId || !spanId) {
      b.warn(`skipped a span with an invalid id (traceID ${JSON.stringify(s.traceID)}, spanID ${JSON.stringify(s.spanID)})`);
      return;
    }
    this.spansSeen++;
    const tags = Array.isArray(s.tags) ? (s.tags as JaegerTag[]) : [];
    let kind: SpanKind = 'unspecified';
    let isError = false;
    let statusMessage: string | undefined;
    let statusOk = false;
    for (const t of tags) {
      if (!isRecord(t)) continue;
      if (t.key === 'span.kind' && typeof t.value === 'string') kind = toSpanKind(t.value);
      else if (t.key === 'error' && (t.value === true || t.value === 'true')) isError = true;
      else if (t.key === 'otel.status_code') {
        if (t.value === 'ERROR') isError = true;
        if (t.value === 'OK') statusOk = true;
      } else if (t.key === 'otel.status_description' && typeof t.value === 'string') statusMessage = t.value;
    }

    // Parent: the first CHILD_OF in the same trace, else the first FOLLOWS_FROM; the rest are links.
    const refs = Array.isArray(s.references) ? (s.references as Record<string, unknown>[]).filter(isRecord) : [];
    const sameTrace = (r: Record<string, unknown>) => normalizeTraceId(r.traceID) === traceId;
    const parentRef = refs.find((r) => r.refType === 'CHILD_OF' && sameTrace(r)) ?? refs.find((r) => r.refType === 'FOLLOWS_FROM' && sameTrace(r));
    let parentSpanId = parentRef ? normalizeSpanId(parentRef.spanID) : normalizeSpanId(s.parentSpanID);
    if (parentSpanId === undefined) parentSpanId = '';

    let resource: number | undefined;
    if (typeof s.processID === 'string') resource = processes.get(s.processID);
    if (resource === undefined && isRecord(s.process)) resource = this.addProcess(s.process as JaegerProcess);
    const service = resource === undefined ? 'unknown_service' : b.resourceService(resource);

    const startUs = toNumber(s.startTime);
    const durationUs = toNumber(s.duration);
    b.addSpan({
      traceId,
      spanId,
      parentSpanId,
      name: typeof s.operationName === 'string' ? s.operationName : '',
      service,
      resource,
      kind,
      start: startUs === undefined ? undefined : epochFromMicros(startUs),
      durationNs: durationUs === undefined ? NaN : durationUs * 1000,
      status: isError ? 'error' : statusOk ? 'ok' : 'unset',
      statusMessage,
    });
    if (resource === undefined) b.spanWarning(`process ${JSON.stringify(s.processID ?? null)} is not in the trace's processes`);
    for (const t of tags) this.addTag(t);
    if (Array.isArray(s.logs)) {
      for (const log of s.logs as Record<string, unknown>[]) {
        if (!isRecord(log)) continue;
        const fields = Array.isArray(log.fields) ? (log.fields as JaegerTag[]).filter(isRecord) : [];
        const nameField = fields.find((f) => f.key === 'event') ?? fields.find((f) => f.key === 'message');
        const ts = toNumber(log.timestamp);
        b.addEvent(ts === undefined ? undefined : epochFromMicros(ts), nameField ? String(nameField.value) : 'log');
        for (const f of fields) this.addTag(f);
      }
    }
    for (const r of refs) {
      const refTrace = normalizeTraceId(r.traceID);
      const refSpan = normalizeSpanId(r.spanID);
      if (!refTrace || !refSpan) continue;
      const isParent = r === parentRef;
      // A FOLLOWS_FROM parent is kept as a link too: it tells the analyses the child does not block it.
      if (isParent && r.refType !== 'FOLLOWS_FROM') continue;
      b.addLink(refTrace, refSpan, r.refType === 'FOLLOWS_FROM' ? 'follows_from' : 'child_of');
    }
    if (Array.isArray(s.warnings)) for (const w of s.warnings) b.spanWarning(String(w));
  }
}

export function toSpanKind(value: string): SpanKind {
  const v = value.toLowerCase();
  return v === 'server' || v === 'client' || v === 'producer' || v === 'consumer' || v === 'internal' ? v : 'unspecified';
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** Jaeger tag value by its declared type; older producers send numbers and booleans as strings. */
export function convertTagValue(type: unknown, value: unknown): { type: AttrType; value: AttrValue } {
  switch (type) {
    case 'bool':
      return { type: 'bool', value: value === true || value === 'true' };
    case 'int64': {
      if (typeof value === 'number') return { type: 'int', value };
      if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) {
        const big = BigInt(value.trim());
        const safe = big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER);
        return { type: 'int', value: safe ? Number(big) : big };
      }
      break;
    }
    case 'float64': {
      const n = typeof value === 'number' ? value : Number(value);
      if (Number.isFinite(n)) return { type: 'double', value: n };
      break;
    }
    case 'binary':
      return { type: 'bytes', value: String(value ?? '') };
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { type: typeof value === 'string' ? 'string' : typeof value === 'boolean' ? 'bool' : Number.isInteger(value) ? 'int' : 'double', value };
  return { type: 'string', value: value == null ? '' : JSON.stringify(value) };
}
