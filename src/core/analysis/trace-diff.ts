// Trace comparison: which spans of trace A and trace B are "the same" call, and where B spent more or
// less time than A. Deltas are B − A (B is typically the slow one).
//
//   A  root [==================]            B  root [============================]
//        q    [==]                               q    [==]
//        q        [==]                           q        [======]        q#1: +4
//        x              [==]                     q                [==]    q#2: only in B
//                                                y                    [==] x only in A, y only in B
//
// Spans match by their path from the root (the service + operation of each ancestor and of the span)
// and, among the calls of one operation under matched parents, by order: the second call to q in A
// matches the second in B. When one side has more calls, they pair up by start offset instead (see
// alignCalls), so an extra call at the front — a retry — does not shift every pair after it. Matching by
// path alone is the per-path aggregate (`paths`: the merged flamegraph tree of A and B, with each
// side's counts).
import { STATUS_ERROR, type TraceModel } from '../model/trace-model.ts';
import { NameIds, PairIds } from './cross-trace-ids.ts';
import { allocateOperationTree, buildMergedFlameTree, type MergedFlameTree, type OperationTree } from './flame-tree.ts';
import { computeSelfTime } from './self-time.ts';
import { operationKeys, spanLabels } from './span-label.ts';
import { preorder } from './tree-order.ts';

/** Per matched node, in pre-order; siblings by start relative to their parent (A's when in both). */
export interface SpanDiff extends OperationTree {
  /** 0 for the first call of this service + operation under its parent, 1 for the second… */
  readonly occurrence: Uint32Array;
  /** The span in A / in B; -1 when the node is only in the other trace. */
  readonly spanA: Int32Array;
  readonly spanB: Int32Array;
  /** NaN where the span is missing. */
  readonly durationANs: Float64Array;
  readonly durationBNs: Float64Array;
  readonly selfTimeANs: Float64Array;
  readonly selfTimeBNs: Float64Array;
  readonly errorA: Uint8Array;
  readonly errorB: Uint8Array;
  /** The node's service + operation path: an index into `TraceDiff.paths`. */
  readonly pathOf: Uint32Array;
  /** The span's one-line summary in A and in B (as the waterfall shows it): an index into `labels`, -1 where missing. */
  readonly labelA: Int32Array;
  readonly labelB: Int32Array;
  readonly labels: readonly string[];
}

/** Per service + operation path (buildMergedFlameTree of [A, B]), each side's count and times. */
export interface PathDiff extends OperationTree {
  readonly countA: Uint32Array;
  readonly countB: Uint32Array;
  readonly totalANs: Float64Array;
  readonly totalBNs: Float64Array;
  readonly selfTimeANs: Float64Array;
  readonly selfTimeBNs: Float64Array;
}

export interface TraceDiffSummary {
  readonly durationANs: number;
  readonly durationBNs: number;
  /** durationBNs − durationANs. */
  readonly deltaNs: number;
  readonly selfTimeANs: number;
  readonly selfTimeBNs: number;
  readonly matchedCount: number;
  readonly onlyACount: number;
  readonly onlyBCount: number;
  readonly errorCountA: number;
  readonly errorCountB: number;
  /** Where the time went: path indices by |self time B − A|, largest first. */
  readonly topPaths: Uint32Array;
}

export interface TraceDiff {
  readonly spans: SpanDiff;
  readonly paths: PathDiff;
  readonly summary: TraceDiffSummary;
}

export function diffTraces(a: TraceModel, b: TraceModel, topPathCount = 10): TraceDiff {
  const selfA = computeSelfTime(a);
  const selfB = computeSelfTime(b);
  const tree = buildMergedFlameTree([a, b]);
  const spans = matchSpans(a, b, selfA, selfB, tree.nodeOfSpan);
  const paths = pathDiff(a, b, selfA, selfB, tree);
  let matchedCount = 0;
  for (let k = 0; k < spans.nodeCount; k++) if (spans.spanA[k] >= 0 && spans.spanB[k] >= 0) matchedCount++;
  return {
    spans,
    paths,
    summary: {
      durationANs: a.traceDurationNs,
      durationBNs: b.traceDurationNs,
      deltaNs: b.traceDurationNs - a.traceDurationNs,
      selfTimeANs: selfA.reduce((s, x) => s + x, 0),
      selfTimeBNs: selfB.reduce((s, x) => s + x, 0),
      matchedCount,
      onlyACount: a.spanCount - matchedCount,
      onlyBCount: b.spanCount - matchedCount,
      errorCountA: a.errorCount,
      errorCountB: b.errorCount,
      topPaths: largestSelfTimeChanges(paths, topPathCount),
    },
  };
}

