// The receivers fed by the real exporters over real HTTP: the OpenTelemetry OTLP/HTTP protobuf exporter
// and the OpenTelemetry Zipkin exporter point at a listening server; Datadog payloads are the bytes the
// real dd-trace 5 sent (fixtures/generated/datadog). Then the received trace is read back through the API.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fromBinary } from '@bufbuild/protobuf';
import { encode } from '@msgpack/msgpack';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterEach, describe, expect, it } from 'vitest';
import { StatusSchema } from '../../src/core/import/otlp-proto/status_pb.ts';
import { createEmbeddedBackend } from '../backends/embedded.ts';
import { buildServer } from '../app.ts';
import { LiveTraces } from '../store/live-traces.ts';
import { inProcessIntake, type SpanIntake } from './ingest.ts';
import { IntakeAdmission } from './intake-admission.ts';
import { TraceStore } from '../store/trace-store.ts';
import { PROJECT_DIR, REAL_FIXTURES, tempDataDir, testConfig } from '../test-server.ts';
import { exportWith, readReceivedTrace, recordSpans } from './receiver-test-helpers.ts';

const DD_FIXTURES = join(PROJECT_DIR, 'fixtures', 'generated', 'datadog');
const closers: (() => Promise<void>)[] = [];
afterEach(async () => Promise.all(closers.splice(0).map((c) => c())));

async function receiver({ spansPerTrace = 1_000_000, maxInFlight = 64, intakeOf = inProcessIntake } = {}) {
  const dataDir = tempDataDir();
  const config = testConfig(dataDir);
  const store = new TraceStore(dataDir);
  const live = new LiveTraces(store, { quietMs: 5000, spansPerTrace, maxTraces: 1000, maxBytes: 1e9 });
  const app = await buildServer({
    config,
    store,
    backends: new Map([['local', createEmbeddedBackend('local', store, live)]]),
    logger: false,
    receivers: { intake: intakeOf(live), limits: config.limits, admission: new IntakeAdmission(maxInFlight, 64 * 1024 * 1024, 60_000) },
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  closers.push(async () => {
    await app.close();
    store.close();
  });
  const readBack = (traceId: string) => readReceivedTrace(url, traceId);
  return { app, url, live, readBack };
}

describe('OTLP/HTTP receiver', () => {
  it('takes the real OTLP protobuf exporter in two requests from two services and joins them into one trace', async () => {
    const { url, readBack } = await receiver();
    const checkout = recordSpans('checkout');
    const charge = recordSpans('payments', checkout[0]);
    const exporter = new OTLPTraceExporter({ url: `${url}/v1/traces`, compression: 'gzip' as never });
    expect((await exportWith(exporter, checkout)).code).toBe(ExportResultCode.SUCCESS);
    expect((await exportWith(exporter, charge)).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();

    const traceId = checkout[0].spanContext().traceId.padStart(32, '0');
    const model = await readBack(traceId);
    expect(model.spanCount).toBe(2);
    expect(model.orphanCount).toBe(0);
    expect(model.spanIds[0]).toBe(checkout[0].spanContext().spanId);
    expect(model.spanIds[1]).toBe(charge[0].spanContext().spanId);
    expect(model.parent[1]).toBe(0);
    expect(model.stores.strings.get(model.serviceId[1])).toBe('payments');
    expect(model.stores.attributes.find(model.attrStart[0], model.attrCount[0], 'order.item_count')).toBe(3);
    expect(model.eventCount[0]).toBe(1);
  });

  it('answers protobuf with an empty ExportTraceServiceResponse, JSON with {}; partial success when spans are refused', async () => {
    const { url } = await receiver({ spansPerTrace: 1 });
    const spans = recordSpans('checkout');
    const proto = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array<ArrayBuffer> });
    expect(proto.status).toBe(200);
    expect(proto.headers.get('content-type')).toBe('application/x-protobuf');
    expect((await proto.arrayBuffer()).byteLength).toBe(0);

    // Another span of the same trace: over the one-span limit → partial success naming the rejected count.
    const child = recordSpans('payments', spans[0]);
    const again = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: ProtobufTraceSerializer.serializeRequest(child) as Uint8Array<ArrayBuffer> });
    const response = ProtobufTraceSerializer.deserializeResponse(new Uint8Array(await again.arrayBuffer()));
    expect(again.status).toBe(200);
    expect(Number(response.partialSuccess?.rejectedSpans)).toBe(1);
    expect(response.partialSuccess?.errorMessage).toMatch(/exceed 1 spans/);
  });

  it('decodes gzip bodies by Content-Encoding and rejects malformed payloads with a google.rpc.Status', async () => {
    const { url, readBack } = await receiver();
    const spans = recordSpans('checkout');
    const json = await fetch(`${url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JsonTraceSerializer.serializeRequest(spans) ?? new Uint8Array()),
    });
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({});
    expect((await readBack(spans[0].spanContext().traceId)).spanCount).toBe(1);

    const garbage = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array([0x0a, 0xff, 0xff, 0x01, 0x02]) });
    expect(garbage.status).toBe(400);
    const status = fromBinary(StatusSchema, new Uint8Array(await garbage.arrayBuffer()));
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/Not an OTLP protobuf trace request/);

    const badJson = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"resourceSpans": [' });
    expect(badJson.status).toBe(400);
    expect((await badJson.json()).code).toBe(3);
  });

  it('answers 503 with Retry-After when too many requests are in flight: a request holds its slot until it is answered', async () => {
    let arrived: () => void = () => {};
    const inIntake = new Promise<void>((resolve) => (arrived = resolve));
    let store: () => void = () => {};
    const stored = new Promise<void>((resolve) => (store = resolve));
    let calls = 0;
    // The first request waits in the intake until the test lets it be stored; the others go through.
    const intakeOf = (live: LiveTraces): SpanIntake => ({
      receive: async (request) => {
        if (calls++ === 0) {
          arrived();
          await stored;
        }
        return inProcessIntake(live).receive(request);
      },
    });
    const { url } = await receiver({ maxInFlight: 1, intakeOf });
    const post = () => fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const first = post();
    await inIntake;
    // The first request's body is read whole and it waits in the intake: it still holds the one slot.
    const second = await post();
    store();
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('1');
    expect((await second.json()).detail).toMatch(/^1 requests \(0 KiB\) are already being received, the limit is 1 requests/);
    expect((await first).status).toBe(200);
    expect((await post()).status).toBe(200);
  });
});

describe('Zipkin receiver', () => {
  it('takes the real OpenTelemetry Zipkin exporter and keeps the parent link across requests', async () => {
    const { url, readBack } = await receiver();
    const checkout = recordSpans('checkout');
    const charge = recordSpans('payments', checkout[0]);
    const exporter = new ZipkinExporter({ url: `${url}/api/v2/spans` });
    expect((await exportWith(exporter, charge)).code).toBe(ExportResultCode.SUCCESS); // child first
    expect((await exportWith(exporter, checkout)).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
    const model = await readBack(checkout[0].spanContext().traceId);
    expect(model.spanCount).toBe(2);
    expect(model.spanIds[0]).toBe(checkout[0].spanContext().spanId);
    expect(model.parent[1]).toBe(0);
    expect(model.stores.strings.get(model.serviceId[1])).toBe('payments');
  });

  it('accepts an empty list, and answers 400 for a body that is not a list of Zipkin v2 spans', async () => {
    const { url } = await receiver();
    const post = (body: string) => fetch(`${url}/api/v2/spans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await post('[]')).status).toBe(202);
    const otlp = await post(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [] }] }] }));
    expect([otlp.status, (await otlp.json()).error]).toEqual([400, 'Not a zipkin-v2 payload']);
    const v1 = await post(`[${readFileSync(join(REAL_FIXTURES, 'zipkin-v1', 'zipkin__benchmarks-span-rpc-v1.json'), 'utf8')}]`);
    expect([v1.status, (await v1.json()).error]).toEqual([400, 'Not a zipkin-v2 payload']);
    const broken = await post('[{"traceId": "ab"');
    expect([broken.status, (await broken.json()).error]).toEqual([400, 'Invalid JSON at line 1, column 18']);
  });
});

