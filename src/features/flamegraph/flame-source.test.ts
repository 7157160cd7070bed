import { describe, expect, it } from 'vitest';
import { buildMergedFlameTree } from '../../core/analysis/flame-tree.ts';
import { loadFixture } from '../../core/import/fixture-test-helpers.ts';
import { FLAME_ERROR_BIT } from '../../render/flame-canvas.ts';
import { buildTraceViewData } from '../../worker/trace-view-data.ts';
import { ancestorsOf, clampWindow, deepestUnder, focusExtent, icicleSource, mergedSource, type FlameSource } from './flame-source.ts';

/** The first of `count` items with this label. */
function itemLabelled(source: FlameSource, count: number, label: string): number {
  for (let item = 0; item < count; item++) if (source.labelOf(item) === label) return item;
  throw new Error(`no item is labelled ${label}`);
}

describe('icicleSource', () => {
  it('the demo order with a failed payment: extents, labels, services and error bits from the view columns', async () => {
    const { traces } = await loadFixture('demo/demo-orders.jsonl');
    const failed = traces.find((m) => m.traceId.startsWith('9211727a'));
    if (!failed) throw new Error('the demo orders have no trace 9211727a…');
    const view = buildTraceViewData(failed);
    const source = icicleSource(view, false);
    expect([source.startNs, source.endNs]).toEqual([0, view.traceDurationNs]);
    expect(`${source.services[source.serviceOf(0)]}: ${source.labelOf(0)}`).toBe('api-gateway: POST /api/orders → 402');
    const errors = Array.from({ length: view.spanCount }, (_, i) => i).filter((i) => source.errorBits[i] === FLAME_ERROR_BIT);
    expect(errors).toEqual(Array.from(view.errorSpans));
    expect(errors).toHaveLength(4);

    // Zoomed into the failing payment.charge: its path from the root, its own extent, no rows below it.
    const charge = itemLabelled(source, view.spanCount, 'payment.charge');
    expect(ancestorsOf(source.tree, charge).map((i) => source.labelOf(i))).toEqual([
      'POST /api/orders → 402',
      'POST /orders → 402',
      'POST /orders → 402',
      'order.place',
      'POST /charge → 402',
      'POST /charge → 402',
      'payment.charge',
    ]);
    expect(focusExtent(source, charge)).toEqual([view.startNs[charge], view.startNs[charge] + view.durationNs[charge]]);
    expect(deepestUnder(source, charge)).toBe(6);
    expect(deepestUnder(source, undefined)).toBe(6);
  });
});

describe('mergedSource', () => {
  it('the three demo orders merged: services in name order, operations as labels, errors where a span failed', async () => {
    const { traces } = await loadFixture('demo/demo-orders.jsonl');
    const tree = buildMergedFlameTree(traces);
    const source = mergedSource(tree);
    expect(source.services).toEqual(['api-gateway', 'inventory-service', 'order-service', 'payment-service']);
    expect(source.labelOf(0)).toBe('POST /api/orders');
    expect([source.startNs, source.endNs]).toEqual([0, tree.totalWeightNs]);
    const charge = itemLabelled(source, tree.nodeCount, 'payment.charge');
    expect(source.services[source.serviceOf(charge)]).toBe('payment-service');
    expect(source.errorBits[charge]).toBe(FLAME_ERROR_BIT);
  });
});

describe('clampWindow', () => {
  const extent = [1_000, 2_000] as const;
  it('keeps a zoomed window inside the extent, at least 10 ns wide; the whole extent is no zoom', () => {
    expect(clampWindow(1_200, 1_300, extent)).toEqual([1_200, 1_300]);
    expect(clampWindow(900, 1_100, extent)).toEqual([1_000, 1_200]);
    expect(clampWindow(1_950, 2_150, extent)).toEqual([1_800, 2_000]);
    expect(clampWindow(1_500, 1_501, extent)).toEqual([1_500, 1_510]);
    expect(clampWindow(800, 2_300, extent)).toBeUndefined();
  });
});
