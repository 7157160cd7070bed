// The service dependency graph of one trace or of many (a file, search results): who calls whom, how
// often, how slowly and how often it fails.
//
//   gateway  [================================]           nodes: gateway, orders, "postgresql shop",
//     orders    [======================]                  "kafka order-events", mailer
//       SELECT    [===]   db.system=postgresql            edges: gateway → orders (sync)
//       publish         [=]   kind=producer kafka            orders → postgresql shop (sync)
//         send-mail       [========]  svc=mailer             orders → kafka order-events (messaging)
//                          kind=consumer kafka               kafka order-events → mailer (messaging)
//
// Rules, per span (pre-order, one pass per trace):
// - Its service node counts it: spans, self time, errors. A span without a parent in the trace is an
//   entry point of its service (rootCount); when it names a parent that is missing (an orphan) it also
//   counts in orphanCount, and no edge is drawn for it: its caller is unknown.
// - A child whose service differs from its parent's gives an edge parent service → child service whose
//   kind is parentCallKind (sync / messaging / follows_from). The child span is the call: its duration
//   feeds the edge's latency; the call failed when it, or the parent when that is a CLIENT span, is an error.
// - Databases: a client / internal / unspecified span with db.system.name (db.system; Datadog's db.type)
//   calls a database node named "<system> <namespace>" (db.namespace, else db.name), else
//   "<system> <server.address>" (net.peer.name), else "<system>"; "postgres" is read as "postgresql".
//   A database span inside a span that calls the same database (pg.connect under pg-pool.connect) is
//   part of that call and not counted again.
// - Messaging: a PRODUCER span with messaging.system calls the node "<system> <destination>"
//   (messaging.destination.name / messaging.destination); a CONSUMER span with messaging.system is
//   called by that node instead of by its parent's service, so the queue sits between the two services.
// - Links (forEachLinkBetween): linked-to span's service → linking span's service, kind follows_from
//   (FOLLOWS_FROM references) or link; the linking span is the call.
// Latency percentiles are exact (duration-groups.ts). Database and messaging nodes have no spans of
// their own: their counts are those of the spans that reach them (producer and consumer spans for a
// queue), and their self time is 0 (it belongs to the calling services' spans).
import { f64Column, u32Column, u8Column } from '../model/growable-column.ts';
import type { StringTable } from '../model/string-table.ts';
import { STATUS_ERROR, type TraceModel } from '../model/trace-model.ts';
import { NameIds, PairIds } from './cross-trace-ids.ts';
import { bucketByGroup, gatherGroup, groupQuantiles } from './duration-groups.ts';
import { computeSelfTime } from './self-time.ts';
import { CALL_KINDS, CALL_MESSAGING, CALL_SYNC, forEachLinkBetween, linkCallKind, parentCallKind, type CallKind } from './span-relations.ts';

export type ServiceNodeKind = 'service' | 'database' | 'messaging';

export interface ServiceGraphNode {
  readonly kind: ServiceNodeKind;
  /** The service name, or the database / messaging node's name ("postgresql shop", "kafka orders"). */
  readonly name: string;
  /** db / messaging system of a database or messaging node; '' for a service. */
  readonly system: string;
  /** Spans of the service; for a database or messaging node, the spans that reach it. */
  readonly spanCount: number;
  readonly selfTimeNs: number;
  readonly errorCount: number;
  /** errorCount / spanCount. */
  readonly errorRate: number;
  /** Spans without a parent in their trace: true roots and orphans. */
  readonly rootCount: number;
  /** Of those, the spans whose parent id is missing from the trace. */
  readonly orphanCount: number;
}

export interface ServiceGraphEdge {
  /** Node indices. */
  readonly from: number;
  readonly to: number;
  readonly kind: CallKind;
  readonly callCount: number;
  readonly errorCount: number;
  readonly totalDurationNs: number;
  readonly p50Ns: number;
  readonly p95Ns: number;
  readonly maxNs: number;
  /** The calls: index into the given traces and span index in that trace, in trace then span order. */
  readonly traceIndex: Uint32Array;
  readonly spanIndex: Uint32Array;
}

export interface ServiceGraph {
  /** Services first, in order of first appearance, then databases and messaging nodes as met. */
  readonly nodes: readonly ServiceGraphNode[];
  readonly edges: readonly ServiceGraphEdge[];
  readonly traceCount: number;
  /** The given traces' ids: an edge's traceIndex points here. */
  readonly traceIds: readonly string[];
  readonly spanCount: number;
}

