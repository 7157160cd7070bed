// OTLP/JSON traces (FORMATS.md §2): {"resourceSpans": [...]}, collector file-exporter NDJSON (one request
// per line, metrics/logs lines skipped), the Jaeger api_v3 {"result": {...}} / {"error": {...}} wrapper
// (§1), legacy instrumentationLibrarySpans, protobuf-style JSON (base64 ids, enum names) and snake_case
// keys. OtlpReader reads ResourceSpans and is shared with the Tempo importer (§3).
import type { JsonCursor } from '../json/json-cursor.ts';
import type { JsonSample } from '../json/json-sample.ts';
import { normalizeOtlpId } from '../model/ids.ts';
import { epochFromNanos, nanosBetween } from '../model/time.ts';
import type { TraceModelBuilder } from '../model/trace-model-builder.ts';
import type { AttrValue } from '../model/attributes.ts';
import type { LinkKind } from '../model/trace-model.ts';
import { drain, FormatError, isRecord, quoteValue, readArrayWaiting, readObjectWaiting, waitForBytes, type TraceImporter } from './importer.ts';
import { OtlpSpanScanner } from './otlp-span-scanner.ts';
import {
  addKeyValues,
  field,
  findStringValue,
  normKey,
  toCount,
  toEpoch,
  toFlags,
  toOtlpSpanKind,
  toOtlpStatus,
} from './otlp-values.ts';
import { plural } from '../plural.ts';

/**
 * Span and link `flags` (W3C trace flags + remote bits) are kept as an int attribute under this key:
 * SpanInput has no flags field. Exporters should turn it back into `flags`.
 */
export const OTLP_FLAGS_KEY = 'otlp.flags';

const UNKNOWN_SERVICE = 'unknown_service';
/** Collector file-exporter lines of the other signals, skipped and counted. */
const OTHER_SIGNALS = ['resourceMetrics', 'resourceLogs', 'resourceProfiles'] as const;

interface ResourceContext {
  readonly resource: number;
  readonly service: string;
}

/** Whether a value has the shape of one ResourceSpans (a `batches` / `resourceSpans` item). */
export function looksLikeResourceSpans(v: unknown): boolean {
  if (!isRecord(v)) return false;
  return Array.isArray(field(v, 'scopeSpans')) || Array.isArray(field(v, 'instrumentationLibrarySpans')) || isRecord(field(v, 'resource'));
}

function looksLikeOtlpValue(v: unknown): boolean {
  if (!isRecord(v)) return false;
  if (Array.isArray(field(v, 'resourceSpans'))) return true;
  // Collector file-exporter lines of the other signals: claimed so the user hears "no spans", not "unknown".
  if (Array.isArray(field(v, 'resourceMetrics')) || Array.isArray(field(v, 'resourceLogs'))) return true;
  if (isRecord(v.result)) return Array.isArray(field(v.result, 'resourceSpans'));
  // Jaeger api_v3 error body: {"error": {"grpcCode", "httpCode", "message", "httpStatus"}} and nothing else.
  return isRecord(v.error) && Object.keys(v).length === 1 && ('message' in v.error || 'httpCode' in v.error || 'grpcCode' in v.error);
}

export const otlpJsonImporter: TraceImporter = {
  format: 'otlp-json',
  label: 'OTLP JSON',
  fileNameHint: /otlp|otel/i,
  looksLike: (sample: JsonSample) => sample.values.some(looksLikeOtlpValue),
  read: (cursor, builder) => drain(readOtlp(cursor, builder)),
  readIncrementally: readOtlp,
};

