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
// plus, at each level, which occurrence of that service + operation among its siblings it is (siblings
// are in start order, so the second call to q in A matches the second in B). Matching by path alone is
// the per-path aggregate (`paths`: the merged flamegraph tree of A and B, with each side's counts).
import { STATUS_ERROR, type TraceModel } from '../model/trace-model.ts';
import { NameIds, PairIds } from './cross-trace-ids.ts';
import { allocateOperationTree, buildMergedFlameTree, type OperationTree } from './flame-tree.ts';
import { computeSelfTime } from './self-time.ts';
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
  const spans = matchSpans(a, b, selfA, selfB);
  const paths = pathDiff(a, b, selfA, selfB);
  let matchedCount = 0;
  for (let k = 0; k < spans.nodeCount; k++) if (spans.spanA[k] >= 0 && spans.spanB[k] >= 0) matchedCount++;
  const selfDelta = (k: number) => Math.abs(paths.selfTimeBNs[k] - paths.selfTimeANs[k]);
  const byDelta = Array.from({ length: paths.nodeCount }, (_, k) => k).sort((x, y) => selfDelta(y) - selfDelta(x) || x - y);
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
      topPaths: Uint32Array.from(byDelta.slice(0, topPathCount)),
    },
  };
}

function matchSpans(a: TraceModel, b: TraceModel, selfA: Float64Array, selfB: Float64Array): SpanDiff {
  const names = new NameIds();
  const operations = new PairIds();
  const capacity = a.spanCount + b.spanCount;
  // A node is (parent node, operation) — its "sibling group" — plus the occurrence within that group.
  // Ids are shared by both walks, in creation order: A's spans, then the new ones of B.
  const siblingGroups = new PairIds(capacity); // (parent node + 1, operation)
  const nodeIds = new PairIds(capacity); // (sibling group, occurrence)
  const created = { parent: new Int32Array(capacity), offsetNs: new Float64Array(capacity), spanA: new Int32Array(capacity).fill(-1), spanB: new Int32Array(capacity).fill(-1) };
  const walk = (model: TraceModel, spanOfNode: Int32Array) => {
    const seenInGroup: number[] = []; // per sibling group: calls met so far in this trace
    const nodeOf = new Uint32Array(model.spanCount);
    const strings = model.stores.strings;
    for (let i = 0; i < model.spanCount; i++) {
      const operation = operations.intern(names.of(strings, model.serviceId[i]), names.of(strings, model.nameId[i]));
      const p = model.parent[i];
      const parentNode = p < 0 ? -1 : nodeOf[p];
      const group = siblingGroups.intern(parentNode + 1, operation);
      while (seenInGroup.length <= group) seenInGroup.push(0);
      const before = nodeIds.size;
      const node = nodeIds.intern(group, seenInGroup[group]++);
      if (node === before) {
        created.parent[node] = parentNode;
        created.offsetNs[node] = model.startNs[i] - (p < 0 ? 0 : model.startNs[p]);
      }
      spanOfNode[node] = i;
      nodeOf[i] = node;
    }
  };
  walk(a, created.spanA);
  walk(b, created.spanB);

  const count = nodeIds.size;
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
  }
  return out;
}

function pathDiff(a: TraceModel, b: TraceModel, selfA: Float64Array, selfB: Float64Array): PathDiff {
  const tree = buildMergedFlameTree([a, b]);
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
