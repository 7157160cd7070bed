// `npm run bench:ingest`: the receivers under load. Starts a real `spanscope serve` on a fresh data
// directory and, while /healthz is probed every 10 ms, runs one of three cases:
//
//   steady   (default) several clients send OTLP (HTTP protobuf or gRPC; bodies made by the real
//            OpenTelemetry serializer) at a fixed total span rate, open loop. Reports accepted spans/s (acknowledged while sending),
//            acknowledgement latency, throttled answers, peak RSS, and — after a SIGKILL — whether every
//            acknowledged span is in the database.
//   growing  one trace that keeps growing: --growing-spans spans of one trace id in --growing-requests
//            requests, one after another (--separate-traces: the same spans as that many traces).
//   share    one generated trace file of about --share-mb MB shared (POST /api/shares).
//
//   npm run bench:ingest -- [--mode steady|growing|share] [--protocol http|grpc] [--rate 20000] [--seconds 60]
//                           [--clients 8] [--spans-per-request 512] [--spans-per-trace 8]
//                           [--growing-spans 1000000] [--growing-requests 20] [--separate-traces]
//                           [--share-mb 200] [--json out.json]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { context, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type IdGenerator } from '@opentelemetry/sdk-trace-base';
import Database from 'better-sqlite3';
import { freePort, spawnServer, type SpawnedServer } from '../server/spawn-server.ts';
import { generateTrace } from './generate-trace.ts';

type Mode = 'steady' | 'growing' | 'share';
type Protocol = 'http' | 'grpc';

interface Options {
  mode: Mode;
  protocol: Protocol;
  rate: number;
  seconds: number;
  clients: number;
  spansPerRequest: number;
  spansPerTrace: number;
  growingSpans: number;
  growingRequests: number;
  separateTraces: boolean;
  shareMb: number;
  json: string | undefined;
}

const TRACE_EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

function parseArgs(args: readonly string[]): Options {
  const o: Options = {
    mode: 'steady',
    protocol: 'http',
    rate: 20_000,
    seconds: 60,
    clients: 8,
    spansPerRequest: 512,
    spansPerTrace: 8,
    growingSpans: 1_000_000,
    growingRequests: 20,
    separateTraces: false,
    shareMb: 200,
    json: undefined,
  };
  const numbers = { rate: 'rate', seconds: 'seconds', clients: 'clients', 'spans-per-request': 'spansPerRequest', 'spans-per-trace': 'spansPerTrace', 'growing-spans': 'growingSpans', 'growing-requests': 'growingRequests', 'share-mb': 'shareMb' } as const;
  for (let i = 0; i < args.length; i++) {
    const key = args[i].replace(/^--/, '');
    if (key === 'separate-traces') o.separateTraces = true;
    else if (key === 'json') o.json = args[++i];
    else if (key === 'mode' && ['steady', 'growing', 'share'].includes(args[i + 1])) o.mode = args[++i] as Mode;
    else if (key === 'protocol' && ['http', 'grpc'].includes(args[i + 1])) o.protocol = args[++i] as Protocol;
    else if (key in numbers) o[numbers[key as keyof typeof numbers]] = Number(args[++i]);
    else throw new Error(`unknown option --${key} (or a bad value: ${args[i + 1]})`);
  }
  return o;
}

/** Spans recorded by the real SDK, serialized by the real OTLP protobuf serializer. */
function recordBody(spanCount: number, spansPerTrace: number, ids?: IdGenerator, parentSpanId?: string): { body: Buffer; traceIds: Buffer[]; rootSpanId: string } {
  const memory = new InMemorySpanExporter();
  let rootSpanId = '';
  const providers = ['frontend', 'orders', 'payments'].map(
    (service) =>
      new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': service, 'host.name': 'bench-1' }), spanProcessors: [new SimpleSpanProcessor(memory)], ...(ids ? { idGenerator: ids } : {}) }),
  );
  for (let t = 0; t < Math.ceil(spanCount / spansPerTrace); t++) {
    const remoteParent = ids && parentSpanId ? trace.setSpanContext(context.active(), { traceId: ids.generateTraceId(), spanId: parentSpanId, traceFlags: 1 }) : context.active();
    const root = providers[0].getTracer('bench').startSpan('GET /api/orders/{id}', { attributes: { 'http.request.method': 'GET', 'http.route': '/api/orders/{id}', 'http.response.status_code': 200 } }, remoteParent);
    rootSpanId ||= root.spanContext().spanId;
    const parent = trace.setSpan(context.active(), root);
    for (let c = 1; c < Math.min(spansPerTrace, spanCount - t * spansPerTrace); c++) {
      const tracer = providers[c % providers.length].getTracer('bench');
      tracer.startSpan(c % 2 ? 'SELECT orders' : 'POST /charge', { attributes: { 'db.system': 'postgresql', 'order.id': `o-${t}-${c}` } }, parent).end();
    }
    root.end();
  }
  const spans = memory.getFinishedSpans();
  const traceIds = [...new Set(spans.map((s) => s.spanContext().traceId))].map((hex) => Buffer.from(hex, 'hex'));
  const body = ProtobufTraceSerializer.serializeRequest(spans);
  if (!body) throw new Error(`the OTLP protobuf serializer returned nothing for ${spans.length} spans`);
  return { body: Buffer.from(body), traceIds, rootSpanId };
}

