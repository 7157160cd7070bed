// The flamegraph views. (a) The icicle of one trace: each span at x = its start, width = its duration,
// row = its depth; for a window and a pixel width, the rectangles worth drawing, with runs of sub-pixel
// spans at one depth merged into one rectangle that knows how many spans it stands for (what Perfetto
// does), so a million-span trace draws a few thousand rectangles. (b) The merged flamegraph: spans with
// the same service + operation path from their root merged into one node (speedscope's left-heavy view),
// drawn as an icicle too. (c) The search box's query over merged nodes.
import { f64Column, u32Column, u8Column } from '../model/growable-column.ts';
import { STATUS_ERROR, type TraceModel } from '../model/trace-model.ts';
import { NameIds, PairIds } from './cross-trace-ids.ts';
import type { SearchQuery, SearchTerm } from './search.ts';
import { computeSelfTime } from './self-time.ts';
import { OperationKeys } from './span-label.ts';
import { preorder } from './tree-order.ts';

// ---- (a) the icicle of one trace ----

/**
 * What the icicle needs of a tree kept in pre-order: a trace's spans (a TraceModel or the columns a view
 * received from the worker), or a merged tree's nodes (see mergedIcicle). "Spans" below means its items.
 */
export interface IcicleTree {
  readonly spanCount: number;
  /** x and width of each item. */
  readonly startNs: Float64Array;
  readonly durationNs: Float64Array;
  /** Row of each item. */
  readonly depth: Uint32Array;
  readonly parent: Int32Array;
  readonly subtreeEnd: Uint32Array;
}

export interface IcicleLayout {
  /** Per span, the earliest start and latest end in its subtree (children may lie outside their parent). */
  readonly subtreeStartNs: Float64Array;
  readonly subtreeEndNs: Float64Array;
  readonly maxDepth: number;
}

/** O(spans): one backward pass (in pre-order a subtree is finished before its root is reached). */
export function icicleLayout(tree: IcicleTree): IcicleLayout {
  const n = tree.spanCount;
  const subtreeStartNs = tree.startNs.slice(0, n);
  const subtreeEndNs = new Float64Array(n);
  let maxDepth = 0;
  for (let i = 0; i < n; i++) {
    subtreeEndNs[i] = tree.startNs[i] + tree.durationNs[i];
    if (tree.depth[i] > maxDepth) maxDepth = tree.depth[i];
  }
  for (let i = n - 1; i > 0; i--) {
    const p = tree.parent[i];
    if (p < 0) continue;
    if (subtreeStartNs[i] < subtreeStartNs[p]) subtreeStartNs[p] = subtreeStartNs[i];
    if (subtreeEndNs[i] > subtreeEndNs[p]) subtreeEndNs[p] = subtreeEndNs[i];
  }
  return { subtreeStartNs, subtreeEndNs, maxDepth };
}

export interface FlameWindow {
  readonly startNs: number;
  readonly endNs: number;
  readonly widthPx: number;
  /** Spans narrower than this are merged with their neighbours at the same depth (default 1). */
  readonly minWidthPx?: number;
  /** Rows shown (default all). */
  readonly minDepth?: number;
  readonly maxDepth?: number;
  /** Only this span's subtree (zoomed into a node). */
  readonly subtreeOf?: number;
  /** Per span, flag bits (error, search match…): a rectangle carries the OR of its spans' bits. */
  readonly bits?: Uint8Array;
}

export interface FlameRects {
  readonly count: number;
  readonly startNs: Float64Array;
  readonly endNs: Float64Array;
  readonly depth: Uint32Array;
  /** The span drawn; for a merged run, its first span. */
  readonly spanIndex: Uint32Array;
  /** How many spans the rectangle stands for: 1 for a span drawn on its own. */
  readonly spanCount: Uint32Array;
  /** The OR of its spans' FlameWindow.bits (0 without them). */
  readonly bits: Uint8Array;
}

/**
 * The rectangles to draw for `window`. A span at least minWidthPx wide is its own rectangle. Narrower
 * spans extend the open run of their depth when they start within a pixel of its end, else close it
 * and open a new one; a run is drawn from its first start to its last end. Subtrees entirely outside
 * the window or below maxDepth are skipped whole. Rectangles come in drawing order: where parallel
 * siblings overlap, a later one is drawn over an earlier one. O(spans visited), no allocation per span.
 */