// Generators down to the spans arrays, so an incremental read can wait between items (see waitForBytes).
function* readOtlp(cursor: JsonCursor, builder: TraceModelBuilder): Generator<void, void, void> {
  const reader = new OtlpReader(builder);
  const errors: string[] = [];
  for (;;) {
    yield* waitForBytes(cursor);
    if (cursor.atEnd()) break;
    yield* readOtlpDocument(cursor, reader, errors, true);
  }
  reader.finish();
  if (errors.length === 0) return;
  const message = `the server returned an error instead of traces: ${errors.join('; ')}`;
  if (reader.spansAdded === 0) throw new FormatError(message);
  builder.warn(message);
}

// One request object: {"resourceSpans"}, a {"result": request} wrapper, or a {"error"} body.
function* readOtlpDocument(cursor: JsonCursor, reader: OtlpReader, errors: string[], allowWrapper: boolean): Generator<void, void, void> {
  if (cursor.peek() !== 'object') {
    cursor.skipValue();
    reader.skippedValue();
    return;
  }
  yield* readObjectWaiting(cursor, (key) => {
    const name = normKey(key);
    if (name === 'resourceSpans') return reader.resourceSpansList(cursor);
    if (name === 'result' && allowWrapper) return readOtlpDocument(cursor, reader, errors, false);
    if (name === 'error') {
      errors.push(describeError(cursor.readValue()));
      return true;
    }
    reader.noteOtherSignal(name);
    return false;
  });
}

function describeError(raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (isRecord(raw) && typeof raw.message === 'string') {
    const code = raw.httpCode ?? raw.grpcCode ?? raw.code;
    return code === undefined ? raw.message : `${raw.message} (code ${String(code)})`;
  }
  return JSON.stringify(raw);
}

/** Reads ResourceSpans (streaming their spans) into the builder. */
export class OtlpReader {
  spansAdded = 0;
  private scanner: OtlpSpanScanner | undefined;
  private badIdSpans = 0;
  private firstBadIds = '';
  private skippedValues = 0;
  private readonly otherSignals = new Map<string, number>();

  constructor(private readonly builder: TraceModelBuilder) {}

  /** A top-level value that is not a request object. */
  skippedValue(): void {
    this.skippedValues++;
  }

  /** Counts resourceMetrics / resourceLogs / resourceProfiles keys (their lines are skipped). */
  noteOtherSignal(key: string): void {
    if ((OTHER_SIGNALS as readonly string[]).includes(key)) {
      this.otherSignals.set(key, (this.otherSignals.get(key) ?? 0) + 1);
    }
  }

  /** A `resourceSpans` (or Tempo `batches`) array at the cursor, all there. */
  readResourceSpansList(cursor: JsonCursor): void {
    drain(this.resourceSpansList(cursor));
  }

  /**
   * One ResourceSpans as a value, not bytes (a decoded protobuf request): the same steps as the byte
   * reader, the resource before the scopes.
   */
  addResourceSpansValue(raw: unknown): void {
    if (!isRecord(raw)) {
      this.skippedValues++;
      return;
    }
    const resource = field(raw, 'resource');
    let ctx = resource === undefined ? undefined : this.addResource(resource);
    for (const listKey of ['scopeSpans', 'instrumentationLibrarySpans']) {
      const list = field(raw, listKey);
      if (list === undefined) continue;
      ctx ??= this.addResource(undefined);
      if (!Array.isArray(list)) {
        this.builder.warn('skipped a scopeSpans value that is not an array');
        continue;
      }
      for (const scopeSpans of list) {
        if (!isRecord(scopeSpans)) {
          this.skippedValues++;
          continue;
        }
        const scope = this.addScope(field(scopeSpans, 'scope') ?? field(scopeSpans, 'instrumentationLibrary'));
        const spans = field(scopeSpans, 'spans');
        if (Array.isArray(spans)) for (const span of spans) this.addSpan(span, ctx, scope);
        else if (spans !== undefined) this.builder.warn('skipped a spans value that is not an array');
      }
    }
  }

