import { assert, describe, expect, it } from 'vitest';
import { loadFixture } from '../import/fixture-test-helpers.ts';
import { generatedTrace } from '../model/test-traces.ts';
import { timeline } from './analysis-test-helpers.ts';
import { diffTraces, type TraceDiff } from './trace-diff.ts';

/** "indent service operation#occurrence A→B" per matched node, "-" where a side is missing. */
function spanLines(diff: TraceDiff): string[] {
  const s = diff.spans;
  const ns = (x: number) => (Number.isNaN(x) ? '-' : String(x));
  return Array.from({ length: s.nodeCount }, (_, k) => {
    const name = `${s.names[s.operation[k]]}#${s.occurrence[k]}`;
    return `${'  '.repeat(s.depth[k])}${name} ${ns(s.durationANs[k])}→${ns(s.durationBNs[k])}`;
  });
}

function pathLines(diff: TraceDiff): string[] {
  const p = diff.paths;
  return Array.from({ length: p.nodeCount }, (_, k) => `${'  '.repeat(p.depth[k])}${p.names[p.operation[k]]} ${p.countA[k]}×${p.totalANs[k]} → ${p.countB[k]}×${p.totalBNs[k]}`);
}

describe('diffTraces: drawn cases', () => {
  const a = timeline(`
    root [====================]
      q    [==]
      q        [==]
      x              [==]
  `);
  const b = timeline(`
    root [==============================]
      q    [==]
      q        [======]
      q                [==]
      y                      [==]
  `);

  it('matches repeated siblings in order; the rest is only in A or only in B', () => {
    const diff = diffTraces(a, b);
    expect(spanLines(diff)).toEqual(['root#0 22→32', '  q#0 4→4', '  q#1 4→8', '  x#0 4→-', '  q#2 -→4', '  y#0 -→4']);
    expect(diff.summary).toMatchObject({ matchedCount: 3, onlyACount: 1, onlyBCount: 2, durationANs: 22, durationBNs: 32, deltaNs: 10 });
    expect(Array.from(diff.spans.spanA)).toEqual([0, 1, 2, 3, -1, -1]);
    expect(Array.from(diff.spans.spanB)).toEqual([0, 1, 2, -1, 3, 4]);
  });

  it("names each node's path: the row of `paths` that aggregates it", () => {
    const diff = diffTraces(a, b);
    const pathName = (k: number) => diff.paths.names[diff.paths.operation[diff.spans.pathOf[k]]];
    expect(Array.from({ length: diff.spans.nodeCount }, (_, k) => pathName(k))).toEqual(['root', 'q', 'q', 'x', 'q', 'y']);
  });

  it('aggregates per path (all the q calls together) and ranks paths by self-time change', () => {
    const diff = diffTraces(a, b);
    expect(pathLines(diff)).toEqual(['root 1×22 → 1×32', '  q 2×8 → 3×16', '  x 1×4 → 0×0', '  y 0×0 → 1×4']);
    // Self time: root 22 − 12 = 10 → 32 − 20 = 12 (+2); q 8 → 16 (+8); x −4; y +4.
    const top = Array.from(diff.summary.topPaths, (k) => diff.paths.names[diff.paths.operation[k]]);
    expect(top).toEqual(['q', 'x', 'y', 'root']);
    // Only the largest: x (−4) and y (+4) tie, and keep their path order.
    const top2 = diffTraces(a, b, 2).summary.topPaths;
    expect(Array.from(top2, (k) => diff.paths.names[diff.paths.operation[k]])).toEqual(['q', 'x']);
    expect(diff.summary.selfTimeBNs - diff.summary.selfTimeANs).toBe(32 - 22);
  });

  it('tells the same operation under different parents apart, and errors on each side', () => {
    const c = timeline(`
      root  [==========]  svc=a
        p1    [==]        svc=b
          q     |         svc=c
        p2        [==]    svc=b
          q         |     svc=c error
    `);
    const d = timeline(`
      root  [==========]  svc=a
        p2    [==]        svc=b
          q     |         svc=c
    `);
    const diff = diffTraces(c, d);
    expect(spanLines(diff)).toEqual(['root#0 12→12', '  p1#0 4→-', '    q#0 0→-', '  p2#0 4→4', '    q#0 0→0']);
    expect(Array.from(diff.spans.errorA)).toEqual([0, 0, 0, 0, 1]);
    expect(Array.from(diff.spans.errorB)).toEqual([0, 0, 0, 0, 0]);
    expect(diff.summary).toMatchObject({ errorCountA: 1, errorCountB: 0 });
  });

  it('a call B has in addition pairs nothing; the calls around it, and their children, still match', () => {
    // B retried q first (the failed try is the extra call); occurrence order would pair it with A's
    // first q, A's first with B's second, and leave x under different nodes.
    const a = timeline(`
      root [======================]
        q      [==]
        q            [====]
          x           [=]
    `);
    const b = timeline(`
      root [======================]
        q  [=]                    error
        q      [==]
        q            [====]
          x           [==]
    `);
    const diff = diffTraces(a, b);
    expect(spanLines(diff)).toEqual(['root#0 24→24', '  q#2 -→3', '  q#0 4→4', '  q#1 6→6', '    x#0 3→4']);
    expect(diff.summary).toMatchObject({ matchedCount: 4, onlyACount: 0, onlyBCount: 1 });
    // The other way round: the retry is the call only A has.
    expect(spanLines(diffTraces(b, a))).toEqual(['root#0 24→24', '  q#0 3→-', '  q#1 4→4', '  q#2 6→6', '    x#0 4→3']);
  });

  it('a trace against itself: everything matched, no delta', () => {
    const g = generatedTrace(5_000, 4);
    const diff = diffTraces(g, g);
    expect(diff.summary).toMatchObject({ matchedCount: 5_000, onlyACount: 0, onlyBCount: 0, deltaNs: 0 });
    expect(diff.spans.durationANs).toEqual(diff.spans.durationBNs);
  });
});