/** The template with fresh trace ids: same length, so the protobuf stays valid. */
function withFreshTraceIds(template: { body: Buffer; traceIds: Buffer[] }): Buffer {
  const body = Buffer.from(template.body);
  for (const id of template.traceIds) {
    const fresh = randomBytes(16);
    for (let at = body.indexOf(id); at >= 0; at = body.indexOf(id, at + 16)) fresh.copy(body, at);
  }
  return body;
}

/** As the OpenTelemetry SDKs' exporters (OTEL_EXPORTER_OTLP_TIMEOUT): a request not answered by then counts as failed. */
const EXPORT_TIMEOUT_MS = 10_000;

/** Sends one OTLP request; resolves with its latency and outcome ('ok', 'throttled' or an error status). */
type Sender = (body: Buffer) => Promise<{ ms: number; outcome: string }>;

function httpSender(url: string): Sender {
  return async (body) => {
    const sentAt = performance.now();
    try {
      const res = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array(body), signal: AbortSignal.timeout(EXPORT_TIMEOUT_MS) });
      await res.arrayBuffer();
      return { ms: performance.now() - sentAt, outcome: res.status === 200 ? 'ok' : res.status === 429 || res.status === 503 ? 'throttled' : `http ${res.status}` };
    } catch (err) {
      return { ms: performance.now() - sentAt, outcome: (err as Error).name === 'TimeoutError' ? 'timed out' : `failed: ${(err as Error).message}` };
    }
  };
}

function grpcSender(url: string): { send: Sender; close(): void } {
  const client = new grpc.Client(new URL(url).host, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': 64 * 1024 * 1024, 'grpc.use_local_subchannel_pool': 1 });
  const send: Sender = (body) => {
    const sentAt = performance.now();
    return new Promise((resolve) => {
      client.makeUnaryRequest(
        TRACE_EXPORT_PATH,
        (m: Buffer) => m,
        (b: Buffer) => b,
        body,
        { deadline: Date.now() + EXPORT_TIMEOUT_MS },
        (err) => {
          const throttled = err && (err.code === grpc.status.UNAVAILABLE || err.code === grpc.status.RESOURCE_EXHAUSTED);
          const outcome = !err ? 'ok' : throttled ? 'throttled' : err.code === grpc.status.DEADLINE_EXCEEDED ? 'timed out' : `grpc ${grpc.status[err.code]}`;
          resolve({ ms: performance.now() - sentAt, outcome });
        },
      );
    });
  };
  return { send, close: () => client.close() };
}

// The probe runs in a thread of its own, so the bench's own work (building and sending a 200 MB body)
// never shows up as the server's latency.
const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
const latencies = [];
let stopped = false;
parentPort.once('message', () => { stopped = true; });
(async () => {
  while (!stopped) {
    const at = performance.now();
    try { await (await fetch(workerData.url + '/healthz', { signal: AbortSignal.timeout(60000) })).arrayBuffer(); } catch {}
    latencies.push(performance.now() - at);
    await new Promise((r) => setTimeout(r, 10));
  }
  parentPort.postMessage(latencies);
})();
`;

/** /healthz every 10 ms, one at a time (a stalled loop shows as one long answer, not a pile of them). */
function probeHealth(url: string): { stop(): Promise<number[]> } {
  const worker = new Worker(PROBE, { eval: true, workerData: { url } });
  return {
    stop: async () => {
      const latencies = new Promise<number[]>((resolve) => worker.once('message', resolve));
      worker.postMessage('stop');
      const result = await latencies;
      await worker.terminate();
      return result;
    },
  };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

const ms = (v: number) => Number(v.toFixed(1));
const latencySummary = (values: readonly number[]) => ({ p50: ms(percentile(values, 50)), p99: ms(percentile(values, 99)), max: ms(Math.max(...values)), count: values.length });

interface Started {
  readonly server: SpawnedServer;
  readonly dataDir: string;
  readonly grpcUrl: string | undefined;
  peakRss(): number;
  stop(): Promise<void>;
}

async function start(o: Options): Promise<Started> {
  const dataDir = mkdtempSync(join(tmpdir(), 'spanscope-ingest-'));
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const grpcPort = o.protocol === 'grpc' ? await freePort() : 0;
  const server = await spawnServer(dataDir, { seedDemoTraces: false, receivers: { otlpHttpPort: 0, zipkinPort: 0, datadogPort: 0, otlpGrpcPort: grpcPort } }, nodeArgs);
  const pid = server.child.pid;
  if (pid === undefined) throw new Error('the spawned server has no pid');
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 250);
  return {
    server,
    dataDir,
    grpcUrl: grpcPort ? `http://127.0.0.1:${grpcPort}` : undefined,
    peakRss: () => Math.round(peak),
    // Kill without warning (a profiling run stops it gracefully instead).
    stop: async () => {
      clearInterval(timer);
      server.child.kill(process.env.BENCH_SERVER_NODE_ARGS?.includes('--cpu-prof') ? 'SIGTERM' : 'SIGKILL');
      await new Promise((r) => server.child.once('exit', r));
    },
  };
}