  /** A `resourceSpans` array at the cursor, waiting for bytes between items. */
  *resourceSpansList(cursor: JsonCursor): Generator<void, void, void> {
    if (cursor.peek() !== 'array') {
      cursor.skipValue();
      this.builder.warn('skipped a resourceSpans value that is not an array');
      return;
    }
    yield* readArrayWaiting(cursor, () => this.resourceSpans(cursor));
  }

  /**
   * One ResourceSpans object at the cursor; `resource` may come before or after the scope spans (read
   * then from where they are: still in the buffer; skipping them needs them there, else the
   * incremental read starts over on the whole file).
   */
  private *resourceSpans(cursor: JsonCursor): Generator<void, void, void> {
    if (cursor.peek() !== 'object') {
      cursor.skipValue();
      this.skippedValues++;
      return;
    }
    const state: { ctx?: ResourceContext; deferred: number[] } = { deferred: [] };
    yield* readObjectWaiting(cursor, (key) => {
      switch (normKey(key)) {
        case 'resource':
          if (state.ctx) return false;
          state.ctx = this.addResource(cursor.readValue());
          return true;
        case 'scopeSpans':
        case 'instrumentationLibrarySpans':
          if (!state.ctx) {
            // The spans need the resource index: come back to them once the object is read.
            cursor.skipWhitespace();
            state.deferred.push(cursor.pos);
            return false;
          }
          return this.scopeSpansList(cursor, state.ctx);
      }
      return false;
    });
    if (state.deferred.length === 0) return;
    const end = cursor.pos;
    const ctx = state.ctx ?? this.addResource(undefined);
    for (const at of state.deferred) {
      cursor.pos = at;
      yield* this.scopeSpansList(cursor, ctx);
    }
    cursor.pos = end;
  }

  private addResource(raw: unknown): ResourceContext {
    const attributes = isRecord(raw) ? field(raw, 'attributes') : undefined;
    const name = findStringValue(attributes, 'service.name');
    const service = name === undefined || name === '' ? UNKNOWN_SERVICE : name;
    const resource = this.builder.addResource(service);
    addKeyValues(this.builder, attributes);
    return { resource, service };
  }

  private *scopeSpansList(cursor: JsonCursor, ctx: ResourceContext): Generator<void, void, void> {
    if (cursor.peek() !== 'array') {
      cursor.skipValue();
      this.builder.warn('skipped a scopeSpans value that is not an array');
      return;
    }
    yield* readArrayWaiting(cursor, () => this.scopeSpans(cursor, ctx));
  }

  // One ScopeSpans (or InstrumentationLibrarySpans); `scope` may come after `spans` too.
  private *scopeSpans(cursor: JsonCursor, ctx: ResourceContext): Generator<void, void, void> {
    if (cursor.peek() !== 'object') {
      cursor.skipValue();
      this.skippedValues++;
      return;
    }
    const state: { scopeSeen: boolean; scope?: number; deferred: number[] } = { scopeSeen: false, deferred: [] };
    yield* readObjectWaiting(cursor, (key) => {
      switch (normKey(key)) {
        case 'scope':
        case 'instrumentationLibrary':
          if (state.scopeSeen) return false;
          state.scopeSeen = true;
          state.scope = this.addScope(cursor.readValue());
          return true;
        case 'spans':
          if (!state.scopeSeen) {
            cursor.skipWhitespace();
            state.deferred.push(cursor.pos);
            return false;
          }
          return this.spans(cursor, ctx, state.scope);
      }
      return false;
    });
    if (state.deferred.length === 0) return;
    const end = cursor.pos;
    for (const at of state.deferred) {
      cursor.pos = at;
      yield* this.spans(cursor, ctx, state.scope);
    }
    cursor.pos = end;
  }

