// Jaeger UI / query-API JSON: the {data:[trace]} envelope, a bare trace, a bare span array with inline
// `process` (jaeger-anonymizer), or NDJSON of those. Times are microseconds. See FORMATS.md §1.
import type { JsonCursor } from '../json/json-cursor.ts';
import type { JsonSample } from '../json/json-sample.ts';
import { readJaegerSpanId, readJaegerTraceId } from '../model/ids.ts';
import type { SpanHandle, TraceModelBuilder } from '../model/trace-model-builder.ts';
import { drain, FormatError, isRecord, quoteValue, readArrayWaiting, waitForBytes, type TraceImporter } from './importer.ts';
import { JaegerSpanScanner } from './jaeger-span-scanner.ts';
import { addJaegerSpan, addJaegerTag, JaegerSpanFields } from './jaeger-span.ts';
import { plural } from '../plural.ts';

interface JaegerProcess {
  serviceName?: unknown;
  tags?: unknown;
}

function isJaegerSpan(v: unknown): boolean {
  return isRecord(v) && 'spanID' in v && ('operationName' in v || 'startTime' in v);
}

// `spans` of any type: a trace whose spans are not an array is a bad Jaeger trace, named as one.
function isJaegerTrace(v: unknown): boolean {
  return isRecord(v) && 'traceID' in v && 'spans' in v;
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
  private lastTraceId: { raw: unknown; id: string | undefined } = { raw: undefined, id: undefined };
  private parsedSpan: JaegerSpanFields | undefined;

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
      } else if (key === 'spans') {
        throw new FormatError(`Jaeger trace ${quoteValue(fields.traceID ?? '?')}: spans must be an array, got ${quoteValue(cursor.readValue())}`);
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
    if (Array.isArray(p?.tags)) for (const t of p.tags) if (isRecord(t) && typeof t.key === 'string') addJaegerTag(this.builder, t.key, t.type, t.value);
    return resource;
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
      if (this.skipped === 1 || this.skipped % 1000 === 0) b.warn(`skipped ${plural(this.skipped, 'value')} that are not Jaeger spans`);
      return;
    }
    const s = raw as Record<string, unknown>;
    const traceId = readJaegerTraceId(s.traceID);
    const spanId = readJaegerSpanId(s.spanID);
    if (!traceId || !spanId) {
      b.warn(`skipped a span with an invalid id (traceID ${JSON.stringify(s.traceID)}, spanID ${JSON.stringify(s.spanID)})`);
      return;
    }
    this.spansSeen++;
    const span = (this.parsedSpan ??= new JaegerSpanFields());
    span.fillFromParsed(s);
    const inline = isRecord(s.process);
    let resource: number | undefined;
    if (inline) resource = this.addProcess(s.process as JaegerProcess);
    else if (typeof s.processID === 'string' && processes) resource = processes.get(s.processID);
    const bindLater = resource === undefined && !processes && !inline;
    const handle = addJaegerSpan(b, span, traceId, spanId, resource, bindLater);
    if (bindLater) unbound.add(handle, s.processID);
  }

  /** addSpan for a scanned span; false (having added nothing) when it needs addSpan's warnings. */
  private addScannedSpan(sc: JaegerSpanScanner, processes: Map<string, number> | undefined, unbound: UnboundSpans): boolean {
    const span = sc.span;
    const traceId = span.traceID === this.lastTraceId.raw ? this.lastTraceId.id : readJaegerTraceId(span.traceID);
    const spanId = readJaegerSpanId(span.spanID);
    if (!sc.looksLikeSpan || !traceId || !spanId) return false;
    this.lastTraceId = { raw: span.traceID, id: traceId };
    this.spansSeen++;
    const resource = typeof span.processID === 'string' && processes ? processes.get(span.processID) : undefined;
    const bindLater = resource === undefined && !processes;
    const handle = addJaegerSpan(this.builder, span, traceId, spanId, resource, bindLater);
    if (bindLater) unbound.add(handle, span.processID);
    return true;
  }
}
