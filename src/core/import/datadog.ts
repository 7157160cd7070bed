// Datadog trace-agent JSON (v0.3/v0.4 payloads and dd-apm-test-agent snapshots): `[[span…]…]` (a list of
// trace chunks), a flat `[span…]` (one trace), or NDJSON of those. Ids are decimal uint64, times ns.
// See FORMATS.md §6.
import { JsonCursor } from '../json/json-cursor.ts';
import type { JsonSample } from '../json/json-sample.ts';
import { addNanos } from '../model/time.ts';
import { TraceModelBuilder } from '../model/trace-model-builder.ts';
import type { TraceCollection } from '../model/trace-model.ts';
import {
  decimalId,
  hexId,
  nanosToEpoch,
  readMetaEvents,
  readMetaLinks,
  readNativeEvents,
  readNativeLinks,
  type DdEvent,
  type DdLink,
  type Parsed,
} from './datadog-fields.ts';
import { buildCollection, FormatError, isRecord, readArray, readObject, type TraceImporter } from './importer.ts';
import { toSpanKind } from './jaeger-span.ts';
import { LoadError } from './load-error.ts';
import { plural } from '../plural.ts';

const TID_KEY = '_dd.p.tid';
const ZERO_HIGH = '0000000000000000';

/** Span fields read into the span itself; every other top-level field becomes an attribute. */
const SPAN_FIELDS = new Set(['trace_id', 'span_id', 'parent_id', 'name', 'service', 'resource', 'type', 'start', 'duration', 'error', 'meta', 'metrics', 'meta_struct', 'span_links', 'span_events']);

function isDecimalId(v: unknown): boolean {
  return (typeof v === 'number' && Number.isInteger(v) && v >= 0) || (typeof v === 'string' && /^\d+$/.test(v));
}

// snake_case decimal ids are what sets Datadog apart: Jaeger/Zipkin/OTLP use camelCase hex ids.
function isDatadogSpan(v: unknown): boolean {
  return isRecord(v) && isDecimalId(v.trace_id) && isDecimalId(v.span_id) && ('start' in v || 'duration' in v || 'name' in v || 'service' in v || 'resource' in v);
}

function looksLikeDatadogValue(v: unknown): boolean {
  if (!Array.isArray(v)) return isDatadogSpan(v);
  return v.some((item) => isDatadogSpan(item) || (Array.isArray(item) && item.some(isDatadogSpan)));
}

export const datadogImporter: TraceImporter = {
  format: 'datadog',
  label: 'Datadog agent JSON',
  fileNameHint: /datadog|dd-trace|ddtrace|\bdd[-_]/i,
  looksLike: (sample: JsonSample) => sample.values.some(looksLikeDatadogValue),
  read(cursor, builder) {
    const reader = new DatadogReader(builder, scanTraceIdHighs(cursor, builder));
    forEachSpan(cursor, () => reader.addSpan(cursor.readValue()), () => reader.skipped++);
    reader.reportSkipped();
    if (reader.added === 0 && reader.skipped > 0) throw new FormatError(`no Datadog span could be read (${builder.warningList.join('; ')})`);
  },
};

/**
 * Datadog traces already parsed (the agent intake's decoded msgpack), as top-level values the way the
 * JSON reader gives them (integers beyond 2^53 as digit strings): read with the same span rules as a file.
 * A LoadError 'no-spans' when they hold none, 'bad-shape' when nothing in them could be read.
 */
export function importDatadogTraces(values: readonly unknown[]): TraceCollection {
  const builder = new TraceModelBuilder(datadogImporter.format);
  const highs = collectTraceIdHighs(builder, (note) => forEachSpanValue(values, (span) => note(decimalId(span.trace_id), isRecord(span.meta) ? hexId(span.meta[TID_KEY], 16) : undefined)));
  const reader = new DatadogReader(builder, highs);
  forEachSpanValue(values, (span) => reader.addSpan(span), () => reader.skipped++);
  reader.reportSkipped();
  // A file reaches the reader only once detection saw Datadog spans in it; values come unchecked.
  if (reader.added === 0 && builder.warningList.length > 0) {
    throw new LoadError({ kind: 'bad-shape', message: 'Not Datadog agent traces', detail: `no Datadog span could be read (${builder.warningList.join('; ')})` });
  }
  return buildCollection(builder, datadogImporter.label);
}

/**
 * Walks every top-level value: a list of trace chunks, a flat chunk of spans, or a lone span (NDJSON).
 * `onSpan` is called with the cursor on a span object and must consume it; anything else is skipped.
 */
function forEachSpan(cursor: JsonCursor, onSpan: () => void, onSkipped: () => void): void {
  const spanOrSkip = () => {
    if (cursor.peek() === 'object') onSpan();
    else {
      cursor.skipValue();
      onSkipped();
    }
  };
  while (!cursor.atEnd()) {
    const kind = cursor.peek();
    if (kind !== 'array') {
      spanOrSkip();
      continue;
    }
    readArray(cursor, () => {
      if (cursor.peek() === 'array') readArray(cursor, spanOrSkip);
      else spanOrSkip();
    });
  }
}

