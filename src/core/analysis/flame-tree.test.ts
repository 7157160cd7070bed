import { describe, expect, it } from 'vitest';
import { loadFixture } from '../import/fixture-test-helpers.ts';
import { generatedTrace } from '../model/test-traces.ts';
import { spanName, STATUS_ERROR, type TraceModel } from '../model/trace-model.ts';
import { spanNamed, timeline } from './analysis-test-helpers.ts';
import {
  buildMergedFlameTree,
  icicleLayout,
  matchOperationNodes,
  mergedIcicle,
  visibleFlameRects,
  type FlameRects,
  type FlameWindow,
  type MergedFlameTree,
} from './flame-tree.ts';
import { parseSearchQuery } from './search.ts';
import { computeSelfTime } from './self-time.ts';

/** "name start-end @depth ×count", in emission order; a merged rect is named by its first span. */
function rectLines(m: TraceModel, rects: FlameRects): string[] {
  return Array.from({ length: rects.count }, (_, k) => {
    const count = rects.spanCount[k] > 1 ? ` ×${rects.spanCount[k]}` : '';
    return `${spanName(m, rects.spanIndex[k])} ${rects.startNs[k]}-${rects.endNs[k]} @${rects.depth[k]}${count}${rects.bits[k] ? ` bits=${rects.bits[k]}` : ''}`;
  });
}

/** Bit 1 on error spans. */
const errorBits = (m: TraceModel) => Uint8Array.from(m.status, (s) => (s === STATUS_ERROR ? 1 : 0));
const rectsOf = (m: TraceModel, window: FlameWindow) => rectLines(m, visibleFlameRects(m, icicleLayout(m), { bits: errorBits(m), ...window }));

describe('icicleLayout', () => {
  it('takes x, width and depth from the model and widens subtree extents to children outside their parent', () => {
    const m = timeline(`
      root    [==========]
        a        [==]
          late       [=======]
        early [=]
    `);
    const layout = icicleLayout(m);
    expect(layout.maxDepth).toBe(2);
    const a = spanNamed(m, 'a');
    expect([layout.subtreeStartNs[a], layout.subtreeEndNs[a]]).toEqual([3, 16]);
    expect([layout.subtreeStartNs[0], layout.subtreeEndNs[0]]).toEqual([0, 16]);
  });
});

describe('visibleFlameRects', () => {
  // 40 ns drawn on 10 px: 4 ns a pixel. a, b, c (3 ns each) touch: one rect of 3 spans. d is far away.
  const m = timeline(`
    root  [======================================]
      a   [=]
      b      [=]
      c         [=]                                 error
      big             [==========]
        leaf             [=]
      d                                  |
  `);

  it('merges runs of sub-pixel neighbours at one depth and keeps wide spans whole', () => {
    expect(rectsOf(m, { startNs: 0, endNs: 40, widthPx: 10 })).toEqual(['root 0-40 @0', 'big 12-24 @1', 'a 0-9 @1 ×3 bits=1', 'd 31-31 @1', 'leaf 15-18 @2']);
  });

  it('draws every span on its own once each is wide enough', () => {
    expect(rectsOf(m, { startNs: 0, endNs: 40, widthPx: 40 })).toEqual(['root 0-40 @0', 'a 0-3 @1', 'b 3-6 @1', 'c 6-9 @1 bits=1', 'big 12-24 @1', 'leaf 15-18 @2', 'd 31-31 @1']);
  });

  it('culls by time window, depth range and subtree', () => {
    expect(rectsOf(m, { startNs: 14, endNs: 30, widthPx: 16 })).toEqual(['root 0-40 @0', 'big 12-24 @1', 'leaf 15-18 @2']);
    expect(rectsOf(m, { startNs: 0, endNs: 40, widthPx: 40, minDepth: 1, maxDepth: 1 })).toEqual(['a 0-3 @1', 'b 3-6 @1', 'c 6-9 @1 bits=1', 'big 12-24 @1', 'd 31-31 @1']);
    expect(rectsOf(m, { startNs: 0, endNs: 40, widthPx: 40, subtreeOf: spanNamed(m, 'big') })).toEqual(['big 12-24 @1', 'leaf 15-18 @2']);
  });

  it("ORs the spans' bits into a merged run (errors, search matches)", () => {
    const bits = new Uint8Array(m.spanCount);
    bits[spanNamed(m, 'a')] = 2;
    bits[spanNamed(m, 'c')] = 1;
    bits[spanNamed(m, 'leaf')] = 2;
    const rects = visibleFlameRects(m, icicleLayout(m), { startNs: 0, endNs: 40, widthPx: 10, bits });
    expect(rectLines(m, rects)).toEqual(['root 0-40 @0', 'big 12-24 @1', 'a 0-9 @1 ×3 bits=3', 'd 31-31 @1', 'leaf 15-18 @2 bits=2']);
  });

  it('on a generated trace: every span in the window is drawn exactly once, inside its rect', () => {
    const g = generatedTrace(30_000, 5);
    const layout = icicleLayout(g);
    const t0 = g.traceDurationNs * 0.01;
    const t1 = g.traceDurationNs * 0.5;
    const rects = visibleFlameRects(g, layout, { startNs: t0, endNs: t1, widthPx: 800 });
    let visible = 0;
    for (let i = 0; i < g.spanCount; i++) {
      const s = g.startNs[i];
      if (s + g.durationNs[i] >= t0 && s <= t1) visible++;
    }
    let drawn = 0;
    for (let k = 0; k < rects.count; k++) drawn += rects.spanCount[k];
    expect(drawn).toBe(visible);
    expect(rects.count).toBeLessThan(visible / 10);
    expect(visible).toBeGreaterThan(10_000);
    for (let k = 0; k < rects.count; k++) {
      const first = rects.spanIndex[k];
      expect(g.depth[first]).toBe(rects.depth[k]);
      expect(g.startNs[first]).toBe(rects.startNs[k]);
      expect(rects.endNs[k]).toBeGreaterThanOrEqual(g.startNs[first] + g.durationNs[first]);
    }
  });
});

