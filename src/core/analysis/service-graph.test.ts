import { describe, expect, it } from 'vitest';
import { loadFixture } from '../import/fixture-test-helpers.ts';
import { generatedTrace } from '../model/test-traces.ts';
import type { TraceModel } from '../model/trace-model.ts';
import { timeline } from './analysis-test-helpers.ts';
import { buildServiceGraph, serviceNeighbourhood, type ServiceGraph } from './service-graph.ts';
import { buildSpans } from './span-list-test-helpers.ts';

/** "from → to kind: calls/errors", sorted. */
function edgeLines(graph: ServiceGraph): string[] {
  return graph.edges.map((e) => `${graph.nodes[e.from].name} → ${graph.nodes[e.to].name} ${e.kind}: ${e.callCount}/${e.errorCount}`).sort();
}

function node(graph: ServiceGraph, name: string) {
  const found = graph.nodes.find((n) => n.name === name);
  if (!found) throw new Error(`no node ${name}`);
  return found;
}

describe('buildServiceGraph: drawn cases', () => {
  it('draws an edge where the service changes, counts spans, self time and errors per service', () => {
    const m = timeline(`
      root    [==================]   svc=gw
        call    [============]       svc=gw kind=client
          srv     [==========]       svc=orders kind=server error
            db      [====]           svc=orders
        local       [==]             svc=gw
    `);
    const g = buildServiceGraph([m]);
    expect(edgeLines(g)).toEqual(['gw → orders sync: 1/1']);
    expect(g.nodes.map((n) => [n.name, n.kind, n.spanCount, n.selfTimeNs, n.errorCount, n.rootCount])).toEqual([
      ['gw', 'service', 3, 20 - 14 + (14 - 12) + 4, 0, 1],
      ['orders', 'service', 2, 12 - 6 + 6, 1, 0],
    ]);
    expect(node(g, 'orders').errorRate).toBe(0.5);
    const edge = g.edges[0];
    expect([edge.p50Ns, edge.p95Ns, edge.maxNs, edge.totalDurationNs]).toEqual([12, 12, 12, 12]);
    expect(Array.from(edge.spanIndex)).toEqual([2]);
  });

  it('counts the caller CLIENT span failing as a failed call (the callee saw no error)', () => {
    const m = timeline(`
      root  [==========]  svc=a
        c     [======]    svc=a kind=client error
          s     [==]      svc=b kind=server
    `);
    expect(edgeLines(buildServiceGraph([m]))).toEqual(['a → b sync: 1/1']);
  });

  it('gives a span with a missing parent no edge: it is an orphan entry point of its service', () => {
    //   root and its child are fine; "lost" names a parent that is not in the trace.
    const m = timeline(`
      root    [==========]   svc=a
        b       [====]       svc=b
      lost        [====]     svc=c orphan
        c2          [=]      svc=b
    `);
    const g = buildServiceGraph([m]);
    expect(edgeLines(g)).toEqual(['a → b sync: 1/0', 'c → b sync: 1/0']);
    expect(node(g, 'c')).toMatchObject({ rootCount: 1, orphanCount: 1 });
    expect(node(g, 'a')).toMatchObject({ rootCount: 1, orphanCount: 0 });
  });

  it('marks FOLLOWS_FROM children and producer / consumer children as non-blocking edges', () => {
    const m = timeline(`
      root    [==============]   svc=a
        f       [====]           svc=b follows
        p           [==]         svc=c kind=producer
          q           [======]   svc=d kind=consumer
    `);
    expect(edgeLines(buildServiceGraph([m]))).toEqual(['a → b follows_from: 1/0', 'a → c messaging: 1/0', 'c → d messaging: 1/0']);
  });

  it('computes exact percentiles of the callee durations per edge', () => {
    // Five calls a → b lasting 10, 20, 30, 40, 100: p50 = 30, p95 = 40 + 0.8 × (100 − 40) = 88 (linear).
    const { traces } = buildSpans([
      { id: 1, svc: 'a', start: 0, dur: 300 },
      ...[10, 20, 30, 40, 100].map((dur, k) => ({ id: k + 2, parent: 1, svc: 'b', start: 50 * k, dur })),
    ]);
    const [edge] = buildServiceGraph(traces).edges;
    expect([edge.callCount, edge.p50Ns, edge.maxNs, edge.totalDurationNs]).toEqual([5, 30, 100, 200]);
    expect(edge.p95Ns).toBeCloseTo(88, 9);
  });
});

