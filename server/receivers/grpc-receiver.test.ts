// The OTLP/gRPC receiver on its own port, fed by the OpenTelemetry JS SDK's own gRPC exporter
// (@opentelemetry/exporter-trace-otlp-grpc, which brings its own grpc-js client) and, for what an SDK never
// sends, by raw grpc-js calls (and, for one trace over all four receivers, the OTLP/HTTP and Zipkin exporters
// and the real dd-trace); the received trace is read back through the API.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fromBinary } from '@bufbuild/protobuf';
import { anyUnpack } from '@bufbuild/protobuf/wkt';
import * as grpc from '@grpc/grpc-js';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpGrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterEach, describe, expect, it } from 'vitest';
import { RetryInfoSchema } from '../../src/core/import/otlp-proto/error_details_pb.ts';
import { StatusSchema } from '../../src/core/import/otlp-proto/status_pb.ts';
import { ddTraceEnv } from '../../fixtures/generated/datadog/dd-trace-env.mjs';
import { NO_AUTH } from '../access-config.ts';
import { DEFAULT_RECEIVERS, type ReceiverConfig } from '../config.ts';
import { startServer, type RunningServer } from '../start-server.ts';
import { freePort, tempDataDir, testConfig, type TestConfigOverrides } from '../test-server.ts';
import { exportOverGrpc, exportWith, readReceivedTrace, recordSpans } from './receiver-test-helpers.ts';

const running: RunningServer[] = [];
afterEach(async () => Promise.all(running.splice(0).map((s) => s.close())));

/** A whole server (startServer) with the gRPC receiver on a free port and OTLP/HTTP on the main port. */
async function serve(receivers: Partial<ReceiverConfig> = {}, overrides: TestConfigOverrides = {}) {
  const otlpGrpcPort = await freePort();
  const server = await startServer(
    testConfig(tempDataDir(), { ...overrides, receivers: { ...DEFAULT_RECEIVERS, otlpHttpPort: 0, zipkinPort: 0, datadogPort: 0, otlpGrpcPort, ...receivers } }),
    false,
  );
  running.push(server);
  const grpcUrl = server.receiverUrls['otlp-grpc'];
  expect(grpcUrl).toBe(`http://127.0.0.1:${otlpGrpcPort}`);
  return { server, grpcUrl };
}

/** Runs the real dd-trace (dd-trace-continue.mjs) to add one span to the trace of `traceparent`; its ids. */
function continueWithDdTrace(agentUrl: string, traceparent: string): Promise<{ traceId128: string; spanId: string }> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'dd-trace-continue.mjs'), traceparent], { env: ddTraceEnv(agentUrl), stdio: ['ignore', 'pipe', 'inherit'] });
  let ids = '';
  child.stdout.on('data', (chunk: Buffer) => (ids += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(ids) as { traceId128: string; spanId: string }) : reject(new Error(`dd-trace exited with ${code}`))));
  });
}

/** The google.rpc.Status a failed call carries in grpc-status-details-bin. */
function statusDetails(error: grpc.ServiceError | undefined) {
  const bin = error?.metadata.get('grpc-status-details-bin')[0];
  if (!(bin instanceof Buffer)) throw new Error(`The call's error carries no grpc-status-details-bin: ${error?.message}`);
  return fromBinary(StatusSchema, bin);
}

