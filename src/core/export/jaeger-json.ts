// TraceCollection → Jaeger query-API JSON (`{"data":[{traceID, processes, warnings, spans}]}`), what the
// Jaeger UI opens and downloads. Times are whole microseconds (truncated, as Jaeger stores them).
// What Jaeger has no field for travels as the tags the OpenTelemetry Jaeger translator writes
// (span.kind, otel.status_code, otel.scope.name, w3c.tracestate…), so our importer reads it back.
import { attrValueToString, type Attribute } from '../model/attributes.ts';
import { getSpanDetails, type SpanDetails } from '../model/span-details.ts';
import { epochToMicros } from '../model/time.ts';
import type { TraceCollection, TraceModel } from '../model/trace-model.ts';
import { effectiveLinkKind, writeChunks, type ChunkSink } from './chunks.ts';

export interface JaegerTag {
  readonly key: string;
  readonly type: 'string' | 'bool' | 'int64' | 'float64' | 'binary';
  readonly value: string | number | boolean;
}

interface JaegerReference {
  readonly refType: 'CHILD_OF' | 'FOLLOWS_FROM';
  readonly traceID: string;
  readonly spanID: string;
}

interface JaegerLog {
  readonly timestamp: number;
  readonly fields: readonly JaegerTag[];
}

interface JaegerProcess {
  readonly serviceName: string;
  readonly tags: readonly JaegerTag[];
}

interface JaegerSpan {
  readonly traceID: string;
  readonly spanID: string;
  readonly operationName: string;
  readonly references: readonly JaegerReference[];
  readonly startTime: number;
  readonly duration: number;
  readonly tags: readonly JaegerTag[];
  readonly logs: readonly JaegerLog[];
  readonly processID: string;
  readonly warnings: readonly string[] | null;
  readonly flags: number;
}

/** Writes the collection as one Jaeger JSON document to `sink`, about one chunk per span. */
export function writeJaegerJson(collection: TraceCollection, sink: ChunkSink): void {
  writeChunks(jaegerJsonChunks(collection), sink);
}

/** The same output as an iterator of chunks (lets a stream consumer pull with back-pressure). */
export function* jaegerJsonChunks(collection: TraceCollection): Generator<string> {
  yield '{"data":[';
  let firstTrace = true;
  for (const model of collection.traces) {
    const { processIdOf, processes } = buildProcesses(model);
    // Processes before spans: a streaming reader then knows every service before the first span.
    yield `${firstTrace ? '' : ','}{"traceID":"${jaegerTraceId(model.traceId)}","processes":${JSON.stringify(processes)},"warnings":${JSON.stringify(model.warnings.length ? model.warnings : null)},"spans":[`;
    firstTrace = false;
    for (let i = 0; i < model.spanCount; i++) {
      const span = getSpanDetails(model, i, collection.linkTargets);
      yield (i === 0 ? '' : ',') + JSON.stringify(toJaegerSpan(span, processIdOf(i)));
    }
    yield ']}';
  }
  yield `],"total":${collection.traces.length},"limit":0,"offset":0,"errors":null}\n`;
}

// One process per (resource, service) used in the trace, numbered p1, p2… in order of first use.
function buildProcesses(model: TraceModel): { processIdOf: (i: number) => string; processes: Record<string, JaegerProcess> } {
  const { stores } = model;
  const numberByKey = new Map<string, number>();
  const processes: Record<string, JaegerProcess> = {};
  const spanProcess = new Uint32Array(model.spanCount);
  for (let i = 0; i < model.spanCount; i++) {
    const key = `${model.resourceId[i]}:${model.serviceId[i]}`;
    let n = numberByKey.get(key);
    if (n === undefined) {
      n = numberByKey.size + 1;
      numberByKey.set(key, n);
      const resource = model.resourceId[i] >= 0 ? stores.resources[model.resourceId[i]] : undefined;
      const attrs = resource ? stores.attributes.read(resource.attrStart, resource.attrCount) : [];
      // The service is the process's serviceName; Jaeger does not repeat it as a tag.
      processes[`p${n}`] = { serviceName: stores.strings.get(model.serviceId[i]), tags: attrs.filter((a) => a.key !== 'service.name').map(toJaegerTag) };
    }
    spanProcess[i] = n;
  }
  return { processIdOf: (i) => `p${spanProcess[i]}`, processes };
}

/** Jaeger prints a 64-bit trace id (upper half zero) as 16 hex chars. */
export function jaegerTraceId(traceId: string): string {
  return traceId.length === 32 && traceId.startsWith('0000000000000000') ? traceId.slice(16) : traceId;
}

