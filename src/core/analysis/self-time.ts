// Self time: the part of a span's duration during which none of its children was running. Children
// are clamped to the parent's interval and their union is counted once, so overlapping (parallel)
// children do not make self time negative and a child that outlives its parent only covers the part
// inside it.
//
//   parent   [==================]          duration 20
//   a           [=====]                    [3, 10)
//   b               [=====]                [7, 14): with a, covers [3, 14) = 11
//   late                       [=======]   clamped to [18, 20) = 2
//   self time = 20 − 11 − 2 = 7
import type { TraceModel } from '../model/trace-model.ts';

/**
 * Per span, ns of its duration not covered by the union of its children's intervals.
 * One pass: siblings come in start order in the pre-order, so each parent's union is a sweep that
 * only needs the end of what is covered so far.
 */
export function computeSelfTime(model: TraceModel): Float64Array {
  const n = model.spanCount;
  const coveredNs = new Float64Array(n);
  const coveredEndNs = new Float64Array(n).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const p = model.parent[i];
    if (p < 0) continue;
    const parentStart = model.startNs[p];
    const parentEnd = parentStart + model.durationNs[p];
    const s = Math.max(model.startNs[i], parentStart, coveredEndNs[p]);
    const e = Math.min(model.startNs[i] + model.durationNs[i], parentEnd);
    if (e <= s) continue;
    coveredNs[p] += e - s;
    coveredEndNs[p] = e;
  }
  const selfTimeNs = coveredNs; // reused in place: covered → self
  for (let i = 0; i < n; i++) selfTimeNs[i] = Math.max(0, model.durationNs[i] - coveredNs[i]);
  return selfTimeNs;
}

/**
 * Indices of the `limit` spans with the most self time, largest first (ties: earlier span first).
 * A min-heap of `limit` entries: O(n log limit).
 */
export function topSelfTimeSpans(model: TraceModel, selfTimeNs: Float64Array, limit = 20): Uint32Array {
  const k = Math.max(0, Math.min(Math.floor(limit), model.spanCount));
  if (k === 0) return new Uint32Array(0);
  // `worse(a, b)`: a ranks below b. The heap's top is the worst of the kept spans.
  const worse = (a: number, b: number) => selfTimeNs[a] < selfTimeNs[b] || (selfTimeNs[a] === selfTimeNs[b] && a > b);
  const heap = new Uint32Array(k);
  let size = 0;
  const siftDown = (from: number) => {
    let at = from;
    for (;;) {
      const l = 2 * at + 1;
      const r = l + 1;
      let m = at;
      if (l < size && worse(heap[l], heap[m])) m = l;
      if (r < size && worse(heap[r], heap[m])) m = r;
      if (m === at) return;
      const t = heap[at];
      heap[at] = heap[m];
      heap[m] = t;
      at = m;
    }
  };
  for (let i = 0; i < model.spanCount; i++) {
    if (size < k) {
      let at = size++;
      heap[at] = i;
      while (at > 0) {
        const up = (at - 1) >> 1;
        if (!worse(heap[at], heap[up])) break;
        const t = heap[at];
        heap[at] = heap[up];
        heap[up] = t;
        at = up;
      }
    } else if (worse(heap[0], i)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  // Pop the worst repeatedly, filling the answer from the back.
  const out = new Uint32Array(k);
  for (let j = k - 1; j >= 0; j--) {
    out[j] = heap[0];
    heap[0] = heap[--size];
    siftDown(0);
  }
  return out;
}
