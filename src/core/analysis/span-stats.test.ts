import { describe, expect, it } from 'vitest';
import { loadFixture } from '../import/fixture-test-helpers.ts';
import { timeline } from './analysis-test-helpers.ts';
import { quantileSorted } from './duration-groups.ts';
import { buildSpans } from './span-list-test-helpers.ts';
import { computeSpanStats, type SpanStats } from './span-stats.ts';

const row = (stats: SpanStats, service: string, operation?: string) => {
  const found = stats.rows.find((r) => r.service === service && r.operation === operation);
  if (!found) throw new Error(`no row ${service} ${operation}`);
  return found;
};

describe('quantileSorted', () => {
  it('interpolates between the closest ranks (hand-computed)', () => {
    expect(quantileSorted([7], 0.5)).toBe(7);
    expect(quantileSorted([7], 0.95)).toBe(7);
    expect(quantileSorted([10, 20, 30, 40], 0.5)).toBe(25); // h = 1.5
    expect(quantileSorted([10, 20, 30, 40], 0.95)).toBeCloseTo(38.5, 9); // h = 2.85
    expect(quantileSorted([1, 2, 3, 4, 10], 0.95)).toBeCloseTo(8.8, 9); // h = 3.8: 4 + 0.8 × 6
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
});

describe('computeSpanStats', () => {
  // Columns are ns.
  const m = timeline(`
    root    [==============================]   svc=api
      q1      [=]                              svc=db
      q2         [==]                          svc=db
      q3             [===]                     svc=db error
      q4                  [====]               svc=db
      q5                        [==========]   svc=db
  `);

  it('per service: count, total, average, exact p50 / p95, max, errors, self time and its share', () => {
    const stats = computeSpanStats([m], { by: 'service' });
    // db durations 3, 4, 5, 6, 12 (a bar "[=]" is 3 columns): p50 = 5, p95 = 6 + 0.8 × 6 = 10.8.
    const db = row(stats, 'db');
    expect([db.count, db.totalDurationNs, db.avgDurationNs, db.p50Ns, db.maxNs, db.errorCount, db.selfTimeNs]).toEqual([5, 30, 6, 5, 12, 1, 30]);
    expect(db.p95Ns).toBeCloseTo(10.8, 9);
    const api = row(stats, 'api');
    expect([api.count, api.selfTimeNs, api.p50Ns, api.p95Ns]).toEqual([1, 32 - 30, 32, 32]);
    expect(stats.totalSelfTimeNs).toBe(32);
    expect(db.selfTimePercent).toBeCloseTo((100 * 30) / 32, 9);
    expect(stats.rows.map((r) => r.service)).toEqual(['db', 'api']); // most self time first
    expect(Array.from(db.spanIndex)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(db.traceIndex)).toEqual([0, 0, 0, 0, 0]);
  });

  it('per operation, over several traces (of different loads)', () => {
    const other = timeline(`
      root  [======]  svc=api
        q1    [==]    svc=db
    `);
    const stats = computeSpanStats([m, other], { by: 'operation' });
    const q1 = row(stats, 'db', 'q1');
    expect([q1.count, q1.totalDurationNs, q1.p50Ns]).toEqual([2, 3 + 4, 3.5]);
    expect([Array.from(q1.traceIndex), Array.from(q1.spanIndex)]).toEqual([[0, 1], [1, 1]]);
    expect(stats.rows.length).toBe(6);
    expect(stats.spanCount).toBe(8);
  });

  it('by attribute: the span attribute, else the resource attribute; spans without it in their own row', () => {
    const { traces } = buildSpans([
      { id: 1, svc: 'a', start: 0, dur: 100, attrs: { 'http.status_code': 200 } },
      { id: 2, parent: 1, svc: 'a', start: 0, dur: 10, attrs: { 'http.status_code': 500 }, error: true },
      { id: 3, parent: 1, svc: 'a', start: 10, dur: 20, attrs: { 'http.status_code': 200 } },
      { id: 4, parent: 1, svc: 'b', start: 30, dur: 30, resource: { 'http.status_code': 503 } },
      { id: 5, parent: 1, svc: 'b', start: 60, dur: 40, attrs: { 'http.status_code': '' } },
      { id: 6, parent: 1, svc: 'c', start: 60, dur: 5 },
    ]);
    const stats = computeSpanStats(traces, { by: 'attribute', key: 'http.status_code' });
    const byValue = Object.fromEntries(stats.rows.map((r) => [r.value ?? '(none)', [r.count, r.totalDurationNs, r.errorCount]]));
    expect(byValue).toEqual({ '200': [2, 120, 0], '500': [1, 10, 1], '503': [1, 30, 0], '': [1, 40, 0], '(none)': [1, 5, 0] });
    expect(computeSpanStats(traces, { by: 'attribute', key: 'no.such.key' }).rows.map((r) => [r.value, r.count])).toEqual([[undefined, 6]]);
  });

  it('demo orders: per service and per operation', async () => {
    const { traces } = await loadFixture('demo/demo-orders.jsonl');
    const byService = computeSpanStats(traces, { by: 'service' });
    expect(byService.rows.map((r) => [r.service, r.count, r.errorCount]).sort()).toEqual([
      ['api-gateway', 6, 1],
      ['inventory-service', 6, 0],
      ['order-service', 31, 2],
      ['payment-service', 6, 1],
    ]);
    const byOperation = computeSpanStats(traces, { by: 'operation' });
    const connect = row(byOperation, 'order-service', 'pg-pool.connect');
    expect(connect.count).toBe(9);
    const reserve = row(byOperation, 'inventory-service', 'inventory.reserve');
    // 15.379 ms, 14.714 ms and the slow one, 903.054 ms.
    expect([reserve.p50Ns, reserve.maxNs]).toEqual([15_379_000, 903_054_000]);
    expect(reserve.p95Ns).toBeCloseTo(15_379_000 + 0.9 * (903_054_000 - 15_379_000), 3);
    expect(byOperation.rows.reduce((s, r) => s + r.selfTimePercent, 0)).toBeCloseTo(100, 9);
  });
});