/** forEachSpan over values already parsed. */
function forEachSpanValue(values: readonly unknown[], onSpan: (span: Record<string, unknown>) => void, onSkipped: () => void = () => {}): void {
  const spanOrSkip = (value: unknown) => {
    if (isRecord(value)) onSpan(value);
    else onSkipped();
  };
  for (const value of values) {
    if (!Array.isArray(value)) {
      spanOrSkip(value);
      continue;
    }
    for (const item of value) {
      if (Array.isArray(item)) item.forEach(spanOrSkip);
      else spanOrSkip(item);
    }
  }
}

/**
 * The upper 64 bits of 128-bit trace ids (`meta._dd.p.tid`) sit usually on the chunk root only, yet
 * every span of the trace needs the full id when it is added. A first pass over the keys (no span is
 * materialized) maps lower-64 trace id → tid; it is skipped when the bytes never mention the tag.
 */
function scanTraceIdHighs(cursor: JsonCursor, builder: TraceModelBuilder): Map<string, string> {
  if (!containsAscii(cursor.bytes, cursor.pos, cursor.end, TID_KEY)) return new Map();
  const scan = new JsonCursor(cursor.bytes, cursor.pos, cursor.end);
  const scanSpan = (note: NoteTraceIdHigh) => {
    let lower: string | undefined;
    let tid: string | undefined;
    readObject(scan, (key) => {
      if (key === 'trace_id') {
        lower = decimalId(scan.readValue());
        return true;
      }
      if (key !== 'meta' || scan.peek() !== 'object') return false;
      // Most metas lack the tag: skipping them natively is much cheaper than walking their keys.
      const metaStart = scan.pos;
      scan.skipValue();
      if (!containsAscii(scan.bytes, metaStart, scan.pos, TID_KEY)) return true;
      scan.pos = metaStart;
      readObject(scan, (metaKey) => {
        if (metaKey !== TID_KEY) return false;
        tid = hexId(scan.readValue(), 16);
        return true;
      });
      return true;
    });
    note(lower, tid);
  };
  return collectTraceIdHighs(builder, (note) => forEachSpan(scan, () => scanSpan(note), () => {}));
}

type NoteTraceIdHigh = (lower: string | undefined, tid: string | undefined) => void;

/** Lower-64 trace id → tid, from the pairs `visit` notes; a trace with conflicting tids keeps its first. */
function collectTraceIdHighs(builder: TraceModelBuilder, visit: (note: NoteTraceIdHigh) => void): Map<string, string> {
  const highs = new Map<string, string>();
  const conflicts = new Set<string>();
  visit((lower, tid) => {
    if (lower === undefined || tid === undefined || tid === ZERO_HIGH) return;
    const known = highs.get(lower);
    if (known === undefined) highs.set(lower, tid);
    else if (known !== tid) conflicts.add(lower);
  });
  for (const lower of conflicts) {
    builder.warn(`spans of trace ${lower} carry different ${TID_KEY} values; spans without one use ${highs.get(lower)}`);
  }
  return highs;
}