describe('diffTraces: the demo order flow', () => {
  it('failed payment (A) vs a paid order (B): same calls, the paid one connected to PostgreSQL once more', async () => {
    const { traces } = await loadFixture('demo/demo-orders.jsonl');
    const [paid, failed] = traces; // in start order: paid, failed payment, slow reservation
    expect(failed.errorCount).toBeGreaterThan(0);
    const diff = diffTraces(failed, paid);
    expect(diff.summary).toMatchObject({ matchedCount: 16, onlyACount: 0, onlyBCount: 1 });
    const onlyB = Array.from({ length: diff.spans.nodeCount }, (_, k) => k).filter((k) => diff.spans.spanA[k] < 0);
    expect(onlyB.map((k) => diff.spans.names[diff.spans.operation[k]])).toEqual(['pg.connect']);
    // The two order-service POSTs are two operations by their labels (span-label.ts): the inventory call
    // and the payment, each matched to its own.
    const posts = spanLines(diff).filter((l) => l.trim().startsWith('POST '));
    expect(posts.map((l) => l.trim().replace(/ [\d.]+→[\d.]+$/, ''))).toEqual(['POST /api/orders#0', 'POST /orders#0', 'POST /orders#0', 'POST /reserve#0', 'POST /reserve#0', 'POST /charge#0', 'POST /charge#0']);
    const charge = Array.from({ length: diff.spans.nodeCount }, (_, k) => k).find((k) => diff.spans.names[diff.spans.operation[k]] === 'payment.charge');
    assert(charge);
    expect([diff.spans.errorA[charge], diff.spans.errorB[charge]]).toEqual([1, 0]);
    // Each side's label, as the waterfall shows it: the payment call answered 402 in A, 200 in B.
    const postNodes = Array.from({ length: diff.spans.nodeCount }, (_, k) => k).filter((k) => diff.spans.names[diff.spans.operation[k]].startsWith('POST /'));
    expect(postNodes.map((k) => [diff.spans.labels[diff.spans.labelA[k]], diff.spans.labels[diff.spans.labelB[k]]])).toEqual([
      ['POST /api/orders → 402', 'POST /api/orders → 201'],
      ['POST /orders → 402', 'POST /orders → 201'],
      ['POST /orders → 402', 'POST /orders → 201'],
      ['POST /reserve → 200', 'POST /reserve → 200'],
      ['POST /reserve → 200', 'POST /reserve → 200'],
      ['POST /charge → 402', 'POST /charge → 200'],
      ['POST /charge → 402', 'POST /charge → 200'],
    ]);
    expect(diff.spans.labelA[onlyB[0]]).toBe(-1);
  });

  it('slow reservation (B) vs paid (A): the extra time went to inventory.reserve', async () => {
    const { traces } = await loadFixture('demo/demo-orders.jsonl');
    const [paid, , slow] = traces;
    const diff = diffTraces(paid, slow);
    const [top] = diff.summary.topPaths;
    expect(`${diff.paths.names[diff.paths.service[top]]} ${diff.paths.names[diff.paths.operation[top]]}`).toBe('inventory-service inventory.reserve');
    const extra = diff.paths.selfTimeBNs[top] - diff.paths.selfTimeANs[top];
    expect(extra).toBe(903_054_000 - 15_379_000);
    expect(extra / diff.summary.deltaNs).toBeGreaterThan(0.9);
  });
});