  // An empty scope ({} in Tempo responses) is no scope.
  private addScope(raw: unknown): number | undefined {
    if (!isRecord(raw)) return undefined;
    const name = field(raw, 'name');
    const version = field(raw, 'version');
    const attributes = field(raw, 'attributes');
    const hasAttributes = Array.isArray(attributes) && attributes.length > 0;
    if (!name && !version && !hasAttributes) return undefined;
    const scope = this.builder.addScope(typeof name === 'string' ? name : '', typeof version === 'string' ? version : '');
    addKeyValues(this.builder, attributes);
    return scope;
  }

  // The spans array is streamed: one span at a time, straight from the bytes when it has the usual shape.
  private *spans(cursor: JsonCursor, ctx: ResourceContext, scope: number | undefined): Generator<void, void, void> {
    if (cursor.peek() !== 'array') {
      cursor.skipValue();
      this.builder.warn('skipped a spans value that is not an array');
      return;
    }
    yield* readArrayWaiting(cursor, () => {
      const at = cursor.pos;
      this.scanner ??= new OtlpSpanScanner(cursor.bytes);
      // A span without both times takes the slow path, which names a time of the wrong type.
      if (this.scanner.scan(cursor) && this.scanner.start && this.scanner.end) return this.addScannedSpan(this.scanner, ctx, scope);
      cursor.pos = at;
      this.addSpan(cursor.readValue(), ctx, scope);
    });
  }

  // addSpan for a scanned span: the same steps in the same order, from the scanner's columns.
  private addScannedSpan(sc: OtlpSpanScanner, ctx: ResourceContext, scope: number | undefined): void {
    const b = this.builder;
    const traceId = normalizeOtlpId(sc.traceId, 16);
    const spanId = normalizeOtlpId(sc.spanId, 8);
    if (!traceId || !spanId) {
      if (this.badIdSpans++ === 0) this.firstBadIds = `traceId ${JSON.stringify(sc.traceId ?? null)}, spanId ${JSON.stringify(sc.spanId ?? null)}`;
      return;
    }
    const parentSpanId = normalizeOtlpId(sc.parentSpanId, 8);
    const { start, end } = sc;
    const { status, message } = toOtlpStatus(sc.status);
    b.addSpan({
      traceId,
      spanId,
      parentSpanId: parentSpanId ?? '',
      name: typeof sc.name === 'string' ? sc.name : '',
      service: ctx.service,
      resource: ctx.resource,
      scope,
      kind: toOtlpSpanKind(sc.kind),
      start,
      durationNs: start && end ? nanosBetween(start, end) : NaN,
      status,
      statusMessage: message,
      traceState: typeof sc.traceState === 'string' && sc.traceState !== '' ? sc.traceState : undefined,
    });
    this.spansAdded++;
    const { key, type, value } = sc.attributes;
    for (let a = 0; a < sc.spanAttributeCount; a++) b.attr(key[a], value[a], type[a]);
    const flags = toFlags(sc.flags);
    if (flags !== undefined) b.attr(OTLP_FLAGS_KEY, flags, 'int');
    if (parentSpanId === undefined) b.spanWarning(`parentSpanId ${JSON.stringify(sc.parentSpanId)} is not a valid span id; shown as a root`);
    const droppedAttributes = toCount(sc.droppedAttributes);
    const droppedEvents = toCount(sc.droppedEvents);
    const droppedLinks = toCount(sc.droppedLinks);
    if (droppedAttributes || droppedEvents || droppedLinks) {
      b.spanWarning(`the producer dropped ${plural(droppedAttributes, 'attribute')}, ${plural(droppedEvents, 'event')} and ${plural(droppedLinks, 'link')} of this span`);
    }
    let a = sc.spanAttributeCount;
    for (let e = 0; e < sc.eventCount; e++) {
      const evName = sc.eventName[e];
      b.addEvent(sc.eventTime[e], typeof evName === 'string' ? evName : '');
      for (; a < sc.eventAttributeEnd[e]; a++) b.attr(key[a], value[a], type[a]);
    }
    for (let l = 0; l < sc.linkCount; l++) {
      const first = a;
      a = sc.linkAttributeEnd[l];
      const linkTraceId = normalizeOtlpId(sc.linkTraceId[l], 16);
      const linkSpanId = normalizeOtlpId(sc.linkSpanId[l], 8);
      if (!linkTraceId || !linkSpanId) {
        b.spanWarning(`skipped a link with an invalid id (traceId ${JSON.stringify(sc.linkTraceId[l] ?? null)}, spanId ${JSON.stringify(sc.linkSpanId[l] ?? null)})`);
        continue;
      }
      let refType: AttrValue | undefined;
      for (let k = first; k < a && refType === undefined; k++) if (key[k] === 'opentracing.ref_type') refType = value[k];
      const kind: LinkKind = refType === 'follows_from' ? 'follows_from' : refType === 'child_of' ? 'child_of' : 'link';
      const traceState = sc.linkTraceState[l];
      b.addLink(linkTraceId, linkSpanId, kind, typeof traceState === 'string' && traceState !== '' ? traceState : undefined);
      for (let k = first; k < a; k++) b.attr(key[k], value[k], type[k]);
      const linkFlags = toFlags(sc.linkFlags[l]);
      if (linkFlags !== undefined) b.attr(OTLP_FLAGS_KEY, linkFlags, 'int');
    }
  }

