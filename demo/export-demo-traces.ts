// `npm run demo:export`: runs the demo against a private Spanscope server and writes the scenarios'
// traces, as the receivers assembled them, to OTLP/JSON NDJSON files: public/demo/ (the demo traces the
// app ships) and fixtures/demo/ (the tests' fixtures), with the related traces of a scenario in one file
// so its span links resolve.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { otlpJsonChunks } from '../src/core/export/otlp-json.ts';
import { importTraces } from '../src/core/import/index.ts';
import { DEFAULT_SHARE_QUOTA, DEFAULT_UPLOAD_RATE_LIMIT, NO_AUTH } from '../server/access-config.ts';
import { DEFAULT_LIMITS, DEFAULT_RECEIVERS, DEFAULT_RETENTION } from '../server/config.ts';
import { PACKAGE_DIR, startServer } from '../server/start-server.ts';
import { repoRelativePaths } from './repo-relative-paths.ts';

interface Summary {
  successfulOrder: { traceId: string };
  failedPayment: { traceId: string };
  slowInventory: { traceId: string };
  batch: { traceId: string; orders: { traceId: string }[] };
  asyncWithContext: { publisherTraceId: string; jobs: { apiTraceId: string; workerTraceId: string }[] };
  asyncWithoutContext: { publisherTraceId: string; jobs: { apiTraceId: string; publishTraceId: string; workerTraceId: string }[] };
}

interface DemoEntry {
  readonly file: string;
  readonly title: string;
  readonly format: string;
  readonly description: string;
}

const dataDir = mkdtempSync(join(tmpdir(), 'spanscope-demo-export-'));
const server = await startServer(
  {
    host: '127.0.0.1',
    port: 0,
    allowedHosts: [],
    dataDir,
    backends: [],
    embeddedName: 'local',
    defaultBackend: 'local',
    sharing: { enabled: false, ...DEFAULT_SHARE_QUOTA },
    rateLimit: DEFAULT_UPLOAD_RATE_LIMIT,
    auth: NO_AUTH,
    urlAllowlist: [],
    serveSourceMaps: false,
    limits: DEFAULT_LIMITS,
    staticDir: join(PACKAGE_DIR, 'dist'),
    seedDemoTraces: false,
    receivers: { ...DEFAULT_RECEIVERS, otlpHttpPort: 0, zipkinPort: 0, datadogPort: 0, otlpGrpcPort: 0 },
    retention: DEFAULT_RETENTION,
  },
  false,
);

const summaryFile = join(dataDir, 'summary.json');
const demo = spawn(process.execPath, ['--import', 'tsx', join(PACKAGE_DIR, 'demo', 'run-demo.ts'), '--summary', summaryFile], {
  stdio: 'inherit',
  env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: server.url, OTEL_EXPORTER_ZIPKIN_ENDPOINT: `${server.url}/api/v2/spans`, DD_TRACE_AGENT_URL: server.url },
});
const code = await new Promise<number | null>((resolve) => demo.once('exit', resolve));
if (code !== 0) throw new Error(`the demo exited with ${code}`);
const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as Summary;

/** The traces as one OTLP/JSON NDJSON document (a Zipkin-only trace is converted). */
function documentOf(traceIds: readonly string[]): string {
  const lines: string[] = [];
  for (const traceId of new Set(traceIds)) {
    const doc = server.live.document(traceId);
    if (!doc) throw new Error(`the server received nothing for trace ${traceId}`);
    const text = Buffer.from(doc).toString('utf8');
    const otlp = text.startsWith('[') ? [...otlpJsonChunks(importTraces(doc))].join('') : text;
    lines.push(repoRelativePaths(otlp, PACKAGE_DIR));
  }
  return `${lines.join('\n')}\n`;
}

const restored = summary.asyncWithContext;
const lost = summary.asyncWithoutContext;
const exports: (DemoEntry & { traceIds: string[] })[] = [
  {
    file: 'demo-orders.jsonl',
    title: 'Orders across four services',
    format: 'OTLP NDJSON',
    description: 'api-gateway → order-service (PostgreSQL) → inventory and payment: a paid order, a failed payment with its exception, a slow reservation.',
    traceIds: [summary.successfulOrder.traceId, summary.failedPayment.traceId, summary.slowInventory.traceId],
  },
  {
    file: 'demo-batch-links.jsonl',
    title: 'Batch job with span links',
    format: 'OTLP NDJSON',
    description: `A batch span linked to the ${summary.batch.orders.length} order traces it processed in parallel.`,
    traceIds: [summary.batch.traceId, ...summary.batch.orders.map((o) => o.traceId)],
  },
  {
    file: 'demo-async-restored.jsonl',
    title: 'Async pipeline, context restored',
    format: 'OTLP NDJSON',
    description: 'API → outbox row with traceparent and x-datadog ids → publisher → Redis stream → worker, joined by the stored context.',
    traceIds: [...restored.jobs.map((j) => j.apiTraceId), restored.publisherTraceId],
  },
  {
    file: 'demo-async-lost.jsonl',
    title: 'Async pipeline, context lost',
    format: 'OTLP NDJSON',
    description: 'The same pipeline without restoring the stored context: request, publisher and worker fall apart into separate traces.',
    traceIds: [...lost.jobs.flatMap((j) => [j.apiTraceId, j.publishTraceId, j.workerTraceId]), lost.publisherTraceId],
  },
];

// The demo's own scenarios first, then the real-world files.
const index = (JSON.parse(readFileSync(join(PACKAGE_DIR, 'public', 'demo', 'index.json'), 'utf8')) as DemoEntry[]).filter((e) => !exports.some((x) => x.file === e.file));
for (const { traceIds, ...entry } of exports.toReversed()) {
  const text = documentOf(traceIds);
  for (const dir of [join(PACKAGE_DIR, 'public', 'demo'), join(PACKAGE_DIR, 'fixtures', 'demo')]) writeFileSync(join(dir, entry.file), text);
  index.unshift(entry);
  console.log(`${entry.file}: ${traceIds.length} traces, ${text.length} bytes`);
}
writeFileSync(join(PACKAGE_DIR, 'public', 'demo', 'index.json'), `[\n${index.map((e) => `  ${JSON.stringify(e)}`).join(',\n')}\n]\n`);
await server.close();
