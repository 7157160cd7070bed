import { describe, expect, it } from 'vitest';
import { loadFixture } from '../core/import/fixture-test-helpers.ts';
import { formatInferredVia } from '../core/analysis/span-ref.ts';
import { stitchTraces } from '../core/analysis/stitch-traces.ts';
import { Workspace } from './workspace.ts';
import { resultFor } from '../core/view-format/analysis-answers.ts';
import { analyze, runAnalysis } from './analyses.ts';
import { TraceNotLoaded } from './workspace.ts';
import { buildTraceViewData } from './trace-view-data.ts';

async function workspaceOf(file: string): Promise<Workspace> {
  const w = new Workspace();
  w.reset(await loadFixture(file));
  return w;
}

describe('worker analyses over the demo flows', () => {
  it('linkGraph: the batch and its 8 order traces, linked both ways', async () => {
    const w = await workspaceOf('demo/demo-batch-links.jsonl');
    const batchId = w.traces[0].traceId;
    const graph = analyze(w, { kind: 'linkGraph', traceId: batchId, businessKey: undefined, storedContext: false, windowMs: Infinity });
    expect(graph.nodes).toHaveLength(9);
    expect(graph.nodes.filter((n) => n.current).map((n) => n.traceId)).toEqual([batchId]);
    expect(graph.edges.reduce((n, e) => n + e.count, 0)).toBe(16);
    expect(graph.missing).toEqual([]);
  });

  it('linkGraph: the lost async flow is one node until the stored context or job.id joins it', async () => {
    const w = await workspaceOf('demo/demo-async-lost.jsonl');
    const apiTrace = w.traces[0].traceId;
    const alone = analyze(w, { kind: 'linkGraph', traceId: apiTrace, businessKey: undefined, storedContext: false, windowMs: Infinity });
    const byContext = analyze(w, { kind: 'linkGraph', traceId: apiTrace, businessKey: undefined, storedContext: true, windowMs: Infinity });
    const byKey = analyze(w, { kind: 'linkGraph', traceId: apiTrace, businessKey: 'job.id', storedContext: false, windowMs: Infinity });
    expect(alone.nodes).toHaveLength(1);
    // The publisher logged each row's traceparent: the three requests join the publisher's trace.
    expect(byContext.nodes).toHaveLength(4);
    expect(byContext.edges.map((e) => [e.from, e.to, e.inferred && formatInferredVia(e.inferred)])).toEqual([0, 1, 2].map((k) => [k, 3, 'traceparent in JSON of attribute outbox.trace_headers, key traceparent']));
    // job.id also joins the workers: request → publisher → worker for jobs 4, 5 and 6.
    expect(byKey.nodes).toHaveLength(7);
    expect(byKey.edges.map((e) => e.inferred && formatInferredVia(e.inferred))).toEqual(['job.id = 4', 'job.id = 4', 'job.id = 5', 'job.id = 5', 'job.id = 6', 'job.id = 6']);
    expect(byKey.keySuggestions[0].key).toBe('job.id');
    expect(byKey.businessKeyValues).toEqual(['4']);
    // The publisher starts 1.9 s after the request: a 1 s window does not chain them.
    const narrow = analyze(w, { kind: 'linkGraph', traceId: apiTrace, businessKey: 'job.id', storedContext: false, windowMs: 1000 });
    expect(narrow.nodes).toHaveLength(1);
  });

  it('spanLinks: the batch span fans out to 8 order spans, with a summary', async () => {
    const w = await workspaceOf('demo/demo-batch-links.jsonl');
    const links = analyze(w, { kind: 'spanLinks', traceId: w.traces[0].traceId, spanIndex: 0 });
    expect(links.outgoing).toHaveLength(8);
    expect(links.incoming).toHaveLength(8);
    expect(links.fan?.count).toBe(8);
    expect(links.outgoing.every((l) => l.target?.service === 'order-batch')).toBe(true);
    // Each link's own attributes come along: the details list each link once, with them.
    expect(links.outgoing.map((l) => l.attributes.find((a) => a.key === 'link.reason')?.value)).toEqual(Array(8).fill('batch item'));
  });

  it('stitch: the restored flow on one axis, the critical path through the outbox wait', async () => {
    const w = await workspaceOf('demo/demo-async-restored.jsonl');
    const ids = w.traces.map((t) => t.traceId);
    const result = analyze(w, { kind: 'stitch', traceIds: ids, businessKey: undefined, storedContext: false, windowMs: Infinity });
    expect(result.summary.spanCount).toBe(w.traces.slice(0, ids.length).reduce((n, t) => n + t.spanCount, 0));
    expect(result.asyncPath.queueWaitNs).toBeGreaterThan(900e6); // the outbox is polled once a second
    expect(result.asyncPath.spans.every((s) => s >= 0)).toBe(true);
    const stitched = w.find(result.summary.traceId);
    expect(stitched.spanCount).toBe(result.summary.spanCount);
    // Each queue wait ends where the span that picked the work up starts, on the stitched view's axis.
    expect(result.asyncPath.queueWaitSpans.length).toBeGreaterThan(0);
    result.asyncPath.queueWaitSpans.forEach((span, k) => expect(result.asyncPath.queueWaits[2 * k + 1]).toBe(stitched.startNs[span]));
  });
});

describe('stitched view data', () => {
  it('draws the batch links as 16 arrows between spans of the stitched view (8 each way), none inferred', async () => {
    const { traces } = await loadFixture('demo/demo-batch-links.jsonl');
    const stitched = stitchTraces(traces);
    const view = buildTraceViewData(stitched.collection.traces[0]);
    const batch = stitched.stitchedIndex({ trace: 0, span: 0 });
    expect(view.linkFrom.length).toBe(16);
    expect([...view.linkFrom].filter((s) => s === batch)).toHaveLength(8);
    expect([...view.linkTo].filter((s) => s === batch)).toHaveLength(8);
    expect([...view.linkInferred]).toEqual(new Array(16).fill(0));
  });
});

describe('analysis answers', () => {
  it('a trace the workspace does not hold is a not-loaded error, not a load failure', async () => {
    const w = await workspaceOf('demo/demo-orders.jsonl');
    const missing = 'ffffffffffffffffffffffffffffffff';
    expect(() => analyze(w, { kind: 'diff', traceIdA: w.traces[0].traceId, traceIdB: missing })).toThrow(new TraceNotLoaded(missing));
    expect(() => analyze(w, { kind: 'linkGraph', traceId: missing, businessKey: undefined, storedContext: false, windowMs: Infinity })).toThrow(TraceNotLoaded);
    expect(() => analyze(w, { kind: 'stitch', traceIds: [w.traces[0].traceId, missing], businessKey: undefined, storedContext: false, windowMs: Infinity })).toThrow(TraceNotLoaded);
  });

  it('an answer carries its query kind; taking it as another kind fails', async () => {
    const w = await workspaceOf('demo/demo-orders.jsonl');
    const answer = runAnalysis(w, { kind: 'serviceGraph', traceId: w.traces[0].traceId, scope: 'trace' });
    expect(answer.kind).toBe('serviceGraph');
    expect(resultFor(answer, 'serviceGraph').nodes.length).toBeGreaterThan(1);
    expect(() => resultFor(answer, 'stats')).toThrow('A stats analysis was answered with serviceGraph');
  });
});
