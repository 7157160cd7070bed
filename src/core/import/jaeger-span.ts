// One Jaeger span, and the rules that turn it into a model span. Both ways of reading a span fill the
// same JaegerSpanFields: the byte scanner (jaeger-span-scanner.ts) straight from the bytes, the slow
// path from JSON.parse (fillFromParsed). addJaegerSpan then applies the rules once: kind and status
// from tags, the parent among the references, event names from log fields, the other references as
// links. One class for both, so the hot path's property reads see one shape.
import type { AttrType, AttrValue } from '../model/attributes.ts';
import { readJaegerSpanId, readJaegerTraceId } from '../model/ids.ts';
import { epochFromMicros } from '../model/time.ts';
import type { SpanHandle, TraceModelBuilder } from '../model/trace-model-builder.ts';
import type { SpanKind } from '../model/trace-model.ts';
import { isRecord, quoteValue } from './importer.ts';

/** Tags of the span and fields of its logs, in one set of columns. */
export interface JaegerTagColumns {
  readonly key: string[];
  /** The `type` as written, undefined when absent. */
  readonly type: unknown[];
  readonly value: unknown[];
}

/** A span's fields as read, reused from span to span. Absent fields are undefined. */
export class JaegerSpanFields {
  traceID: unknown;
  spanID: unknown;
  parentSpanID: unknown;
  operationName: unknown;
  startTime: unknown;
  duration: unknown;
  processID: unknown;
  /** Span tags are tags[0 .. spanTagCount), log fields follow. */
  spanTagCount = 0;
  tagCount = 0;
  readonly tags: JaegerTagColumns = { key: [], type: [], value: [] };
  logCount = 0;
  readonly logTimestamp: unknown[] = [];
  readonly logFieldStart: number[] = [];
  readonly logFieldEnd: number[] = [];
  refCount = 0;
  readonly refType: unknown[] = [];
  readonly refTraceID: unknown[] = [];
  readonly refSpanID: unknown[] = [];
  readonly warnings: string[] = [];

  reset(): void {
    this.traceID = this.spanID = this.parentSpanID = this.processID = undefined;
    this.operationName = this.startTime = this.duration = undefined;
    this.spanTagCount = this.tagCount = this.logCount = this.refCount = 0;
    this.warnings.length = 0;
  }

  addTag(key: string, type: unknown, value: unknown): void {
    const at = this.tagCount++;
    this.tags.key[at] = key;
    this.tags.type[at] = type;
    this.tags.value[at] = value;
  }

  addLog(timestamp: unknown, fieldStart: number): void {
    const at = this.logCount++;
    this.logTimestamp[at] = timestamp;
    this.logFieldStart[at] = fieldStart;
    this.logFieldEnd[at] = this.tagCount;
  }

  addReference(refType: unknown, traceID: unknown, spanID: unknown): void {
    const at = this.refCount++;
    this.refType[at] = refType;
    this.refTraceID[at] = traceID;
    this.refSpanID[at] = spanID;
  }

  /** Fills the fields from a span object JSON.parse made (the slow path); entries of the wrong shape are left out. */
  fillFromParsed(s: Readonly<Record<string, unknown>>): void {
    this.reset();
    this.traceID = s.traceID;
    this.spanID = s.spanID;
    this.parentSpanID = s.parentSpanID;
    this.operationName = s.operationName;
    this.startTime = s.startTime;
    this.duration = s.duration;
    this.processID = s.processID;
    this.addParsedTags(s.tags);
    this.spanTagCount = this.tagCount;
    if (Array.isArray(s.logs)) {
      for (const log of s.logs) {
        if (!isRecord(log)) continue;
        const start = this.tagCount;
        this.addParsedTags(log.fields);
        this.addLog(log.timestamp, start);
      }
    }
    if (Array.isArray(s.references)) for (const r of s.references) if (isRecord(r)) this.addReference(r.refType, r.traceID, r.spanID);
    if (Array.isArray(s.warnings)) for (const w of s.warnings) this.warnings.push(String(w));
  }

  private addParsedTags(tags: unknown): void {
    if (!Array.isArray(tags)) return;
    for (const t of tags) if (isRecord(t) && typeof t.key === 'string') this.addTag(t.key, t.type, t.value);
  }
}

/** The reference that is the parent: the first CHILD_OF in the same trace, else the first FOLLOWS_FROM; -1 for none. */
export function parentReference(span: JaegerSpanFields, traceId: string): number {
  for (const refType of ['CHILD_OF', 'FOLLOWS_FROM']) {
    for (let r = 0; r < span.refCount; r++) {
      const refTrace = span.refTraceID[r];
      if (span.refType[r] === refType && (refTrace === traceId || readJaegerTraceId(refTrace) === traceId)) return r;
    }
  }
  return -1;
}