function matchSpans(a: TraceModel, b: TraceModel, selfA: Float64Array, selfB: Float64Array, pathOfSpan: MergedFlameTree['nodeOfSpan']): SpanDiff {
  const names = new NameIds();
  const operations = new PairIds();
  const capacity = a.spanCount + b.spanCount;
  // A node is (parent node, operation) — its "sibling group" — plus the occurrence within that group.
  // Ids are shared by both walks, in creation order: A's spans, then the new ones of B.
  const siblingGroups = new PairIds(capacity); // (parent node + 1, operation)
  const nodeIds = new PairIds(capacity); // (sibling group, occurrence)
  const created = { parent: new Int32Array(capacity), offsetNs: new Float64Array(capacity), spanA: new Int32Array(capacity).fill(-1), spanB: new Int32Array(capacity).fill(-1) };
  const keysA = operationKeys(a, names);
  const keysB = operationKeys(b, names);
  const operationOf = (model: TraceModel, i: number) => {
    const keys = model === a ? keysA : keysB;
    return operations.intern(keys.serviceOf[i], keys.operationOf[i]);
  };
  const nodeFor = (group: number, occurrence: number, parentNode: number, offsetNs: number) => {
    const before = nodeIds.size;
    const node = nodeIds.intern(group, occurrence);
    if (node === before) {
      created.parent[node] = parentNode;
      created.offsetNs[node] = offsetNs;
    }
    return node;
  };

  // A: each call of an operation under a parent is the next occurrence in its sibling group.
  const callsOfA: number[] = []; // per sibling group
  const nodeOfA = new Uint32Array(a.spanCount);
  for (let i = 0; i < a.spanCount; i++) {
    const p = a.parent[i];
    const parentNode = p < 0 ? -1 : nodeOfA[p];
    const group = siblingGroups.intern(parentNode + 1, operationOf(a, i));
    while (callsOfA.length <= group) callsOfA.push(0);
    const node = nodeFor(group, callsOfA[group]++, parentNode, a.startNs[i] - (p < 0 ? 0 : a.startNs[p]));
    created.spanA[node] = i;
    nodeOfA[i] = node;
  }

  // B: the children of each span (the roots first), per operation, paired with A's calls under the matched node.
  const nodeOfB = new Uint32Array(b.spanCount);
  const callsOfB: number[] = []; // per sibling group, while pairing one span's children; zero between spans
  const groupOfChild: number[] = [];
  const pairChildren = (children: readonly number[], parentSpan: number) => {
    const parentNode = parentSpan < 0 ? -1 : nodeOfB[parentSpan];
    const originB = parentSpan < 0 ? 0 : b.startNs[parentSpan];
    const assign = (c: number, group: number, occurrence: number) => {
      const node = nodeFor(group, occurrence, parentNode, b.startNs[c] - originB);
      created.spanB[node] = c;
      nodeOfB[c] = node;
    };
    groupOfChild.length = 0;
    for (const c of children) {
      const group = siblingGroups.intern(parentNode + 1, operationOf(b, c));
      while (callsOfB.length <= group) callsOfB.push(0);
      callsOfB[group]++;
      groupOfChild.push(group);
    }
    // Where both sides have as many calls (or one has none), they pair in order; else they are aligned.
    let unequal: Map<number, number[]> | undefined;
    children.forEach((c, k) => {
      const group = groupOfChild[k];
      const countA = callsOfA[group] ?? 0;
      const countB = callsOfB[group];
      if (countA === 0 || countA === countB || countA * countB > MAX_ALIGNMENT_CELLS) return;
      unequal ??= new Map();
      const calls = unequal.get(group);
      if (calls) calls.push(c);
      else unequal.set(group, [c]);
    });
    // callsOfB now counts the calls paired so far (then is left at zero for the next parent).
    for (const group of groupOfChild) callsOfB[group] = 0;
    children.forEach((c, k) => {
      const group = groupOfChild[k];
      if (!unequal?.has(group)) assign(c, group, callsOfB[group]++);
    });
    for (const group of groupOfChild) callsOfB[group] = 0;
    if (!unequal) return;
    const parentA = parentNode < 0 ? -1 : created.spanA[parentNode];
    const originA = parentA < 0 ? 0 : a.startNs[parentA];
    const scale = Math.max(1, parentSpan < 0 ? Math.max(a.traceDurationNs, b.traceDurationNs) : Math.max(b.durationNs[parentSpan], parentA < 0 ? 0 : a.durationNs[parentA]));
    for (const [group, calls] of unequal) {
      const countA = callsOfA[group];
      const offsetsA = Float64Array.from({ length: countA }, (_, k) => (a.startNs[created.spanA[nodeIds.intern(group, k)]] - originA) / scale);
      const pairedWith = alignCalls(offsetsA, Float64Array.from(calls, (c) => (b.startNs[c] - originB) / scale));
      let extra = countA; // B's calls without a match come after A's
      calls.forEach((c, k) => assign(c, group, pairedWith[k] >= 0 ? pairedWith[k] : extra++));
    }
  };
  const children: number[] = [];
  for (let i = 0; i < b.spanCount; i++) if (b.parent[i] < 0) children.push(i);
  pairChildren(children, -1);
  for (let i = 0; i < b.spanCount; i++) {
    if (b.childCount[i] === 0) continue;
    children.length = 0;
    for (let c = i + 1; c < b.subtreeEnd[i]; c = b.subtreeEnd[c]) children.push(c);
    pairChildren(children, i);
  }

  const count = nodeIds.size;
  const labelsA = spanLabels(a);
  const labelsB = spanLabels(b);
  const { position, node: nodeAt, subtreeSize } = preorder(created.parent, count, (x, y) => created.offsetNs[x] - created.offsetNs[y] || x - y);
  const out = {
    ...allocateOperationTree(count, names.names),
    occurrence: new Uint32Array(count),
    spanA: new Int32Array(count),
    spanB: new Int32Array(count),
    durationANs: new Float64Array(count),
    durationBNs: new Float64Array(count),
    selfTimeANs: new Float64Array(count),
    selfTimeBNs: new Float64Array(count),
    errorA: new Uint8Array(count),
    errorB: new Uint8Array(count),
    pathOf: new Uint32Array(count),
    labelA: new Int32Array(count),
    labelB: new Int32Array(count),
    labels: labelsA.labels.concat(labelsB.labels),
  };
  for (let k = 0; k < count; k++) {
    const c = nodeAt[k];
    const p = created.parent[c] < 0 ? -1 : position[created.parent[c]];
    const operation = siblingGroups.second(nodeIds.first(c));
    const ia = created.spanA[c];
    const ib = created.spanB[c];
    out.parent[k] = p;
    out.depth[k] = p < 0 ? 0 : out.depth[p] + 1;
    out.subtreeEnd[k] = k + subtreeSize[c];
    out.service[k] = operations.first(operation);
    out.operation[k] = operations.second(operation);
    out.occurrence[k] = nodeIds.second(c);
    out.spanA[k] = ia;
    out.spanB[k] = ib;
    out.durationANs[k] = ia < 0 ? NaN : a.durationNs[ia];
    out.durationBNs[k] = ib < 0 ? NaN : b.durationNs[ib];
    out.selfTimeANs[k] = ia < 0 ? NaN : selfA[ia];
    out.selfTimeBNs[k] = ib < 0 ? NaN : selfB[ib];
    out.errorA[k] = ia >= 0 && a.status[ia] === STATUS_ERROR ? 1 : 0;
    out.errorB[k] = ib >= 0 && b.status[ib] === STATUS_ERROR ? 1 : 0;
    out.pathOf[k] = ia >= 0 ? pathOfSpan[0][ia] : pathOfSpan[1][ib];
    out.labelA[k] = ia < 0 ? -1 : labelsA.labelId[ia];
    out.labelB[k] = ib < 0 ? -1 : labelsA.labels.length + labelsB.labelId[ib];
  }
  return out;
}