export interface ServiceGraphOptions {
  /** Database and messaging nodes from span attributes (default true). */
  readonly infrastructureNodes?: boolean;
}

export function buildServiceGraph(traces: readonly TraceModel[], options: ServiceGraphOptions = {}): ServiceGraph {
  const graph = new GraphAccumulator();
  const names = new NameIds();
  const serviceNode: number[] = []; // shared service name id → node
  const nodeOfSpanByTrace: Int32Array[] = [];
  const readers = new Map<StringTable, InfrastructureReader | undefined>();
  let spanCount = 0;

  traces.forEach((model, t) => {
    const n = model.spanCount;
    spanCount += n;
    const selfTimeNs = computeSelfTime(model);
    const nodeOfSpan = new Int32Array(n);
    nodeOfSpanByTrace.push(nodeOfSpan);
    const strings = model.stores.strings;
    if (options.infrastructureNodes !== false && !readers.has(strings)) readers.set(strings, InfrastructureReader.for(strings));
    const infra = readers.get(strings);
    const calledNode = new Int32Array(infra ? n : 0).fill(-1); // database node each span calls
    for (let i = 0; i < n; i++) {
      const name = names.of(strings, model.serviceId[i]);
      let node = serviceNode[name];
      if (node === undefined) serviceNode[name] = node = graph.addNode('service', names.names[name], '');
      nodeOfSpan[i] = node;
      const isError = model.status[i] === STATUS_ERROR;
      graph.countSpan(node, selfTimeNs[i], isError);
      const p = model.parent[i];
      if (p < 0) graph.countRoot(node, model.parentSpanIds[i] !== '');

      const target = infra ? infra.read(model, i) : NO_TARGET;
      if (target === TO_CONSUMER && infra) {
        graph.addCall(graph.infrastructureNode('messaging', infra.system, infra.qualifier), node, CALL_MESSAGING, t, i, model.durationNs[i], isError);
      } else if (p >= 0 && nodeOfSpan[p] !== node) {
        // The caller's CLIENT span is the other half of the call: its error (an HTTP 402 it received) counts.
        const failed = isError || (model.kind[p] === KIND_CLIENT && model.status[p] === STATUS_ERROR);
        graph.addCall(nodeOfSpan[p], node, parentCallKind(model, i), t, i, model.durationNs[i], failed);
      }
      // (A target other than NO_TARGET comes from infra.)
      if (target === FROM_PRODUCER && infra) {
        graph.addCall(node, graph.infrastructureNode('messaging', infra.system, infra.qualifier), CALL_MESSAGING, t, i, model.durationNs[i], isError);
      } else if (target === TO_DATABASE && infra) {
        const db = graph.infrastructureNode('database', infra.system, infra.qualifier);
        calledNode[i] = db;
        if (p < 0 || calledNode[p] !== db) graph.addCall(node, db, CALL_SYNC, t, i, model.durationNs[i], isError);
      }
    }
  });

  forEachLinkBetween(traces, (source, sourceSpan, target, targetSpan, linkKind) => {
    const from = nodeOfSpanByTrace[target][targetSpan];
    const to = nodeOfSpanByTrace[source][sourceSpan];
    const model = traces[source];
    if (from === to) return;
    graph.addCall(from, to, linkCallKind(linkKind), source, sourceSpan, model.durationNs[sourceSpan], model.status[sourceSpan] === STATUS_ERROR);
  });

  return { ...graph.finish(), traceCount: traces.length, traceIds: traces.map((t) => t.traceId), spanCount };
}

/** Nodes and edges as they are found; calls as columns until finish() groups them by edge. */
class GraphAccumulator {
  private readonly nodes: { kind: ServiceNodeKind; name: string; system: string; spanCount: number; selfTimeNs: number; errorCount: number; rootCount: number; orphanCount: number }[] = [];
  private readonly infrastructure = { database: new Map<string, Map<string, number>>(), messaging: new Map<string, Map<string, number>>() };
  private readonly edgeIds = new PairIds(); // (from, to * 4 + call kind)
  private readonly callEdge = u32Column();
  private readonly callTrace = u32Column();
  private readonly callSpan = u32Column();
  private readonly callDurationNs = f64Column();
  private readonly callError = u8Column();

  addNode(kind: ServiceNodeKind, name: string, system: string): number {
    this.nodes.push({ kind, name, system, spanCount: 0, selfTimeNs: 0, errorCount: 0, rootCount: 0, orphanCount: 0 });
    return this.nodes.length - 1;
  }

