// TraceCollection → OTLP/JSON (`{"resourceSpans":[…]}`, the OTLP/HTTP JSON encoding: hex ids, integer
// enums, uint64 nanoseconds as decimal strings, int64 attribute values as strings). Spans are grouped
// by resource and then by instrumentation scope, as the SDKs and the collector send them.
import { inferAttrType, type Attribute, type AttrType, type AttrValue } from '../model/attributes.ts';
import { hexIdFor } from '../model/ids.ts';
import { getSpanDetails, type SpanDetails, type SpanEventDetails, type SpanLinkDetails } from '../model/span-details.ts';
import { addNanos, epochToNanosString, type EpochNanos } from '../model/time.ts';
import { SPAN_KINDS, STATUS_CODES, type LinkKind, type TraceCollection } from '../model/trace-model.ts';
import { REF_TYPE_ATTRIBUTE, writeChunks, type ChunkSink } from './chunks.ts';

/** OTLP AnyValue. */
export type OtlpAnyValue =
  | { readonly stringValue: string }
  | { readonly boolValue: boolean }
  | { readonly intValue: string }
  | { readonly doubleValue: number | string }
  | { readonly bytesValue: string }
  | { readonly arrayValue: { readonly values: readonly OtlpAnyValue[] } }
  | { readonly kvlistValue: { readonly values: readonly OtlpKeyValue[] } };

export interface OtlpKeyValue {
  readonly key: string;
  readonly value: OtlpAnyValue;
}

const SERVICE_NAME = 'service.name';

/** Writes the collection as one OTLP/JSON document to `sink`, about one chunk per span. */
export function writeOtlpJson(collection: TraceCollection, sink: ChunkSink): void {
  writeChunks(otlpJsonChunks(collection), sink);
}

/**
 * Decides whether a span is written: `spanJson` is the span as written, `groupJson` its resource and scope
 * as written (together: everything the span says).
 */
export type SpanFilter = (spanJson: string, groupJson: string, trace: number, span: number) => boolean;

/** The same output as an iterator of chunks (lets a stream consumer pull with back-pressure). */
export function* otlpJsonChunks(collection: TraceCollection, keepSpan?: SpanFilter): Generator<string> {
  const { stores } = collection;
  yield '{"resourceSpans":[';
  let firstResource = true;
  for (const group of groupSpans(collection)) {
    const resourceInfo = group.resource >= 0 ? stores.resources[group.resource] : undefined;
    const service = stores.strings.get(group.serviceId);
    const resourceAttrs = resourceInfo ? stores.attributes.read(resourceInfo.attrStart, resourceInfo.attrCount) : [];
    const resource = JSON.stringify({ attributes: withServiceName(resourceAttrs, service).map(toKeyValue) });
    yield `${firstResource ? '' : ','}{"resource":${resource},"scopeSpans":[`;
    firstResource = false;
    let firstScope = true;
    for (const [scopeIndex, spans] of group.scopes) {
      const scopeInfo = scopeIndex >= 0 ? stores.scopes[scopeIndex] : undefined;
      const scope = scopeInfo
        ? JSON.stringify({
            name: scopeInfo.name,
            ...(scopeInfo.version ? { version: scopeInfo.version } : {}),
            ...(scopeInfo.attrCount ? { attributes: stores.attributes.read(scopeInfo.attrStart, scopeInfo.attrCount).map(toKeyValue) } : {}),
          })
        : undefined;
      yield `${firstScope ? '' : ','}{${scope ? `"scope":${scope},` : ''}"spans":[`;
      firstScope = false;
      const groupJson = `${resource}${scope ?? ''}`;
      let firstSpan = true;
      for (let k = 0; k < spans.length; k += 2) {
        const model = collection.traces[spans[k]];
        const json = JSON.stringify(toOtlpSpan(getSpanDetails(model, spans[k + 1], collection.linkTargets)));
        if (keepSpan && !keepSpan(json, groupJson, spans[k], spans[k + 1])) continue;
        yield (firstSpan ? '' : ',') + json;
        firstSpan = false;
      }
      yield ']}';
    }
    yield ']}';
  }
  yield ']}\n';
}

interface ResourceGroup {
  readonly resource: number;
  readonly serviceId: number;
  /** scope index (-1: none) → flat (trace index, span index) pairs, in model order. */
  readonly scopes: Map<number, number[]>;
}

// One group per (resource, service): a span without a resource, or whose service differs from its
// resource's, still gets a resource whose service.name reads back as its service.
function groupSpans(collection: TraceCollection): ResourceGroup[] {
  const groups = new Map<string, ResourceGroup>();
  collection.traces.forEach((model, t) => {
    for (let i = 0; i < model.spanCount; i++) {
      const resource = model.resourceId[i];
      const serviceId = model.serviceId[i];
      const key = `${resource}:${serviceId}`;
      let group = groups.get(key);
      if (!group) {
        group = { resource, serviceId, scopes: new Map() };
        groups.set(key, group);
      }
      const scope = model.scopeId[i];
      let spans = group.scopes.get(scope);
      if (!spans) {
        spans = [];
        group.scopes.set(scope, spans);
      }
      spans.push(t, i);
    }
  });
  return [...groups.values()];
}