describe('buildServiceGraph: databases, messaging and links', () => {
  it('adds database nodes qualified by namespace, else server address; nested pool spans count once', () => {
    const { traces } = buildSpans([
      { id: 1, svc: 'shop', kind: 'server', start: 0, dur: 100 },
      { id: 2, parent: 1, svc: 'shop', name: 'pool.connect', kind: 'client', start: 0, dur: 10, attrs: { 'db.system.name': 'postgresql', 'db.namespace': 'orders' } },
      { id: 3, parent: 2, svc: 'shop', name: 'pg.connect', kind: 'client', start: 0, dur: 9, attrs: { 'db.system.name': 'postgresql', 'db.namespace': 'orders' } },
      { id: 4, parent: 1, svc: 'shop', name: 'SELECT', kind: 'client', start: 10, dur: 20, error: true, attrs: { 'db.system': 'postgresql', 'db.name': 'orders' } },
      { id: 5, parent: 1, svc: 'shop-postgres', name: 'pg.query', kind: 'client', start: 30, dur: 30, attrs: { 'db.type': 'postgres', 'db.name': 'orders' } },
      { id: 6, parent: 1, svc: 'shop', name: 'GET', kind: 'client', start: 60, dur: 5, attrs: { 'db.system': 'redis', 'server.address': 'cache-1' } },
      { id: 7, parent: 1, svc: 'shop', name: 'GET', kind: 'client', start: 70, dur: 5, attrs: { 'db.system': 'redis' } },
      { id: 8, parent: 1, svc: 'shop', name: 'handler', kind: 'server', start: 80, dur: 5, attrs: { 'db.system': 'redis' } },
    ]);
    const g = buildServiceGraph(traces);
    expect(edgeLines(g)).toEqual([
      'shop → postgresql orders sync: 2/1',
      'shop → redis cache-1 sync: 1/0',
      'shop → redis sync: 1/0',
      'shop → shop-postgres sync: 1/0',
      'shop-postgres → postgresql orders sync: 1/0',
    ]);
    expect(node(g, 'postgresql orders')).toMatchObject({ kind: 'database', system: 'postgresql', spanCount: 3, errorCount: 1, selfTimeNs: 0 });
    expect(g.nodes.map((n) => n.kind)).toEqual(['service', 'service', 'database', 'database', 'database']);
  });

  it('puts a queue node between producer and consumer services', () => {
    //   api [=========]                      the consumer's parent is the producer span, in another service
    //     send [=]        kind=producer kafka orders
    //       work  [=====] kind=consumer kafka orders (svc worker)
    //       lost  ...     a consumer in a trace of its own, linked to the producer
    const { traces } = buildSpans([
      { id: 1, svc: 'api', kind: 'server', start: 0, dur: 100 },
      { id: 2, parent: 1, svc: 'api', name: 'send', kind: 'producer', start: 10, dur: 5, attrs: { 'messaging.system': 'kafka', 'messaging.destination.name': 'orders' } },
      { id: 3, parent: 2, svc: 'worker', name: 'process', kind: 'consumer', start: 20, dur: 50, attrs: { 'messaging.system': 'kafka', 'messaging.destination.name': 'orders' } },
      { id: 4, trace: 2, svc: 'worker', name: 'process', kind: 'consumer', start: 30, dur: 40, attrs: { 'messaging.system': 'kafka', 'messaging.destination': 'orders' }, links: [{ trace: 1, span: 2 }] },
    ]);
    const g = buildServiceGraph(traces);
    expect(edgeLines(g)).toEqual(['api → kafka orders messaging: 1/0', 'api → worker link: 1/0', 'kafka orders → worker messaging: 2/0']);
    expect(node(g, 'kafka orders')).toMatchObject({ kind: 'messaging', system: 'kafka', spanCount: 3 });
    expect(node(g, 'worker')).toMatchObject({ rootCount: 1, orphanCount: 0 });
  });

  it('draws links between services, follows_from apart from plain links; a reference to the parent is no link edge', () => {
    const { traces } = buildSpans([
      { id: 1, svc: 'batch', start: 0, dur: 100, links: [{ trace: 2, span: 1 }] },
      { id: 2, parent: 1, svc: 'batch', start: 0, dur: 10, links: [{ span: 1, kind: 'follows_from' }] },
      { id: 3, parent: 1, svc: 'audit', start: 10, dur: 10, links: [{ span: 1, kind: 'follows_from' }] },
      { id: 1, trace: 2, svc: 'order', start: 5, dur: 50, links: [{ trace: 1, span: 2, kind: 'follows_from' }] },
    ]);
    expect(edgeLines(buildServiceGraph(traces))).toEqual(['batch → audit follows_from: 1/0', 'batch → order follows_from: 1/0', 'order → batch link: 1/0']);
  });

  it('can leave database and messaging nodes out', () => {
    const { traces } = buildSpans([
      { id: 1, svc: 'api', start: 0, dur: 100 },
      { id: 2, parent: 1, svc: 'api', kind: 'client', start: 0, dur: 10, attrs: { 'db.system': 'mysql' } },
      { id: 3, parent: 1, svc: 'api', kind: 'producer', start: 0, dur: 10, attrs: { 'messaging.system': 'kafka' } },
      { id: 4, parent: 3, svc: 'w', kind: 'consumer', start: 10, dur: 10, attrs: { 'messaging.system': 'kafka' } },
    ]);
    expect(edgeLines(buildServiceGraph(traces, { infrastructureNodes: false }))).toEqual(['api → w messaging: 1/0']);
  });
});

