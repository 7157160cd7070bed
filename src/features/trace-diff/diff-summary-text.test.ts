import { describe, expect, it } from 'vitest';
import { timeline } from '../../core/analysis/analysis-test-helpers.ts';
import { diffTraces } from '../../core/analysis/trace-diff.ts';
import { loadFixture } from '../../core/import/fixture-test-helpers.ts';
import { callCounts, errorSentence, formatDelta, formatPercentChange, headline, leadSentence, pathSentence, structureSentence } from './diff-summary-text.ts';

async function demoOrders() {
  const [paid, failed, slow] = (await loadFixture('demo/demo-orders.jsonl')).traces; // start order
  return { paid, failed, slow };
}

describe('the comparison in words', () => {
  it('a slow reservation (B) against a paid order (A): where the extra 817ms went', async () => {
    const { paid, slow } = await demoOrders();
    const diff = diffTraces(paid, slow);
    expect(headline(diff.summary)).toBe('B took 817.3ms longer than A (+581%, 6.8× as long).');
    expect(leadSentence(diff)).toBe('Most of the extra time: inventory-service: inventory.reserve +887.7ms self time (1 call in each).');
    expect(structureSentence(diff)).toBe('16 spans match; 1 only in A (order-service: pg.connect); none only in B.');
    expect(errorSentence(diff.summary)).toBeUndefined();
    expect(Array.from(diff.summary.topPaths.slice(0, 3), (k) => pathSentence(diff.paths, k))).toEqual([
      'inventory-service: inventory.reserve +887.7ms self time (1 call in each)',
      // order-service's two POSTs are two operations (span-label.ts): the reservation and the payment.
      'api-gateway: POST /orders \u221224.43ms self time (1 call in each)',
      'order-service: POST /reserve \u221216.12ms self time (1 call in each)',
    ]);
  });

  it('B faster: the time saved, and the errors of a failed payment', async () => {
    const { paid, failed } = await demoOrders();
    const diff = diffTraces(paid, failed);
    expect(headline(diff.summary)).toBe('B took 74.29ms less than A (\u221253%).');
    // api-gateway's client span shrank by 29.46ms of the 74.29ms: the largest part, not most of it.
    expect(leadSentence(diff)).toBe('The largest part of the time saved: api-gateway: POST /orders \u221229.46ms self time (1 call in each).');
    expect(errorSentence(diff.summary)).toBe('Errors: none in A, 4 in B.');
    expect(structureSentence(diffTraces(failed, paid))).toBe('16 spans match; none only in A; 1 only in B (order-service: pg.connect).');
  });

  it('counts calls, deltas and percentages', () => {
    expect([callCounts(1, 1), callCounts(2, 2), callCounts(1, 3), callCounts(0, 2), callCounts(1, 0)]).toEqual([
      '1 call in each',
      '2 calls in each',
      '3 calls in B vs 1 in A',
      'only in B: 2 calls',
      'only in A: 1 call',
    ]);
    expect([formatDelta(412_000_000), formatDelta(-1_500), formatDelta(0)]).toEqual(['+412ms', '\u22121.5µs', '±0']);
    expect([formatPercentChange(100, 104.2), formatPercentChange(100, 50), formatPercentChange(100, 100.01), formatPercentChange(0, 5)]).toEqual(['+4.2%', '\u221250%', '±0%', undefined]);
  });

  it('names the top of each missing subtree once, and counts the rest', () => {
    const a = timeline(`
      root [====================]
        q    [==]
    `);
    const b = timeline(`
      root [====================]
        q    [==]
        r        [======]
          s        [==]
        t                [=]
        u                  [=]
        v                    |
    `);
    const diff = diffTraces(a, b);
    expect(structureSentence(diff)).toBe('2 spans match; none only in A; 5 only in B (svc: r, svc: t, svc: u, 1 more).');
    expect(headline(diffTraces(a, a).summary)).toBe('A and B took the same time.');
    expect(leadSentence(diffTraces(a, a))).toBeUndefined();
  });
});
