import { describe, expect, it } from 'vitest';
import { loadFixture } from '../core/import/fixture-test-helpers.ts';
import { analyze } from './analyses.ts';
import type { SpanDetailsView } from '../core/view-format/span-details-view.ts';
import { transferList } from '../core/view-format/trace-view-format.ts';
import { TraceNotLoaded, Workspace } from './workspace.ts';

/** Each resolved link target, with the span id found there (it must be the id the link names). */
function targetsOf(w: Workspace, details: SpanDetailsView) {
  return details.links.map((l) => ({
    linkTo: `${l.traceId}/${l.spanId}`,
    found: l.target && `${w.find(l.target.traceId).traceId}/${w.find(l.target.traceId).spanIds[l.target.span]}`,
  }));
}

describe('Workspace.spanDetails: link targets from the collection the trace came with', () => {
  it('a linked trace fetched after the file: the batch span finds its 8 order spans in its own collection', async () => {
    const w = new Workspace();
    w.reset(await loadFixture('demo/demo-async-lost.jsonl'));
    const fetched = await loadFixture('demo/demo-batch-links.jsonl');
    w.add(fetched);
    const batch = fetched.traces[0];
    const details = w.spanDetails(batch.traceId, 0);
    const targets = targetsOf(w, details);
    expect(targets).toHaveLength(8);
    // Every target is the span the link names: the order traces of the fetched file.
    expect(targets.map((t) => t.found)).toEqual(targets.map((t) => t.linkTo));
    expect(new Set(details.links.map((l) => l.target?.traceId))).toEqual(new Set(fetched.traces.slice(1).map((t) => t.traceId)));
  });

  it('a stitched view: the batch span finds its 8 order spans inside the stitched trace', async () => {
    const w = new Workspace();
    const file = await loadFixture('demo/demo-batch-links.jsonl');
    w.reset(file);
    const ids = file.traces.map((t) => t.traceId);
    const stitched = analyze(w, { kind: 'stitch', traceIds: ids, businessKey: undefined, storedContext: false, windowMs: Infinity });
    const stitchedId = stitched.summary.traceId;
    const model = w.find(stitchedId);
    const batchSpan = model.spanIds.indexOf(file.traces[0].spanIds[0]);
    const details = w.spanDetails(stitchedId, batchSpan);
    const targets = targetsOf(w, details);
    expect(targets).toHaveLength(8);
    expect(details.links.every((l) => l.target?.traceId === stitchedId)).toBe(true);
    expect(targets.map((t) => t.found?.split('/')[1])).toEqual(details.links.map((l) => l.spanId));
  });

  it('the file itself: targets in its other traces, by trace id', async () => {
    const w = new Workspace();
    const file = await loadFixture('demo/demo-batch-links.jsonl');
    w.reset(file);
    const targets = targetsOf(w, w.spanDetails(file.traces[0].traceId, 0));
    expect(targets).toHaveLength(8);
    expect(targets.map((t) => t.found)).toEqual(targets.map((t) => t.linkTo));
  });

  it('a trace it does not hold is its own error', async () => {
    const w = new Workspace();
    w.reset(await loadFixture('demo/demo-orders.jsonl'));
    expect(() => w.spanDetails('0123456789abcdef0123456789abcdef', 0)).toThrow(TraceNotLoaded);
  });
});

describe('Workspace: a view sent to the page leaves nothing of the workspace behind it', () => {
  // The view's buffers move to the page (transferList); the labels the workspace keeps for search must not
  // be among them, else search finds nothing and the next view of the trace has a detached column.
  const send = (view: unknown) => structuredClone(view, { transfer: transferList(view) });

  it('search by a label works after the view was sent, and the trace opens again', async () => {
    const w = new Workspace();
    const file = await loadFixture('real/zipkin/zipkin__yelp.json');
    w.reset(file);
    const { traceId } = file.traces[0];
    const before = w.search(traceId, '"POST /*path"').matches?.length;
    expect(before).toBe(1);
    send(w.takeView(traceId));
    expect(w.search(traceId, '"POST /*path"').matches?.length).toBe(before);
    const again = w.takeView(traceId);
    expect(again.label).toHaveLength(again.spanCount);
    expect(() => send(again)).not.toThrow();
  });
});
