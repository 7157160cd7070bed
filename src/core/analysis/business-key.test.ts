import { describe, expect, it } from 'vitest';
import { loadFixture } from '../import/fixture-test-helpers.ts';
import { spanName, type TraceModel } from '../model/trace-model.ts';
import { groupByBusinessKey, suggestBusinessKeys, type BusinessKeyGroup } from './business-key.ts';
import { drawTraces } from './linked-traces-test-helpers.ts';
import { formatInferredVia, type SpanRef } from './span-ref.ts';

const named = (traces: readonly TraceModel[], ref: SpanRef | undefined) => (ref ? `${ref.trace}:${spanName(traces[ref.trace], ref.span)}` : '-');
const groupText = (traces: readonly TraceModel[], g: BusinessKeyGroup) => ({
  value: g.value,
  traces: g.traces,
  spans: g.spans.map((r) => named(traces, r)),
  links: g.links.map((l) => `${named(traces, l.from)} → ${named(traces, l.to)} (${formatInferredVia(l.via)})`),
});

describe('business keys: drawn traces', () => {
  // Context was lost at each hop: three traces per order, joined only by order.id (a string in one
  // trace, an integer in another: both are the text "7"). env is the same everywhere; tier repeats.
  const drawn = drawTraces(`
    trace api-1
      post1     [====]                           attr.order.id=7 attr.env=prod attr.tier=gold
    trace api-2
      post2      [====]                          attr.order.id=8 attr.env=prod attr.tier=gold
    trace publish
      batch           [=========]                attr.env=prod
        pub7           [=]                       attr.order.id=7
        pub8               [=]                   attr.order.id=int:8
    trace worker-7
      work7                      [====]          attr.order.id=int:7 attr.env=prod attr.tier=gold
    trace worker-8
      work8                        [====]        attr.order.id=8 attr.env=prod attr.tier=silver attr.span_id=8
  `);

  it('ranks order.id first and leaves out constants and id-like context keys', () => {
    const suggestions = suggestBusinessKeys(drawn.traces);
    expect(suggestions.map((s) => [s.key, s.score])).toEqual([
      ['order.id', 0.5],
      ['tier', 0.5 * 0.5 * 0.9 * 0.5], // gold recurs, silver does not; 4 of 5 traces; not named like an id
    ]);
    expect(suggestions[0]).toEqual({
      key: 'order.id',
      score: 0.5, // every value shared, by 3 traces each, in every trace, named like an id; only 2 values: 1 − ½
      tracesWithKey: 5,
      distinctValues: 2,
      sharedValues: 2,
      reason: '2 of 2 values recur across traces (3.0 traces each on average), in 5 of 5 traces; named like an id',
    });
  });

  it('groups the traces of each order in time order, with a chain of inferred links', () => {
    expect(groupByBusinessKey(drawn.traces, 'order.id').map((g) => groupText(drawn.traces, g))).toEqual([
      {
        value: '7',
        traces: [0, 2, 3],
        spans: ['0:post1', '2:pub7', '3:work7'],
        links: ['2:pub7 → 0:post1 (order.id = 7)', '3:work7 → 2:pub7 (order.id = 7)'],
      },
      {
        value: '8',
        traces: [1, 2, 4],
        spans: ['1:post2', '2:pub8', '4:work8'],
        links: ['2:pub8 → 1:post2 (order.id = 8)', '4:work8 → 2:pub8 (order.id = 8)'],
      },
    ]);
    const link = groupByBusinessKey(drawn.traces, 'order.id')[0].links[0];
    expect([link.traceId, link.spanId]).toEqual([drawn.traces[0].traceId, drawn.traces[0].spanIds[0]]);
    expect(groupByBusinessKey(drawn.traces, 'no.such.key')).toEqual([]);
  });
});

describe('business keys: the demo flow whose context was lost', () => {
  it('suggests job.id, then messaging.message.id, and rejoins request → publisher → worker per job', async () => {
    const { traces } = await loadFixture('demo/demo-async-lost.jsonl');
    expect(traces.length).toBe(7);
    const suggestions = suggestBusinessKeys(traces);
    expect(suggestions.slice(0, 3).map((s) => [s.key, s.tracesWithKey, s.distinctValues, s.sharedValues])).toEqual([
      ['job.id', 7, 3, 3],
      ['messaging.message.id', 4, 3, 3],
      ['job.kind', 6, 3, 3],
    ]);
    const groups = groupByBusinessKey(traces, 'job.id').map((g) => groupText(traces, g));
    // Traces 0-2: jobs-api (dd-trace) requests; 3: the publisher's batch; 4-6: the worker, one per job.
    expect(groups).toEqual(
      ['4', '5', '6'].map((value, k) => ({
        value,
        traces: [k, 3, 4 + k],
        spans: [`${k}:jobs.enqueue`, '3:send job-events', `${4 + k}:process job-events`],
        links: [`3:send job-events → ${k}:jobs.enqueue (job.id = ${value})`, `${4 + k}:process job-events → 3:send job-events (job.id = ${value})`],
      })),
    );
    const byMessage = groupByBusinessKey(traces, 'messaging.message.id');
    expect(byMessage.map((g) => g.traces)).toEqual([
      [3, 4],
      [3, 5],
      [3, 6],
    ]);
    // The Redis stream ids the worker consumed, as recorded on its spans (they change with each demo run).
    const consumed = [4, 5, 6].map((t) => String(traces[t].stores.attributes.find(traces[t].attrStart[0], traces[t].attrCount[0], 'messaging.message.id')));
    expect(byMessage.map((g) => g.value)).toEqual(consumed);
    for (const id of consumed) expect(id).toMatch(/^\d{13}-\d+$/);
  });
});
