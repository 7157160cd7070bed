// Jaeger UI / query-API JSON: the {data:[trace]} envelope, a bare trace, a bare span array with inline
// `process` (jaeger-anonymizer), or NDJSON of those. Times are microseconds. See FORMATS.md §1.
import type { JsonCursor } from '../json/json-cursor.ts';
import type { JsonSample } from '../json/json-sample.ts';
import type { AttrType, AttrValue } from '../model/attributes.ts';
import { normalizeSpanId, normalizeTraceId } from '../model/ids.ts';
import { epochFromMicros } from '../model/time.ts';
import type { SpanHandle, TraceModelBuilder } from '../model/trace-model-builder.ts';
import type { SpanKind } from '../model/trace-model.ts';
import { drain, FormatError, isRecord, readArrayWaiting, waitForBytes, type TraceImporter } from './importer.ts';
import { JaegerSpanScanner } from './jaeger-span-scanner.ts';

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
  read: (cursor, builder) => drain(readJaeger(cursor, builder)),
  readIncrementally: readJaeger,
};

function* readJaeger(cursor: JsonCursor, builder: TraceModelBuilder): Generator<void, void, void> {
  const reader = new JaegerReader(builder);
  for (;;) {
    yield* waitForBytes(cursor);
    if (cursor.atEnd()) break;
    yield* reader.readTopLevel(cursor);
  }
  if (reader.spansSeen === 0 && reader.envelopeErrors.length > 0) {
    throw new FormatError(`the Jaeger response holds no traces, only errors: ${reader.envelopeErrors.join('; ')}`);
  }
}

/**
 * Spans read before their trace's `processes`, bound to it when the trace object ends. Columns, not an
 * object per span: a million of them would outlive every young-generation collection of the load.
 */
class UnboundSpans {
  readonly traceIds: string[] = [];
  readonly indices: number[] = [];
  readonly processIds: unknown[] = [];

  get size(): number {
    return this.indices.length;
  }

  add(handle: SpanHandle, processId: unknown): void {
    this.traceIds.push(handle.traceId);
    this.indices.push(handle.index);
    this.processIds.push(processId);
  }

  handle(k: number): SpanHandle {
    return { traceId: this.traceIds[k], index: this.indices[k] };
  }
}

class JaegerReader {
  spansSeen = 0;
  readonly envelopeErrors: string[] = [];
  private skipped = 0;
  private scanner: JaegerSpanScanner | undefined;
  // Spans of a trace repeat its id: normalize it once.
  private lastTraceId: { raw: string | undefined; id: string | undefined } = { raw: undefined, id: undefined };

  constructor(private readonly builder: TraceModelBuilder) {}

  // Generators all the way down to the spans array, so an incremental read can wait between items.
  *readTopLevel(cursor: JsonCursor): Generator<void, void, void> {
    const kind = cursor.peek();
    if (kind === 'array') yield* readArrayWaiting(cursor, () => this.readItem(cursor));
    else if (kind === 'object') yield* this.readItem(cursor);
    else {
      cursor.skipValue();
      this.builder.warn('skipped a top-level value that is not a Jaeger trace, span or response');
    }
  }

