// OTLP protobuf decoding, fed by the real OpenTelemetry JS exporter: spans recorded by
// @opentelemetry/sdk-trace-base 2.12 and serialized by @opentelemetry/otlp-transformer 0.223 (the code
// behind exporter-trace-otlp-proto), decoded here and imported like any OTLP JSON file.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type HrTime } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { assert, describe, expect, it } from 'vitest';
import { randomBytes } from '../model/test-traces.ts';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { dumpCollection } from '../model/dump.ts';
import { epochToBigInt } from '../model/time.ts';
import { LINK_KINDS, SPAN_KINDS, STATUS_CODES, spanName, type TraceModel } from '../model/trace-model.ts';
import { eventNames, resourceAttrs, spanAttrs, spanById } from './fixture-test-helpers.ts';
import { importTraces } from './index.ts';
import { LoadError } from './load-error.ts';
import { OTLP_FLAGS_KEY } from './otlp-json.ts';
import { decodeOtlpProtobuf, encodeOtlpExportResponse, encodeRpcStatus, importOtlpProtobuf } from './otlp-protobuf.ts';
import { StatusSchema as RpcStatusSchema } from './otlp-proto/status_pb.ts';
import { ExportTraceServiceRequestSchema } from './otlp-proto/trace_service_pb.ts';

const SECOND = 1_732_147_200; // 2024-11-21T00:00:00Z
const at = (ms: number, ns = 0): HrTime => [SECOND + Math.floor(ms / 1000), (ms % 1000) * 1_000_000 + ns];
const epochNs = (ms: number, ns = 0) => BigInt(SECOND) * 1_000_000_000n + BigInt(ms) * 1_000_000n + BigInt(ns);
// A remote parent (W3C traceparent received over HTTP) and a span in another trace to link to.
const REMOTE = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED, isRemote: true };
const LINKED = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED, traceState: undefined };

/** A checkout request as the OpenTelemetry JS SDK records it: server → client → internal error, plus a producer. */
function recordSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'service.version': '1.4.2', 'deployment.environment.name': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('checkout-handlers', '0.9.0');
  const remoteParent = trace.setSpanContext(ROOT_CONTEXT, REMOTE);

  const server = tracer.startSpan('POST /api/orders', { kind: SpanKind.SERVER, startTime: at(0, 123), attributes: { 'http.request.method': 'POST', 'http.response.status_code': 201 } }, remoteParent);
  const underServer = trace.setSpan(ROOT_CONTEXT, server);
  const client = tracer.startSpan('charge', {
    kind: SpanKind.CLIENT,
    startTime: at(5, 7),
    attributes: { 'order.total_amount': 129.95, 'order.item_count': 3, 'order.gift': false, 'order.skus': ['A-1', 'B-2'], 'order.quantities': [1, 2], 'customer.tier': 'gold' },
    links: [{ context: LINKED, attributes: { 'link.reason': 'batch' } }],
  }, underServer);
  const retry = tracer.startSpan('retry-charge', { startTime: at(10) }, trace.setSpan(ROOT_CONTEXT, client));
  retry.addEvent('exception', { 'exception.type': 'CardDeclined', 'exception.message': 'card declined' }, at(15, 1));
  retry.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
  retry.end(at(20));
  client.end(at(30, 999_999));
  const publish = tracer.startSpan('order-events publish', { kind: SpanKind.PRODUCER, startTime: at(31) }, underServer);
  publish.end(at(32));
  server.setStatus({ code: SpanStatusCode.OK });
  server.end(at(40, 500));
  return exporter.getFinishedSpans();
}

function importProtobuf(bytes: Uint8Array): TraceModel {
  const collection = importOtlpProtobuf(bytes);
  // The value path gives what parsing the same value as OTLP/JSON text gives.
  expect(dumpCollection(collection)).toBe(dumpCollection(importTraces(new TextEncoder().encode(JSON.stringify(decodeOtlpProtobuf(bytes))))));
  expect(collection.format).toBe('otlp-json');
  expect(collection.traces).toHaveLength(1);
  return collection.traces[0];
}

function absoluteStart(m: TraceModel, i: number): bigint {
  return epochToBigInt(m.traceStart) + BigInt(m.startNs[i]);
}