  private addSpan(raw: unknown, ctx: ResourceContext, scope: number | undefined): void {
    if (!isRecord(raw)) {
      this.skippedValues++;
      return;
    }
    const b = this.builder;
    let traceIdRaw: unknown, spanIdRaw: unknown, parentRaw: unknown, kindRaw: unknown, startRaw: unknown, endRaw: unknown;
    let statusRaw: unknown, traceStateRaw: unknown, flagsRaw: unknown, attributes: unknown, events: unknown, links: unknown;
    let name = '';
    let droppedAttributes = 0;
    let droppedEvents = 0;
    let droppedLinks = 0;
    for (const key in raw) {
      const v = raw[key];
      switch (normKey(key)) {
        case 'traceId': traceIdRaw = v; break;
        case 'spanId': spanIdRaw = v; break;
        case 'parentSpanId': parentRaw = v; break;
        case 'name': if (typeof v === 'string') name = v; break;
        case 'kind': kindRaw = v; break;
        case 'startTimeUnixNano': startRaw = v; break;
        case 'endTimeUnixNano': endRaw = v; break;
        case 'status': statusRaw = v; break;
        case 'traceState': traceStateRaw = v; break;
        case 'flags': flagsRaw = v; break;
        case 'attributes': attributes = v; break;
        case 'events': events = v; break;
        case 'links': links = v; break;
        case 'droppedAttributesCount': droppedAttributes = toCount(v); break;
        case 'droppedEventsCount': droppedEvents = toCount(v); break;
        case 'droppedLinksCount': droppedLinks = toCount(v); break;
      }
    }
    const traceId = normalizeOtlpId(traceIdRaw, 16);
    const spanId = normalizeOtlpId(spanIdRaw, 8);
    if (!traceId || !spanId) {
      if (this.badIdSpans++ === 0) this.firstBadIds = `traceId ${JSON.stringify(traceIdRaw ?? null)}, spanId ${JSON.stringify(spanIdRaw ?? null)}`;
      return;
    }
    const parentSpanId = normalizeOtlpId(parentRaw, 8);
    const start = toEpoch(startRaw);
    const end = toEpoch(endRaw);
    const { status, message } = toOtlpStatus(statusRaw);
    b.addSpan({
      traceId,
      spanId,
      parentSpanId: parentSpanId ?? '',
      name,
      service: ctx.service,
      resource: ctx.resource,
      scope,
      kind: toOtlpSpanKind(kindRaw),
      start,
      // Exact: both ends are {ms, nsOfMs} pairs, never epoch ns in a float.
      durationNs: start && end ? nanosBetween(start, end) : NaN,
      status,
      statusMessage: message,
      traceState: typeof traceStateRaw === 'string' && traceStateRaw !== '' ? traceStateRaw : undefined,
    });
    this.spansAdded++;
    addKeyValues(b, attributes);
    if (isWrongTime(startRaw)) b.badField('OTLP', `startTimeUnixNano must be a string of nanoseconds, got ${quoteValue(startRaw)}`);
    if (isWrongTime(endRaw)) b.badField('OTLP', `endTimeUnixNano must be a string of nanoseconds, got ${quoteValue(endRaw)}`);
    const flags = toFlags(flagsRaw);
    if (flags !== undefined) b.attr(OTLP_FLAGS_KEY, flags, 'int');
    if (parentSpanId === undefined) b.spanWarning(`parentSpanId ${JSON.stringify(parentRaw)} is not a valid span id; shown as a root`);
    if (droppedAttributes || droppedEvents || droppedLinks) {
      b.spanWarning(`the producer dropped ${plural(droppedAttributes, 'attribute')}, ${plural(droppedEvents, 'event')} and ${plural(droppedLinks, 'link')} of this span`);
    }
    if (Array.isArray(events)) {
      for (const ev of events) {
        if (!isRecord(ev)) continue;
        const evName = field(ev, 'name');
        b.addEvent(toEpoch(field(ev, 'timeUnixNano')), typeof evName === 'string' ? evName : '');
        addKeyValues(b, field(ev, 'attributes'));
      }
    }
    if (Array.isArray(links)) for (const link of links) this.addLink(link);
  }