export function visibleFlameRects(tree: IcicleTree, layout: IcicleLayout, window: FlameWindow): FlameRects {
  const { startNs: t0, endNs: t1, bits } = window;
  const nsPerPx = (t1 - t0) / Math.max(1, window.widthPx);
  const minNs = (window.minWidthPx ?? 1) * nsPerPx;
  const minDepth = window.minDepth ?? 0;
  const maxDepth = Math.min(window.maxDepth ?? layout.maxDepth, layout.maxDepth);
  const out = { startNs: f64Column(), endNs: f64Column(), depth: u32Column(), spanIndex: u32Column(), spanCount: u32Column(), bits: u8Column() };
  const emit = (s: number, e: number, d: number, first: number, count: number, flags: number) => {
    out.startNs.push(s);
    out.endNs.push(e);
    out.depth.push(d);
    out.spanIndex.push(first);
    out.spanCount.push(count);
    out.bits.push(flags);
  };
  // The open run of each depth.
  const rows = maxDepth + 1;
  const runStart = new Float64Array(rows);
  const runEnd = new Float64Array(rows);
  const runFirst = new Uint32Array(rows);
  const runCount = new Uint32Array(rows);
  const runBits = new Uint8Array(rows);
  const closeRun = (d: number) => {
    if (runCount[d] > 0) emit(runStart[d], runEnd[d], d, runFirst[d], runCount[d], runBits[d]);
    runCount[d] = 0;
  };

  const from = window.subtreeOf ?? 0;
  const to = window.subtreeOf === undefined ? tree.spanCount : tree.subtreeEnd[window.subtreeOf];
  for (let i = from; i < to; ) {
    const d = tree.depth[i];
    if (d > maxDepth || layout.subtreeEndNs[i] < t0 || layout.subtreeStartNs[i] > t1) {
      i = tree.subtreeEnd[i];
      continue;
    }
    const s = tree.startNs[i];
    const e = s + tree.durationNs[i];
    if (d >= minDepth && e >= t0 && s <= t1) {
      const flags = bits === undefined ? 0 : bits[i];
      if (e - s >= minNs) emit(s, e, d, i, 1, flags);
      else if (runCount[d] > 0 && s <= runEnd[d] + nsPerPx) {
        if (e > runEnd[d]) runEnd[d] = e;
        runCount[d]++;
        runBits[d] |= flags;
      } else {
        closeRun(d);
        runStart[d] = s;
        runEnd[d] = e;
        runFirst[d] = i;
        runCount[d] = 1;
        runBits[d] = flags;
      }
    }
    i++;
  }
  for (let d = 0; d < rows; d++) closeRun(d);
  return {
    count: out.startNs.length,
    startNs: out.startNs.view(),
    endNs: out.endNs.view(),
    depth: out.depth.view(),
    spanIndex: out.spanIndex.view(),
    spanCount: out.spanCount.view(),
    bits: out.bits.view(),
  };
}

// ---- (b) the merged flamegraph ----

/** A tree of service + operation nodes in pre-order (the merged flamegraph, the trace diff's trees). */
export interface OperationTree {
  readonly nodeCount: number;
  /** Per node, in pre-order. Nodes without a parent are the roots' paths. */
  readonly parent: Int32Array;
  readonly depth: Uint32Array;
  readonly subtreeEnd: Uint32Array;
  /** Indices into `names`. */
  readonly service: Uint32Array;
  readonly operation: Uint32Array;
  readonly names: readonly string[];
}

/** The columns of an OperationTree of `count` nodes, zeroed, for a builder to fill. */
export function allocateOperationTree(count: number, names: readonly string[]): OperationTree & { parent: Int32Array; depth: Uint32Array; subtreeEnd: Uint32Array; service: Uint32Array; operation: Uint32Array } {
  return {
    nodeCount: count,
    parent: new Int32Array(count),
    depth: new Uint32Array(count),
    subtreeEnd: new Uint32Array(count),
    service: new Uint32Array(count),
    operation: new Uint32Array(count),
    names,
  };
}

/** Children heaviest first. */
export interface MergedFlameTree extends OperationTree {
  readonly spanCount: Uint32Array;
  readonly errorCount: Uint32Array;
  /** Sum of the merged spans' durations. */
  readonly totalDurationNs: Float64Array;
  readonly selfTimeNs: Float64Array;
  /**
   * The width: the self time of the node and everything under it. Span durations cannot be the width:
   * parallel children together outlast their parent and would overflow it; self time never overlaps.
   */
  readonly weightNs: Float64Array;
  /** Left edge, in the same units; the roots' paths side by side from 0. */
  readonly xNs: Float64Array;
  readonly totalWeightNs: number;
  /** Per given trace, per span: its node. */
  readonly nodeOfSpan: readonly Uint32Array[];
}