function containsAscii(bytes: Uint8Array, from: number, end: number, needle: string): boolean {
  const first = needle.charCodeAt(0);
  for (let i = bytes.indexOf(first, from); i !== -1 && i + needle.length <= end; i = bytes.indexOf(first, i + 1)) {
    let k = 1;
    while (k < needle.length && bytes[i + k] === needle.charCodeAt(k)) k++;
    if (k === needle.length) return true;
  }
  return false;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function isErrorFlag(v: unknown): boolean {
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.trim() !== '' && v.trim() !== '0' && v !== 'false';
  return v === true;
}

class DatadogReader {
  added = 0;
  skipped = 0;
  private readonly resourceByService = new Map<string, number>();

  constructor(
    private readonly builder: TraceModelBuilder,
    private readonly traceIdHighs: ReadonlyMap<string, string>,
  ) {}

  reportSkipped(): void {
    if (this.skipped > 0) this.builder.warn(`skipped ${plural(this.skipped, 'value')} that are not Datadog spans`);
  }

  addSpan(raw: unknown): void {
    const b = this.builder;
    if (!isRecord(raw)) {
      this.skipped++;
      return;
    }
    const lower = decimalId(raw.trace_id);
    const spanId = decimalId(raw.span_id);
    if (lower === undefined || spanId === undefined) {
      b.warn(`skipped a span with an invalid id (trace_id ${JSON.stringify(raw.trace_id ?? null)}, span_id ${JSON.stringify(raw.span_id ?? null)})`);
      return;
    }
    const meta = isRecord(raw.meta) ? raw.meta : {};
    const ownTid = hexId(meta[TID_KEY], 16);
    const high = ownTid && ownTid !== ZERO_HIGH ? ownTid : (this.traceIdHighs.get(lower) ?? ZERO_HIGH);

    // parent_id 0 or absent is a root; an unreadable one too, with a warning below.
    const parentRaw = raw.parent_id;
    const parentHex = parentRaw == null ? '' : decimalToParent(parentRaw);

    const service = str(raw.service) ?? 'unknown_service';
    let resource = this.resourceByService.get(service);
    if (resource === undefined) {
      resource = b.addResource(service);
      this.resourceByService.set(service, resource);
    }

    const isError = isErrorFlag(raw.error);
    const errorType = str(meta['error.type']);
    const errorMessage = str(meta['error.message']) ?? str(meta['error.msg']);
    const errorStack = str(meta['error.stack']);
    const start = nanosToEpoch(raw.start);
    const durationNs = typeof raw.duration === 'number' ? raw.duration : typeof raw.duration === 'string' ? Number(raw.duration) : NaN;
    const name = str(raw.name) ?? str(raw.resource) ?? '';

    // Links and events serialized into meta are parsed first: a parsed one is not kept as text too.
    const problems: string[] = [];
    const events: DdEvent[] = [];
    const links: DdLink[] = [];
    const convertedMeta = new Set<string>();
    const take = <T>(parsed: Parsed<T> | { error: string }, into: T[], key?: string) => {
      if ('error' in parsed) {
        problems.push(parsed.error);
        return;
      }
      into.push(...parsed.items);
      problems.push(...parsed.problems);
      if (key) convertedMeta.add(key);
    };
    take(readNativeEvents(raw.span_events), events);
    if (typeof meta.events === 'string') take(readMetaEvents(meta.events), events, 'events');
    take(readNativeLinks(raw.span_links, (l) => this.traceIdHighs.get(l)), links);
    if (typeof meta['_dd.span_links'] === 'string') take(readMetaLinks(meta['_dd.span_links']), links, '_dd.span_links');

    b.addSpan({
      traceId: high + lower,
      spanId,
      parentSpanId: parentHex ?? '',
      name,
      service,
      resource,
      kind: typeof meta['span.kind'] === 'string' ? toSpanKind(meta['span.kind']) : 'unspecified',
      start,
      durationNs,
      status: isError ? 'error' : 'unset',
      statusMessage: isError ? (errorMessage ?? errorType) : undefined,
    });
    this.added++;

    if (typeof raw.resource === 'string') b.attr('resource.name', raw.resource, 'string');
    if (typeof raw.type === 'string') b.attr('span.type', raw.type, 'string');
    for (const [key, v] of Object.entries(meta)) {
      if (convertedMeta.has(key)) continue;
      if (typeof v === 'string') b.attr(key, v, 'string');
      else if (typeof v === 'number' || typeof v === 'boolean') b.attr(key, v);
      else if (v != null) b.attr(key, JSON.stringify(v), 'string');
    }
    if (isRecord(raw.metrics)) {
      for (const [key, v] of Object.entries(raw.metrics)) {
        // Metrics are float64; an integer beyond 2^53 came back as a digit string.
        const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
        if (Number.isFinite(n)) b.attr(key, n, 'double');
        else if (v != null) b.attr(key, String(v), 'string');
      }
    }
    for (const [key, v] of Object.entries(raw)) {
      if (SPAN_FIELDS.has(key) || v == null) continue;
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') b.attr(key, v);
      else b.attr(key, JSON.stringify(v), 'string');
    }

    if (parentHex === undefined) b.spanWarning(`parent_id ${JSON.stringify(parentRaw)} is not a decimal uint64; shown as a root`);
    if (raw.meta != null && !isRecord(raw.meta)) b.spanWarning('meta is not an object; ignored');
    if (isRecord(raw.meta_struct) && Object.keys(raw.meta_struct).length > 0) {
      b.spanWarning(`meta_struct (${Object.keys(raw.meta_struct).join(', ')}) skipped: binary payloads are not shown`);
    }
    if (str(raw.name) === undefined) b.spanWarning(str(raw.resource) ? 'the span has no name; the resource is shown instead' : 'the span has no name');
    for (const p of problems) b.spanWarning(p);

    for (const e of events) {
      b.addEvent(e.time, e.name);
      for (const a of e.attributes) b.attr(a.key, a.value, a.type);
    }
    // Errors are tags in Datadog; an OTel-style exception event lets the details view show them alike.
    if (isError && (errorType || errorMessage || errorStack) && !events.some((e) => e.name === 'exception')) {
      b.addEvent(start ? addNanos(start, durationNs >= 0 ? durationNs : 0) : undefined, 'exception');
      if (errorType) b.attr('exception.type', errorType, 'string');
      if (errorMessage) b.attr('exception.message', errorMessage, 'string');
      if (errorStack) b.attr('exception.stacktrace', errorStack, 'string');
    }
    for (const l of links) {
      b.addLink(l.traceId, l.spanId, 'link', l.traceState);
      for (const a of l.attributes) b.attr(a.key, a.value, a.type);
    }
  }
}

/** parent_id → 16 hex, '' for a root (0), undefined when unreadable. */
function decimalToParent(raw: unknown): string | undefined {
  const hex = decimalId(raw);
  if (hex === undefined) return undefined;
  return hex === ZERO_HIGH ? '' : hex;
}