  // An object that is an envelope ({data}), a trace ({spans, processes}) or a single span. Its keys are
  // read one by one so the spans of a trace stream; `processes` often comes after the spans, so spans
  // read before it get their resource when the trace object ends.
  private *readItem(cursor: JsonCursor): Generator<void, void, void> {
    if (cursor.peek() !== 'object') {
      cursor.skipValue();
      this.skipped++;
      return;
    }
    const fields: Record<string, unknown> = {};
    let isContainer = false;
    let processes: Map<string, number> | undefined;
    const unbound = new UnboundSpans();
    cursor.beginObject();
    for (;;) {
      yield* waitForBytes(cursor);
      const key = cursor.nextKey();
      if (key === undefined) break;
      if (key === 'data' && cursor.peek() === 'array') {
        isContainer = true;
        yield* readArrayWaiting(cursor, () => this.readItem(cursor));
      } else if (key === 'spans' && cursor.peek() === 'array') {
        isContainer = true;
        yield* readArrayWaiting(cursor, () => this.readSpan(cursor, processes, unbound));
      } else if (key === 'processes') {
        const value = cursor.readValue();
        processes = new Map();
        if (isRecord(value)) for (const [id, p] of Object.entries(value)) processes.set(id, this.addProcess(p as JaegerProcess));
      } else if (key === 'errors') this.readEnvelopeErrors(cursor.readValue());
      else fields[key] = cursor.readValue();
    }
    if (isContainer) {
      if (Array.isArray(fields.warnings)) for (const m of fields.warnings) this.builder.warn(`Jaeger: ${String(m)}`);
      for (let k = 0; k < unbound.size; k++) {
        const handle = unbound.handle(k);
        const processId = unbound.processIds[k];
        const resource = typeof processId === 'string' ? processes?.get(processId) : undefined;
        if (resource !== undefined) this.builder.assignResource(handle, resource);
        else this.builder.warnSpan(handle, `process ${JSON.stringify(processId ?? null)} is not in the trace's processes`);
      }
    } else if ('spanID' in fields) {
      this.addSpan(fields, processes, unbound);
    } else if (Object.keys(fields).length > 0 && !('total' in fields)) {
      this.skipped++;
      this.builder.warn(`skipped an object that is not a Jaeger trace or span (keys ${Object.keys(fields).slice(0, 6).join(', ')})`);
    }
  }

  private readEnvelopeErrors(errors: unknown): void {
    if (!Array.isArray(errors)) return;
    for (const e of errors) {
      const msg = isRecord(e) ? `${String(e.msg ?? e.message ?? 'error')}${e.traceID ? ` (trace ${String(e.traceID)})` : ''}` : String(e);
      this.envelopeErrors.push(msg);
      this.builder.warn(`the Jaeger query returned an error: ${msg}`);
    }
  }

  private addProcess(p: JaegerProcess): number {
    const service = typeof p?.serviceName === 'string' && p.serviceName !== '' ? p.serviceName : 'unknown_service';
    const resource = this.builder.addResource(service);
    if (Array.isArray(p?.tags)) for (const t of p.tags) this.addTag(t as JaegerTag);
    return resource;
  }

  private addTag(tag: JaegerTag): void {
    if (isRecord(tag) && typeof tag.key === 'string') this.addTagValue(tag.key, tag.type, tag.value);
  }

  private addTagValue(key: string, type: unknown, value: unknown): void {
    if (type === 'string' && typeof value === 'string') return this.builder.attr(key, value, 'string');
    const converted = convertTagValue(type, value);
    this.builder.attr(key, converted.value, converted.type);
  }

  // The fast path (straight from the bytes) when the span has the usual shape, else JSON.parse.
  private readSpan(cursor: JsonCursor, processes: Map<string, number> | undefined, unbound: UnboundSpans): void {
    const at = cursor.pos;
    this.scanner ??= new JaegerSpanScanner(cursor.bytes);
    if (this.scanner.scan(cursor) && this.addScannedSpan(this.scanner, processes, unbound)) return;
    cursor.pos = at;
    this.addSpan(cursor.readValue(), processes, unbound);
  }