/** "indent service operation ×count total/self weight @x", in the tree's order. */
function treeLines(tree: MergedFlameTree): string[] {
  return Array.from({ length: tree.nodeCount }, (_, k) => {
    const name = `${tree.names[tree.service[k]]} ${tree.names[tree.operation[k]]}`;
    return `${'  '.repeat(tree.depth[k])}${name} ×${tree.spanCount[k]} ${tree.totalDurationNs[k]}/${tree.selfTimeNs[k]} w${tree.weightNs[k]} @${tree.xNs[k]}`;
  });
}

const ordersLike = () =>
  timeline(`
    root    [==============================]   svc=a
      get     [====]                           svc=b
        q       [=]                            svc=c  error
      get           [====]                     svc=b
        q             [=]                      svc=c
      put                 [============]       svc=b
  `);

describe('buildMergedFlameTree', () => {
  it('merges identical service + operation paths; heaviest child first; widths are subtree self time', () => {
    const tree = buildMergedFlameTree([ordersLike()]);
    expect(treeLines(tree)).toEqual([
      'a root ×1 32/6 w32 @0',
      '  b put ×1 14/14 w14 @0',
      '  b get ×2 12/6 w12 @14',
      '    c q ×2 6/6 w6 @14',
    ]);
    expect(Array.from(tree.parent)).toEqual([-1, 0, 0, 2]);
    expect(Array.from(tree.subtreeEnd)).toEqual([4, 2, 4, 4]);
    expect(Array.from(tree.nodeOfSpan[0])).toEqual([0, 2, 3, 2, 3, 1]);
    expect(tree.totalWeightNs).toBe(32);
  });

  it('draws as an icicle: x and width from the weights, every node its own rect when wide enough', () => {
    const tree = buildMergedFlameTree([ordersLike()]);
    const icicle = mergedIcicle(tree);
    const rects = visibleFlameRects(icicle, icicleLayout(icicle), { startNs: 0, endNs: tree.totalWeightNs, widthPx: 32 });
    const lines = Array.from({ length: rects.count }, (_, k) => `${tree.names[tree.operation[rects.spanIndex[k]]]} ${rects.startNs[k]}-${rects.endNs[k]} @${rects.depth[k]}`);
    expect(lines).toEqual(['root 0-32 @0', 'put 0-14 @1', 'get 14-26 @1', 'q 14-20 @2']);
  });

  it('lays out several roots (and traces) side by side, and parallel children never overflow their parent', () => {
    const a = timeline(`
      r   [==========]   svc=x
        p   [======]     svc=y
        p   [======]     svc=y
      lost   [==]        svc=z orphan
    `);
    const b = timeline(`
      r   [====]   svc=x error
    `);
    const tree = buildMergedFlameTree([a, b]);
    // r: 12 + 6, self 12 − 8 = 4 and 6; the two parallel p (8 each) add 16: w = 10 + 16 = 26 > their total 18.
    expect(treeLines(tree)).toEqual(['x r ×2 18/10 w26 @0', '  y p ×2 16/16 w16 @0', 'z lost ×1 4/4 w4 @26']);
    expect(tree.errorCount[0]).toBe(1);
  });

  it('on a generated trace: weights add up, children fit in their parent, x follows the sibling order', () => {
    const g = generatedTrace(20_000, 9);
    const tree = buildMergedFlameTree([g]);
    const self = computeSelfTime(g);
    expect(tree.totalWeightNs).toBeCloseTo(self.reduce((s, x) => s + x, 0), 0);
    let spans = 0;
    let misplaced = 0;
    let overflowing = 0;
    const nextX = new Float64Array(tree.nodeCount);
    for (let k = 0; k < tree.nodeCount; k++) {
      spans += tree.spanCount[k];
      nextX[k] = tree.xNs[k];
      const p = tree.parent[k];
      if (p < 0) continue;
      if (Math.abs(tree.xNs[k] - nextX[p]) > 1) misplaced++;
      nextX[p] += tree.weightNs[k];
      if (nextX[p] > tree.xNs[p] + tree.weightNs[p] * (1 + 1e-9)) overflowing++;
    }
    expect([misplaced, overflowing]).toEqual([0, 0]);
    expect(spans).toBe(g.spanCount);
  });

  it('demo orders: the three requests as one call tree', async () => {
    const { traces } = await loadFixture('demo/demo-orders.jsonl');
    const tree = buildMergedFlameTree(traces);
    const lines = treeLines(tree).map((l) => l.replace(/ \d+\/\d+ w\d+ @\d+$/, ''));
    expect(lines).toEqual([
      'api-gateway POST /api/orders ×3',
      // Operations by their label (span-label.ts): the two order-service POSTs stay apart.
      '  api-gateway POST /orders ×3',
      '    order-service POST /orders ×3',
      '      order-service order.place ×3',
      '        order-service POST /reserve ×3',
      '          inventory-service POST /reserve ×3',
      '            inventory-service inventory.reserve ×3',
      '        order-service POST /charge ×3',
      '          payment-service POST /charge ×3',
      '            payment-service payment.charge ×3',
      "        order-service postgresql SELECT nextval('order_numbers') AS n ×3",
      '        order-service pg-pool.connect ×9',
      '          order-service pg.connect ×1',
      '        order-service postgresql INSERT INTO orders (id, order_number, customer_tier,… ×3',
      '        order-service postgresql UPDATE orders SET status = $2 WHERE id = $1 ×3',
    ]);
  });
});