function withServiceName(attrs: readonly Attribute[], service: string): readonly Attribute[] {
  const at = attrs.findIndex((a) => a.key === SERVICE_NAME);
  if (at < 0) return [{ key: SERVICE_NAME, type: 'string', value: service }, ...attrs];
  if (attrs[at].value === service) return attrs;
  return attrs.map((a, k) => (k === at ? { key: SERVICE_NAME, type: 'string', value: service } : a));
}

interface OtlpEvent {
  readonly timeUnixNano: string;
  readonly name: string;
  readonly attributes: readonly OtlpKeyValue[];
}

interface OtlpLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceState?: string;
  readonly attributes: readonly OtlpKeyValue[];
}

export interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly traceState?: string;
  readonly name: string;
  readonly kind: number;
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
  readonly attributes: readonly OtlpKeyValue[];
  readonly events?: readonly OtlpEvent[];
  readonly links?: readonly OtlpLink[];
  readonly status: { code: number; message?: string };
}

// OTLP ids are hex: an id kept as written (a Jaeger `span-1`) goes out as its stable hex stand-in.
/** A span's details, its links' targets aside (the details panel's view of a span has them by trace id). */
export type OtlpSpanSource = Omit<SpanDetails, 'links'> & { readonly links: readonly Omit<SpanLinkDetails, 'target'>[] };

export function toOtlpSpan(span: OtlpSpanSource): OtlpSpan {
  return {
    traceId: hexIdFor(span.traceId, 32),
    spanId: hexIdFor(span.spanId, 16),
    ...(span.parentSpanId ? { parentSpanId: hexIdFor(span.parentSpanId, 16) } : {}),
    ...(span.traceState ? { traceState: span.traceState } : {}),
    name: span.name,
    kind: SPAN_KINDS.indexOf(span.kind),
    startTimeUnixNano: epochToNanosString(span.start),
    endTimeUnixNano: epochToNanosString(addNanos(span.start, Math.round(span.durationNs))),
    attributes: span.attributes.map(toKeyValue),
    // Empty repeated fields are left out, as protobuf JSON does (saves ~10% on big traces).
    ...(span.events.length ? { events: span.events.map((e) => toOtlpEvent(e, span.start)) } : {}),
    ...(span.links.length ? { links: span.links.map(toOtlpLink) } : {}),
    status: { code: STATUS_CODES.indexOf(span.status), ...(span.statusMessage ? { message: span.statusMessage } : {}) },
  };
}

// OTLP requires an event time; one the file did not give is written as the span's start.
function toOtlpEvent(e: SpanEventDetails, spanStart: EpochNanos): OtlpEvent {
  return { timeUnixNano: epochToNanosString(e.time ?? spanStart), name: e.name, attributes: e.attributes.map(toKeyValue) };
}

function toOtlpLink(l: Omit<SpanLinkDetails, 'target'>): OtlpLink {
  return {
    traceId: hexIdFor(l.traceId, 32),
    spanId: hexIdFor(l.spanId, 16),
    ...(l.traceState ? { traceState: l.traceState } : {}),
    attributes: linkAttributes(l.kind, l.attributes).map(toKeyValue),
  };
}

// OTLP links have no kind: a Jaeger reference type travels as opentracing.ref_type, as the
// OpenTelemetry Jaeger translator writes it.
function linkAttributes(kind: LinkKind, attrs: readonly Attribute[]): readonly Attribute[] {
  if (kind === 'link' || attrs.some((a) => a.key === REF_TYPE_ATTRIBUTE)) return attrs;
  return [...attrs, { key: REF_TYPE_ATTRIBUTE, type: 'string', value: kind }];
}

export function toKeyValue(attr: Attribute): OtlpKeyValue {
  return { key: attr.key, value: toAnyValue(attr.value, attr.type) };
}

/** A typed attribute value as an OTLP AnyValue (nested values take the type their JS value has). */
export function toAnyValue(value: AttrValue, type: AttrType = inferAttrType(value)): OtlpAnyValue {
  switch (type) {
    case 'string':
      return { stringValue: typeof value === 'string' ? value : String(value) };
    case 'bool':
      return { boolValue: value === true || value === 'true' };
    case 'int':
      return typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string'
        ? { intValue: typeof value === 'number' ? Math.trunc(value).toString() : value.toString() }
        : { stringValue: String(value) };
    case 'double': {
      const n = Number(value);
      // JSON has no NaN or infinities; the protobuf JSON mapping spells them as strings.
      return { doubleValue: Number.isFinite(n) ? n : String(n) };
    }
    case 'bytes':
      return { bytesValue: String(value) };
    case 'array':
      return { arrayValue: { values: Array.isArray(value) ? value.map((v) => toAnyValue(v)) : [] } };
    case 'map':
      return {
        kvlistValue: {
          values: typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value).map(([key, v]) => ({ key, value: toAnyValue(v) })) : [],
        },
      };
  }
}