function catchLoadError(bytes: Uint8Array): LoadError {
  try {
    decodeOtlpProtobuf(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(LoadError);
    return err as LoadError;
  }
  throw new Error('expected a LoadError');
}

describe('importOtlpProtobuf with payloads from the OpenTelemetry JS exporter', () => {
  const spans = recordSpans();
  const id = (name: string) => spans.find((s) => s.name === name)?.spanContext().spanId ?? `no span ${name}`;
  const protobuf = ProtobufTraceSerializer.serializeRequest(spans);
  assert(protobuf);

  it('keeps ids, parents, names, kinds, status, flags and nanosecond times exact', () => {
    const m = importProtobuf(protobuf);
    expect(m.traceId).toBe(REMOTE.traceId);
    expect(m.spanCount).toBe(4);
    const server = spanById(m, id('POST /api/orders'));
    const client = spanById(m, id('charge'));
    const retry = spanById(m, id('retry-charge'));
    const publish = spanById(m, id('order-events publish'));
    // The server's parent arrived over the wire and is not in the file: an orphan root that keeps its parent id.
    expect(m.parentSpanIds[server]).toBe(REMOTE.spanId);
    expect(m.parent[client]).toBe(server);
    expect(m.parent[retry]).toBe(client);
    expect(m.parent[publish]).toBe(server);
    expect([server, client, retry, publish].map((i) => spanName(m, i))).toEqual(['POST /api/orders', 'charge', 'retry-charge', 'order-events publish']);
    expect([server, client, retry, publish].map((i) => SPAN_KINDS[m.kind[i]])).toEqual(['server', 'client', 'internal', 'producer']);
    expect([server, client, retry].map((i) => STATUS_CODES[m.status[i]])).toEqual(['ok', 'unset', 'error']);
    expect(m.statusMessage.get(retry)).toBe('card declined');
    expect(absoluteStart(m, server)).toBe(epochNs(0, 123));
    expect(absoluteStart(m, client)).toBe(epochNs(5, 7));
    expect(m.durationNs[client]).toBe(25_999_992);
    expect(m.durationNs[server]).toBe(40_000_377);
    // Sampled (1) with a known-remote (0x100) remote (0x200) parent; local parents: known, not remote.
    expect(spanAttrs(m, server)[OTLP_FLAGS_KEY]).toBe(0x301);
    expect(spanAttrs(m, client)[OTLP_FLAGS_KEY]).toBe(0x101);
  });

  it('keeps attributes of every type, events, links, resource and scope', () => {
    const m = importProtobuf(protobuf);
    const client = spanById(m, id('charge'));
    expect(spanAttrs(m, client)).toMatchObject({
      'order.total_amount': 129.95,
      'order.item_count': 3,
      'order.gift': false,
      'order.skus': ['A-1', 'B-2'],
      'order.quantities': [1, 2],
      'customer.tier': 'gold',
    });
    expect(spanAttrs(m, spanById(m, id('POST /api/orders')))).toMatchObject({ 'http.request.method': 'POST', 'http.response.status_code': 201 });
    expect(resourceAttrs(m, client)).toMatchObject({ 'service.name': 'checkout', 'service.version': '1.4.2', 'deployment.environment.name': 'test' });
    expect(m.stores.strings.get(m.serviceId[client])).toBe('checkout');
    expect(m.stores.scopes[m.scopeId[client]]).toMatchObject({ name: 'checkout-handlers', version: '0.9.0' });

    const retry = spanById(m, id('retry-charge'));
    expect(eventNames(m, retry)).toEqual(['exception']);
    const ev = m.eventStart[retry];
    expect(BigInt(m.stores.events.timeMs[ev]) * 1_000_000n + BigInt(m.stores.events.timeNsOfMs[ev])).toBe(epochNs(15, 1));
    expect(m.stores.attributes.read(m.stores.events.attrStart[ev], m.stores.events.attrCount[ev]).map((a) => [a.key, a.value])).toEqual([
      ['exception.type', 'CardDeclined'],
      ['exception.message', 'card declined'],
    ]);

    const links = m.stores.links;
    const link = m.linkStart[client];
    expect(m.linkCount[client]).toBe(1);
    expect([links.traceId[link], links.spanId[link], LINK_KINDS[links.kind[link]]]).toEqual([LINKED.traceId, LINKED.spanId, 'link']);
    expect(m.stores.attributes.read(links.attrStart[link], links.attrCount[link]).map((a) => [a.key, a.value])).toEqual([
      ['link.reason', 'batch'],
      [OTLP_FLAGS_KEY, 0x101],
    ]);
  });

  it('gives the same model as the exporter’s JSON serialization', () => {
    const fromProtobuf = importOtlpProtobuf(protobuf);
    const json = JsonTraceSerializer.serializeRequest(spans);
    assert(json);
    const fromJson = importTraces(json);
    expect(dumpCollection(fromProtobuf)).toBe(dumpCollection(fromJson));
  });

  it('writes OTLP/JSON: hex ids, int64 as decimal strings, enums as numbers', () => {
    const json = decodeOtlpProtobuf(protobuf) as unknown as { resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[] };
    const span = json.resourceSpans[0].scopeSpans[0].spans.find((s: { name: string }) => s.name === 'POST /api/orders');
    expect(span).toMatchObject({
      traceId: REMOTE.traceId,
      parentSpanId: REMOTE.spanId,
      kind: 2,
      startTimeUnixNano: epochNs(0, 123).toString(),
      status: { code: 1 },
      attributes: [
        { key: 'http.request.method', value: { stringValue: 'POST' } },
        { key: 'http.response.status_code', value: { intValue: '201' } },
      ],
    });
  });
});

describe('importOtlpProtobuf: values the JS SDK never sends', () => {
  it('keeps int64 beyond 2^53 exact, bytes as base64, nested values and the pre-0.19 instrumentation_library_spans', () => {
    const big = 9_223_372_036_854_775_807n;
    const span = {
      traceId: new Uint8Array(16).fill(0xab),
      spanId: new Uint8Array(8).fill(0xcd),
      name: 'legacy',
      startTimeUnixNano: 1_732_147_200_123_456_789n,
      endTimeUnixNano: 1_732_147_200_223_456_789n,
      attributes: [
        { key: 'big', value: { value: { case: 'intValue' as const, value: big } } },
        { key: 'raw', value: { value: { case: 'bytesValue' as const, value: new Uint8Array([0, 1, 254, 255]) } } },
        { key: 'map', value: { value: { case: 'kvlistValue' as const, value: { values: [{ key: 'a', value: { value: { case: 'doubleValue' as const, value: 1.5 } } }] } } } },
      ],
    };
    const request = create(ExportTraceServiceRequestSchema, {
      resourceSpans: [{ instrumentationLibrarySpans: [{ instrumentationLibrary: { name: 'old-lib', version: '0.1' }, spans: [span] }] }],
    });
    const m = importProtobuf(toBinary(ExportTraceServiceRequestSchema, request));
    expect(m.spanIds[0]).toBe('cdcdcdcdcdcdcdcd');
    expect(m.traceId).toBe('ab'.repeat(16));
    expect(absoluteStart(m, 0)).toBe(1_732_147_200_123_456_789n);
    expect(spanAttrs(m, 0)).toEqual({ big, raw: 'AAH+/w==', map: { a: 1.5 } });
    expect(m.stores.scopes[m.scopeId[0]]).toMatchObject({ name: 'old-lib', version: '0.1' });
  });

  it('reads an empty request as no resource spans, and imports it as no spans', () => {
    expect(decodeOtlpProtobuf(new Uint8Array())).toEqual({ resourceSpans: [] });
    expect(() => importOtlpProtobuf(new Uint8Array())).toThrow(expect.objectContaining({ info: expect.objectContaining({ kind: 'no-spans' }) }));
  });
});

describe('decodeOtlpProtobuf on bytes that are not an OTLP request', () => {
  const valid = ProtobufTraceSerializer.serializeRequest(recordSpans());
  assert(valid);

  it('rejects a truncated request', () => {
    const err = catchLoadError(valid.subarray(0, valid.length - 10));
    expect(err.info.kind).toBe('bad-shape');
    expect(err.message).toBe('Not an OTLP protobuf trace request');
    expect(err.info.detail).toMatch(/^Not an OTLP protobuf trace request: the protobuf decoder failed: .+/);
  });

  it('rejects random bytes', () => {
    expect(catchLoadError(randomBytes(4096, 1)).info.kind).toBe('bad-shape');
  });

  it('rejects well-formed protobuf of another message', () => {
    // Field 5 (varint 1) and field 7 (a string): valid wire format, no resource_spans.
    const err = catchLoadError(new Uint8Array([0x28, 0x01, 0x3a, 0x02, 0x68, 0x69]));
    expect(err.info.detail).toContain('only field(s) 5, 7');
  });

  it('says so when JSON was sent as protobuf', () => {
    const json = JsonTraceSerializer.serializeRequest(recordSpans());
    assert(json);
    const err = catchLoadError(json);
    expect(err.info.kind).toBe('bad-shape');
    expect(err.info.detail).toContain('looks like JSON (send it as application/json)');
  });
});

describe('the receiver’s protobuf answers', () => {
  it('encodes ExportTraceServiceResponse as the OpenTelemetry exporter reads it', () => {
    expect(encodeOtlpExportResponse()).toEqual(new Uint8Array());
    const response = ProtobufTraceSerializer.deserializeResponse(encodeOtlpExportResponse({ rejectedSpans: 3, errorMessage: '3 spans without ids' }));
    expect(response.partialSuccess).toMatchObject({ errorMessage: '3 spans without ids' });
    expect(Number(response.partialSuccess?.rejectedSpans)).toBe(3);
  });

  it('encodes google.rpc.Status', () => {
    const status = fromBinary(RpcStatusSchema, encodeRpcStatus({ code: 3, message: 'Not an OTLP protobuf trace request' }));
    expect([status.code, status.message, status.details]).toEqual([3, 'Not an OTLP protobuf trace request', []]);
  });
});