describe('matchOperationNodes', () => {
  const tree = buildMergedFlameTree([ordersLike()]);
  const matching = (text: string) => {
    const parsed = parseSearchQuery(text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const result = matchOperationNodes(tree, parsed.query);
    const names = Array.from({ length: tree.nodeCount }, (_, k) => k)
      .filter((k) => result.mask[k])
      .map((k) => `${tree.names[tree.service[k]]} ${tree.names[tree.operation[k]]}`);
    return { names, count: result.count, ignored: result.ignoredTerms.map((t) => t.type) };
  };

  it('free text within the service or the operation, case-insensitive', () => {
    expect(matching('GE')).toEqual({ names: ['b get'], count: 1, ignored: [] });
    expect(matching('b')).toEqual({ names: ['b put', 'b get'], count: 2, ignored: [] });
  });

  it('service=, operation= and error= as in the waterfall; span-only terms are reported, not applied', () => {
    expect(matching('service=b operation!=get').names).toEqual(['b put']);
    expect(matching('error=true').names).toEqual(['c q']);
    expect(matching('minDuration=1ms kind=server q')).toEqual({ names: ['c q'], count: 1, ignored: ['duration', 'kind'] });
  });

  it('an empty query matches nothing', () => {
    expect(matching('').count).toBe(0);
  });
});