  private addSpan(raw: unknown, processes: Map<string, number> | undefined, unbound: UnboundSpans): void {
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
    if (isRecord(s.process)) resource = this.addProcess(s.process as JaegerProcess);
    else if (typeof s.processID === 'string' && processes) resource = processes.get(s.processID);
    const bindLater = resource === undefined && !processes && !isRecord(s.process);
    const service = resource === undefined ? 'unknown_service' : b.resourceService(resource);

    const startUs = toNumber(s.startTime);
    const durationUs = toNumber(s.duration);
    const handle = b.addSpan({
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
    if (bindLater) unbound.add(handle, s.processID);
    else if (resource === undefined) b.spanWarning(`process ${JSON.stringify(s.processID ?? null)} is not in the trace's processes`);
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

  /** addSpan for a scanned span; false (having added nothing) when it needs addSpan's warnings. */
  private addScannedSpan(sc: JaegerSpanScanner, processes: Map<string, number> | undefined, unbound: UnboundSpans): boolean {
    const traceId = sc.traceID === this.lastTraceId.raw ? this.lastTraceId.id : normalizeTraceId(sc.traceID);
    const spanId = normalizeSpanId(sc.spanID);
    if (!sc.looksLikeSpan || !traceId || !spanId) return false;
    this.lastTraceId = { raw: sc.traceID, id: traceId };
    const b = this.builder;
    this.spansSeen++;
    const { key, type, value } = sc.tags;
    let kind: SpanKind = 'unspecified';
    let isError = false;
    let statusMessage: string | undefined;
    let statusOk = false;
    for (let t = 0; t < sc.spanTagCount; t++) {
      const k = key[t];
      const v = value[t];
      if (k === 'span.kind' && typeof v === 'string') kind = toSpanKind(v);
      else if (k === 'error' && (v === true || v === 'true')) isError = true;
      else if (k === 'otel.status_code') {
        if (v === 'ERROR') isError = true;
        if (v === 'OK') statusOk = true;
      } else if (k === 'otel.status_description' && typeof v === 'string') statusMessage = v;
    }

    const parentRef = sc.parentReference(traceId);
    let parentSpanId = parentRef >= 0 ? normalizeSpanId(sc.refSpanID[parentRef]) : normalizeSpanId(sc.parentSpanID);
    if (parentSpanId === undefined) parentSpanId = '';
    const resource = sc.processID !== undefined && processes ? processes.get(sc.processID) : undefined;
    const startUs = toNumber(sc.startTime);
    const durationUs = toNumber(sc.duration);
    const handle = b.addSpan({
      traceId,
      spanId,
      parentSpanId,
      name: typeof sc.operationName === 'string' ? sc.operationName : '',
      service: resource === undefined ? 'unknown_service' : b.resourceService(resource),
      resource,
      kind,
      start: startUs === undefined ? undefined : epochFromMicros(startUs),
      durationNs: durationUs === undefined ? NaN : durationUs * 1000,
      status: isError ? 'error' : statusOk ? 'ok' : 'unset',
      statusMessage,
    });
    if (resource === undefined && !processes) unbound.add(handle, sc.processID);
    else if (resource === undefined) b.spanWarning(`process ${JSON.stringify(sc.processID ?? null)} is not in the trace's processes`);
    for (let t = 0; t < sc.spanTagCount; t++) this.addTagValue(key[t], type[t], value[t]);
    for (let l = 0; l < sc.logCount; l++) {
      const start = sc.logFieldStart[l];
      const end = sc.logFieldEnd[l];
      let nameField = -1;
      for (let f = start; f < end && nameField < 0; f++) if (key[f] === 'event') nameField = f;
      for (let f = start; f < end && nameField < 0; f++) if (key[f] === 'message') nameField = f;
      const ts = toNumber(sc.logTimestamp[l]);
      b.addEvent(ts === undefined ? undefined : epochFromMicros(ts), nameField >= 0 ? String(value[nameField]) : 'log');
      for (let f = start; f < end; f++) this.addTagValue(key[f], type[f], value[f]);
    }
    for (let r = 0; r < sc.refCount; r++) {
      const followsFrom = sc.refType[r] === 'FOLLOWS_FROM';
      if (r === parentRef && !followsFrom) continue;
      const refTrace = normalizeTraceId(sc.refTraceID[r]);
      const refSpan = normalizeSpanId(sc.refSpanID[r]);
      if (!refTrace || !refSpan) continue;
      b.addLink(refTrace, refSpan, followsFrom ? 'follows_from' : 'child_of');
    }
    for (const w of sc.warnings) b.spanWarning(w);
    return true;
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
