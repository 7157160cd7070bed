// The critical path of a trace: the chain of work that decided how long the root took. Jaeger UI's
// algorithm (components/TracePage/CriticalPath), rewritten as one loop over typed arrays:
//
//   start at the root's end; repeatedly pick the child that finished last before the current point
//   (the "last finishing child"); the parent owns the gap between that child's end and the point; walk
//   into the child from its end; when a span has no such child left, it owns the time back to its own
//   start and the walk returns to its parent at that start.
//
//   root   [==========================================]
//   a         [==========]
//   b                       [==============]
//   path   rrraaaaaaaaaaaarrbbbbbbbbbbbbbbbbrrrrrrrrrrr   root, a, root, b, root
//
// Before walking, children are clamped to their parent's (clamped) interval and dropped when nothing is
// left; children that do not block their parent are dropped with their subtrees (see blocksParent).
// Differences from Jaeger UI: a child that ends exactly where the current point is counts as before it
// (Jaeger's strict `<` skips back-to-back sequential children), each child is visited at most once
// (which makes the walk linear), and time 0 is a time (Jaeger tests `if (spawnTime)`).
import type { TraceModel } from '../model/trace-model.ts';

export interface CriticalPath {
  /** Per segment: the span that owns it. Segments are ordered by time and do not overlap. */
  readonly spanIndex: Uint32Array;
  /** Per segment, ns relative to the trace start. */
  readonly startNs: Float64Array;
  readonly endNs: Float64Array;
  /** Per span of the model: 1 if it owns any segment. */
  readonly onPath: Uint8Array;
}

const KIND_PRODUCER = 4;
const KIND_CONSUMER = 5;
const LINK_FOLLOWS_FROM = 1;

/**
 * Whether span `i` holds up its parent: false for messaging spans (PRODUCER / CONSUMER) and for a
 * child whose link to its parent is FOLLOWS_FROM (the parent does not wait for it). Roots: true.
 */
export function blocksParent(model: TraceModel, i: number): boolean {
  const p = model.parent[i];
  if (p < 0) return true;
  const kind = model.kind[i];
  if (kind === KIND_PRODUCER || kind === KIND_CONSUMER) return false;
  const links = model.stores.links;
  const parentId = model.spanIds[p];
  for (let l = model.linkStart[i], end = l + model.linkCount[i]; l < end; l++) {
    if (links.kind[l] === LINK_FOLLOWS_FROM && links.spanId[l] === parentId && links.traceId[l] === model.traceId) return false;
  }
  return true;
}

/** The critical path from the first root (the true root when there is one). */
export function computeCriticalPath(model: TraceModel): CriticalPath {
  if (model.spanCount === 0) return emptyPath(0);
  return computeCriticalPathFrom(model, model.roots[0]);
}

/** The critical path of the subtree of `root`, taken as if `root` were the trace's root. */
export function computeCriticalPathFrom(model: TraceModel, root: number): CriticalPath {
  if (!(root >= 0 && root < model.spanCount)) return emptyPath(model.spanCount);
  const size = model.subtreeEnd[root] - root; // local index k is span root + k

  // Clamped intervals; `kept` is 0 for dropped spans and everything under them. Parents come first.
  const startNs = new Float64Array(size);
  const endNs = new Float64Array(size);
  const kept = new Uint8Array(size);
  startNs[0] = model.startNs[root];
  endNs[0] = model.startNs[root] + model.durationNs[root];
  kept[0] = 1;
  const childCount = new Uint32Array(size + 1);
  for (let k = 1; k < size; k++) {
    const i = root + k;
    const p = model.parent[i] - root;
    if (!kept[p] || !blocksParent(model, i)) continue;
    const s = Math.max(model.startNs[i], startNs[p]);
    const e = Math.min(model.startNs[i] + model.durationNs[i], endNs[p]);
    if (e <= s) continue; // outside the parent, or zero-length: owns no time
    startNs[k] = s;
    endNs[k] = e;
    kept[k] = 1;
    childCount[p]++;
  }

  // Kept children of each span (CSR), latest end first; among equal ends the earliest start first.
  const childOffset = new Uint32Array(size + 1);
  for (let k = 0; k < size; k++) childOffset[k + 1] = childOffset[k] + childCount[k];
  const children = new Uint32Array(childOffset[size]);
  const fill = childOffset.slice(0, size);
  for (let k = 1; k < size; k++) if (kept[k]) children[fill[model.parent[root + k] - root]++] = k;
  const byEndDesc = (a: number, b: number) => endNs[b] - endNs[a] || a - b;
  for (let k = 0; k < size; k++) {
    if (childCount[k] > 1) children.subarray(childOffset[k], childOffset[k + 1]).sort(byEndDesc);
  }

  // The walk. `cursor[k]` is the next child of k to consider: the point only moves back in time, so a
  // child that ends after it is never a candidate again. Each span is entered once from its parent and
  // re-entered once per kept child, so there are at most 2 * size - 1 segments (usually far fewer:
  // the buffers start small and double).
  const cursor = childOffset.slice(0, size);
  let segSpan = new Uint32Array(64);
  let segStart = new Float64Array(64);
  let segEnd = new Float64Array(64);
  let count = 0;
  const emit = (k: number, s: number, e: number) => {
    if (e <= s) return;
    if (count === segSpan.length) {
      segSpan = grow(segSpan, new Uint32Array(2 * count));
      segStart = grow(segStart, new Float64Array(2 * count));
      segEnd = grow(segEnd, new Float64Array(2 * count));
    }
    segSpan[count] = root + k;
    segStart[count] = s;
    segEnd[count] = e;
    count++;
  };
  let k = 0;
  let pointNs = endNs[0];
  for (;;) {
    const last = childOffset[k + 1];
    let c = cursor[k];
    while (c < last && endNs[children[c]] > pointNs) c++;
    if (c < last) {
      const child = children[c];
      cursor[k] = c + 1;
      emit(k, endNs[child], pointNs);
      k = child;
      pointNs = endNs[child];
      continue;
    }
    cursor[k] = c;
    emit(k, startNs[k], pointNs);
    if (k === 0) break;
    pointNs = startNs[k];
    k = model.parent[root + k] - root;
  }

  // Emitted back to front; reverse into time order.
  const onPath = new Uint8Array(model.spanCount);
  const out = { spanIndex: new Uint32Array(count), startNs: new Float64Array(count), endNs: new Float64Array(count), onPath };
  for (let j = 0; j < count; j++) {
    const from = count - 1 - j;
    out.spanIndex[j] = segSpan[from];
    out.startNs[j] = segStart[from];
    out.endNs[j] = segEnd[from];
    onPath[segSpan[from]] = 1;
  }
  return out;
}

function grow<T extends Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

function emptyPath(spanCount: number): CriticalPath {
  return { spanIndex: new Uint32Array(0), startNs: new Float64Array(0), endNs: new Float64Array(0), onPath: new Uint8Array(spanCount) };
}

/** Total ns each span owns on the path (0 for spans off it): the "critical time" of a span. */
export function criticalTimeNs(model: TraceModel, path: CriticalPath): Float64Array {
  const out = new Float64Array(model.spanCount);
  for (let j = 0; j < path.spanIndex.length; j++) out[path.spanIndex[j]] += path.endNs[j] - path.startNs[j];
  return out;
}
