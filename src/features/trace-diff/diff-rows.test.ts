import { describe, expect, it } from 'vitest';
import { timeline } from '../../core/analysis/analysis-test-helpers.ts';
import { diffTraces, type TraceDiff } from '../../core/analysis/trace-diff.ts';
import { loadFixture } from '../../core/import/fixture-test-helpers.ts';
import { deltaLevel, diffRows, labelDifference, nodeChange, pathOrder, thresholdFor, type RowFilter } from './diff-rows.ts';

// Bars count their brackets: "[==]" lasts 4.
//   A  root [====================]  22        B  root [==============================]  32: +10
//        q    [==========]          12             q    [==========]                   12: same
//          r    [====]               6               r    [==========]                 12: +6, slower (100%)
//        s                [==]       4             s                [=]                 3: −1, faster (25%)
//                                                  t                   [======]         8: only in B
const a = timeline(`
  root [====================]
    q    [==========]
      r    [====]
    s                [==]
`);
const b = timeline(`
  root [==============================]
    q    [==========]
      r    [==========]
    s                [=]
    t                   [======]
`);
const diff = diffTraces(a, b);
const names = (d: TraceDiff, rows: Uint32Array) => Array.from(rows, (k) => d.spans.names[d.spans.operation[k]]);
const filter = (over: Partial<RowFilter> = {}): RowFilter => ({
  onlyChanged: false,
  threshold: { relative: 0.1, minimumNs: 0 },
  path: undefined,
  collapsed: new Uint8Array(diff.spans.nodeCount),
  ...over,
});

describe('comparison rows', () => {
  it('classifies each node against a threshold, and grades the colour by the relative change', () => {
    const t = { relative: 0.1, minimumNs: 0 };
    expect(names(diff, Uint32Array.from({ length: 5 }, (_, k) => k))).toEqual(['root', 'q', 'r', 's', 't']);
    expect([0, 1, 2, 3, 4].map((k) => nodeChange(diff.spans, k, t))).toEqual(['slower', 'same', 'slower', 'faster', 'only-b']);
    expect([0, 1, 2, 3, 4].map((k) => deltaLevel(diff.spans, k, t))).toEqual([2, 0, 3, -2, 0]);
    // 25% faster is "same" under a 30% threshold, and so is anything under the absolute minimum.
    expect(nodeChange(diff.spans, 3, { relative: 0.3, minimumNs: 0 })).toBe('same');
    expect(nodeChange(diff.spans, 2, { relative: 0.1, minimumNs: 7 })).toBe('same');
    expect(thresholdFor(diff.summary, 0.1)).toEqual({ relative: 0.1, minimumNs: 0.005 * 32 });
  });

  it('only changed: the changed nodes and their ancestors, the ancestors not counted as matches', () => {
    const rows = diffRows(diff.spans, filter({ onlyChanged: true, threshold: { relative: 0.3, minimumNs: 0 } }));
    expect(names(diff, rows.rows)).toEqual(['root', 'q', 'r', 't']);
    expect(Array.from(rows.matches)).toEqual([1, 0, 1, 0, 1]);
    expect(rows.matchCount).toBe(3);
  });

  it('a collapsed node hides its subtree; a path filter keeps that path and what leads to it', () => {
    const collapsed = new Uint8Array(diff.spans.nodeCount);
    collapsed[1] = 1;
    expect(names(diff, diffRows(diff.spans, filter({ collapsed })).rows)).toEqual(['root', 'q', 's', 't']);
    const r = diff.spans.pathOf[2];
    const onlyR = diffRows(diff.spans, filter({ path: r }));
    expect(names(diff, onlyR.rows)).toEqual(['root', 'q', 'r']);
    expect(onlyR.matchCount).toBe(1);
  });

  it('the demo: a failed payment (A) vs a slow reservation (B), only changed spans', async () => {
    const [, failed, slow] = (await loadFixture('demo/demo-orders.jsonl')).traces;
    const d = diffTraces(failed, slow);
    const rows = diffRows(d.spans, { onlyChanged: true, threshold: thresholdFor(d.summary, 0.1), path: undefined, collapsed: new Uint8Array(d.spans.nodeCount) });
    // The reservation chain got slower; the failing spans of A are changes too (they succeed in B).
    // INSERT and UPDATE shrank by ~3.6ms each: under 0.5% of the 958ms trace, so not changes.
    expect(names(d, rows.rows)).toEqual(['POST /api/orders', 'POST /orders', 'POST /orders', 'order.place', 'POST /reserve', 'POST /reserve', 'inventory.reserve', 'POST /charge', 'POST /charge', 'payment.charge']);
    expect(rows.matchCount).toBe(rows.rows.length);
  });

  it('orders the path table by the size of a change, whichever way it went', () => {
    const byDelta = pathOrder(diff.paths, 'deltaSelf', true);
    const pathNames = (order: Uint32Array) => Array.from(order, (k) => diff.paths.names[diff.paths.operation[k]]);
    // Self time: root 22 − 16 = 6 → 32 − 23 = 9 (+3); q 12 − 6 = 6 → 12 − 10 = 2 (r outlives q: −4); r +6; s −1; t +8.
    expect(pathNames(byDelta)).toEqual(['t', 'r', 'q', 'root', 's']);
    expect(pathNames(pathOrder(diff.paths, 'deltaSelf', false))).toEqual(['s', 'root', 'q', 'r', 't']);
    expect(pathNames(pathOrder(diff.paths, 'tree', true, 'R'))).toEqual(['root', 'r']);
  });

  it("shows where B's label parts from A's, from the start of that word", () => {
    expect(labelDifference('POST /charge → 402', 'POST /charge → 200')).toBe('200');
    expect(labelDifference('postgresql SELECT users', 'postgresql SELECT user_roles')).toBe('user_roles');
    expect(labelDifference('GET /a', 'PUT /a')).toBe('PUT /a');
    expect(labelDifference('same', 'same')).toBeUndefined();
  });
});
