import { describe, expect, it } from 'vitest';
import { loadFixture } from '../import/fixture-test-helpers.ts';
import { timeline } from './analysis-test-helpers.ts';
import { buildOperationGraph, type OperationGraph } from './operation-graph.ts';
import { buildSpans } from './span-list-test-helpers.ts';

const label = (g: OperationGraph, k: number) => `${g.nodes[k].service} ${g.nodes[k].operation}`;

function edgeLines(g: OperationGraph): string[] {
  return g.edges.map((e) => `${label(g, e.from)} → ${label(g, e.to)} ${e.kind} ×${e.callCount}${e.errorCount ? ` (${e.errorCount} failed)` : ''}`).sort();
}

describe('buildOperationGraph', () => {
  it('merges repeated operations into one node with counts, total and self time', () => {
    const m = timeline(`
      GET     [==================]   svc=web
        load    [====]               svc=cart
          SELECT  [=]                svc=db
        load          [====]         svc=cart error
          SELECT        [=]          svc=db
    `);
    const g = buildOperationGraph([m]);
    expect(g.nodes.map((n) => [`${n.service} ${n.operation}`, n.spanCount, n.totalDurationNs, n.selfTimeNs, n.errorCount])).toEqual([
      ['web GET', 1, 20, 20 - 12, 0],
      ['cart load', 2, 12, 12 - 6, 1],
      ['db SELECT', 2, 6, 6, 0],
    ]);
    expect(edgeLines(g)).toEqual(['cart load → db SELECT sync ×2', 'web GET → cart load sync ×2 (1 failed)']);
    expect(Array.from(g.nodeOfSpan[0])).toEqual([0, 1, 2, 1, 2]);
  });

  it('tells sync from non-blocking edges, and keeps recursion as a self edge', () => {
    const m = timeline(`
      run     [====================]   svc=a
        run     [==========]           svc=a
        emit              [==]         svc=a kind=producer
          handle            [======]   svc=b kind=consumer
        later       [==]               svc=c follows
    `);
    expect(edgeLines(buildOperationGraph([m]))).toEqual([
      'a emit → b handle messaging ×1',
      'a run → a emit messaging ×1',
      'a run → a run sync ×1',
      'a run → c later follows_from ×1',
    ]);
  });

  it('adds link edges between traces, from the linked-to operation to the linking one', () => {
    const { traces } = buildSpans([
      { id: 1, svc: 'batch', name: 'import', start: 0, dur: 100, links: [{ trace: 2, span: 1 }, { trace: 3, span: 1 }] },
      { id: 1, trace: 2, svc: 'order', name: 'process', start: 1, dur: 10, links: [{ trace: 1, span: 1, kind: 'follows_from' }] },
      { id: 1, trace: 3, svc: 'order', name: 'process', start: 2, dur: 10, links: [{ trace: 1, span: 1, kind: 'follows_from' }] },
    ]);
    expect(edgeLines(buildOperationGraph(traces))).toEqual(['batch import → order process follows_from ×2', 'order process → batch import link ×2']);
  });

  it('demo orders: three requests merged into one graph of 15 operations, named by their labels', async () => {
    const { traces } = await loadFixture('demo/demo-orders.jsonl');
    const g = buildOperationGraph(traces);
    expect(g.nodes.length).toBe(15);
    const place = g.nodes.findIndex((n) => n.operation === 'order.place');
    expect(g.nodes[place]).toMatchObject({ service: 'order-service', spanCount: 3, errorCount: 1 });
    expect(edgeLines(g).filter((l) => l.startsWith('order-service order.place'))).toEqual([
      'order-service order.place → order-service POST /charge sync ×3 (1 failed)',
      'order-service order.place → order-service POST /reserve sync ×3',
      'order-service order.place → order-service pg-pool.connect sync ×9',
      'order-service order.place → order-service postgresql INSERT INTO orders (id, order_number, customer_tier,… sync ×3',
      "order-service order.place → order-service postgresql SELECT nextval('order_numbers') AS n sync ×3",
      'order-service order.place → order-service postgresql UPDATE orders SET status = $2 WHERE id = $1 sync ×3',
    ]);
    expect(edgeLines(g)).toContain('order-service pg-pool.connect → order-service pg.connect sync ×1');
    expect(edgeLines(g)).toContain('order-service POST /charge → payment-service POST /charge sync ×3');
  });
});