describe('buildServiceGraph: many traces', () => {
  it('merges services by name across traces of different loads', () => {
    const a = timeline(`
      r  [======]  svc=x
        c  [==]    svc=y
    `);
    const b = timeline(`
      r  [==========]  svc=x
        c  [======]    svc=y error
    `);
    const g = buildServiceGraph([a, b]);
    expect(a.stores.strings).not.toBe(b.stores.strings);
    expect(edgeLines(g)).toEqual(['x → y sync: 2/1']);
    const [edge] = g.edges;
    expect([edge.p50Ns, Array.from(edge.traceIndex), Array.from(edge.spanIndex)]).toEqual([(4 + 8) / 2, [0, 1], [1, 1]]);
    expect([g.traceCount, g.spanCount, g.nodes.length]).toEqual([2, 4, 2]);
  });

  it('on a generated trace: every cross-service parent → child pair is one call of one edge', () => {
    const m: TraceModel = generatedTrace(20_000, 3);
    const g = buildServiceGraph([m]);
    let crossService = 0;
    for (let i = 0; i < m.spanCount; i++) if (m.parent[i] >= 0 && m.serviceId[m.parent[i]] !== m.serviceId[i]) crossService++;
    expect(g.edges.reduce((n, e) => n + e.callCount, 0)).toBe(crossService);
    expect(g.nodes.reduce((n, x) => n + x.spanCount, 0)).toBe(m.spanCount);
    expect(new Set(g.edges.map((e) => e.kind))).toEqual(new Set(['sync', 'messaging', 'follows_from']));
  });
});

