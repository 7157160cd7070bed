// `npm run bench:ingest`: the receivers under load. Starts a real `spanscope serve` on a fresh data
// directory, has several concurrent clients POST OTLP/HTTP protobuf (bodies made by the real
// OpenTelemetry serializer) at a fixed total span rate, and reports accepted spans/s, request latency
// (p50/p99), throttled answers (429/503), the server's peak RSS, and — after killing the server with
// SIGKILL and reading its database — whether every acknowledged span is there.
//
//   npm run bench:ingest -- [--rate 10000] [--seconds 60] [--clients 8] [--spans-per-request 100]
//                           [--spans-per-trace 10] [--json out.json]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import Database from 'better-sqlite3';
import { spawnServer } from '../server/spawn-server.ts';


interface Options {
  rate: number;
  seconds: number;
  clients: number;
  spansPerRequest: number;
  spansPerTrace: number;
  json: string | undefined;
}

function parseArgs(args: readonly string[]): Options {
  const o: Options = { rate: 10_000, seconds: 60, clients: 8, spansPerRequest: 100, spansPerTrace: 10, json: undefined };
  for (let i = 0; i < args.length; i++) {
    const key = args[i].replace(/^--/, '');
    const value = args[++i];
    if (key === 'json') o.json = value;
    else if (key === 'rate' || key === 'seconds' || key === 'clients') o[key] = Number(value);
    else if (key === 'spans-per-request') o.spansPerRequest = Number(value);
    else if (key === 'spans-per-trace') o.spansPerTrace = Number(value);
    else throw new Error(`unknown option --${key}`);
  }
  return o;
}

/**
 * One request body from the real SDK and serializer: `spansPerRequest` spans in traces of
 * `spansPerTrace` (a root with children), three services, realistic attributes.
 */
async function templateBody(o: Options): Promise<{ body: Buffer; traceIds: Buffer[] }> {
  const memory = new InMemorySpanExporter();
  const providers = ['frontend', 'orders', 'payments'].map(
    (service) => new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': service, 'host.name': 'bench-1' }), spanProcessors: [new SimpleSpanProcessor(memory)] }),
  );
  for (let t = 0; t < o.spansPerRequest / o.spansPerTrace; t++) {
    const root = providers[0].getTracer('bench').startSpan('GET /api/orders/{id}', { attributes: { 'http.request.method': 'GET', 'http.route': '/api/orders/{id}', 'http.response.status_code': 200 } });
    const parent = trace.setSpan(context.active(), root);
    for (let c = 1; c < o.spansPerTrace; c++) {
      const tracer = providers[c % providers.length].getTracer('bench');
      tracer.startSpan(c % 2 ? 'SELECT orders' : 'POST /charge', { attributes: { 'db.system': 'postgresql', 'order.id': `o-${t}-${c}` } }, parent).end();
    }
    root.end();
  }
  const spans = memory.getFinishedSpans();
  const traceIds = [...new Set(spans.map((s) => s.spanContext().traceId))].map((hex) => Buffer.from(hex, 'hex'));
  const body = ProtobufTraceSerializer.serializeRequest(spans);
  if (!body) throw new Error(`the OTLP protobuf serializer returned nothing for ${spans.length} spans`);
  return { body: Buffer.from(body), traceIds };
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

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const template = await templateBody(o);
  const dataDir = mkdtempSync(join(tmpdir(), 'spanscope-ingest-'));
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const server = await spawnServer(dataDir, { seedDemoTraces: false, receivers: { otlpHttpPort: 0, zipkinPort: 0, datadogPort: 0, otlpGrpcPort: 0 } }, nodeArgs);
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let acknowledgedSpans = 0;
  let peakRss = 0;
  const serverPid = server.child.pid;
  if (serverPid === undefined) throw new Error('the spawned server has no pid');
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, rssMb(serverPid))), 250);

  // Each client sends its share of the rate on a fixed schedule (open loop: a slow server does not slow the senders).
  const requestsPerSecond = o.rate / o.spansPerRequest;
  const intervalMs = (1000 * o.clients) / requestsPerSecond;
  const started = performance.now();
  const endAt = started + o.seconds * 1000;
  const inFlight = new Set<Promise<void>>();
  await Promise.all(
    Array.from({ length: o.clients }, async (_, client) => {
      let next = started + (client * intervalMs) / o.clients;
      while (next < endAt) {
        const wait = next - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        next += intervalMs;
        const body = withFreshTraceIds(template);
        const sentAt = performance.now();
        const request = fetch(`${server.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array(body) })
          .then(async (res) => {
            await res.arrayBuffer();
            latencies.push(performance.now() - sentAt);
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            if (res.status === 200) acknowledgedSpans += o.spansPerRequest;
          })
          .catch(() => {
            statuses.set(0, (statuses.get(0) ?? 0) + 1);
          });
        inFlight.add(request);
        void request.finally(() => inFlight.delete(request));
      }
    }),
  );
  await Promise.all(inFlight);
  const elapsedS = (performance.now() - started) / 1000;
  clearInterval(rssTimer);

  // Kill without warning, then count what the database holds (a profiling run stops it gracefully instead).
  server.child.kill(process.env.BENCH_SERVER_NODE_ARGS?.includes('--cpu-prof') ? 'SIGTERM' : 'SIGKILL');
  await new Promise((r) => server.child.once('exit', r));
  const db = new Database(join(dataDir, 'spanscope.db'), { readonly: true });
  const storedSpans = (db.prepare('SELECT COALESCE(SUM(span_count), 0) AS n FROM received_batches').get() as { n: number }).n;
  const integrity = db.pragma('integrity_check', { simple: true });
  db.close();

  latencies.sort((a, b) => a - b);
  const result = {
    date: new Date().toISOString(),
    options: o,
    elapsedS: Number(elapsedS.toFixed(1)),
    offeredSpansPerS: o.rate,
    acceptedSpansPerS: Math.round(acknowledgedSpans / elapsedS),
    requests: latencies.length,
    statuses: Object.fromEntries(statuses),
    latencyMs: { p50: Number(percentile(latencies, 50).toFixed(1)), p99: Number(percentile(latencies, 99).toFixed(1)), max: Number((latencies.at(-1) ?? NaN).toFixed(1)) },
    serverPeakRssMb: Math.round(peakRss),
    acknowledgedSpans,
    storedSpansAfterKill: storedSpans,
    lost: Math.max(0, acknowledgedSpans - storedSpans),
    integrity,
  };
  console.log(JSON.stringify(result, null, 2));
  if (o.json) writeFileSync(o.json, JSON.stringify(result, null, 2));
  if (result.lost > 0 || integrity !== 'ok') process.exitCode = 1;
}

await main();