  /** The node "<system> <qualifier>" (or "<system>" when the qualifier is ''). */
  infrastructureNode(kind: 'database' | 'messaging', system: string, qualifier: string): number {
    let bySystem = this.infrastructure[kind].get(system);
    if (!bySystem) this.infrastructure[kind].set(system, (bySystem = new Map()));
    let node = bySystem.get(qualifier);
    if (node === undefined) bySystem.set(qualifier, (node = this.addNode(kind, qualifier ? `${system} ${qualifier}` : system, system)));
    return node;
  }

  countSpan(node: number, selfTimeNs: number, isError: boolean): void {
    const n = this.nodes[node];
    n.spanCount++;
    n.selfTimeNs += selfTimeNs;
    if (isError) n.errorCount++;
  }

  countRoot(node: number, isOrphan: boolean): void {
    this.nodes[node].rootCount++;
    if (isOrphan) this.nodes[node].orphanCount++;
  }

  addCall(from: number, to: number, kind: number, trace: number, span: number, durationNs: number, isError: boolean): void {
    this.callEdge.push(this.edgeIds.intern(from, to * 4 + kind));
    this.callTrace.push(trace);
    this.callSpan.push(span);
    this.callDurationNs.push(durationNs);
    this.callError.push(isError ? 1 : 0);
    // Infrastructure nodes have no spans of their own: the calls into and out of them count for them.
    const infra = this.nodes[to].kind !== 'service' ? this.nodes[to] : this.nodes[from].kind !== 'service' ? this.nodes[from] : undefined;
    if (infra) {
      infra.spanCount++;
      if (isError) infra.errorCount++;
    }
  }

  finish(): { nodes: ServiceGraphNode[]; edges: ServiceGraphEdge[] } {
    const nodes = this.nodes
      .map((n, i) => ({ n, i }))
      .sort((a, b) => Number(a.n.kind !== 'service') - Number(b.n.kind !== 'service') || a.i - b.i);
    const newIndex = new Int32Array(nodes.length);
    nodes.forEach(({ i }, k) => (newIndex[i] = k));
    const edgeCount = this.edgeIds.size;
    const buckets = bucketByGroup(this.callEdge.view(), edgeCount);
    const durations = this.callDurationNs.view();
    const errors = this.callError.view();
    const quantiles = groupQuantiles(buckets, durations);
    const traceColumn = this.callTrace.view();
    const spanColumn = this.callSpan.view();
    const edges = Array.from({ length: edgeCount }, (_, e): ServiceGraphEdge => {
      const from = this.edgeIds.first(e);
      const to = this.edgeIds.second(e) >> 2;
      const kind = this.edgeIds.second(e) & 3;
      let errorCount = 0;
      let totalDurationNs = 0;
      for (let k = buckets.offsets[e]; k < buckets.offsets[e + 1]; k++) {
        errorCount += errors[buckets.items[k]];
        totalDurationNs += durations[buckets.items[k]];
      }
      return {
        from: newIndex[from],
        to: newIndex[to],
        kind: CALL_KINDS[kind],
        callCount: buckets.offsets[e + 1] - buckets.offsets[e],
        errorCount,
        totalDurationNs,
        p50Ns: quantiles.p50Ns[e],
        p95Ns: quantiles.p95Ns[e],
        maxNs: quantiles.maxNs[e],
        traceIndex: gatherGroup(buckets, e, traceColumn),
        spanIndex: gatherGroup(buckets, e, spanColumn),
      };
    });
    return { nodes: nodes.map(({ n }) => ({ ...n, errorRate: n.spanCount ? n.errorCount / n.spanCount : 0 })), edges };
  }
}

// ---- database and messaging attributes ----

const FIELD_KEYS = [
  ['db.system.name', 'db.system', 'db.type'],
  ['db.namespace', 'db.name'],
  ['server.address', 'net.peer.name'],
  ['messaging.system'],
  ['messaging.destination.name', 'messaging.destination'],
] as const;
const [DB_SYSTEM, DB_NAMESPACE, SERVER_ADDRESS, MESSAGING_SYSTEM, MESSAGING_DESTINATION] = [0, 1, 2, 3, 4];
const SYSTEM_ALIASES: ReadonlyMap<string, string> = new Map([['postgres', 'postgresql']]);
const KIND_SERVER = 2;
const KIND_CLIENT = 3;
const NONE = 255;
const KIND_PRODUCER = 4;
const KIND_CONSUMER = 5;