function sender(o: Options, s: Started): { send: Sender; close(): void } {
  if (o.protocol === 'grpc' && s.grpcUrl) return grpcSender(s.grpcUrl);
  return { send: httpSender(s.server.url), close: () => {} };
}

function storedSpans(dataDir: string): { stored: number; integrity: unknown } {
  const db = new Database(join(dataDir, 'spanscope.db'), { readonly: true });
  try {
    const stored = (db.prepare('SELECT COALESCE(SUM(span_count), 0) AS n FROM received_batches').get() as { n: number }).n;
    return { stored, integrity: db.pragma('integrity_check', { simple: true }) };
  } finally {
    db.close();
  }
}

async function steady(o: Options) {
  const template = recordBody(o.spansPerRequest, o.spansPerTrace);
  const s = await start(o);
  const latencies: number[] = [];
  const outcomes = new Map<string, number>();
  let acknowledgedSpans = 0;
  // Sustained rate: spans acknowledged while the clients were sending (what is still in flight when they
  // stop is counted in acknowledgedSpans, not in the rate).
  let acknowledgedInWindow = 0;
  const health = probeHealth(s.server.url);
  const senders = Array.from({ length: o.clients }, () => sender(o, s));
  // Each client sends its share of the rate on a fixed schedule (open loop: a slow server does not slow the senders).
  const intervalMs = (1000 * o.clients * o.spansPerRequest) / o.rate;
  const started = performance.now();
  const endAt = started + o.seconds * 1000;
  const inFlight = new Set<Promise<void>>();
  await Promise.all(
    senders.map(async ({ send }, client) => {
      let next = started + (client * intervalMs) / o.clients;
      while (next < endAt) {
        const wait = next - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        next += intervalMs;
        const request = send(withFreshTraceIds(template)).then(({ ms: took, outcome }) => {
          latencies.push(took);
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          if (outcome === 'ok') acknowledgedSpans += o.spansPerRequest;
          if (outcome === 'ok' && performance.now() <= endAt) acknowledgedInWindow += o.spansPerRequest;
        });
        inFlight.add(request);
        void request.finally(() => inFlight.delete(request));
      }
    }),
  );
  await Promise.all(inFlight);
  const elapsedS = (performance.now() - started) / 1000;
  const healthz = await health.stop();
  senders.forEach((c) => c.close());
  await s.stop();
  const { stored, integrity } = storedSpans(s.dataDir);
  rmSync(s.dataDir, { recursive: true, force: true });
  return {
    offeredSpansPerS: o.rate,
    acceptedSpansPerS: Math.round(acknowledgedInWindow / o.seconds),
    elapsedS: ms(elapsedS),
    requests: latencies.length,
    outcomes: Object.fromEntries(outcomes),
    ackMs: latencySummary(latencies),
    healthzMs: latencySummary(healthz),
    serverPeakRssMb: s.peakRss(),
    acknowledgedSpans,
    storedSpansAfterKill: stored,
    lost: Math.max(0, acknowledgedSpans - stored),
    integrity,
  };
}

