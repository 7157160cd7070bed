import { describe, expect, it } from 'vitest';
import { loadFixture } from '../import/fixture-test-helpers.ts';
import { knownEntry } from '../known-entry.ts';
import { spanName, spanService } from '../model/trace-model.ts';
import { groupByBusinessKey } from './business-key.ts';
import { findStoredContexts } from './context-finder.ts';
import { formatInferredVia } from './span-ref.ts';
import { INFERRED_LINK_ATTR, isStitchedTraceId, STITCHED_FROM_ATTR, stitchTraces } from './stitch-traces.ts';

describe('stitchTraces', () => {
  it('joins the batch trace and its 8 order traces into one model whose links resolve inside it', async () => {
    const { traces } = await loadFixture('demo/demo-batch-links.jsonl');
    const stitched = stitchTraces(traces);
    const model = stitched.collection.traces[0];
    expect(stitched.collection.traces).toHaveLength(1);
    expect(model.spanCount).toBe(traces.reduce((n, t) => n + t.spanCount, 0));
    expect(model.roots.length).toBe(9);
    // Every root says where it came from; the batch span's 8 links now point at stitched spans.
    const roots = [...model.roots];
    expect(roots.map((r) => model.stores.attributes.find(model.attrStart[r], model.attrCount[r], STITCHED_FROM_ATTR)).sort()).toEqual(traces.map((t) => t.traceId).sort());
    const batch = stitched.stitchedIndex({ trace: 0, span: 0 });
    expect(spanName(model, batch)).toBe('order-batch import');
    expect(model.linkCount[batch]).toBe(8);
    expect(model.traceId).toBe(`stitched-${traces.map((t) => t.traceId).join('-')}`);
    expect(isStitchedTraceId(model.traceId)).toBe(true);
    expect(traces.some((t) => isStitchedTraceId(t.traceId))).toBe(false);
    for (let l = model.linkStart[batch]; l < model.linkStart[batch] + 8; l++) expect(model.stores.links.traceId[l]).toBe(model.traceId);
    expect(model.inboundLinks.get(batch)?.length).toBe(8);
    // The mapping goes both ways.
    for (let i = 0; i < model.spanCount; i++) {
      const ref = { trace: stitched.sourceTrace[i], span: stitched.sourceSpan[i] };
      expect(stitched.stitchedIndex(ref)).toBe(i);
      expect(model.spanIds[i]).toBe(traces[ref.trace].spanIds[ref.span]);
    }
  });

  it('adds the links the broken-trace finder inferred, marked with how', async () => {
    const { traces } = await loadFixture('demo/demo-async-lost.jsonl');
    const group = groupByBusinessKey(traces, 'job.id')[0];
    const members = group.traces.map((t) => traces[t]);
    const remap = new Map(group.traces.map((t, k) => [t, k]));
    const inferred = group.links.map((l) => ({ ...l, from: { trace: knownEntry(remap, l.from.trace), span: l.from.span }, to: l.to && { trace: knownEntry(remap, l.to.trace), span: l.to.span } }));
    const stitched = stitchTraces(members, inferred);
    const model = stitched.collection.traces[0];
    expect(new Set(Array.from({ length: model.spanCount }, (_, i) => spanService(model, i)))).toEqual(new Set(['jobs-api', 'jobs-api-postgres', 'outbox-publisher', 'job-worker']));
    const marked: string[] = [];
    for (let l = 0; l < model.stores.links.traceId.length; l++) {
      const via = model.stores.attributes.find(model.stores.links.attrStart[l], model.stores.links.attrCount[l], INFERRED_LINK_ATTR);
      if (via !== undefined) marked.push(String(via));
    }
    expect(marked).toEqual(group.links.map((l) => formatInferredVia(l.via)));
    expect(findStoredContexts(traces).length).toBe(3);
  });
});
