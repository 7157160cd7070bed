import { assert, describe, expect, it } from 'vitest';
import { loadFixture } from '../import/fixture-test-helpers.ts';
import { parseSamplingConfig } from './config.ts';
import { evaluateSampling } from './evaluate.ts';
import { parseHeadSampler, type HeadSampler } from './head-sampler.ts';
import { REFERENCE_CONFIG } from './reference-config.ts';
import { buildSpans } from './sampling-test-helpers.ts';
import { summarizeSampling } from './summary.ts';
import { TraceFacts } from './trace-facts.ts';

const KEEP_BATCH = `policies: [{name: batch, type: ottl_condition, ottl_condition: {span: ['name == "order-batch import"']}}]`;

describe('summarizeSampling', () => {
  it('batch links: keeping only the batch trace cuts its 8 links to the orders and their 8 links back', async () => {
    const c = await loadFixture('demo/demo-batch-links.jsonl');
    const s = summarizeSampling(c.traces, evaluateSampling(c.traces, parseSamplingConfig(KEEP_BATCH)));
    expect(s.tailAlone.kept.traces).toBe(1);
    expect(s.loss.linksCut).toMatchObject({ links: 16, tracePairs: 16 });
    expect(new Set(s.loss.linksCut.examples.map((x) => x.kept))).toEqual(new Set(['from', 'to']));
    expect(s.loss.servicesWithNoKeptTrace.map((x) => x.service).sort()).toEqual(['inventory-service', 'order-service', 'payment-service']);
    expect(s.loss.operationsWithNoKeptTrace.examples.find((o) => o.operation === 'payment.charge')).toEqual({ service: 'payment-service', operation: 'payment.charge', traces: 8 });
    expect(s.loss.errorTraces).toEqual({ total: 1, dropped: 1 });
  });

  it('counts and percentages for head alone, tail alone and both; bytes are the Collector\'s estimate', async () => {
    const c = await loadFixture('demo/demo-orders.jsonl');
    const e = evaluateSampling(c.traces, parseSamplingConfig(REFERENCE_CONFIG), parseHeadSampler('always_on') as HeadSampler);
    const s = summarizeSampling(c.traces, e);
    const spans = c.traces.reduce((n, m) => n + m.spanCount, 0);
    expect(s.total).toMatchObject({ traces: 3, spans });
    expect(s.headAlone?.keptPercent).toEqual({ traces: 100, spans: 100, bytes: 100 });
    // Only the failed payment is kept by the tail (see evaluate.test.ts).
    const failed = e.decisions.find((d) => c.traces[d.trace].errorCount > 0);
    assert(failed, 'the failed payment is among the decisions');
    expect(s.tailAlone.kept).toEqual({ traces: 1, spans: failed.spans, bytes: failed.bytes });
    expect(s.both).toEqual(s.tailAlone);
    expect(s.tailAlone.keptPercent.traces).toBe(33.33);
    expect(s.policies.map((p) => [p.name, p.matched, p.decided])).toEqual([
      ['errors-policy', 1, 1],
      ['slow-traces-policy', 0, 0],
      ['probabilistic-policy', 0, 0],
    ]);
  });

  it('slow traces dropped: at or above p95 / p99 of the trace durations; the latency histogram', () => {
    // 20 one-span traces of 1…20 ms; keep those under 10 ms.
    const c = buildSpans(Array.from({ length: 20 }, (_, i) => ({ traceId: (i + 1).toString(16).padStart(32, '0'), durationMs: i + 1, attrs: { fast: i + 1 < 10 } })));
    const s = summarizeSampling(c.traces, evaluateSampling(c.traces, parseSamplingConfig('policies: [{name: fast, type: boolean_attribute, boolean_attribute: {key: fast, value: true}}]')));
    expect(s.loss.slowTraces).toEqual({ p95Ms: 19, p99Ms: 20, atOrAboveP95: 2, droppedAtOrAboveP95: 2, atOrAboveP99: 1, droppedAtOrAboveP99: 1 });
    const { upperBoundsMs, all, kept } = s.latencyHistogram;
    expect(upperBoundsMs.slice(0, 5)).toEqual([1, 2, 5, 10, 20]);
    expect(all.slice(0, 5)).toEqual([1, 1, 3, 5, 10]);
    expect(kept.slice(0, 5)).toEqual([1, 1, 3, 4, 0]);
  });

  it('operations left with no trace: all counted, the first 50 listed by traces then service then name', () => {
    // Trace a: 60 operations op-00…op-59 of svc-b plus "shared" of svc-a; trace b (kept): "shared" of svc-a.
    const a = '0a'.padStart(32, '0');
    const b = '0b'.padStart(32, '0');
    const c = buildSpans([
      { traceId: a, name: 'shared', service: 'svc-a' },
      ...Array.from({ length: 60 }, (_, i) => ({ traceId: a, name: `op-${String(59 - i).padStart(2, '0')}`, service: 'svc-b' })),
      { traceId: a, name: 'op-59', service: 'svc-c' },
      { traceId: b, name: 'shared', service: 'svc-a', attrs: { keep: true } },
      { traceId: b, name: 'op-59', service: 'svc-c' },
    ]);
    const e = evaluateSampling(c.traces, parseSamplingConfig('policies: [{name: keep, type: boolean_attribute, boolean_attribute: {key: keep, value: true}}]'));
    const s = summarizeSampling(c.traces, e);
    const lost = s.loss.operationsWithNoKeptTrace;
    expect(lost.count).toBe(60);
    expect(lost.examples).toHaveLength(50);
    expect(lost.examples[0]).toEqual({ service: 'svc-b', operation: 'op-00', traces: 1 });
    expect(lost.examples[49]).toEqual({ service: 'svc-b', operation: 'op-49', traces: 1 });
    expect(s.loss.servicesWithNoKeptTrace).toEqual([{ service: 'svc-b', traces: 1 }]);
    // The same facts again (the lab's next evaluation) give the same summary.
    const facts = new TraceFacts();
    const first = summarizeSampling(c.traces, evaluateSampling(c.traces, e.config, undefined, facts), facts);
    expect(summarizeSampling(c.traces, evaluateSampling(c.traces, e.config, undefined, facts), facts)).toEqual(first);
    expect(first).toEqual(s);
    // Facts that know more traces than are evaluated (the workspace keeps them for all it holds): only
    // the evaluated traces' operations count. Trace b alone is kept: nothing is lost.
    const onlyB = c.traces.filter((m) => m.traceId === b);
    const subset = summarizeSampling(onlyB, evaluateSampling(onlyB, e.config, undefined, facts), facts);
    expect([subset.loss.operationsWithNoKeptTrace, subset.loss.servicesWithNoKeptTrace]).toEqual([{ count: 0, examples: [] }, []]);
  });
});
