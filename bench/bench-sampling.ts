// The sampling lab's case of `npm run bench`: the reference policy of issue #18 (errors, slow ≥ 1 s, 10 %
// probabilistic) behind parentbased_traceidratio 0.1, evaluated and summarized over
//   - 100,000 traces × 10 spans built in memory (durations spread over 1 ms – 3 s, 2 % error spans), and
//   - a 1M-span file (the generated OTLP file of the load bench), loaded once, then evaluated.
// Times are medians of evaluateSampling + summarizeSampling, load excluded, run cold (a fresh TraceFacts
// each time: every span labelled, every trace sized, as for the first evaluation after a load) and warm
// (one TraceFacts shared, as the lab's worker keeps it while a file stays loaded and the YAML is edited).
//   node --import tsx bench/bench-sampling.ts [--runs 5] [--file big.json]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadBytes } from '../src/core/import/index.ts';
import { TraceModelBuilder } from '../src/core/model/trace-model-builder.ts';
import type { TraceModel } from '../src/core/model/trace-model.ts';
import { makeRng } from '../src/core/rng.ts';
import { parseSamplingConfig } from '../src/core/sampling/config.ts';
import { evaluateSampling } from '../src/core/sampling/evaluate.ts';
import { parseHeadSampler, type HeadSampler } from '../src/core/sampling/head-sampler.ts';
import { REFERENCE_CONFIG } from '../src/core/sampling/reference-config.ts';
import { summarizeSampling } from '../src/core/sampling/summary.ts';
import { TraceFacts } from '../src/core/sampling/trace-facts.ts';
import { median } from './median.ts';


export interface SamplingBenchRow {
  readonly input: string;
  readonly traces: number;
  readonly spans: number;
  readonly coldTotalMs: readonly number[];
  readonly warmTotalMs: readonly number[];
  readonly medianColdEvaluateMs: number;
  readonly medianColdTotalMs: number;
  readonly medianWarmEvaluateMs: number;
  readonly medianWarmTotalMs: number;
  readonly kept: number;
}

/** `traces` traces of `spansPerTrace` spans each: a root and children, one second apart. */
export function buildManyTraces(traces: number, spansPerTrace: number, seed = 7): TraceModel[] {
  const rand = makeRng(seed);
  const hex = (n: number) => Math.floor(rand() * 2 ** 32).toString(16).padStart(8, '0').slice(0, n);
  const b = new TraceModelBuilder('otlp-json');
  const services = Array.from({ length: 12 }, (_, i) => b.addResource(`service-${i}`));
  for (let t = 0; t < traces; t++) {
    const traceId = hex(8) + hex(8) + hex(8) + hex(8);
    const rootMs = 1_735_689_600_000 + t * 10;
    // Log-uniform 1 ms – 3 s.
    const durationMs = Math.exp(rand() * Math.log(3000));
    for (let s = 0; s < spansPerTrace; s++) {
      const service = Math.floor(rand() * services.length);
      const offsetMs = s === 0 ? 0 : rand() * durationMs * 0.5;
      b.addSpan({
        traceId,
        spanId: hex(8) + (s + 1).toString(16).padStart(8, '0'),
        parentSpanId: s === 0 ? '' : traceId.slice(0, 8) + '00000001',
        name: `op-${s % 5}`,
        service: `service-${service}`,
        resource: services[service],
        start: { ms: rootMs + Math.floor(offsetMs), nsOfMs: 0 },
        durationNs: (s === 0 ? durationMs : (durationMs - offsetMs) * rand()) * 1e6,
        status: rand() < 0.02 ? 'error' : 'unset',
      });
      b.attr('http.route', `/api/v1/items/${s}`);
      b.attr('http.status_code', 200, 'int');
    }
  }
  return b.build().traces as TraceModel[];
}


function measure(input: string, models: readonly TraceModel[], runs: number, head: HeadSampler): SamplingBenchRow {
  const config = parseSamplingConfig(REFERENCE_CONFIG);
  const run = (facts: TraceFacts) => {
    const t0 = performance.now();
    const evaluation = evaluateSampling(models, config, head, facts);
    const t1 = performance.now();
    summarizeSampling(models, evaluation, facts);
    const t2 = performance.now();
    return { evaluateMs: Math.round(t1 - t0), totalMs: Math.round(t2 - t0), kept: evaluation.decisions.filter((d) => d.kept).length };
  };
  const cold = Array.from({ length: runs }, () => run(new TraceFacts()));
  const facts = new TraceFacts();
  run(facts);
  const warm = Array.from({ length: runs }, () => run(facts));
  const spans = models.reduce((n, m) => n + m.spanCount, 0);
  return {
    input,
    traces: models.length,
    spans,
    kept: cold[0].kept,
    coldTotalMs: cold.map((r) => r.totalMs),
    warmTotalMs: warm.map((r) => r.totalMs),
    medianColdEvaluateMs: median(cold.map((r) => r.evaluateMs)),
    medianColdTotalMs: median(cold.map((r) => r.totalMs)),
    medianWarmEvaluateMs: median(warm.map((r) => r.evaluateMs)),
    medianWarmTotalMs: median(warm.map((r) => r.totalMs)),
  };
}

export async function benchSampling(options: { readonly runs: number; readonly bigFile: string | undefined; readonly log: (m: string) => void }): Promise<SamplingBenchRow[]> {
  const head = parseHeadSampler('parentbased_traceidratio:0.1') as HeadSampler;
  options.log('sampling: building 100,000 traces × 10 spans…');
  const rows = [measure('100k traces × 10 spans', buildManyTraces(100_000, 10), options.runs, head)];
  if (options.bigFile) {
    options.log(`sampling: loading ${options.bigFile}…`);
    const collection = await loadBytes(readFileSync(options.bigFile), { fileName: options.bigFile });
    rows.push(measure(`file ${options.bigFile.split('/').pop()}`, collection.traces, options.runs, head));
  }
  return rows;
}

export function formatSamplingTable(rows: readonly SamplingBenchRow[]): string {
  const header = ['sampling input', 'traces', 'spans', 'kept', 'cold evaluate ms', 'cold evaluate+summary ms', 'warm evaluate ms', 'warm evaluate+summary ms', 'runs cold | warm (total ms)'];
  const body = rows.map((r) => [
    r.input,
    String(r.traces),
    String(r.spans),
    String(r.kept),
    String(r.medianColdEvaluateMs),
    String(r.medianColdTotalMs),
    String(r.medianWarmEvaluateMs),
    String(r.medianWarmTotalMs),
    `${r.coldTotalMs.join(' ')} | ${r.warmTotalMs.join(' ')}`,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const at = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const rows = await benchSampling({ runs: Number(at('--runs') ?? 5), bigFile: at('--file'), log: (m) => process.stderr.write(`${m}\n`) });
  process.stdout.write(`${formatSamplingTable(rows)}\n`);
}