/** The spans of one growing trace (or, --separate-traces, of as many traces), in requests sent one after another. */
async function growing(o: Options) {
  const perRequest = Math.ceil(o.growingSpans / o.growingRequests);
  const sharedTraceId = randomBytes(16).toString('hex');
  let rootSpanId: string | undefined;
  const bodies: Buffer[] = [];
  for (let r = 0; r < o.growingRequests; r++) {
    const traceId = o.separateTraces ? randomBytes(16).toString('hex') : sharedTraceId;
    const ids: IdGenerator = { generateTraceId: () => traceId, generateSpanId: () => randomBytes(8).toString('hex') };
    // One trace: the first request's first span is the root, later requests' spans hang under it.
    const recorded = recordBody(perRequest, perRequest, ids, o.separateTraces || r === 0 ? undefined : rootSpanId);
    rootSpanId ??= recorded.rootSpanId;
    bodies.push(recorded.body);
  }
  const s = await start(o);
  const health = probeHealth(s.server.url);
  const { send, close } = sender(o, s);
  const requestMs: number[] = [];
  const outcomes = new Map<string, number>();
  const started = performance.now();
  for (const body of bodies) {
    const { ms: took, outcome } = await send(body);
    requestMs.push(took);
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  const elapsedS = (performance.now() - started) / 1000;
  // A little longer: the server's own work after the last answer (none is expected) shows in /healthz.
  await new Promise((r) => setTimeout(r, 2000));
  const healthz = await health.stop();
  close();
  await s.stop();
  const { stored, integrity } = storedSpans(s.dataDir);
  rmSync(s.dataDir, { recursive: true, force: true });
  return {
    traces: o.separateTraces ? o.growingRequests : 1,
    spansPerRequest: perRequest,
    acceptedSpansPerS: Math.round(((outcomes.get('ok') ?? 0) * perRequest) / elapsedS),
    outcomes: Object.fromEntries(outcomes),
    firstRequestMs: ms(requestMs[0]),
    lastRequestMs: ms(requestMs[requestMs.length - 1]),
    requestMs: latencySummary(requestMs),
    healthzMs: latencySummary(healthz),
    healthzOver1s: healthz.filter((v) => v > 1000).length,
    serverPeakRssMb: s.peakRss(),
    storedSpansAfterKill: stored,
    integrity,
  };
}

/** A generated file of about --share-mb MB shared while /healthz is probed. */
async function share(o: Options) {
  const dir = mkdtempSync(join(tmpdir(), 'spanscope-share-bench-'));
  const file = join(dir, 'big.json');
  // ~860 bytes per generated Jaeger span.
  generateTrace(file, { spans: Math.round((o.shareMb * 1024 * 1024) / 860), format: 'jaeger', seed: 17 });
  const bytes = readFileSync(file);
  const s = await start(o);
  const health = probeHealth(s.server.url);
  await new Promise((r) => setTimeout(r, 500));
  const at = performance.now();
  const res = await fetch(`${s.server.url}/api/shares`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(bytes) });
  const answer = (await res.json()) as { spanCount?: number; error?: string; detail?: string };
  const uploadS = (performance.now() - at) / 1000;
  await new Promise((r) => setTimeout(r, 500));
  const healthz = await health.stop();
  await s.stop();
  rmSync(s.dataDir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  return {
    fileMb: ms(bytes.byteLength / 1024 / 1024),
    status: res.status,
    spanCount: answer.spanCount,
    error: answer.error && `${answer.error}: ${answer.detail}`,
    uploadS: ms(uploadS),
    healthzMs: latencySummary(healthz),
    serverPeakRssMb: s.peakRss(),
  };
}

/** The result as a two-column table: nested objects flattened into dotted names. */
function table(result: Record<string, unknown>): string {
  const rows: [string, string][] = [];
  const walk = (prefix: string, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v);
    else rows.push([prefix, String(value)]);
  };
  walk('', result);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const run = o.mode === 'steady' ? steady : o.mode === 'growing' ? growing : share;
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const figures = await run(o);
  const result = { date: new Date().toISOString(), mode: o.mode, protocol: o.protocol, loadBefore: load, loadAfter: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '), ...figures };
  console.log(table(result));
  if (o.json) writeFileSync(o.json, JSON.stringify({ options: o, ...result }, null, 2));
  if (('lost' in figures && figures.lost > 0) || ('integrity' in figures && figures.integrity !== 'ok')) process.exitCode = 1;
}

await main();