function pathDiff(a: TraceModel, b: TraceModel, selfA: Float64Array, selfB: Float64Array, tree: MergedFlameTree): PathDiff {
  const n = tree.nodeCount;
  const out = {
    nodeCount: n,
    parent: tree.parent,
    depth: tree.depth,
    subtreeEnd: tree.subtreeEnd,
    service: tree.service,
    operation: tree.operation,
    names: tree.names,
    countA: new Uint32Array(n),
    countB: new Uint32Array(n),
    totalANs: new Float64Array(n),
    totalBNs: new Float64Array(n),
    selfTimeANs: new Float64Array(n),
    selfTimeBNs: new Float64Array(n),
  };
  const add = (model: TraceModel, nodeOf: Uint32Array, self: Float64Array, count: Uint32Array, total: Float64Array, selfOut: Float64Array) => {
    for (let i = 0; i < model.spanCount; i++) {
      count[nodeOf[i]]++;
      total[nodeOf[i]] += model.durationNs[i];
      selfOut[nodeOf[i]] += self[i];
    }
  };
  add(a, tree.nodeOfSpan[0], selfA, out.countA, out.totalANs, out.selfTimeANs);
  add(b, tree.nodeOfSpan[1], selfB, out.countB, out.totalBNs, out.selfTimeBNs);
  return out;
}

