// `npm run bench:views`: the analyses behind the service graph, statistics, flamegraph and comparison
// views (src/core/analysis), on one 1M-span trace (bench/generate-trace.ts's OTLP file, shared with
// `npm run bench` in bench/out/, regenerated when the generator is newer) and on 10,000 traces of 100
// spans in one load (built here). Median of 3 runs each, in this process, after one warm-up run.
//
//   node --import tsx bench/bench-views.ts [--runs 3] [--spans 1M] [--traces 10000]
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildMergedFlameTree, icicleLayout, visibleFlameRects } from '../src/core/analysis/flame-tree.ts';
import { buildOperationGraph } from '../src/core/analysis/operation-graph.ts';
import { buildServiceGraph, type ServiceGraph } from '../src/core/analysis/service-graph.ts';
import { defaultLayout, layoutGraph, type LayoutAlgorithm } from '../src/core/layout/graph-layout.ts';
import { computeSpanStats } from '../src/core/analysis/span-stats.ts';
import { diffTraces } from '../src/core/analysis/trace-diff.ts';
import { loadBytes } from '../src/core/import/index.ts';
import { TraceModelBuilder } from '../src/core/model/trace-model-builder.ts';
import type { SpanKind, TraceModel } from '../src/core/model/trace-model.ts';
import { makeRng } from '../src/core/rng.ts';
import { formatCount } from './bench.ts';
import { generateTrace, parseCount } from './generate-trace.ts';
import { median } from './median.ts';

const OUT_DIR = join(import.meta.dirname, 'out');

function arg(name: string, fallback: string): string {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 && process.argv[k + 1] ? process.argv[k + 1] : fallback;
}

async function bigTrace(spans: number): Promise<TraceModel> {
  const file = join(OUT_DIR, `gen-otlp-${formatCount(spans)}.json`);
  const generator = join(import.meta.dirname, 'generate-trace.ts');
  if (!existsSync(file) || statSync(file).mtimeMs < statSync(generator).mtimeMs) {
    mkdirSync(OUT_DIR, { recursive: true });
    console.error(`generating ${file}…`);
    generateTrace(file, { spans, format: 'otlp' });
  }
  console.error(`loading ${file}…`);
  const { traces } = await loadBytes(new Uint8Array(readFileSync(file)));
  return traces[0];
}

const SERVICES = Array.from({ length: 40 }, (_, k) => `service-${k}`);
const OPERATIONS = ['GET /items/{id}', 'POST /orders', 'handle', 'validate', 'render', 'load', 'save', 'authorize'];

/** `count` traces of `spansPerTrace` spans in one load: service hops, database and Kafka calls, errors. */
function smallTraces(count: number, spansPerTrace: number): readonly TraceModel[] {
  const rand = makeRng(7);
  const b = new TraceModelBuilder('otlp-json');
  const service = new Uint8Array(spansPerTrace);
  const start = new Float64Array(spansPerTrace);
  const duration = new Float64Array(spansPerTrace);
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  for (let t = 0; t < count; t++) {
    const traceId = hex(t + 1, 32);
    for (let i = 0; i < spansPerTrace; i++) {
      const parent = i === 0 ? -1 : rand() < 0.5 ? i - 1 : Math.floor(rand() * i);
      service[i] = parent < 0 || rand() < 0.3 ? Math.floor(rand() * SERVICES.length) : service[parent];
      start[i] = parent < 0 ? 0 : start[parent] + Math.floor(rand() * duration[parent] * 0.5);
      duration[i] = parent < 0 ? 5e8 : Math.floor((start[parent] + duration[parent] - start[i]) * rand());
      const r = rand();
      const kind: SpanKind = parent >= 0 && service[i] !== service[parent] ? 'server' : r < 0.15 ? 'client' : r < 0.18 ? 'producer' : 'internal';
      b.addSpan({
        traceId,
        spanId: hex(t * spansPerTrace + i + 1, 16),
        parentSpanId: parent < 0 ? '' : hex(t * spansPerTrace + parent + 1, 16),
        name: OPERATIONS[Math.floor(rand() * OPERATIONS.length)],
        service: SERVICES[service[i]],
        kind,
        start: { ms: 1_735_689_600_000 + t * 10 + Math.floor(start[i] / 1e6), nsOfMs: start[i] % 1e6 },
        durationNs: duration[i],
        status: rand() < 0.03 ? 'error' : 'unset',
      });
      b.attr('http.response.status_code', 200);
      if (kind === 'client') {
        b.attr('db.system.name', r < 0.1 ? 'postgresql' : 'redis');
        b.attr('db.namespace', 'shop');
      } else if (kind === 'producer') {
        b.attr('messaging.system', 'kafka');
        b.attr('messaging.destination.name', 'orders');
      }
    }
  }
  return b.build().traces;
}