/** O(spans + nodes log nodes); nothing recurses. */
export function buildMergedFlameTree(traces: readonly TraceModel[]): MergedFlameTree {
  const total = traces.reduce((n, m) => n + m.spanCount, 0);
  // Nodes in creation order (a parent is always created before its children), at most one per span.
  const names = new NameIds();
  const keys = new OperationKeys(names);
  const operations = new PairIds();
  const nodeIds = new PairIds(total); // (parent node + 1, operation) → node
  const created = { parent: new Int32Array(total), operation: new Uint32Array(total), spanCount: new Uint32Array(total), errorCount: new Uint32Array(total), totalDurationNs: new Float64Array(total), selfTimeNs: new Float64Array(total) };
  const createdOfSpan = traces.map((model) => {
    // Per span its node: first by creation index, renumbered to pre-order positions at the end.
    const selfTimeNs = computeSelfTime(model);
    const { serviceOf, operationOf } = keys.of(model);
    const nodeOf = new Uint32Array(model.spanCount);
    for (let i = 0; i < model.spanCount; i++) {
      const operation = operations.intern(serviceOf[i], operationOf[i]);
      const p = model.parent[i];
      const parentNode = p < 0 ? -1 : nodeOf[p];
      const node = nodeIds.intern(parentNode + 1, operation);
      created.parent[node] = parentNode;
      created.operation[node] = operation;
      created.spanCount[node]++;
      if (model.status[i] === STATUS_ERROR) created.errorCount[node]++;
      created.totalDurationNs[node] += model.durationNs[i];
      created.selfTimeNs[node] += selfTimeNs[i];
      nodeOf[i] = node;
    }
    return nodeOf;
  });
  const count = nodeIds.size;

  // Weights bottom-up: children come after their parent in creation order.
  const weight = created.selfTimeNs.slice(0, count);
  for (let c = count - 1; c >= 0; c--) if (created.parent[c] >= 0) weight[created.parent[c]] += weight[c];
  const { position, node: nodeAt, subtreeSize } = preorder(created.parent, count, (a, b) => weight[b] - weight[a] || a - b);

  const tree = {
    ...allocateOperationTree(count, names.names),
    spanCount: new Uint32Array(count),
    errorCount: new Uint32Array(count),
    totalDurationNs: new Float64Array(count),
    selfTimeNs: new Float64Array(count),
    weightNs: new Float64Array(count),
    xNs: new Float64Array(count),
    totalWeightNs: 0,
    nodeOfSpan: createdOfSpan,
  };
  for (const nodeOf of createdOfSpan) for (let i = 0; i < nodeOf.length; i++) nodeOf[i] = position[nodeOf[i]];
  // In pre-order a node's earlier siblings are placed before it: each starts where the previous ended.
  const nextChildX = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const c = nodeAt[k];
    const p = created.parent[c] < 0 ? -1 : position[created.parent[c]];
    tree.parent[k] = p;
    tree.depth[k] = p < 0 ? 0 : tree.depth[p] + 1;
    tree.subtreeEnd[k] = k + subtreeSize[c];
    tree.service[k] = operations.first(created.operation[c]);
    tree.operation[k] = operations.second(created.operation[c]);
    tree.spanCount[k] = created.spanCount[c];
    tree.errorCount[k] = created.errorCount[c];
    tree.totalDurationNs[k] = created.totalDurationNs[c];
    tree.selfTimeNs[k] = created.selfTimeNs[c];
    tree.weightNs[k] = weight[c];
    tree.xNs[k] = p < 0 ? tree.totalWeightNs : nextChildX[p];
    nextChildX[k] = tree.xNs[k];
    if (p < 0) tree.totalWeightNs += weight[c];
    else nextChildX[p] += weight[c];
  }
  return tree;
}

/** The merged tree as an icicle: x = xNs, width = weightNs (children always fit inside their parent). */
export function mergedIcicle(tree: MergedFlameTree): IcicleTree {
  return { spanCount: tree.nodeCount, startNs: tree.xNs, durationNs: tree.weightNs, depth: tree.depth, parent: tree.parent, subtreeEnd: tree.subtreeEnd };
}

// ---- (c) search over an operation tree ----

export interface OperationTreeMatches {
  /** Per node, 1 when it matches. */
  readonly mask: Uint8Array;
  readonly count: number;
  /** Terms about single spans (durations, attributes, kinds, ids) that a merged node cannot answer. */
  readonly ignoredTerms: readonly SearchTerm[];
}

/**
 * The nodes matching the waterfall's search query, with the same meaning where a node can answer it:
 * free text within the service or the operation, service= / operation= (case-insensitive), error=
 * (any of the node's spans). Other terms are left out and reported.
 */
export function matchOperationNodes(tree: OperationTree & { readonly errorCount?: Uint32Array }, query: SearchQuery): OperationTreeMatches {
  const lower = tree.names.map((s) => s.toLowerCase());
  const tests: ((k: number) => boolean)[] = [];
  const ignoredTerms: SearchTerm[] = [];
  for (const term of query.terms) {
    if (term.type === 'text') {
      const text = term.text.toLowerCase();
      const contains = lower.map((s) => s.includes(text));
      tests.push((k) => contains[tree.service[k]] || contains[tree.operation[k]]);
    } else if (term.type === 'service' || term.type === 'operation') {
      const ids = term.type === 'service' ? tree.service : tree.operation;
      const value = term.value.toLowerCase();
      const equal = term.op === '=';
      tests.push((k) => (lower[ids[k]] === value) === equal);
    } else if (term.type === 'error' && tree.errorCount) {
      const errorCount = tree.errorCount;
      tests.push((k) => errorCount[k] > 0 === term.value);
    } else ignoredTerms.push(term);
  }
  const mask = new Uint8Array(tree.nodeCount);
  let count = 0;
  if (tests.length > 0) {
    nodes: for (let k = 0; k < tree.nodeCount; k++) {
      for (const test of tests) if (!test(k)) continue nodes;
      mask[k] = 1;
      count++;
    }
  }
  return { mask, count, ignoredTerms };
}