describe('buildServiceGraph: real traces', () => {
  it('demo orders: gateway → orders → inventory / payment and PostgreSQL, the failed payment counted', async () => {
    const { traces } = await loadFixture('demo/demo-orders.jsonl');
    const g = buildServiceGraph(traces);
    expect(g.nodes.map((n) => `${n.kind} ${n.name}`)).toEqual([
      'service api-gateway',
      'service order-service',
      'service inventory-service',
      'service payment-service',
      'database postgresql postgres',
    ]);
    // Per trace: 3 pool connects (pg.connect inside the first one is part of it) + SELECT, INSERT, UPDATE.
    expect(edgeLines(g)).toEqual([
      'api-gateway → order-service sync: 3/1',
      'order-service → inventory-service sync: 3/0',
      'order-service → payment-service sync: 3/1',
      'order-service → postgresql postgres sync: 18/0',
    ]);
    expect(node(g, 'payment-service')).toMatchObject({ spanCount: 6, errorCount: 1 });
    expect(node(g, 'api-gateway')).toMatchObject({ spanCount: 6, rootCount: 3, orphanCount: 0 });
  });

  it('demo async pipeline: the Redis stream between publisher and worker, the outbox links, the databases', async () => {
    const { traces } = await loadFixture('demo/demo-async-restored.jsonl');
    const g = buildServiceGraph(traces);
    expect(edgeLines(g)).toEqual([
      'job-worker → postgresql postgres sync: 6/0',
      'job-worker → redis 127.0.0.1 sync: 3/0',
      'jobs-api → jobs-api-postgres sync: 18/0',
      'jobs-api → outbox-publisher link: 3/0',
      'jobs-api → outbox-publisher messaging: 3/0',
      'jobs-api-postgres → postgresql postgres sync: 18/0',
      'outbox-publisher → postgresql postgres sync: 5/0',
      'outbox-publisher → redis 127.0.0.1 sync: 3/0',
      'outbox-publisher → redis job-events messaging: 3/0',
      'redis job-events → job-worker messaging: 3/0',
    ]);
    expect(node(g, 'redis job-events')).toMatchObject({ kind: 'messaging', system: 'redis', spanCount: 6 });
  });

  it('the neighbourhood of the publisher: its callers and callees, and no other edge', async () => {
    const { traces } = await loadFixture('demo/demo-async-restored.jsonl');
    const g = buildServiceGraph(traces);
    const near = serviceNeighbourhood(g, g.nodes.findIndex((n) => n.name === 'outbox-publisher'));
    expect(near.nodes[0].name).toBe('outbox-publisher');
    expect(edgeLines(near)).toEqual([
      'jobs-api → outbox-publisher link: 3/0',
      'jobs-api → outbox-publisher messaging: 3/0',
      'outbox-publisher → postgresql postgres sync: 5/0',
      'outbox-publisher → redis 127.0.0.1 sync: 3/0',
      'outbox-publisher → redis job-events messaging: 3/0',
    ]);
    expect(near.nodes.map((n) => n.name).sort()).toEqual(['jobs-api', 'outbox-publisher', 'postgresql postgres', 'redis 127.0.0.1', 'redis job-events']);
    expect(node(near, 'redis job-events').spanCount).toBe(6);
  });

  it('otel demo (141 traces, 8 services): the aggregated graph', async () => {
    const { traces } = await loadFixture('real/otlp/otel-tui__otel-demo-collector-file-export.jsonl');
    const g = buildServiceGraph(traces);
    expect([g.traceCount, g.spanCount]).toEqual([141, 547]);
    expect(g.nodes.map((n) => n.name).sort()).toEqual([
      'adservice',
      'checkoutservice',
      'flagd',
      'frontend',
      'frontend-proxy',
      'loadgenerator',
      'productcatalogservice',
      'recommendationservice',
    ]);
    expect(edgeLines(g)).toEqual([
      'adservice → flagd sync: 2/0',
      'frontend → adservice sync: 9/0',
      'frontend → checkoutservice sync: 4/4',
      'frontend → productcatalogservice sync: 36/0',
      'frontend → recommendationservice sync: 4/0',
      'frontend-proxy → frontend sync: 75/20',
      // The 22 failures are on loadgenerator's client spans; frontend-proxy's server spans look fine.
      'loadgenerator → frontend-proxy sync: 75/22',
      'recommendationservice → flagd sync: 4/0',
      'recommendationservice → productcatalogservice sync: 4/0',
    ]);
    // 53 Next.js "HTTP GET"/"HTTP POST" roots (linked to the frontend span of another trace: same service, no edge).
    expect(node(g, 'frontend')).toMatchObject({ spanCount: 197, rootCount: 53, orphanCount: 0 });
    // The one orphan of the file: an EventStream span whose caller's trace is not in it.
    expect(node(g, 'flagd')).toMatchObject({ orphanCount: 1 });
  });
});