/**
 * Adds the span (ids already normalized) with its tags, logs as events, references and warnings.
 * `resource`: its process, if known; `bindLater`: the trace's processes may still come, so a missing
 * one is not (yet) a warning.
 */
export function addJaegerSpan(b: TraceModelBuilder, span: JaegerSpanFields, traceId: string, spanId: string, resource: number | undefined, bindLater: boolean): SpanHandle {
  const { key, type, value } = span.tags;
  let kind: SpanKind = 'unspecified';
  let isError = false;
  let statusMessage: string | undefined;
  let statusOk = false;
  for (let t = 0; t < span.spanTagCount; t++) {
    const k = key[t];
    const v = value[t];
    if (k === 'span.kind' && typeof v === 'string') kind = toSpanKind(v);
    else if (k === 'error' && (v === true || v === 'true')) isError = true;
    else if (k === 'otel.status_code') {
      if (v === 'ERROR') isError = true;
      if (v === 'OK') statusOk = true;
    } else if (k === 'otel.status_description' && typeof v === 'string') statusMessage = v;
  }

  const parentRef = parentReference(span, traceId);
  const parentSpanId = (parentRef >= 0 ? readJaegerSpanId(span.refSpanID[parentRef]) : readJaegerSpanId(span.parentSpanID)) ?? '';
  const startUs = toNumber(span.startTime);
  const durationUs = toNumber(span.duration);
  const handle = b.addSpan({
    traceId,
    spanId,
    parentSpanId,
    name: typeof span.operationName === 'string' ? span.operationName : '',
    service: resource === undefined ? 'unknown_service' : b.resourceService(resource),
    resource,
    kind,
    start: startUs === undefined ? undefined : epochFromMicros(startUs),
    durationNs: durationUs === undefined ? NaN : durationUs * 1000,
    status: isError ? 'error' : statusOk ? 'ok' : 'unset',
    statusMessage,
  });
  // A time of the wrong type is named: the span is kept (placed at its parent, shown as 0 long).
  if (span.startTime !== undefined && span.startTime !== null && startUs === undefined) b.badField('Jaeger', `startTime must be a number (microseconds), got ${quoteValue(span.startTime)}`);
  if (span.duration !== undefined && span.duration !== null && durationUs === undefined) b.badField('Jaeger', `duration must be a number (microseconds), got ${quoteValue(span.duration)}`);
  if (span.operationName !== undefined && typeof span.operationName !== 'string') b.badField('Jaeger', `operationName must be a string, got ${quoteValue(span.operationName)}`);
  if (resource === undefined && !bindLater) b.spanWarning(`process ${JSON.stringify(span.processID ?? null)} is not in the trace's processes`);
  for (let t = 0; t < span.spanTagCount; t++) addJaegerTag(b, key[t], type[t], value[t]);
  for (let l = 0; l < span.logCount; l++) {
    const start = span.logFieldStart[l];
    const end = span.logFieldEnd[l];
    // The event's name: its `event` field, else its `message`.
    let nameField = -1;
    for (let f = start; f < end && nameField < 0; f++) if (key[f] === 'event') nameField = f;
    for (let f = start; f < end && nameField < 0; f++) if (key[f] === 'message') nameField = f;
    const ts = toNumber(span.logTimestamp[l]);
    b.addEvent(ts === undefined ? undefined : epochFromMicros(ts), nameField >= 0 ? String(value[nameField]) : 'log');
    for (let f = start; f < end; f++) addJaegerTag(b, key[f], type[f], value[f]);
  }
  for (let r = 0; r < span.refCount; r++) {
    const followsFrom = span.refType[r] === 'FOLLOWS_FROM';
    // A FOLLOWS_FROM parent is kept as a link too: it tells the analyses the child does not block it.
    if (r === parentRef && !followsFrom) continue;
    const refTrace = readJaegerTraceId(span.refTraceID[r]);
    const refSpan = readJaegerSpanId(span.refSpanID[r]);
    if (!refTrace || !refSpan) continue;
    b.addLink(refTrace, refSpan, followsFrom ? 'follows_from' : 'child_of');
  }
  for (const w of span.warnings) b.spanWarning(w);
  return handle;
}

/** A tag (of a span, a log or a process) as an attribute of what the builder adds to. */
export function addJaegerTag(b: TraceModelBuilder, key: string, type: unknown, value: unknown): void {
  if (type === 'string' && typeof value === 'string') return b.attr(key, value, 'string');
  const converted = convertTagValue(type, value);
  b.attr(key, converted.value, converted.type);
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