describe('Datadog intake', () => {
  it.each(['0.4', '0.5'])('takes what dd-trace 5 sent with protocol v%s, 64-bit ids exact', async (protocol) => {
    const { url, readBack } = await receiver();
    const body = readFileSync(join(DD_FIXTURES, `dd-trace-5.132.0__v${protocol}.msgpack`));
    const ids = JSON.parse(readFileSync(join(DD_FIXTURES, `dd-trace-5.132.0__v${protocol}.ids.json`), 'utf8')) as { spans: Record<string, { traceId128: string; spanId: string }> };
    const res = await fetch(`${url}/v${protocol}/traces`, { method: 'PUT', headers: { 'content-type': 'application/msgpack' }, body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ rate_by_service: { 'service:,env:': 1 } });
    const { traceId128, spanId } = ids.spans.charge;
    const model = await readBack(traceId128);
    const expectedHex = BigInt(spanId).toString(16).padStart(16, '0');
    expect(model.spanIds).toContain(expectedHex);
    expect(BigInt(spanId)).toBeGreaterThan(2n ** 53n);
  });
  it('accepts an empty payload, and answers 400 for msgpack that holds no Datadog span', async () => {
    const { url } = await receiver();
    const put = (body: Uint8Array) => fetch(`${url}/v0.4/traces`, { method: 'PUT', headers: { 'content-type': 'application/msgpack' }, body: body as Uint8Array<ArrayBuffer> });
    expect((await put(encode([]))).status).toBe(200);
    expect((await put(encode([[], []]))).status).toBe(200);
    const noIds = await put(encode([[{ name: 'no ids', service: 'a' }]]));
    expect([noIds.status, (await noIds.json()).error]).toEqual([400, 'Not Datadog agent traces']);
    const map = await put(encode({ traces: [] }));
    expect([map.status, (await map.json()).error]).toEqual([400, 'Not a Datadog agent msgpack trace payload']);
  });
});
