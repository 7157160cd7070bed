// The intake as a whole server runs it (startServer: the intake worker behind the HTTP and gRPC
// receivers): an exporter's retry stores nothing twice, a changed span with the same ids is kept and
// flagged, and back-pressure counts bytes in flight across every receiver.
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RECEIVERS, type ReceiverConfig } from '../config.ts';
import { startServer, type RunningServer } from '../start-server.ts';
import { freePort, tempDataDir, testConfig } from '../test-server.ts';
import { exportOverGrpc, exportWith, readReceivedTrace, recordSpans } from './receiver-test-helpers.ts';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => Promise.all(closers.splice(0).map((c) => c())));

async function serve(receivers: Partial<ReceiverConfig> = {}): Promise<{ server: RunningServer; grpcUrl: string }> {
  const otlpGrpcPort = await freePort();
  const server = await startServer(testConfig(tempDataDir(), { receivers: { ...DEFAULT_RECEIVERS, otlpHttpPort: 0, zipkinPort: 0, datadogPort: 0, otlpGrpcPort, ...receivers } }), false);
  closers.push(() => server.close());
  return { server, grpcUrl: server.receiverUrls['otlp-grpc'] };
}

const body = (spans: ReadableSpan[]) => ProtobufTraceSerializer.serializeRequest(spans) ?? new Uint8Array();
const postOtlp = (url: string, bytes: Uint8Array) => fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: bytes as Uint8Array<ArrayBuffer> });

/**
 * A proxy that passes every request on but answers the first one 503 after the server took it: the
 * exporter's export was committed, yet the exporter learns only that it must retry.
 */
async function losingFirstAnswer(target: string): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const proxy: Server = createServer((req, res) => {
    const first = requests++ === 0;
    const upstream = httpRequest(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      if (first) {
        answer.resume();
        answer.once('end', () => res.writeHead(503, { 'retry-after': '0' }).end());
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => proxy.close(resolve)));
  const address = proxy.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  return { url: `http://127.0.0.1:${address.port}`, requests: () => requests };
}

describe('intake', () => {
  it('stores each span once when the real OTLP exporter retries an export the server had already committed', async () => {
    const { server } = await serve();
    const proxy = await losingFirstAnswer(server.url);
    const checkout = recordSpans('checkout');
    const spans = [...checkout, ...recordSpans('payments', checkout[0])];
    const exporter = new OTLPTraceExporter({ url: `${proxy.url}/v1/traces` });
    expect((await exportWith(exporter, spans)).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
    expect(proxy.requests()).toBe(2);

    const model = await readReceivedTrace(server.url, checkout[0].spanContext().traceId);
    expect(model.spanCount).toBe(2);
    expect(model.warnings.join('\n')).not.toMatch(/same id/);
    expect([...model.spanIds].sort()).toEqual(spans.map((s) => s.spanContext().spanId).sort());
  });

  it('stores a span sent again alike once, over OTLP/HTTP and gRPC; the same ids with other content are kept and flagged', async () => {
    const { server, grpcUrl } = await serve();
    const checkout = recordSpans('checkout');
    const charge = recordSpans('payments', checkout[0]);
    const request = body([...checkout, ...charge]);
    for (let i = 0; i < 2; i++) expect((await postOtlp(server.url, request)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await exportOverGrpc(grpcUrl, request, { gzip: i === 1 })).error).toBeUndefined();
    // One of the two spans again, in a request of its own.
    expect((await exportOverGrpc(grpcUrl, body(charge))).error).toBeUndefined();
    const traceId = checkout[0].spanContext().traceId;
    const once = await readReceivedTrace(server.url, traceId);
    expect([once.spanCount, once.orphanCount]).toEqual([2, 0]);
    expect(once.warnings.join('\n')).not.toMatch(/same id/);
    const hits = (await fetch(`${server.url}/api/backends/local/traces?service=payments`).then((r) => r.json())) as { traces: { spanCount: number }[] };
    expect(hits.traces.map((t) => t.spanCount)).toEqual([2]);

    // The payments span with the same ids but another attribute value: a different span, kept.
    const changed = Object.assign(Object.create(charge[0]) as ReadableSpan, { attributes: { ...charge[0].attributes, 'order.id': 'o-2' } });
    expect((await postOtlp(server.url, body([changed]))).status).toBe(200);
    const twice = await readReceivedTrace(server.url, traceId);
    expect(twice.spanCount).toBe(3);
    expect(twice.warnings.join('\n')).toMatch(/1 span has the same id as another span/);
  });

  it('counts bytes in flight across receivers: beyond receivers.maxInFlightBytes, HTTP gets 503 + Retry-After and gRPC UNAVAILABLE', async () => {
    const { server, grpcUrl } = await serve({ maxInFlightBytes: 4000 });
    const request = body(recordSpans('checkout'));
    expect(request.byteLength).toBeGreaterThan(100);
    // A client that sent 3,900 bytes of its body (the last byte still to come) holds them in memory.
    const { port } = new URL(server.url);
    const slow = connect(Number(port), '127.0.0.1');
    closers.push(async () => slow.destroy());
    await new Promise((resolve) => slow.once('connect', resolve));
    slow.write(`POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/x-protobuf\r\nContent-Length: 3901\r\n\r\n${'x'.repeat(3900)}`);
    await new Promise((r) => setTimeout(r, 200));

    const refused = await postOtlp(server.url, request);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await refused.json()).detail).toMatch(/limit is \d+ requests or 4 KiB/);
    const overGrpc = await exportOverGrpc(grpcUrl, request);
    expect(overGrpc.error?.code).toBe(grpc.status.UNAVAILABLE);

    // The slow client goes: its bytes are free again.
    slow.destroy();
    await new Promise((r) => setTimeout(r, 200));
    expect((await postOtlp(server.url, request)).status).toBe(200);
    expect((await exportOverGrpc(grpcUrl, body(recordSpans('orders')))).error).toBeUndefined();
  });
});
