// Hostile and unlucky traffic against a whole listening server (startServer), with real clients and raw
// sockets: compressed bombs, senders that trickle their bodies, input nested past any reader's stack.
// Each case is something a probe of a running server once found; none may cost a 5xx or lock others out.
import http2, { type ClientHttp2Session } from 'node:http2';
import { connect, type Socket } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { fromBinary } from '@bufbuild/protobuf';
import * as grpc from '@grpc/grpc-js';
import { encode } from '@msgpack/msgpack';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpGrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { afterEach, describe, expect, it } from 'vitest';
import { StatusSchema } from '../../src/core/import/otlp-proto/status_pb.ts';
import { DEFAULT_RECEIVERS, type ServerLimits } from '../config.ts';
import { startServer, type RunningServer } from '../start-server.ts';
import { freePort, tempDataDir, testConfig } from '../test-server.ts';
import { TRACE_EXPORT_PATH } from './grpc-receiver.ts';
import { exportOverGrpc, exportWith, readReceivedTrace, recordSpans } from './receiver-test-helpers.ts';

const MIB = 1024 * 1024;
const running: RunningServer[] = [];
const sockets: Socket[] = [];
const grpcSessions: ClientHttp2Session[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const session of grpcSessions.splice(0)) session.destroy();
  await Promise.all(running.splice(0).map((s) => s.close()));
});

/** A whole server: every HTTP receiver on the main port, the gRPC receiver on a port of its own. */
async function serve(limits: Partial<ServerLimits> = {}) {
  const server = await startServer(
    testConfig(tempDataDir(), { limits, receivers: { ...DEFAULT_RECEIVERS, otlpHttpPort: 0, zipkinPort: 0, datadogPort: 0, otlpGrpcPort: await freePort(), grpcMaxMessageBytes: MIB } }),
    false,
  );
  running.push(server);
  return server;
}

