import { describe, expect, it } from 'vitest';
import { loadFixture } from '../import/fixture-test-helpers.ts';
import { TraceModelBuilder } from '../model/trace-model-builder.ts';
import { spanName, type TraceModel } from '../model/trace-model.ts';
import { buildLinkIndex, incomingEdges, linkEdge, linksBetween, outgoingEdges, traceGraph, type LinkIndex } from './link-index.ts';
import { drawnTraceId, drawTraces, epochAt, hex16 } from './linked-traces-test-helpers.ts';
import type { SpanRef } from './span-ref.ts';

const nameOf = (traces: readonly TraceModel[], ref: SpanRef | undefined) => (ref ? spanName(traces[ref.trace], ref.span) : 'missing');
const outNames = (index: LinkIndex, ref: SpanRef) => Array.from(outgoingEdges(index, ref), (e) => nameOf(index.traces, linkEdge(index, e).to));
const inNames = (index: LinkIndex, ref: SpanRef) => Array.from(incomingEdges(index, ref), (e) => nameOf(index.traces, linkEdge(index, e).from));

describe('buildLinkIndex', () => {
  // Three traces, each its own load (own stores): an API request, a batch that links to both
  // producers, and a worker that links back to the batch.
  const drawn = drawTraces(`
    trace api
      req     [==========]
        send1    [=]                  kind=producer
        send2        [=]              kind=producer
    trace batch
      batch            [======]       link=send1,send2
    trace worker
      work                  [=====]   link=batch:follows_from
  `);
  const index = buildLinkIndex(drawn.traces);

  it('lists outgoing and incoming links per span, across traces and loads', () => {
    expect(index.edgeCount).toBe(3);
    expect(outNames(index, drawn.ref('batch'))).toEqual(['send1', 'send2']);
    expect(inNames(index, drawn.ref('batch'))).toEqual(['work']);
    expect(inNames(index, drawn.ref('send1'))).toEqual(['batch']);
    expect(outNames(index, drawn.ref('req'))).toEqual([]);
    expect(inNames(index, drawn.ref('req'))).toEqual([]);
    const follows = linkEdge(index, outgoingEdges(index, drawn.ref('work'))[0]);
    expect(follows).toMatchObject({ kind: 'follows_from', to: drawn.ref('batch'), traceId: drawnTraceId(1), toSelf: false, toParent: false });
    expect(index.unresolvedTraces).toEqual([]);
  });

  it('gives the graph of linked traces from any of them, in time order', () => {
    for (const start of [0, 1, 2]) {
      const graph = traceGraph(index, start);
      expect(graph.nodes).toEqual([0, 1, 2]);
      expect(graph.edges).toEqual([
        { from: 1, to: 0, count: 2, kinds: ['link'] },
        { from: 2, to: 1, count: 1, kinds: ['follows_from'] },
      ]);
    }
  });

  it('gives the span pairs between a chosen set of traces', () => {
    const pairs = (set: number[]) => linksBetween(index, set).map((p) => `${nameOf(drawn.traces, p.from)}→${nameOf(drawn.traces, p.to)}`);
    expect(pairs([0, 1, 2])).toEqual(['batch→send1', 'batch→send2', 'work→batch']);
    expect(pairs([1, 2])).toEqual(['work→batch']);
    expect(pairs([0])).toEqual([]);
  });

  it('counts duplicates once, keeps self-links and parent links flagged, lists missing targets', () => {
    const b = new TraceModelBuilder('otlp-json');
    const traceA = drawnTraceId(0);
    const span = (id: number, parent: number) =>
      b.addSpan({ traceId: traceA, spanId: hex16(id), parentSpanId: parent ? hex16(parent) : '', name: `s${id}`, service: 's', start: epochAt(id), durationNs: 10 });
    span(1, 0);
    span(2, 1);
    b.addLink(traceA, hex16(1), 'follows_from'); // its parent, as the Jaeger importer keeps a FOLLOWS_FROM parent
    b.addLink(traceA, hex16(2), 'link'); // itself
    b.addLink('feed'.padStart(32, '0'), hex16(7), 'link');
    b.addLink('feed'.padStart(32, '0'), hex16(7), 'link'); // duplicate
    b.addLink('feed'.padStart(32, '0'), hex16(8), 'link');
    b.addLink('beef'.padStart(32, '0'), hex16(9), 'child_of');
    b.addLink(traceA, hex16(99), 'link'); // loaded trace, missing span
    const traces = b.build().traces;
    const idx = buildLinkIndex(traces);
    expect(idx.edgeCount).toBe(6);
    expect(idx.duplicateCount).toBe(1);
    expect(idx.unresolvedTraces).toEqual([
      { traceId: 'feed'.padStart(32, '0'), linkCount: 2 },
      { traceId: 'beef'.padStart(32, '0'), linkCount: 1 },
    ]);
    expect(idx.missingSpanCount).toBe(1);
    const edges = Array.from(outgoingEdges(idx, { trace: 0, span: 1 }), (e) => linkEdge(idx, e));
    expect(edges.map((l) => [l.kind, l.toSelf, l.toParent, l.to?.span ?? -1])).toEqual([
      ['follows_from', false, true, 0],
      ['link', true, false, 1],
      ['link', false, false, -1],
      ['link', false, false, -1],
      ['child_of', false, false, -1],
      ['link', false, false, -1],
    ]);
    expect(inNames(idx, { trace: 0, span: 1 })).toEqual(['s2']);
    expect(linksBetween(idx, [0])).toEqual([]); // nothing to draw: self and parent links only
    expect(traceGraph(idx, 0)).toEqual({
      nodes: [0],
      edges: [],
      missingTraces: [
        { traceId: 'feed'.padStart(32, '0'), linkCount: 2 },
        { traceId: 'beef'.padStart(32, '0'), linkCount: 1 },
      ],
    });
  });

  it('reads link attributes from the source trace’s own stores', () => {
    const b = new TraceModelBuilder('otlp-json');
    b.addSpan({ traceId: drawnTraceId(5), spanId: hex16(1), name: 'x', service: 's', start: epochAt(0), durationNs: 1 });
    b.addLink(drawnTraceId(0), hex16(1), 'link', 'k=v');
    b.attr('link.reason', 'batch item');
    const idx = buildLinkIndex([...drawn.traces, b.build().traces[0]]);
    const edge = linkEdge(idx, outgoingEdges(idx, { trace: 3, span: 0 })[0]);
    expect(edge).toMatchObject({ to: drawn.ref('req'), traceState: 'k=v', attributes: [{ key: 'link.reason', type: 'string', value: 'batch item' }] });
    expect(inNames(idx, drawn.ref('req'))).toEqual(['x']);
  });
});