describe('OTLP/gRPC receiver', () => {
  it.each([
    ['gzip', 'gzip'],
    ['no', 'none'],
  ])('takes the JS SDK gRPC exporter (%s compression): two services, two requests, one trace with exact ids', async (_label, compression) => {
    const { server, grpcUrl } = await serve();
    const checkout = recordSpans('checkout');
    const charge = recordSpans('payments', checkout[0]);
    // The exporter's own grpc-js; `url` as OTEL_EXPORTER_OTLP_ENDPOINT would give it.
    const exporter = new OtlpGrpcExporter({ url: grpcUrl, compression: compression as never });
    expect((await exportWith(exporter, checkout)).code).toBe(ExportResultCode.SUCCESS);
    expect((await exportWith(exporter, charge)).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();

    // Acknowledged means committed: the trace reads back at once.
    const model = await readReceivedTrace(server.url, checkout[0].spanContext().traceId);
    expect(model.spanCount).toBe(2);
    expect(model.orphanCount).toBe(0);
    expect([...model.spanIds]).toEqual([checkout[0].spanContext().spanId, charge[0].spanContext().spanId]);
    expect(model.parent[1]).toBe(0);
    expect([model.stores.strings.get(model.serviceId[0]), model.stores.strings.get(model.serviceId[1])]).toEqual(['checkout', 'payments']);
    expect(model.stores.attributes.find(model.attrStart[0], model.attrCount[0], 'order.item_count')).toBe(3);
    expect(model.stores.attributes.find(model.attrStart[1], model.attrCount[1], 'order.id')).toBe('o-1');
    expect(model.eventCount[0]).toBe(1);
  });

  it('takes an exporter configured the tutorial way: OTEL_EXPORTER_OTLP_ENDPOINT=http://…:4317 and nothing else', async () => {
    const { server, grpcUrl } = await serve();
    const before = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = grpcUrl;
    try {
      const exporter = new OtlpGrpcExporter();
      const spans = recordSpans('checkout');
      expect((await exportWith(exporter, spans)).code).toBe(ExportResultCode.SUCCESS);
      expect((await readReceivedTrace(server.url, spans[0].spanContext().traceId)).spanCount).toBe(1);
      // Left connected on purpose: closing the server must not wait for the client to hang up.
      const closing = Date.now();
      await server.close();
      running.splice(running.indexOf(server), 1);
      expect(Date.now() - closing).toBeLessThan(2000);
      await exporter.shutdown();
    } finally {
      if (before === undefined) delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
      else process.env.OTEL_EXPORTER_OTLP_ENDPOINT = before;
    }
  });

  it('joins spans of one trace sent over gRPC, OTLP/HTTP, Zipkin and the Datadog agent intake into one trace', async () => {
    const { server, grpcUrl } = await serve();
    const checkout = recordSpans('checkout');
    const charge = recordSpans('payments', checkout[0]);
    const ledger = recordSpans('ledger', charge[0]);
    const overHttp = new OtlpProtoExporter({ url: `${server.url}/v1/traces` });
    const overZipkin = new ZipkinExporter({ url: `${server.url}/api/v2/spans` });
    const overGrpc = new OtlpGrpcExporter({ url: grpcUrl });
    // Leaves first: the trace is assembled whatever the order. The real dd-trace continues the trace from
    // the ledger span's traceparent; its msgpack carries the low 64 bits as a uint64 trace_id and the high
    // ones in meta._dd.p.tid, which the intake joins back into the 128-bit id.
    const ledgerContext = ledger[0].spanContext();
    const audit = await continueWithDdTrace(server.url, `00-${ledgerContext.traceId}-${ledgerContext.spanId}-01`);
    expect(audit.traceId128).toBe(ledgerContext.traceId);
    expect((await exportWith(overZipkin, ledger)).code).toBe(ExportResultCode.SUCCESS);
    expect((await exportWith(overHttp, charge)).code).toBe(ExportResultCode.SUCCESS);
    expect((await exportWith(overGrpc, checkout)).code).toBe(ExportResultCode.SUCCESS);
    await Promise.all([overHttp.shutdown(), overZipkin.shutdown(), overGrpc.shutdown()]);
    const model = await readReceivedTrace(server.url, checkout[0].spanContext().traceId);
    expect([model.spanCount, model.orphanCount]).toEqual([4, 0]);
    expect([...model.spanIds]).toEqual([...[checkout, charge, ledger].map((spans) => spans[0].spanContext().spanId), audit.spanId]);
    expect([...model.parent]).toEqual([-1, 0, 1, 2]);
    expect(model.stores.strings.get(model.serviceId[3])).toBe('audit');
  }, 30_000);

  it('answers an empty ExportTraceServiceResponse, and partial_success when the span limit refuses spans', async () => {
    const { grpcUrl } = await serve({}, { limits: { spansPerTrace: 1 } });
    const checkout = recordSpans('checkout');
    const first = await exportOverGrpc(grpcUrl, ProtobufTraceSerializer.serializeRequest(checkout) ?? new Uint8Array());
    expect(first.error).toBeUndefined();
    expect(first.response?.byteLength).toBe(0);

    // Another span of the same trace: over the one-span limit.
    const again = await exportOverGrpc(grpcUrl, ProtobufTraceSerializer.serializeRequest(recordSpans('payments', checkout[0])) ?? new Uint8Array(), { gzip: true });
    expect(again.error).toBeUndefined();
    const response = ProtobufTraceSerializer.deserializeResponse(new Uint8Array(again.response ?? []));
    expect(Number(response.partialSuccess?.rejectedSpans)).toBe(1);
    expect(response.partialSuccess?.errorMessage).toMatch(/exceed 1 spans/);

    const empty = await exportOverGrpc(grpcUrl, new Uint8Array());
    expect([empty.error, empty.response?.byteLength]).toEqual([undefined, 0]);
  });

  it('answers INVALID_ARGUMENT for a message that is not an ExportTraceServiceRequest', async () => {
    const { grpcUrl } = await serve({ maxInFlight: 1 });
    for (const bytes of [new Uint8Array([0x0a, 0xff, 0xff, 0x01, 0x02]), new TextEncoder().encode('{"resourceSpans":[]}')]) {
      const { error } = await exportOverGrpc(grpcUrl, bytes);
      expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(error?.details).toMatch(/^Not an OTLP protobuf trace request: /);
      expect(statusDetails(error)).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, message: error?.details });
    }
  });

  it('answers RESOURCE_EXHAUSTED for a message over receivers.grpcMaxMessageBytes, as sent or once gunzipped', async () => {
    // maxInFlight 1: every refusal must free its slot, or the calls after it would get UNAVAILABLE.
    const { server, grpcUrl } = await serve({ grpcMaxMessageBytes: 4096, maxInFlight: 1 });
    // A real request padded to 5,000 bytes with a long attribute value: it deflates to far under the limit.
    const spans = recordSpans('checkout');
    spans[0].attributes['padding'] = 'x'.repeat(5000);
    const request = ProtobufTraceSerializer.serializeRequest(spans) ?? new Uint8Array();
    expect(request.byteLength).toBeGreaterThan(4096);
    expect(gzipSync(request).byteLength).toBeLessThan(4096);

    const plain = await exportOverGrpc(grpcUrl, request);
    expect(plain.error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(plain.error?.details).toMatch(/Received message larger than max \(\d+ vs 4096\)/);
    const gzipped = await exportOverGrpc(grpcUrl, request, { gzip: true });
    expect(gzipped.error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(gzipped.error?.details).toBe('Received message that decompresses to a size larger than 4096');
    // The SDK exporter's gzip reaches the server as gzip: only an inflated message can be over the limit.
    const exporter = new OtlpGrpcExporter({ url: grpcUrl, compression: 'gzip' as never });
    expect((await exportWith(exporter, spans)).error?.message).toMatch(/RESOURCE_EXHAUSTED: Received message that decompresses to a size larger than 4096/);
    await exporter.shutdown();

    // Nothing of it was stored, and the receiver still takes a request under the limit.
    const traceId = spans[0].spanContext().traceId;
    expect((await fetch(`${server.url}/api/backends/local/traces/${traceId}`)).status).toBe(404);
    const small = recordSpans('checkout');
    expect((await exportOverGrpc(grpcUrl, ProtobufTraceSerializer.serializeRequest(small) ?? new Uint8Array(), { gzip: true })).error).toBeUndefined();
    expect((await readReceivedTrace(server.url, small[0].spanContext().traceId)).spanCount).toBe(1);
  });

  it('answers UNAVAILABLE with google.rpc.RetryInfo when receivers.maxInFlight requests are already in flight', async () => {
    const { grpcUrl } = await serve({ maxInFlight: 0 });
    const { error } = await exportOverGrpc(grpcUrl, ProtobufTraceSerializer.serializeRequest(recordSpans('checkout')) ?? new Uint8Array());
    expect(error?.code).toBe(grpc.status.UNAVAILABLE);
    expect(error?.details).toMatch(/^0 requests \(0 KiB\) are already being received, the limit is 0 requests or \d+ KiB; retry shortly$/);
    const status = statusDetails(error);
    expect(status.code).toBe(grpc.status.UNAVAILABLE);
    const retryInfo = status.details.map((d) => anyUnpack(d, RetryInfoSchema)).find((r) => r !== undefined);
    expect(retryInfo?.retryDelay?.seconds).toBe(1n);
  });

  it('with auth.receivers, answers UNAUTHENTICATED unless the authorization metadata carries the bearer token', async () => {
    const { server, grpcUrl } = await serve({}, { auth: { ...NO_AUTH, receivers: { type: 'bearer', token: 'intake-token' } } });
    const spans = recordSpans('checkout');
    const request = ProtobufTraceSerializer.serializeRequest(spans) ?? new Uint8Array();
    const wrong = new grpc.Metadata();
    wrong.set('authorization', 'Bearer guessed');
    for (const metadata of [new grpc.Metadata(), wrong]) {
      const { error } = await exportOverGrpc(grpcUrl, request, { metadata });
      expect(error?.code).toBe(grpc.status.UNAUTHENTICATED);
      expect(error?.details).toMatch(/need a bearer token .*auth\.receivers\.bearer/);
    }
    // What OTEL_EXPORTER_OTLP_HEADERS=authorization=Bearer%20… gives the SDK's exporter.
    const token = new grpc.Metadata();
    token.set('authorization', 'Bearer intake-token');
    const exporter = new OtlpGrpcExporter({ url: grpcUrl, metadata: token });
    expect((await exportWith(exporter, spans)).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
    expect((await readReceivedTrace(server.url, spans[0].spanContext().traceId)).spanCount).toBe(1);
  });

  it('is out of a web page’s reach: an HTTP/1.1 request to the gRPC port gets no answer', async () => {
    const { grpcUrl } = await serve();
    await expect(fetch(`${grpcUrl}/v1/traces`, { method: 'POST', body: '{}' })).rejects.toThrow();
  });

  it('leaves the gRPC receiver off, with the rest of the server up, when its port is taken', async () => {
    const first = await serve();
    const port = Number(new URL(first.grpcUrl).port);
    const second = await startServer(testConfig(tempDataDir(), { receivers: { ...DEFAULT_RECEIVERS, otlpHttpPort: 0, zipkinPort: 0, datadogPort: 0, otlpGrpcPort: port } }), false);
    running.push(second);
    expect(second.receiverUrls['otlp-grpc']).toBeUndefined();
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
  });
});
