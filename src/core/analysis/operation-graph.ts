// The operation graph (Jaeger's "trace graph"): one node per service + operation label (span-label.ts), an edge per
// parent operation → child operation, for one trace or many.
//
//   GET /cart    [=================]   svc=web            nodes: web GET /cart ×1, cart load ×2, db SELECT ×2
//     load         [====]              svc=cart           edges: GET /cart → load  sync ×2
//       SELECT       [=]               svc=db                    load → SELECT     sync ×2
//     load               [====]        svc=cart
//       SELECT             [=]         svc=db
//
// Edge kinds are the service graph's (span-relations.ts): sync, or non-blocking — messaging
// (producer / consumer), follows_from, and link (span links between the given traces, linked-to
// operation → linking operation). An operation calling itself is an edge to itself.
import { STATUS_ERROR, type TraceModel } from '../model/trace-model.ts';
import { NameIds, PairIds } from './cross-trace-ids.ts';
import { computeSelfTime } from './self-time.ts';
import { OperationKeys } from './span-label.ts';
import { CALL_KINDS, forEachLinkBetween, linkCallKind, parentCallKind, type CallKind } from './span-relations.ts';

export interface OperationNode {
  readonly service: string;
  readonly operation: string;
  readonly spanCount: number;
  readonly totalDurationNs: number;
  readonly selfTimeNs: number;
  readonly errorCount: number;
}

export interface OperationEdge {
  /** Node indices. */
  readonly from: number;
  readonly to: number;
  readonly kind: CallKind;
  readonly callCount: number;
  /** Calls whose child span is an error. */
  readonly errorCount: number;
}

export interface OperationGraph {
  /** In order of first appearance (pre-order of the first trace that has them). */
  readonly nodes: readonly OperationNode[];
  readonly edges: readonly OperationEdge[];
  /** Per given trace, per span: its node. */
  readonly nodeOfSpan: readonly Uint32Array[];
}

export function buildOperationGraph(traces: readonly TraceModel[]): OperationGraph {
  const names = new NameIds();
  const keys = new OperationKeys(names);
  const operations = new PairIds(); // (service, operation label) → node
  const nodeStats: { spanCount: number; totalDurationNs: number; selfTimeNs: number; errorCount: number }[] = [];
  const endpoints = new PairIds(); // (from node, to node)
  const edgeIds = new PairIds(); // (endpoints, call kind) → edge
  const edgeStats: { callCount: number; errorCount: number }[] = [];
  const addCall = (from: number, to: number, kind: number, isError: boolean) => {
    const edge = edgeIds.intern(endpoints.intern(from, to), kind);
    if (edge === edgeStats.length) edgeStats.push({ callCount: 0, errorCount: 0 });
    edgeStats[edge].callCount++;
    if (isError) edgeStats[edge].errorCount++;
  };

  const nodeOfSpan = traces.map((model) => {
    const { serviceOf, operationOf } = keys.of(model);
    const selfTimeNs = computeSelfTime(model);
    const nodes = new Uint32Array(model.spanCount);
    for (let i = 0; i < model.spanCount; i++) {
      const node = operations.intern(serviceOf[i], operationOf[i]);
      if (node === nodeStats.length) nodeStats.push({ spanCount: 0, totalDurationNs: 0, selfTimeNs: 0, errorCount: 0 });
      nodes[i] = node;
      const stats = nodeStats[node];
      const isError = model.status[i] === STATUS_ERROR;
      stats.spanCount++;
      stats.totalDurationNs += model.durationNs[i];
      stats.selfTimeNs += selfTimeNs[i];
      if (isError) stats.errorCount++;
      const p = model.parent[i];
      if (p >= 0) addCall(nodes[p], node, parentCallKind(model, i), isError);
    }
    return nodes;
  });

  forEachLinkBetween(traces, (source, sourceSpan, target, targetSpan, linkKind) => {
    const isError = traces[source].status[sourceSpan] === STATUS_ERROR;
    addCall(nodeOfSpan[target][targetSpan], nodeOfSpan[source][sourceSpan], linkCallKind(linkKind), isError);
  });

  return {
    nodes: nodeStats.map((stats, k) => ({ service: names.names[operations.first(k)], operation: names.names[operations.second(k)], ...stats })),
    edges: edgeStats.map((stats, e) => {
      const pair = edgeIds.first(e);
      return { from: endpoints.first(pair), to: endpoints.second(pair), kind: CALL_KINDS[edgeIds.second(e)], ...stats };
    }),
    nodeOfSpan,
  };
}
