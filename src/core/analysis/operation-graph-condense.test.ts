import { describe, expect, it } from 'vitest';
import { loadFixture } from '../import/fixture-test-helpers.ts';
import { timeline } from './analysis-test-helpers.ts';
import { buildOperationGraph } from './operation-graph.ts';
import { condenseOperationGraph, type CondensedOperationGraph } from './operation-graph-condense.ts';

const nodeLines = (g: CondensedOperationGraph) => g.nodes.map((n) => `${n.service} ${n.operation} ×${n.spanCount}${n.errorCount ? ` (${n.errorCount} err)` : ''}`);
const edgeLines = (g: CondensedOperationGraph) =>
  g.edges.map((e) => `${g.nodes[e.from].service} ${g.nodes[e.from].operation} → ${g.nodes[e.to].service} ${g.nodes[e.to].operation} ${e.kind} ×${e.callCount}`);

//   GET    [==============================]   svc=web
//     load   [======]                         svc=cart
//       SELECT [=]                            svc=db
//     save            [======]                svc=cart error
//       SELECT          [=]                   svc=db
//       audit             [=]                 svc=cart     (cart calling cart: inside the collapsed node)
//     price                    [====]         svc=pricing
const shop = () =>
  buildOperationGraph([
    timeline(`
      GET     [==============================]   svc=web
        load    [======]                         svc=cart
          SELECT  [=]                            svc=db
        save             [======]                svc=cart error
          SELECT           [=]                   svc=db
          audit              [=]                 svc=cart
        price                     [====]         svc=pricing
    `),
  ]);

describe('condenseOperationGraph', () => {
  it('leaves a graph that reads (no more operations than the limit) as it is', () => {
    const g = condenseOperationGraph(shop(), { maxOperations: 10, maxEdges: undefined, expanded: new Set() });
    expect(g.nodes.map((n) => n.operationCount)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(g.edges).toHaveLength(shop().edges.length);
    expect(g.collapsedServices).toEqual([]);
  });

  it('past the limit, folds each service with several operations into one node with summed counts', () => {
    const g = condenseOperationGraph(shop(), { maxOperations: 4, maxEdges: undefined, expanded: new Set() });
    expect(nodeLines(g)).toEqual(['web GET ×1', 'cart 3 operations ×3 (1 err)', 'db SELECT ×2', 'pricing price ×1']);
    expect(g.collapsedServices).toEqual(['cart']);
    // web → cart twice (load, save) becomes one edge of 2 calls; save → audit, inside cart, is gone.
    expect(edgeLines(g)).toEqual(['web GET → cart 3 operations sync ×2', 'cart 3 operations → db SELECT sync ×2', 'web GET → pricing price sync ×1']);
  });

  it('keeps an expanded service open', () => {
    const g = condenseOperationGraph(shop(), { maxOperations: 4, maxEdges: undefined, expanded: new Set(['cart']) });
    expect(g.nodes).toHaveLength(6);
    expect(g.collapsedServices).toEqual([]);
  });

  it('keeps the edges with the most calls and counts the rest, but leaves no operation without an edge', () => {
    //   web GET ──▶ cart load ×1   web GET ──▶ cart save ×1 (failed)   web GET ──▶ pricing price ×1
    //   cart load ──▶ db SELECT ×1   cart save ──▶ db SELECT ×1   cart save ──▶ cart audit ×1
    const g = condenseOperationGraph(shop(), { maxOperations: 10, maxEdges: 2, expanded: new Set() });
    expect(g.edgeCount).toBe(6);
    // All tie at one call: the failing call first, then the graph's order. GET → save links web and
    // save; then load, SELECT, audit and price each need one: 5 edges, though 2 were asked for.
    expect(edgeLines(g)).toEqual([
      'web GET → cart load sync ×1',
      'cart load → db SELECT sync ×1',
      'web GET → cart save sync ×1',
      'cart save → cart audit sync ×1',
      'web GET → pricing price sync ×1',
    ]);
    const linked = new Set(g.edges.flatMap((e) => [e.from, e.to]));
    expect(linked.size).toBe(g.nodes.length);
    // With room to spare, the busiest calls fill it.
    expect(condenseOperationGraph(shop(), { maxOperations: 10, maxEdges: 6, expanded: new Set() }).edges).toHaveLength(6);
  });

  it('reads the demo batch (9 traces, 7 operations) unchanged with the defaults', async () => {
    const { traces } = await loadFixture('demo/demo-batch-links.jsonl');
    const whole = buildOperationGraph(traces);
    const g = condenseOperationGraph(whole, { maxOperations: 40, maxEdges: 60, expanded: new Set() });
    expect(g.nodes).toHaveLength(whole.nodes.length);
    expect(g.edges).toHaveLength(whole.edges.length);
  });
});