export function toJaegerSpan(span: SpanDetails, processID: string): JaegerSpan {
  const startUs = epochToMicros(span.start);
  return {
    traceID: jaegerTraceId(span.traceId),
    spanID: span.spanId,
    operationName: span.name,
    references: toReferences(span),
    startTime: startUs,
    duration: Math.floor(Math.round(span.durationNs) / 1000),
    tags: [...span.attributes.map(toJaegerTag), ...derivedTags(span)],
    logs: span.events.map((e) => ({ timestamp: epochToMicros(e.time ?? span.start), fields: logFields(e.name, e.attributes) })),
    processID,
    warnings: span.warnings.length ? span.warnings : null,
    flags: 1,
  };
}

// The parent first (our importer and Jaeger UI take the first same-trace reference as the parent):
// FOLLOWS_FROM when the span also holds a follows_from link to its parent (how the importer keeps a
// FOLLOWS_FROM parent), else CHILD_OF. Every other link follows; OTLP links become FOLLOWS_FROM.
// Known limit of the format: a root span's link into its own trace reads back as its parent (Jaeger
// UI and our importer take the first same-trace reference as the parent; there is no "root" flag).
function toReferences(span: SpanDetails): JaegerReference[] {
  const refs: JaegerReference[] = [];
  const traceID = jaegerTraceId(span.traceId);
  let parentLink = -1;
  if (span.parentSpanId) {
    parentLink = span.links.findIndex(
      (l) => l.traceId === span.traceId && l.spanId === span.parentSpanId && effectiveLinkKind(l.kind, l.attributes) === 'follows_from',
    );
    refs.push({ refType: parentLink >= 0 ? 'FOLLOWS_FROM' : 'CHILD_OF', traceID, spanID: span.parentSpanId });
  }
  span.links.forEach((l, k) => {
    if (k === parentLink) return;
    const kind = effectiveLinkKind(l.kind, l.attributes);
    refs.push({ refType: kind === 'child_of' ? 'CHILD_OF' : 'FOLLOWS_FROM', traceID: jaegerTraceId(l.traceId), spanID: l.spanId });
  });
  return refs;
}

// Kind, status, scope and trace state as the tags Jaeger-side tools (and our importer) understand,
// unless the span's own attributes already say it.
function derivedTags(span: SpanDetails): JaegerTag[] {
  const has = (key: string) => span.attributes.some((a) => a.key === key);
  const tags: JaegerTag[] = [];
  if (span.kind !== 'unspecified' && !has('span.kind')) tags.push({ key: 'span.kind', type: 'string', value: span.kind });
  if (span.status === 'error') {
    const flagged = span.attributes.some((a) => (a.key === 'error' && (a.value === true || a.value === 'true')) || (a.key === 'otel.status_code' && a.value === 'ERROR'));
    if (!flagged) tags.push({ key: has('error') ? 'otel.status_code' : 'error', type: has('error') ? 'string' : 'bool', value: has('error') ? 'ERROR' : true });
  } else if (span.status === 'ok' && !has('otel.status_code')) {
    tags.push({ key: 'otel.status_code', type: 'string', value: 'OK' });
  }
  if (span.statusMessage && !has('otel.status_description')) tags.push({ key: 'otel.status_description', type: 'string', value: span.statusMessage });
  if (span.scope && span.scope.name && !has('otel.scope.name') && !has('otel.library.name')) {
    tags.push({ key: 'otel.scope.name', type: 'string', value: span.scope.name });
    if (span.scope.version && !has('otel.scope.version')) tags.push({ key: 'otel.scope.version', type: 'string', value: span.scope.version });
  }
  if (span.traceState && !has('w3c.tracestate')) tags.push({ key: 'w3c.tracestate', type: 'string', value: span.traceState });
  return tags;
}

// Jaeger names a log by its "event" field (else "message"); add one only when the name would not
// otherwise read back ("log" is the importer's name for a log with neither).
function logFields(name: string, attrs: readonly Attribute[]): JaegerTag[] {
  const fields = attrs.map(toJaegerTag);
  const named = attrs.some((a) => a.key === 'event' || (a.key === 'message' && a.value === name));
  if (named || name === 'log') return fields;
  return [{ key: 'event', type: 'string', value: name }, ...fields];
}

export function toJaegerTag(attr: Attribute): JaegerTag {
  const { key, type, value } = attr;
  switch (type) {
    case 'string':
      return { key, type: 'string', value: String(value) };
    case 'bool':
      return { key, type: 'bool', value: value === true };
    case 'int':
      // Jaeger writes int64 values beyond ±2^53 as decimal strings.
      if (typeof value === 'bigint') return { key, type: 'int64', value: Number.isSafeInteger(Number(value)) ? Number(value) : value.toString() };
      return { key, type: 'int64', value: typeof value === 'number' ? value : String(value) };
    case 'double': {
      const n = Number(value);
      return { key, type: 'float64', value: Number.isFinite(n) ? n : String(n) };
    }
    case 'bytes':
      return { key, type: 'binary', value: String(value) };
    case 'array':
    case 'map':
      // Jaeger has no structured tags; the OpenTelemetry translator writes them as JSON text.
      return { key, type: 'string', value: attrValueToString(value) };
  }
}