  private addLink(raw: unknown): void {
    const b = this.builder;
    if (!isRecord(raw)) return;
    const traceIdRaw = field(raw, 'traceId');
    const spanIdRaw = field(raw, 'spanId');
    const traceId = normalizeOtlpId(traceIdRaw, 16);
    const spanId = normalizeOtlpId(spanIdRaw, 8);
    if (!traceId || !spanId) {
      b.spanWarning(`skipped a link with an invalid id (traceId ${JSON.stringify(traceIdRaw ?? null)}, spanId ${JSON.stringify(spanIdRaw ?? null)})`);
      return;
    }
    const attributes = field(raw, 'attributes');
    // Jaeger's OTLP translation keeps OpenTracing references as links tagged with their type.
    const refType = findStringValue(attributes, 'opentracing.ref_type');
    const kind: LinkKind = refType === 'follows_from' ? 'follows_from' : refType === 'child_of' ? 'child_of' : 'link';
    const traceState = field(raw, 'traceState');
    b.addLink(traceId, spanId, kind, typeof traceState === 'string' && traceState !== '' ? traceState : undefined);
    addKeyValues(b, attributes);
    const flags = toFlags(field(raw, 'flags'));
    if (flags !== undefined) b.attr(OTLP_FLAGS_KEY, flags, 'int');
  }

  /** File-level warnings gathered while reading. */
  finish(): void {
    const b = this.builder;
    if (this.badIdSpans > 0) {
      b.warn(`skipped ${plural(this.badIdSpans, 'span')} with a missing or invalid traceId/spanId (first: ${this.firstBadIds})`);
    }
    if (this.skippedValues > 0) b.warn(`skipped ${plural(this.skippedValues, 'value')} that are not OTLP objects`);
    if (this.otherSignals.size > 0) {
      const parts = OTHER_SIGNALS.filter((key) => this.otherSignals.has(key)).map((key) => `${this.otherSignals.get(key)} ${key}`);
      b.warn(`skipped ${parts.join(' and ')} request(s): only traces are read`);
    }
  }
}

/** A time that is there but not a number of nanoseconds (0 is a time, read as absent). */
function isWrongTime(raw: unknown): boolean {
  if (raw === undefined || raw === null) return false;
  return (typeof raw !== 'string' && typeof raw !== 'number') || epochFromNanos(raw) === undefined;
}
