// OTLP protobuf traces, for the OTLP/HTTP receiver (`application/x-protobuf`), plus the receiver's
// protobuf answers (ExportTraceServiceResponse, google.rpc.Status). Decodes an ExportTraceServiceRequest
// (a TracesData file has the same field numbers) with @bufbuild/protobuf over the schema in otlp-proto/
// (opentelemetry-proto v1.10.0, see its README) into the value OTLP/JSON would parse to — hex ids, int64
// as decimal strings (never through a JS number), enums as numbers, bytes attribute values as base64,
// proto3 defaults left out — and hands that value to the OTLP/JSON reader: no JSON text in between.
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { base64Encode } from '@bufbuild/protobuf/wire';
import { anyPack } from '@bufbuild/protobuf/wkt';
import { TraceModelBuilder } from '../model/trace-model-builder.ts';
import type { TraceCollection } from '../model/trace-model.ts';
import { buildCollection } from './importer.ts';
import type { AnyValue, EntityRef, InstrumentationScope, KeyValue } from './otlp-proto/common_pb.ts';
import type { Resource } from './otlp-proto/resource_pb.ts';
import type { InstrumentationLibrarySpans, ResourceSpans, ScopeSpans, Span, Span_Event, Span_Link, Status } from './otlp-proto/trace_pb.ts';
import { RetryInfoSchema } from './otlp-proto/error_details_pb.ts';
import { StatusSchema as RpcStatusSchema } from './otlp-proto/status_pb.ts';
import { ExportTraceServiceRequestSchema, ExportTraceServiceResponseSchema } from './otlp-proto/trace_service_pb.ts';
import { LoadError } from './load-error.ts';
import { OtlpReader, otlpJsonImporter } from './otlp-json.ts';

type Json = string | number | boolean | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const NOT_OTLP = 'Not an OTLP protobuf trace request';
const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** The spans of an OTLP protobuf request, read once; a LoadError when it is not one or holds no spans. */
export function importOtlpProtobuf(bytes: Uint8Array): TraceCollection {
  const builder = new TraceModelBuilder(otlpJsonImporter.format);
  const reader = new OtlpReader(builder);
  for (const resourceSpans of decodeOtlpProtobuf(bytes).resourceSpans) reader.addResourceSpansValue(resourceSpans);
  reader.finish();
  return buildCollection(builder, 'an OTLP protobuf request');
}