/** The `count` paths whose self time changed most (either way), largest first; ties in path order. */
function largestSelfTimeChanges(paths: PathDiff, count: number): Uint32Array {
  // A running top list (insertion): far cheaper than sorting every path when the paths are many.
  const top: number[] = [];
  const size = (k: number) => Math.abs(paths.selfTimeBNs[k] - paths.selfTimeANs[k]);
  for (let k = 0; k < paths.nodeCount && count > 0; k++) {
    const s = size(k);
    if (top.length === count && s <= size(top[count - 1])) continue;
    let at = top.length;
    while (at > 0 && size(top[at - 1]) < s) at--;
    top.splice(at, 0, k);
    if (top.length > count) top.pop();
  }
  return Uint32Array.from(top);
}

/** Past this many (A call × B call) pairs in one sibling group, the calls pair up in order (aligning is quadratic). */
const MAX_ALIGNMENT_CELLS = 65_536;
/** Leaving a call unpaired costs as much as pairing two calls half a parent apart. */
const UNPAIRED_COST = 0.5;

/**
 * Pairs A's and B's calls of one operation under one parent when their counts differ: the order-keeping
 * pairing with the least total distance between start offsets (fractions of the longer parent), so the
 * call B has in addition — a retry, one more item — is the one left over wherever it is, not the last.
 * Returns, per B call, the A call it pairs with or -1.
 */
function alignCalls(offsetsA: Float64Array, offsetsB: Float64Array): Int32Array {
  const n = offsetsA.length;
  const m = offsetsB.length;
  const width = m + 1;
  const cost = new Float64Array((n + 1) * width);
  const move = new Uint8Array((n + 1) * width); // 0: pair, 1: A call unpaired, 2: B call unpaired
  for (let i = 1; i <= n; i++) {
    cost[i * width] = i * UNPAIRED_COST;
    move[i * width] = 1;
  }
  for (let j = 1; j <= m; j++) {
    cost[j] = j * UNPAIRED_COST;
    move[j] = 2;
  }
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const pair = cost[(i - 1) * width + j - 1] + Math.abs(offsetsA[i - 1] - offsetsB[j - 1]);
      const skipA = cost[(i - 1) * width + j] + UNPAIRED_COST;
      const skipB = cost[i * width + j - 1] + UNPAIRED_COST;
      const at = i * width + j;
      const best = Math.min(pair, skipA, skipB);
      cost[at] = best;
      move[at] = best === pair ? 0 : best === skipA ? 1 : 2;
    }
  }
  const pairedWith = new Int32Array(m).fill(-1);
  for (let i = n, j = m; i > 0 || j > 0; ) {
    const step = move[i * width + j];
    if (step === 0) pairedWith[--j] = --i;
    else if (step === 1) i--;
    else j--;
  }
  return pairedWith;
}