describe('buildLinkIndex: real files', () => {
  it('OTel demo export: each Next.js root span links to the frontend server span of another trace', async () => {
    const { traces } = await loadFixture('real/otlp/otel-tui__otel-demo-collector-file-export.jsonl');
    const index = buildLinkIndex(traces);
    expect(index.edgeCount).toBe(53);
    expect([index.unresolvedTraces, index.missingSpanCount, index.duplicateCount]).toEqual([[], 0, 0]);
    const edges = Array.from({ length: index.edgeCount }, (_, e) => linkEdge(index, e));
    const from = edges.map((l) => `${spanName(traces[l.from.trace], l.from.span)} #${l.from.span}`);
    expect(from.filter((n) => n === 'HTTP GET #0').length).toBe(38);
    expect(from.filter((n) => n === 'HTTP POST #0').length).toBe(15);
    expect(new Set(edges.map((l) => l.to && spanName(traces[l.to.trace], l.to.span)))).toEqual(new Set(['GET', 'POST']));
    expect(edges.every((l) => l.to && l.to.trace !== l.from.trace && l.kind === 'link')).toBe(true);
    const first = edges[0];
    expect([traces[first.from.trace].traceId, traces[first.from.trace].spanIds[first.from.span]]).toEqual(['f8d8bde88b76a1176df1723c5ed91d70', 'f4b2e6a7f857c40c']);
    expect(first.to).toEqual({ trace: 4, span: 3 });
    expect(traces[4].spanIds[3]).toBe('0105bc1ddba97760');
    expect(traceGraph(index, 4)).toEqual({ nodes: [4, 5], edges: [{ from: 5, to: 4, count: 1, kinds: ['link'] }], missingTraces: [] });
  });

  it('dd-trace aiokafka: the consumer links to three producer traces that are not in the file', async () => {
    const { traces } = await loadFixture('real/datadog/dd-trace-py__aiokafka-span-links.json');
    const index = buildLinkIndex(traces);
    expect(index.edgeCount).toBe(3);
    expect(index.unresolvedTraces).toEqual([
      { traceId: '6a19ef4e0000000013ffe403d788d37c', linkCount: 1 },
      { traceId: '6a19ef4e00000000784669e6fe83fda1', linkCount: 1 },
      { traceId: '6a19ef4e00000000ccf3429347a22528', linkCount: 1 },
    ]);
    expect(linkEdge(index, 0)).toMatchObject({ from: { trace: 3, span: 0 }, spanId: '4946278831030841', attributes: [{ key: 'flags', value: 1 }] });
    expect(traceGraph(index, 3).nodes).toEqual([3]);
  });

  it('Jaeger issue 115: the FOLLOWS_FROM parent is a link flagged as pointing at the parent', async () => {
    const { traces } = await loadFixture('real/jaeger/jaeger-ui__issue115-follows-from__2992f2a5b5d037a8aabffd08ef384237.json');
    const index = buildLinkIndex(traces);
    expect(index.edgeCount).toBe(1);
    expect(linkEdge(index, 0)).toMatchObject({ from: { trace: 0, span: 1 }, to: { trace: 0, span: 0 }, kind: 'follows_from', toParent: true, toSelf: false });
    expect(linksBetween(index, [0])).toEqual([]);
  });

  it('demo batch: one batch span linked both ways to the root spans of 8 order traces', async () => {
    const { traces } = await loadFixture('demo/demo-batch-links.jsonl');
    const index = buildLinkIndex(traces);
    expect(traces.length).toBe(9);
    expect(spanName(traces[0], 0)).toBe('order-batch import');
    expect(index.edgeCount).toBe(16);
    const batch = { trace: 0, span: 0 };
    const items = [1, 2, 3, 4, 5, 6, 7, 8].map((trace) => ({ trace, span: 0 }));
    expect(Array.from(outgoingEdges(index, batch), (e) => index.targetTrace[e])).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from(incomingEdges(index, batch), (e) => linkEdge(index, e).from)).toEqual(items);
    expect(linkEdge(index, 0).attributes.find((a) => a.key === 'link.reason')?.value).toBe('batch item');
    const graph = traceGraph(index, 5);
    expect(graph.nodes).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(graph.edges.length).toBe(16);
    expect(graph.edges.every((e) => e.count === 1 && (e.from === 0) !== (e.to === 0))).toBe(true);
    expect(linksBetween(index, [0, 3]).map((p) => [p.from.trace, p.to.trace])).toEqual([[0, 3], [3, 0]]);
  });
});

describe('buildLinkIndex: many traces (speed: npm run bench:links)', () => {
  it('indexes 1,000 traces × 10 spans with 2,000 links into one connected graph', () => {
    const b = new TraceModelBuilder('otlp-json');
    const traceCount = 1_000;
    for (let t = 0; t < traceCount; t++) {
      for (let s = 0; s < 10; s++) {
        b.addSpan({ traceId: drawnTraceId(t), spanId: hex16(t * 10 + s + 1), parentSpanId: s ? hex16(t * 10 + 1) : '', name: 'op', service: 'svc', start: epochAt(t * 1000 + s), durationNs: 100 });
        // Two links per trace: to the root of the previous trace and to a span of a trace far back.
        if (s === 1 && t > 0) b.addLink(drawnTraceId(t - 1), hex16((t - 1) * 10 + 1), 'link');
        if (s === 2) b.addLink(drawnTraceId((t * 7919) % traceCount), hex16(((t * 7919) % traceCount) * 10 + 3), 'link');
      }
    }
    const { traces } = b.build();
    const index = buildLinkIndex(traces);
    expect(index.edgeCount).toBe(2 * traceCount - 1);
    expect(traceGraph(index, 0).nodes.length).toBe(traceCount);
  });
});