/** Decodes an OTLP ExportTraceServiceRequest (or TracesData) into its OTLP/JSON value; LoadError 'bad-shape' when it is not one. */
export function decodeOtlpProtobuf(bytes: Uint8Array): { readonly resourceSpans: readonly JsonObject[] } {
  const textLike = describeIfText(bytes);
  if (textLike) throw notOtlp(textLike);
  try {
    const request = fromBinary(ExportTraceServiceRequestSchema, bytes);
    const unknownFields = request.$unknown ?? [];
    // Unknown fields are legal protobuf, but with no resource_spans beside them the bytes are something else.
    if (request.resourceSpans.length === 0 && unknownFields.length > 0) {
      const numbers = [...new Set(unknownFields.map((f) => f.no))].slice(0, 8).join(', ');
      throw notOtlp(`it holds no resource_spans (field 1), only field(s) ${numbers} that an ExportTraceServiceRequest does not have`);
    }
    return { resourceSpans: request.resourceSpans.map(resourceSpansJson) };
  } catch (err) {
    if (err instanceof LoadError) throw err;
    throw notOtlp(`the protobuf decoder failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The body of a 200 answer: empty when every span was accepted, else partial_success. */
export function encodeOtlpExportResponse(partial?: { readonly rejectedSpans: number; readonly errorMessage: string }): Uint8Array {
  const partialSuccess = partial && { rejectedSpans: BigInt(partial.rejectedSpans), errorMessage: partial.errorMessage };
  return toBinary(ExportTraceServiceResponseSchema, create(ExportTraceServiceResponseSchema, { partialSuccess }));
}

/**
 * The body of a 4xx/5xx answer: a google.rpc.Status (`code` is a google.rpc.Code, e.g. 3 INVALID_ARGUMENT).
 * `retryAfterSeconds` adds a google.rpc.RetryInfo detail: OTLP exporters retry after that long.
 */
export function encodeRpcStatus(status: { readonly code: number; readonly message: string; readonly retryAfterSeconds?: number }): Uint8Array {
  const retry = status.retryAfterSeconds === undefined ? undefined : create(RetryInfoSchema, { retryDelay: { seconds: BigInt(status.retryAfterSeconds) } });
  const details = retry ? [anyPack(RetryInfoSchema, retry)] : [];
  return toBinary(RpcStatusSchema, create(RpcStatusSchema, { code: status.code, message: status.message, details }));
}

function notOtlp(why: string): LoadError {
  return new LoadError({ kind: 'bad-shape', message: NOT_OTLP, detail: `${NOT_OTLP}: ${why}.` });
}

// JSON posted with the protobuf content type would otherwise fail with a wire-format error that hides the cause.
function describeIfText(bytes: Uint8Array): string | undefined {
  let p = 0;
  while (p < bytes.length && (bytes[p] === 0x20 || bytes[p] === 0x0a || bytes[p] === 0x0d || bytes[p] === 0x09)) p++;
  if (p === bytes.length) return undefined;
  const c = bytes[p];
  return c === 0x7b || c === 0x5b ? `it starts with "${String.fromCharCode(c)}", which looks like JSON (send it as application/json)` : undefined;
}

function hex(id: Uint8Array): string {
  let s = '';
  for (const b of id) s += HEX_BYTE[b];
  return s;
}

function resourceSpansJson(rs: ResourceSpans): JsonObject {
  const out: JsonObject = {};
  if (rs.resource) out.resource = resourceJson(rs.resource);
  if (rs.scopeSpans.length > 0) out.scopeSpans = rs.scopeSpans.map(scopeSpansJson);
  if (rs.instrumentationLibrarySpans.length > 0) out.instrumentationLibrarySpans = rs.instrumentationLibrarySpans.map(librarySpansJson);
  if (rs.schemaUrl) out.schemaUrl = rs.schemaUrl;
  return out;
}

function resourceJson(resource: Resource): JsonObject {
  const out: JsonObject = { attributes: resource.attributes.map(keyValueJson) };
  if (resource.droppedAttributesCount) out.droppedAttributesCount = resource.droppedAttributesCount;
  if (resource.entityRefs.length > 0) out.entityRefs = resource.entityRefs.map(entityRefJson);
  return out;
}

function entityRefJson(ref: EntityRef): JsonObject {
  const out: JsonObject = { type: ref.type, idKeys: ref.idKeys };
  if (ref.schemaUrl) out.schemaUrl = ref.schemaUrl;
  if (ref.descriptionKeys.length > 0) out.descriptionKeys = ref.descriptionKeys;
  return out;
}

function scopeSpansJson(ss: ScopeSpans): JsonObject {
  const out: JsonObject = {};
  if (ss.scope) out.scope = scopeJson(ss.scope);
  out.spans = ss.spans.map(spanJson);
  if (ss.schemaUrl) out.schemaUrl = ss.schemaUrl;
  return out;
}

// OTLP < 0.19: ScopeSpans under its old name; the JSON importer reads the old spelling too.
function librarySpansJson(ils: InstrumentationLibrarySpans): JsonObject {
  const out: JsonObject = {};
  const library = ils.instrumentationLibrary;
  if (library) out.instrumentationLibrary = { name: library.name, version: library.version };
  out.spans = ils.spans.map(spanJson);
  if (ils.schemaUrl) out.schemaUrl = ils.schemaUrl;
  return out;
}

function scopeJson(scope: InstrumentationScope): JsonObject {
  const out: JsonObject = { name: scope.name, version: scope.version };
  if (scope.attributes.length > 0) out.attributes = scope.attributes.map(keyValueJson);
  if (scope.droppedAttributesCount) out.droppedAttributesCount = scope.droppedAttributesCount;
  return out;
}

function spanJson(span: Span): JsonObject {
  const out: JsonObject = {
    traceId: hex(span.traceId),
    spanId: hex(span.spanId),
  };
  if (span.parentSpanId.length > 0) out.parentSpanId = hex(span.parentSpanId);
  if (span.traceState) out.traceState = span.traceState;
  if (span.flags) out.flags = span.flags;
  out.name = span.name;
  out.kind = span.kind;
  out.startTimeUnixNano = span.startTimeUnixNano.toString();
  out.endTimeUnixNano = span.endTimeUnixNano.toString();
  if (span.attributes.length > 0) out.attributes = span.attributes.map(keyValueJson);
  if (span.droppedAttributesCount) out.droppedAttributesCount = span.droppedAttributesCount;
  if (span.events.length > 0) out.events = span.events.map(eventJson);
  if (span.droppedEventsCount) out.droppedEventsCount = span.droppedEventsCount;
  if (span.links.length > 0) out.links = span.links.map(linkJson);
  if (span.droppedLinksCount) out.droppedLinksCount = span.droppedLinksCount;
  if (span.status) out.status = statusJson(span.status);
  return out;
}

function eventJson(event: Span_Event): JsonObject {
  const out: JsonObject = { timeUnixNano: event.timeUnixNano.toString(), name: event.name };
  if (event.attributes.length > 0) out.attributes = event.attributes.map(keyValueJson);
  if (event.droppedAttributesCount) out.droppedAttributesCount = event.droppedAttributesCount;
  return out;
}

function linkJson(link: Span_Link): JsonObject {
  const out: JsonObject = { traceId: hex(link.traceId), spanId: hex(link.spanId) };
  if (link.traceState) out.traceState = link.traceState;
  if (link.attributes.length > 0) out.attributes = link.attributes.map(keyValueJson);
  if (link.droppedAttributesCount) out.droppedAttributesCount = link.droppedAttributesCount;
  if (link.flags) out.flags = link.flags;
  return out;
}

function statusJson(status: Status): JsonObject {
  const out: JsonObject = {};
  if (status.message) out.message = status.message;
  if (status.code) out.code = status.code;
  return out;
}

function keyValueJson(kv: KeyValue): JsonObject {
  return { key: kv.key, value: kv.value ? anyValueJson(kv.value) : {} };
}

function anyValueJson(v: AnyValue): JsonObject {
  const { value } = v;
  switch (value.case) {
    case 'stringValue':
      return { stringValue: value.value };
    case 'boolValue':
      return { boolValue: value.value };
    case 'intValue':
      return { intValue: value.value.toString() };
    case 'doubleValue':
      // proto3 JSON spells the non-finite doubles as strings.
      return { doubleValue: Number.isFinite(value.value) ? value.value : String(value.value) };
    case 'bytesValue':
      return { bytesValue: base64Encode(value.value) };
    case 'arrayValue':
      return { arrayValue: { values: value.value.values.map(anyValueJson) } };
    case 'kvlistValue':
      return { kvlistValue: { values: value.value.values.map(keyValueJson) } };
    default:
      // Empty, or string_value_strindex: profiles only, read as absent as the specification asks.
      return {};
  }
}
