// What the Operations tab draws when the graph is too big to read. A 200k-span trace of 23 services
// has 133 operations and 17,110 edges (almost every operation calls almost every other): drawn whole
// it is a hairball. Past `maxOperations`, every service with several operations becomes one node
// ("payments · 6 operations", its counts summed) unless the user expanded it; then only about
// `maxEdges` edges are kept: each node's busiest, then those with the most calls. The others are
// counted so the view can offer them.
//
//   before (maxOperations 3)                       after
//   web GET ──▶ cart load ──▶ db SELECT            web GET ──▶ cart (2 operations) ──▶ db SELECT
//          └──▶ cart save ──▶ db SELECT
import type { OperationEdge, OperationGraph, OperationNode } from './operation-graph.ts';

export interface CondensedOperationNode extends OperationNode {
  /** The operations this node stands for: 1, or all of a collapsed service's. */
  readonly operationCount: number;
}

export interface CondensedOperationGraph {
  readonly nodes: readonly CondensedOperationNode[];
  /** The edges drawn, in the graph's order. */
  readonly edges: readonly OperationEdge[];
  /** Edges between the nodes before the cut to `maxEdges`. */
  readonly edgeCount: number;
  /** Services drawn as one node. */
  readonly collapsedServices: readonly string[];
}

export interface CondenseOptions {
  /** More operations than this, and services with several operations collapse. */
  readonly maxOperations: number;
  /** Keep this many edges (more only to give each node one), those with the most calls; undefined keeps all. */
  readonly maxEdges: number | undefined;
  /** Services the user opened: their operations stay apart. */
  readonly expanded: ReadonlySet<string>;
}

/** Limits the Operations tab uses: about what a 1280 px screen shows readably. */
export const DEFAULT_CONDENSE = { maxOperations: 40, maxEdges: 60 } as const;

export function condenseOperationGraph(graph: OperationGraph, options: CondenseOptions): CondensedOperationGraph {
  const operationsOf = new Map<string, number>();
  for (const n of graph.nodes) operationsOf.set(n.service, (operationsOf.get(n.service) ?? 0) + 1);
  const collapses = (service: string) =>
    graph.nodes.length > options.maxOperations && (operationsOf.get(service) ?? 0) > 1 && !options.expanded.has(service);

  // Old node → new node; a collapsed service's operations all map to its one node, at its first place.
  const nodes: CondensedOperationNode[] = [];
  const nodeOfService = new Map<string, number>();
  const newNode = graph.nodes.map((n) => {
    if (!collapses(n.service)) return nodes.push({ ...n, operationCount: 1 }) - 1;
    const existing = nodeOfService.get(n.service);
    if (existing === undefined) {
      const count = operationsOf.get(n.service) ?? 0;
      nodeOfService.set(n.service, nodes.length);
      return nodes.push({ ...n, operation: `${count} operations`, operationCount: count }) - 1;
    }
    const m = nodes[existing];
    nodes[existing] = {
      ...m,
      spanCount: m.spanCount + n.spanCount,
      totalDurationNs: m.totalDurationNs + n.totalDurationNs,
      selfTimeNs: m.selfTimeNs + n.selfTimeNs,
      errorCount: m.errorCount + n.errorCount,
    };
    return existing;
  });

  // Edges between the new nodes, one per (from, to, kind); calls inside a collapsed service are dropped.
  const merged = new Map<string, OperationEdge>();
  for (const e of graph.edges) {
    const from = newNode[e.from];
    const to = newNode[e.to];
    if (from === to && nodes[from].operationCount > 1) continue;
    const key = `${from} ${to} ${e.kind}`;
    const m = merged.get(key);
    merged.set(key, m ? { ...m, callCount: m.callCount + e.callCount, errorCount: m.errorCount + e.errorCount } : { ...e, from, to });
  }
  const all = [...merged.values()];
  let edges = all;
  if (options.maxEdges !== undefined && all.length > options.maxEdges) {
    const ranked = all.map((e, k) => k).sort((a, b) => all[b].callCount - all[a].callCount || all[b].errorCount - all[a].errorCount || a - b);
    // Each node keeps its busiest edge (no operation left floating alone), then the busiest others.
    const kept = new Set<number>();
    const linked = new Uint8Array(nodes.length);
    for (const k of ranked) {
      if (linked[all[k].from] && linked[all[k].to]) continue;
      kept.add(k);
      linked[all[k].from] = linked[all[k].to] = 1;
    }
    for (const k of ranked) {
      if (kept.size >= options.maxEdges) break;
      kept.add(k);
    }
    edges = all.filter((_, k) => kept.has(k));
  }
  return { nodes, edges, edgeCount: all.length, collapsedServices: [...nodeOfService.keys()] };
}