/** As the service graph view asks its layout worker (node size and gaps as there). */
function layoutServiceGraph(graph: ServiceGraph, algorithm: LayoutAlgorithm) {
  return layoutGraph({ nodeCount: graph.nodes.length, edges: graph.edges, nodeWidth: 220, nodeHeight: 56, rankGap: 150, nodeGap: 28 }, algorithm);
}

interface Measured {
  readonly input: string;
  readonly analysis: string;
  readonly runsMs: readonly number[];
  /** CPU time of the process (all its threads: GC helpers too) per run: steadier than wall time on a shared machine. */
  readonly cpuMs: readonly number[];
}

function measure(input: string, analysis: string, runs: number, fn: () => unknown): Measured {
  fn(); // warm-up: compiles the code paths
  const runsMs: number[] = [];
  const cpuMs: number[] = [];
  for (let r = 0; r < runs; r++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    runsMs.push(performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    cpuMs.push((cpu.user + cpu.system) / 1000);
  }
  const m = { input, analysis, runsMs, cpuMs };
  console.error(`${input} · ${analysis}: ${median(runsMs).toFixed(0)} ms`);
  return m;
}


async function benchBigTrace(spans: number, runs: number): Promise<Measured[]> {
  const big = await bigTrace(spans);
  const label = `1 trace × ${big.spanCount.toLocaleString('en')} spans`;
  const layout = icicleLayout(big);
  const end = big.traceDurationNs;
  const bigGraph = buildServiceGraph([big]);
  return [
    measure(label, 'service graph', runs, () => buildServiceGraph([big])),
    measure(label, 'service graph layout (as the view picks it)', runs, () => layoutServiceGraph(bigGraph, defaultLayout(bigGraph.nodes.length, bigGraph.edges.length))),
    measure(label, 'stats per service', runs, () => computeSpanStats([big], { by: 'service' })),
    measure(label, 'stats per operation', runs, () => computeSpanStats([big], { by: 'operation' })),
    measure(label, 'icicle layout', runs, () => icicleLayout(big)),
    measure(label, 'icicle rects, whole trace, 1600 px', runs, () => visibleFlameRects(big, layout, { startNs: 0, endNs: end, widthPx: 1600 })),
    measure(label, 'icicle rects, 1% window, 1600 px', runs, () => visibleFlameRects(big, layout, { startNs: end * 0.4, endNs: end * 0.41, widthPx: 1600 })),
    measure(label, 'merged flamegraph', runs, () => buildMergedFlameTree([big])),
    measure(label, 'operation graph', runs, () => buildOperationGraph([big])),
    measure(label, 'diff against itself', runs, () => diffTraces(big, big)),
  ];
}

function benchManyTraces(traceCount: number, runs: number): Measured[] {
  console.error(`building ${traceCount} traces × 100 spans…`);
  const many = smallTraces(traceCount, 100);
  const label = `${many.length.toLocaleString('en')} traces × 100 spans`;
  const manyGraph = buildServiceGraph(many);
  return [
    measure(label, 'service graph', runs, () => buildServiceGraph(many)),
    measure(label, 'service graph layout (as the view picks it)', runs, () => layoutServiceGraph(manyGraph, defaultLayout(manyGraph.nodes.length, manyGraph.edges.length))),
    measure(label, 'stats per service', runs, () => computeSpanStats(many, { by: 'service' })),
    measure(label, 'stats per operation', runs, () => computeSpanStats(many, { by: 'operation' })),
    measure(label, 'icicle layout + rects, each trace', runs, () =>
      many.forEach((m) => visibleFlameRects(m, icicleLayout(m), { startNs: 0, endNs: m.traceDurationNs, widthPx: 1600 })),
    ),
    measure(label, 'merged flamegraph of all', runs, () => buildMergedFlameTree(many)),
    measure(label, 'operation graph', runs, () => buildOperationGraph(many)),
  ];
}

async function main(): Promise<void> {
  const runs = Number(arg('runs', '3'));
  // One input at a time: the 1M-span model is garbage before the small traces are built, so their
  // collections do not pay for marking it.
  const results = [...(await benchBigTrace(parseCount(arg('spans', '1M')), runs)), ...benchManyTraces(parseCount(arg('traces', '10000')), runs)];
  console.log(`\n| input | analysis | median ms | runs ms | median CPU ms |\n|---|---|---:|---|---:|`);
  for (const r of results) {
    console.log(`| ${r.input} | ${r.analysis} | ${median(r.runsMs).toFixed(0)} | ${r.runsMs.map((x) => x.toFixed(0)).join(', ')} | ${median(r.cpuMs).toFixed(0)} |`);
  }
}

await main();
