// The tree phases of buildTrace, each a pure step over insertion-order columns: index the ids, resolve
// parents, list children, walk the tree in pre-order (cutting parent cycles), and order siblings and
// roots by start. Walks use an explicit stack: a 100,000-deep chain must not overflow.
import { IdIndex } from './id-index.ts';

/** A warning about one span, by insertion index. */
export interface SpanWarning {
  readonly span: number;
  readonly message: string;
}

/** Id → first span with that id. Later spans with the same id are kept and listed as duplicates. */
export function indexSpanIds(spanIds: readonly string[], explicitParent: Int32Array): { readonly idIndex: IdIndex; readonly duplicates: readonly number[] } {
  const idIndex = new IdIndex(spanIds);
  const duplicates: number[] = [];
  for (let i = 0; i < spanIds.length; i++) {
    const first = idIndex.add(i);
    // A Zipkin shared server half reuses its client's id on purpose; it is that span's child.
    if (first !== undefined && explicitParent[i] !== first && explicitParent[first] !== i) duplicates.push(i);
  }
  return { idIndex, duplicates };
}

/**
 * Each span's parent (insertion index, -1 for a root): the explicit one if the importer gave it, else
 * the first span with the parent id. A parent id not in the trace, or naming the span itself, makes
 * the span an orphan root.
 */
export function resolveParents(
  explicitParent: Int32Array,
  parentSpanIds: readonly string[],
  idIndex: IdIndex,
): { readonly parentOf: Int32Array; readonly orphans: readonly SpanWarning[] } {
  const n = parentSpanIds.length;
  const parentOf = new Int32Array(n).fill(-1);
  const orphans: SpanWarning[] = [];
  for (let i = 0; i < n; i++) {
    if (explicitParent[i] >= 0) {
      parentOf[i] = explicitParent[i];
      continue;
    }
    const pid = parentSpanIds[i];
    if (pid === '') continue;
    const p = idIndex.get(pid);
    if (p === undefined) orphans.push({ span: i, message: `parent span ${pid} is not in the trace` });
    else if (p === i) orphans.push({ span: i, message: 'span names itself as its parent; shown as a root' });
    else parentOf[i] = p;
  }
  return { parentOf, orphans };
}

/** Children of each span as compressed rows: children[offset[i] .. offset[i + 1]) are span i's. */
export interface ChildLists {
  readonly offset: Uint32Array;
  readonly children: Uint32Array;
}

/** The children of each span, in insertion order. */
export function childLists(parentOf: Int32Array): ChildLists {
  const n = parentOf.length;
  const offset = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) if (parentOf[i] >= 0) offset[parentOf[i] + 1]++;
  for (let i = 0; i < n; i++) offset[i + 1] += offset[i];
  const children = new Uint32Array(offset[n]);
  const fill = offset.slice(0, n);
  for (let i = 0; i < n; i++) if (parentOf[i] >= 0) children[fill[parentOf[i]]++] = i;
  return { offset, children };
}

/** A pre-order being written: order[0 .. placed) so far, visited[i] = 1 once span i is placed. */
interface PreOrder {
  readonly order: Uint32Array;
  readonly visited: Uint8Array;
  readonly stack: Uint32Array;
  placed: number;
}

function newPreOrder(n: number): PreOrder {
  return { order: new Uint32Array(n), visited: new Uint8Array(n), stack: new Uint32Array(n), placed: 0 };
}

/** Appends the subtree of `root` to `out` in pre-order, children in list order, skipping visited spans. */
function walk(out: PreOrder, root: number, lists: ChildLists, parentOf: Int32Array): void {
  const { order, visited, stack } = out;
  const { offset, children } = lists;
  let top = 0;
  stack[top++] = root;
  visited[root] = 1;
  while (top > 0) {
    const node = stack[--top];
    order[out.placed++] = node;
    // Pushed last to first, so the first child is walked first.
    for (let c = offset[node + 1]; c-- > offset[node]; ) {
      const child = children[c];
      if (visited[child] || parentOf[child] !== node) continue;
      visited[child] = 1;
      stack[top++] = child;
    }
  }
}

/** Spans with no parent, in insertion order. */
export function rootCandidates(parentOf: Int32Array): number[] {
  const roots: number[] = [];
  for (let i = 0; i < parentOf.length; i++) if (parentOf[i] < 0) roots.push(i);
  return roots;
}

/**
 * A first pre-order (children in any order) from `roots`, and where to cut parent cycles: spans it
 * cannot reach sit on a cycle or below one; each cycle is cut at its earliest span (by `compare`),
 * which becomes a root. The order lists every span, cut points walked from as roots.
 */
export function preOrderCuttingCycles(
  roots: readonly number[],
  lists: ChildLists,
  parentOf: Int32Array,
  compare: (a: number, b: number) => number,
): { readonly order: Uint32Array; readonly cuts: readonly number[] } {
  const n = parentOf.length;
  const out = newPreOrder(n);
  for (const r of roots) walk(out, r, lists, parentOf);
  const cuts: number[] = [];
  if (out.placed < n) {
    const rest: number[] = [];
    for (let i = 0; i < n; i++) if (!out.visited[i]) rest.push(i);
    rest.sort(compare);
    for (const i of rest) {
      if (out.visited[i]) continue;
      cuts.push(i);
      walk(out, i, lists, parentOf);
    }
  }
  return { order: out.order, cuts };
}

/** The final pre-order: every span reachable from `roots`, walked in order, children in list order. */
export function preOrder(roots: readonly number[], lists: ChildLists, parentOf: Int32Array): Uint32Array {
  const out = newPreOrder(parentOf.length);
  for (const r of roots) walk(out, r, lists, parentOf);
  return out.order;
}

/** Sorts each span's children by the start it is shown at, ties by insertion order. */
export function sortChildrenByStart(lists: ChildLists, shownStart: Float64Array): void {
  const byStart = (a: number, b: number) => shownStart[a] - shownStart[b] || a - b;
  const { offset, children } = lists;
  for (let i = 0; i + 1 < offset.length; i++) {
    if (offset[i + 1] - offset[i] > 1) children.subarray(offset[i], offset[i + 1]).sort(byStart);
  }
}
