// `npm run bench:links`: the link analyses at the scale — 10,000 traces × 10 spans with 20,000
// links: index, linked-traces graph, a 10,000-link fan-in summary, stored-context finder and business-key
// suggestions. Median of --runs (default 5) after one warm-up.
import { findStoredContexts } from '../src/core/analysis/context-finder.ts';
import { suggestBusinessKeys } from '../src/core/analysis/business-key.ts';
import { buildLinkIndex, traceGraph } from '../src/core/analysis/link-index.ts';
import { linkedSpanStats } from '../src/core/analysis/linked-span-stats.ts';
import { addNanos, type EpochNanos } from '../src/core/model/time.ts';
import { TraceModelBuilder } from '../src/core/model/trace-model-builder.ts';
import { median } from './median.ts';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const TRACES = 10_000;
const traceId = (t: number) => (t + 1).toString(16).padStart(32, '0');
const spanId = (n: number) => (n + 1).toString(16).padStart(16, '0');
/** 1,700,000,000,000,000,000 ns since the epoch. */
const ORIGIN: EpochNanos = { ms: 1_700_000_000_000, nsOfMs: 0 };

/** Trace t links its first child to trace t−1's root and its second to a span of a trace far back; the
 * last trace's root is a batch span linked from every trace's third child (10,000-link fan-in). */
function buildTraces() {
  const b = new TraceModelBuilder('otlp-json');
  for (let t = 0; t < TRACES; t++) {
    for (let s = 0; s < 10; s++) {
      b.addSpan({
        traceId: traceId(t),
        spanId: spanId(t * 10 + s),
        parentSpanId: s ? spanId(t * 10) : '',
        name: s ? `step ${s}` : 'handle order',
        service: `svc-${(t + s) % 40}`,
        start: addNanos(ORIGIN, t * 1_000_000 + s * 10_000),
        durationNs: 5_000 + ((t * 31 + s * 17) % 90_000),
      });
      if (s === 0) {
        b.attr('order.id', `o-${t >> 1}`);
        b.attr('http.route', '/orders');
      }
      if (s === 1 && t > 0) b.addLink(traceId(t - 1), spanId((t - 1) * 10), 'link');
      if (s === 2 && t < TRACES - 1) b.addLink(traceId(TRACES - 1), spanId((TRACES - 1) * 10), 'link');
    }
  }
  return b.build().traces;
}


function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const out = fn();
  return [out, performance.now() - t0];
}

const [traces, buildMs] = time(buildTraces);
const rows: Record<string, number[]> = { 'link index': [], 'linked-traces graph': [], 'fan-in stats (10k links)': [], 'stored-context finder': [], 'business-key suggestions': [] };
for (let run = 0; run <= runs; run++) {
  const [index, indexMs] = time(() => buildLinkIndex(traces));
  const [graph, graphMs] = time(() => traceGraph(index, 0));
  const [stats, statsMs] = time(() => linkedSpanStats(index, { trace: TRACES - 1, span: 0 }, 'incoming'));
  const [, contextMs] = time(() => findStoredContexts(traces));
  const [, keysMs] = time(() => suggestBusinessKeys(traces));
  if (run === 0) {
    console.log(`${TRACES} traces × 10 spans, ${index.edgeCount} links (built in ${buildMs.toFixed(0)} ms); graph ${graph.nodes.length} nodes; fan-in ${stats.count} spans`);
    continue; // warm-up
  }
  rows['link index'].push(indexMs);
  rows['linked-traces graph'].push(graphMs);
  rows['fan-in stats (10k links)'].push(statsMs);
  rows['stored-context finder'].push(contextMs);
  rows['business-key suggestions'].push(keysMs);
}
console.log(`| step | median ms (${runs} runs) | min | max |\n|---|---|---|---|`);
for (const [name, xs] of Object.entries(rows)) console.log(`| ${name} | ${median(xs).toFixed(1)} | ${Math.min(...xs).toFixed(1)} | ${Math.max(...xs).toFixed(1)} |`);