/** A JSON request with its status and body as text (never throws on a status). */
async function send(url: string, init: { method?: string; type: string; body: Uint8Array<ArrayBuffer> | string; encoding?: string }) {
  const headers: Record<string, string> = { 'content-type': init.type };
  if (init.encoding) headers['content-encoding'] = init.encoding;
  const res = await fetch(url, { method: init.method ?? 'POST', headers, body: init.body });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

describe('compressed bombs', () => {
  // 64 MiB of zeros in ~64 KB: each receiver must stop inflating at its own cap, not at the upload limit.
  const zeros = Buffer.alloc(64 * MIB);
  const gzipBomb = gzipSync(zeros);
  // The same with a gzip trailer that claims 0 bytes: only inflating it tells, and the cap must stop that.
  const lyingGzipBomb = Buffer.from(gzipBomb);
  lyingGzipBomb.writeUInt32LE(0, lyingGzipBomb.byteLength - 4);
  const receiverBodyBytes = { otlp: 1 * MIB, zipkin: 2 * MIB, datadog: 3 * MIB };

  it('each receiver stops inflating at its own cap with a 413 naming the limit and its setting; a real exporter is served right after', async () => {
    expect(gzipBomb.byteLength).toBeLessThan(100_000);
    const server = await serve({ receiverBodyBytes });

    const otlp = await send(`${server.url}/v1/traces`, { type: 'application/x-protobuf', body: gzipBomb, encoding: 'gzip' });
    expect(otlp.status).toBe(413);
    // OTLP/HTTP answers a google.rpc.Status in the request's encoding; 8 = RESOURCE_EXHAUSTED.
    expect(fromBinary(StatusSchema, otlp.body)).toMatchObject({
      code: 8,
      message: `Payload too large once decompressed: The body is larger than ${MIB} bytes once decompressed; the limit is this server's limits.receiverBodyBytes.otlp`,
    });
    const otlpJson = await send(`${server.url}/v1/traces`, { type: 'application/json', body: deflateSync(zeros), encoding: 'deflate' });
    expect([otlpJson.status, JSON.parse(otlpJson.body.toString()).code]).toEqual([413, 8]);

    for (const bomb of [gzipBomb, lyingGzipBomb]) {
      const zipkin = await send(`${server.url}/api/v2/spans`, { type: 'application/json', body: bomb, encoding: 'gzip' });
      expect([zipkin.status, JSON.parse(zipkin.body.toString())]).toEqual([
        413,
        { error: 'Payload too large once decompressed', detail: `The body is larger than ${2 * MIB} bytes once decompressed; the limit is this server's limits.receiverBodyBytes.zipkin` },
      ]);
    }
    const datadog = await send(`${server.url}/v0.4/traces`, { method: 'PUT', type: 'application/msgpack', body: gzipBomb, encoding: 'gzip' });
    expect([datadog.status, JSON.parse(datadog.body.toString()).detail]).toEqual([
      413,
      `The body is larger than ${3 * MIB} bytes once decompressed; the limit is this server's limits.receiverBodyBytes.datadog`,
    ]);
    // Not compressed but over the cap: refused as it arrives, naming the same setting.
    const plain = await send(`${server.url}/v1/traces`, { type: 'application/json', body: Buffer.alloc(MIB + 1, 0x20) });
    expect([plain.status, JSON.parse(plain.body.toString()).detail]).toEqual([413, `The body is larger than ${MIB} bytes; the limit is this server's limits.receiverBodyBytes.otlp`]);

    const spans = recordSpans('checkout');
    const exporter = new OTLPTraceExporter({ url: `${server.url}/v1/traces`, compression: 'gzip' as never });
    expect((await exportWith(exporter, spans)).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
    expect((await readReceivedTrace(server.url, spans[0].spanContext().traceId)).spanCount).toBe(1);
  });

  it('a share upload stops at limits.decompressedBytes and says so; a damaged gzip file is a 400', async () => {
    const server = await serve({ decompressedBytes: 4 * MIB });
    for (const bomb of [gzipBomb, lyingGzipBomb]) {
      const share = await send(`${server.url}/api/shares`, { type: 'application/gzip', body: bomb });
      expect([share.status, JSON.parse(share.body.toString())]).toEqual([
        413,
        { error: 'Upload too large once decompressed', detail: `The body is larger than ${4 * MIB} bytes once decompressed; the limit is this server's limits.decompressedBytes` },
      ]);
    }
    // A damaged gzip file is a 400 that says so.
    const cut = await send(`${server.url}/api/shares`, { type: 'application/gzip', body: gzipSync(Buffer.from('[]')).subarray(0, 15) });
    expect([cut.status, JSON.parse(cut.body.toString()).error]).toEqual([400, 'The body is not valid gzip']);
  });

  it('over gRPC, grpc-js inflates as a stream and stops at receivers.grpcMaxMessageBytes (RESOURCE_EXHAUSTED)', async () => {
    const server = await serve();
    // The message as sent is 64 KB, far under the 1 MiB cap: only its inflated size can refuse it.
    const bomb = await exportOverGrpc(server.receiverUrls['otlp-grpc'], zeros, { gzip: true });
    expect(bomb.error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(bomb.error?.details).toBe(`Received message that decompresses to a size larger than ${MIB}`);
  });
});

/** A raw HTTP/1.1 request that sends its headers and then one byte of its body every `everyMs`. */
function trickle(url: string, everyMs: number): Promise<{ socket: Socket; answer: Promise<string> }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  sockets.push(socket);
  let answer = '';
  const answered = new Promise<string>((resolve) => socket.on('data', (chunk) => (answer += chunk.toString())).on('close', () => resolve(answer)));
  socket.on('error', () => {});
  return new Promise((resolve) =>
    socket.once('connect', () => {
      socket.write(`POST /v1/traces HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`);
      const timer = setInterval(() => socket.write(' '), everyMs);
      socket.once('close', () => clearInterval(timer));
      resolve({ socket, answer: answered });
    }),
  );
}

describe('slow senders', () => {
  it('64 connections trickling their bodies do not lock out a real OTLP exporter', async () => {
    // The default in-flight limit (64) and body timeout (30 s): the tricklers outlast the test.
    const server = await serve();
    const tricklers = await Promise.all(Array.from({ length: 64 }, () => trickle(server.url, 1000)));
    // The server has read every trickler's headers once it answers a request sent after them.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    const spans = recordSpans('checkout');
    const exporter = new OTLPTraceExporter({ url: `${server.url}/v1/traces` });
    expect((await exportWith(exporter, spans)).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
    expect((await readReceivedTrace(server.url, spans[0].spanContext().traceId)).spanCount).toBe(1);
    expect(tricklers.filter((t) => !t.socket.destroyed && !t.socket.readableEnded)).toHaveLength(64);
  });

  it('cuts a trickled body off at limits.receiverBodyTimeoutMs with a 408 and closes its connection', async () => {
    const server = await serve({ receiverBodyTimeoutMs: 500 });
    const { answer } = await trickle(server.url, 100);
    const text = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text).toMatch(/connection: close/i);
    expect(text).toContain('The body did not arrive within 500 ms (limits.receiverBodyTimeoutMs)');
  });
});

/** A raw HTTP/2 gRPC call to TraceService/Export that announces a 1,000-byte message and sends a byte of it every `everyMs`. */
function trickleGrpc(grpcUrl: string, everyMs: number): { session: ClientHttp2Session; trailers: Promise<Record<string, unknown>> } {
  const session = http2.connect(grpcUrl);
  session.on('error', () => {});
  const stream = session.request({ ':method': 'POST', ':path': TRACE_EXPORT_PATH, 'content-type': 'application/grpc', te: 'trailers' });
  stream.on('error', () => {});
  stream.write(Buffer.from([0, 0, 0, 0x03, 0xe8])); // uncompressed, 1000 bytes
  const timer = setInterval(() => stream.write(Buffer.from([0x0a])), everyMs);
  const trailers = new Promise<Record<string, unknown>>((resolve) => {
    stream.on('trailers', (headers) => resolve(headers));
    // A status sent before any message is a trailers-only answer: in the response headers.
    stream.on('response', (headers) => {
      if (headers['grpc-status'] !== undefined) resolve(headers);
    });
  });
  stream.on('close', () => clearInterval(timer));
  session.on('close', () => clearInterval(timer));
  grpcSessions.push(session);
  return { session, trailers };
}

describe('slow senders over gRPC', () => {
  it('64 connections trickling their messages do not lock out the JS SDK’s gRPC exporter', async () => {
    const server = await serve();
    const grpcUrl = server.receiverUrls['otlp-grpc'];
    const tricklers = Array.from({ length: 64 }, () => trickleGrpc(grpcUrl, 1000));
    let answered = 0;
    for (const t of tricklers) void t.trailers.then(() => answered++);
    // Every trickler's call has started once a call opened after them has been answered.
    await Promise.all(tricklers.map((t) => new Promise((resolve) => (t.session.connecting ? t.session.once('connect', resolve) : resolve(undefined)))));
    expect((await exportOverGrpc(grpcUrl, new Uint8Array())).error).toBeUndefined();

    const spans = recordSpans('checkout');
    const exporter = new OtlpGrpcExporter({ url: grpcUrl });
    expect((await exportWith(exporter, spans)).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
    expect((await readReceivedTrace(server.url, spans[0].spanContext().traceId)).spanCount).toBe(1);
    expect(answered).toBe(0);
  });

  it('cuts a trickled message off at limits.receiverBodyTimeoutMs with DEADLINE_EXCEEDED', async () => {
    const server = await serve({ receiverBodyTimeoutMs: 500 });
    const { trailers } = trickleGrpc(server.receiverUrls['otlp-grpc'], 100);
    const status = await trailers;
    expect(Number(status['grpc-status'])).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect(decodeURIComponent(String(status['grpc-message']))).toBe('The message did not arrive within 500 ms (limits.receiverBodyTimeoutMs)');
  });
});

describe('input nested past any reader’s stack', () => {
  const deepArrays = '['.repeat(100_000) + ']'.repeat(100_000);
  // 20,000 arrays inside an OTLP attribute value: valid OTLP shape all the way down.
  const deepAnyValue = `{"resourceSpans":[{"resource":{"attributes":[{"key":"a","value":${'{"arrayValue":{"values":['.repeat(20_000)}${']}}'.repeat(20_000)}}]}}]}`;

  it.each([
    ['OTLP/HTTP JSON', '/v1/traces', 'POST', deepArrays],
    ['OTLP/HTTP JSON (an attribute value)', '/v1/traces', 'POST', deepAnyValue],
    ['Zipkin', '/api/v2/spans', 'POST', deepArrays],
    ['Datadog JSON', '/v0.4/traces', 'PUT', deepArrays],
    ['a share upload', '/api/shares', 'POST', deepArrays],
    ['a share upload (an attribute value)', '/api/shares', 'POST', deepAnyValue],
  ])('%s: 400 naming the nesting limit and where it was passed', async (_label, path, method, body) => {
    const server = await serve();
    const res = await send(`${server.url}${path}`, { method, type: 'application/json', body });
    expect(res.status).toBe(400);
    const answer = JSON.parse(res.body.toString()) as { error?: string; message?: string };
    expect(answer.error ?? answer.message).toMatch(/^JSON nested deeper than 512 levels at byte \d+/);
  });

  it('Datadog msgpack: 400 naming the nesting limit', async () => {
    const server = await serve();
    const deep = new Uint8Array(100_001).fill(0x91); // fixarray of one item, 100,000 times, around a nil
    deep[100_000] = 0xc0;
    const res = await send(`${server.url}/v0.4/traces`, { method: 'PUT', type: 'application/msgpack', body: deep });
    expect([res.status, JSON.parse(res.body.toString()).detail]).toEqual([400, 'Not a Datadog agent msgpack trace payload: values are nested deeper than 512 levels.']);
    // A real payload still goes through.
    expect((await send(`${server.url}/v0.4/traces`, { method: 'PUT', type: 'application/msgpack', body: encode([]) })).status).toBe(200);
  });

  it('OTLP protobuf, over HTTP and gRPC: 400 and INVALID_ARGUMENT naming the decoder’s depth limit', async () => {
    const server = await serve();
    const request = nestedAnyValueRequest(20_000);
    const overHttp = await send(`${server.url}/v1/traces`, { type: 'application/x-protobuf', body: request });
    expect(overHttp.status).toBe(400);
    expect(fromBinary(StatusSchema, overHttp.body).message).toMatch(/maximum recursion depth of 100 reached/);
    const overGrpc = await exportOverGrpc(server.receiverUrls['otlp-grpc'], request);
    expect(overGrpc.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(overGrpc.error?.details).toMatch(/maximum recursion depth of 100 reached/);
  });
});

/** An ExportTraceServiceRequest whose one resource attribute is an AnyValue array nested `levels` deep. */
function nestedAnyValueRequest(levels: number): Buffer<ArrayBuffer> {
  const field = (no: number, bytes: Uint8Array): Buffer<ArrayBuffer> => Buffer.concat([varint((no << 3) | 2), varint(bytes.byteLength), bytes]);
  let anyValue: Uint8Array = field(1, Buffer.from('leaf')); // AnyValue.string_value
  for (let i = 0; i < levels; i++) anyValue = field(5, field(1, anyValue)); // AnyValue.array_value → ArrayValue.values
  const keyValue = Buffer.concat([field(1, Buffer.from('a')), field(2, anyValue)]);
  return field(1, field(1, field(1, keyValue))); // request.resource_spans → ResourceSpans.resource → Resource.attributes
}

function varint(n: number): Buffer {
  const out: number[] = [];
  for (; n > 0x7f; n >>>= 7) out.push((n & 0x7f) | 0x80);
  out.push(n);
  return Buffer.from(out);
}