// What a span is to the infrastructure nodes (InfrastructureReader.read).
const NO_TARGET = 0;
const TO_DATABASE = 1;
const FROM_PRODUCER = 2;
const TO_CONSUMER = 3;

/** Reads the database / messaging target of a span, comparing attribute key ids (no string compares). */
class InfrastructureReader {
  private readonly values: string[] = FIELD_KEYS.map(() => '');
  private readonly ranks = new Uint8Array(FIELD_KEYS.length);
  /** Of the last span read with a target: its database / messaging system and the node's qualifier ('' for none). */
  system = '';
  qualifier = '';

  /** A reader for models of this string table; undefined when no span can have these attributes. */
  static for(strings: StringTable): InfrastructureReader | undefined {
    // Per key string id: field * 8 + rank among the field's keys + 1; 0 for other keys.
    const roleOfKey = new Uint8Array(strings.size);
    let any = false;
    FIELD_KEYS.forEach((keys, field) =>
      keys.forEach((key, rank) => {
        const id = strings.idOf(key);
        if (id !== undefined) roleOfKey[id] = field * 8 + rank + 1;
        any ||= id !== undefined;
      }),
    );
    return any ? new InfrastructureReader(roleOfKey) : undefined;
  }

  private constructor(private readonly roleOfKey: Uint8Array) {}

  /** What span i is to a database or messaging node (NO_TARGET, TO_DATABASE…); sets system and qualifier. */
  read(model: TraceModel, i: number): number {
    const kind = model.kind[i];
    if (kind === KIND_SERVER || model.attrCount[i] === 0) return NO_TARGET;
    const { values, ranks } = this;
    ranks.fill(NONE);
    const attrs = model.stores.attributes;
    const keys = attrs.keys;
    for (let a = model.attrStart[i], end = a + model.attrCount[i]; a < end; a++) {
      const role = keys[a] < this.roleOfKey.length ? this.roleOfKey[keys[a]] : 0;
      if (role === 0) continue;
      const field = (role - 1) >> 3;
      const rank = (role - 1) & 7;
      const value = attrs.values[a];
      if (typeof value === 'string' && value !== '' && rank < ranks[field]) {
        values[field] = value;
        ranks[field] = rank;
      }
    }
    if (kind === KIND_PRODUCER || kind === KIND_CONSUMER) {
      if (ranks[MESSAGING_SYSTEM] === NONE) return NO_TARGET;
      this.system = values[MESSAGING_SYSTEM];
      this.qualifier = ranks[MESSAGING_DESTINATION] !== NONE ? values[MESSAGING_DESTINATION] : '';
      return kind === KIND_PRODUCER ? FROM_PRODUCER : TO_CONSUMER;
    }
    if (ranks[DB_SYSTEM] === NONE) return NO_TARGET;
    this.system = SYSTEM_ALIASES.get(values[DB_SYSTEM]) ?? values[DB_SYSTEM];
    this.qualifier = ranks[DB_NAMESPACE] !== NONE ? values[DB_NAMESPACE] : ranks[SERVER_ADDRESS] !== NONE ? values[SERVER_ADDRESS] : '';
    return TO_DATABASE;
  }
}

/**
 * One node, what calls it and what it calls: the graph cut down to the edges that touch `node` (a
 * 500-service graph is read one service at a time). Node indices are renumbered; `node` is first.
 */
export function serviceNeighbourhood(graph: ServiceGraph, node: number): ServiceGraph {
  const position = new Map<number, number>([[node, 0]]);
  const edges: ServiceGraphEdge[] = [];
  for (const e of graph.edges) {
    if (e.from !== node && e.to !== node) continue;
    const at = (n: number) => {
      const known = position.get(n);
      if (known !== undefined) return known;
      position.set(n, position.size);
      return position.size - 1;
    };
    const from = at(e.from);
    edges.push({ ...e, from, to: at(e.to) });
  }
  const nodes = [...position.keys()].map((n) => graph.nodes[n]);
  return { ...graph, nodes, edges };
}

/** The traces (indices into graph.traceIds) with a call on one of `edges` (edge indices). */
export function tracesOfEdges(graph: ServiceGraph, edges: Iterable<number>): Set<number> {
  const out = new Set<number>();
  for (const k of edges) for (const t of graph.edges[k].traceIndex) out.add(t);
  return out;
}
