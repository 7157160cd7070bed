import { describe, expect, it } from 'vitest';
import { loadFixture } from '../core/import/fixture-test-helpers.ts';
import { spanLabelOf, transferList, type TraceViewData } from '../core/view-format/trace-view-format.ts';
import { buildTraceViewData } from './trace-view-data.ts';

/** Every typed array in a value, found by JSON's own walk (not by the code under test). */
function typedArraysIn(value: unknown): ArrayBufferView[] {
  const found: ArrayBufferView[] = [];
  JSON.stringify(value, (_key, v: unknown) => {
    if (ArrayBuffer.isView(v)) {
      found.push(v);
      return undefined;
    }
    return v;
  });
  return found;
}

async function viewOf(file: string): Promise<TraceViewData> {
  return buildTraceViewData((await loadFixture(file)).traces[0]);
}

describe('transferList', () => {
  it('moves every buffer of a view with a skew adjustment (nested columns too): none is left behind', async () => {
    const view = await viewOf('real/zipkin/zipkin__skew.json');
    expect(view.skew).toBeDefined();
    const arrays = typedArraysIn(view);
    const list = transferList(view);
    expect(arrays.length).toBeGreaterThan(30);
    for (const a of arrays) expect(list).toContain(a.buffer);
    // Moved, not copied: after a transfer every column of the sent view is detached.
    const received = structuredClone(view, { transfer: list });
    expect(arrays.every((a) => a.byteLength === 0)).toBe(true);
    expect(received.spanCount).toBe(received.startNs.length);
    expect(received.skew?.startNs.length).toBe(received.spanCount);
  });

  it('lists a shared buffer once', () => {
    const buffer = new ArrayBuffer(16);
    expect(transferList({ a: new Uint8Array(buffer, 0, 8), b: { c: new Uint8Array(buffer, 8, 8) } })).toEqual([buffer]);
  });
});

describe('packed labels', () => {
  it('reads back each span label the view was built with', async () => {
    const view = await viewOf('demo/demo-orders.jsonl');
    const labels = Array.from({ length: view.spanCount }, (_, i) => spanLabelOf(view, i));
    expect(labels.slice(0, 4)).toEqual(['POST /api/orders → 201', 'POST /orders → 201', 'POST /orders → 201', 'order.place']);
  });
});
