// The analyses the trace page's other views ask the worker for (graphs, statistics, flamegraph, trace
// comparison, links), run over the workspace: the loaded file plus traces fetched later (a link's target
// from a backend) and stitched views. Results are plain data and typed arrays (structured-clone cheap).
import { computeAsyncCriticalPath, type AsyncCriticalPath } from '../core/analysis/async-critical-path.ts';
import { groupByBusinessKey, suggestBusinessKeys, type BusinessKeySuggestion } from '../core/analysis/business-key.ts';
import { findStoredContexts } from '../core/analysis/context-finder.ts';
import { buildMergedFlameTree, type MergedFlameTree } from '../core/analysis/flame-tree.ts';
import { buildLinkIndex, incomingEdges, linkEdge, outgoingEdges, traceGraph, type LinkIndex } from '../core/analysis/link-index.ts';
import { linkedSpanStats } from '../core/analysis/linked-span-stats.ts';
import { buildOperationGraph, type OperationGraph } from '../core/analysis/operation-graph.ts';
import { buildServiceGraph, type ServiceGraph } from '../core/analysis/service-graph.ts';
import type { InferredLink, InferredVia, SpanRef } from '../core/analysis/span-ref.ts';
import { computeSpanStats, type SpanStats, type StatsGrouping } from '../core/analysis/span-stats.ts';
import { stitchTraces } from '../core/analysis/stitch-traces.ts';
import { diffTraces, type TraceDiff } from '../core/analysis/trace-diff.ts';
import { summarizeTrace, type TraceSummary } from '../core/analysis/trace-summary.ts';
import { LoadError } from '../core/import/load-error.ts';
import { compareEpoch, nanosBetween } from '../core/model/time.ts';
import { isErrorSpan, spanName, spanService, type TraceCollection, type TraceModel } from '../core/model/trace-model.ts';

/** 'trace': the open trace; 'all': every trace of the workspace. */
export type AnalysisScope = 'trace' | 'all';

export type AnalysisQuery =
  | { readonly kind: 'serviceGraph'; readonly traceId: string; readonly scope: AnalysisScope }
  | { readonly kind: 'operationGraph'; readonly traceId: string; readonly scope: AnalysisScope }
  | { readonly kind: 'stats'; readonly traceId: string; readonly scope: AnalysisScope; readonly grouping: StatsGrouping }
  | { readonly kind: 'mergedFlame'; readonly traceId: string; readonly scope: AnalysisScope }
  | { readonly kind: 'diff'; readonly traceIdA: string; readonly traceIdB: string }
  | { readonly kind: 'linkGraph'; readonly traceId: string; readonly businessKey: string | undefined; readonly storedContext: boolean }
  | { readonly kind: 'spanLinks'; readonly traceId: string; readonly spanIndex: number }
  | { readonly kind: 'stitch'; readonly traceIds: readonly string[]; readonly businessKey: string | undefined; readonly storedContext: boolean };

/** A span somewhere in the workspace, named for display. */
export interface SpanLabel {
  readonly traceId: string;
  readonly spanIndex: number;
  readonly service: string;
  readonly name: string;
  readonly durationNs: number;
  readonly error: boolean;
}

export interface LinkGraphResult {
  /** The connected traces, in start order; `current` is the trace asked about. */
  readonly nodes: readonly (Pick<TraceSummary, 'traceId' | 'rootService' | 'rootName' | 'traceStart' | 'durationNs' | 'spanCount' | 'errorCount'> & { readonly current: boolean })[];
  /** Node indices; `inferred` says how a link that is not in the data was found. */
  readonly edges: readonly { readonly from: number; readonly to: number; readonly count: number; readonly kinds: readonly string[]; readonly inferred: InferredVia | undefined }[];
  /** Linked traces that are not loaded: fetch them from a backend to see them. */
  readonly missing: readonly { readonly traceId: string; readonly linkCount: number }[];
  readonly keySuggestions: readonly BusinessKeySuggestion[];
  readonly storedContextCount: number;
}

export interface SpanLinksResult {
  readonly outgoing: readonly { readonly kind: string; readonly traceId: string; readonly spanId: string; readonly target: SpanLabel | undefined }[];
  readonly incoming: readonly { readonly kind: string; readonly source: SpanLabel }[];
  /** Fan-in / fan-out summary when the span has several links. */
  readonly fan: (Omit<ReturnType<typeof linkedSpanStats>, 'failed' | 'slowest'> & { readonly failed: readonly SpanLabel[]; readonly slowest: readonly SpanLabel[] }) | undefined;
}

export interface StitchResult {
  /** The stitched trace, opened like any trace of the workspace. */
  readonly summary: TraceSummary;
  /** The critical path from the first request to the last worker span, with queue waits, on the stitched model. */
  readonly asyncPath: {
    readonly spans: Int32Array;
    readonly startNs: Float64Array;
    readonly endNs: Float64Array;
    /** Queue waits as (start, end) pairs, and the span that picked the work up after each. */
    readonly queueWaits: Float64Array;
    readonly queueWaitSpans: Int32Array;
    readonly totalNs: number;
    readonly queueWaitNs: number;
  };
}

export type AnalysisResult = ServiceGraph | OperationGraph | SpanStats | MergedFlameTree | TraceDiff | LinkGraphResult | SpanLinksResult | StitchResult;

/** The loaded file and what was added to it; the link index is rebuilt when traces are added. */
export class Workspace {
  private collections: TraceCollection[] = [];
  private index: { traces: readonly TraceModel[]; links: LinkIndex } | undefined;
  private readonly asyncPaths = new Map<string, StitchResult['asyncPath']>();

  reset(main: TraceCollection | undefined): void {
    this.collections = main ? [main] : [];
    this.index = undefined;
    this.asyncPaths.clear();
  }

  /** The end-to-end path of a stitched view, for its waterfall's critical path. */
  asyncPathOf(traceId: string): StitchResult['asyncPath'] | undefined {
    return this.asyncPaths.get(traceId);
  }

  setAsyncPath(traceId: string, path: StitchResult['asyncPath']): void {
    this.asyncPaths.set(traceId, path);
  }

  add(collection: TraceCollection): void {
    this.collections.push(collection);
    this.index = undefined;
  }

  /** Adds a collection, dropping one that holds the same trace ids (a stitched view made again). */
  replace(collection: TraceCollection): void {
    const ids = new Set(collection.traces.map((t) => t.traceId));
    this.collections = this.collections.filter((c) => !c.traces.some((t) => ids.has(t.traceId)));
    this.add(collection);
  }

  get traces(): readonly TraceModel[] {
    return this.collections.flatMap((c) => c.traces);
  }

  has(traceId: string): boolean {
    return this.collections.some((c) => c.traces.some((t) => t.traceId === traceId));
  }

  find(traceId: string): TraceModel {
    for (let c = this.collections.length - 1; c >= 0; c--) {
      const model = this.collections[c].traces.find((t) => t.traceId === traceId);
      if (model) return model;
    }
    throw new LoadError({ kind: 'read-failed', message: `Trace ${traceId} is not loaded` });
  }

  links(): { traces: readonly TraceModel[]; links: LinkIndex } {
    if (!this.index) {
      // Stitched views repeat spans of their members: links are indexed over the loaded traces only.
      const traces = this.collections.filter((c) => !stitchedCollections.has(c)).flatMap((c) => c.traces);
      this.index = { traces, links: buildLinkIndex(traces) };
    }
    return this.index;
  }
}

const stitchedCollections = new WeakSet<TraceCollection>();

export function runAnalysis(workspace: Workspace, query: AnalysisQuery): AnalysisResult {
  switch (query.kind) {
    case 'serviceGraph':
      return buildServiceGraph(scoped(workspace, query.traceId, query.scope));
    case 'operationGraph':
      return buildOperationGraph(scoped(workspace, query.traceId, query.scope));
    case 'stats':
      return computeSpanStats(scoped(workspace, query.traceId, query.scope), query.grouping);
    case 'mergedFlame':
      return buildMergedFlameTree(scoped(workspace, query.traceId, query.scope));
    case 'diff':
      return diffTraces(workspace.find(query.traceIdA), workspace.find(query.traceIdB));
    case 'linkGraph':
      return linkGraph(workspace, query.traceId, query.businessKey, query.storedContext);
    case 'spanLinks':
      return spanLinks(workspace, query.traceId, query.spanIndex);
    case 'stitch':
      return stitch(workspace, query.traceIds, query.businessKey, query.storedContext);
  }
}

function scoped(workspace: Workspace, traceId: string, scope: AnalysisScope): readonly TraceModel[] {
  return scope === 'trace' ? [workspace.find(traceId)] : workspace.links().traces;
}

function label(traces: readonly TraceModel[], ref: SpanRef): SpanLabel {
  const m = traces[ref.trace];
  return { traceId: m.traceId, spanIndex: ref.span, service: spanService(m, ref.span), name: spanName(m, ref.span), durationNs: m.durationNs[ref.span], error: isErrorSpan(m, ref.span) };
}

/** Links inferred from stored contexts and/or a business key, between traces of `traces`. */
function inferredLinks(traces: readonly TraceModel[], businessKey: string | undefined, storedContext: boolean): InferredLink[] {
  const out: InferredLink[] = storedContext ? findStoredContexts(traces).filter((l) => l.to && l.to.trace !== l.from.trace) : [];
  if (businessKey) for (const group of groupByBusinessKey(traces, businessKey)) out.push(...group.links);
  return out;
}

function linkGraph(workspace: Workspace, traceId: string, businessKey: string | undefined, storedContext: boolean): LinkGraphResult {
  const { traces, links } = workspace.links();
  const start = traces.findIndex((t) => t.traceId === traceId);
  if (start < 0) throw new LoadError({ kind: 'read-failed', message: `Trace ${traceId} is not loaded` });
  const graph = traceGraph(links, start);
  const inferred = inferredLinks(traces, businessKey, storedContext);
  // The component grows along inferred links too: that is how a broken flow is found again.
  const members = new Set(graph.nodes);
  for (let grew = true; grew; ) {
    grew = false;
    for (const l of inferred) {
      if (!l.to) continue;
      const [a, b] = [l.from.trace, l.to.trace];
      if (members.has(a) !== members.has(b)) {
        for (const t of [a, b, ...traceGraph(links, members.has(a) ? b : a).nodes]) members.add(t);
        grew = true;
      }
    }
  }
  const nodes = [...members].sort((a, b) => compareEpoch(traces[a].traceStart, traces[b].traceStart));
  const position = new Map(nodes.map((t, k) => [t, k]));
  const edges: { from: number; to: number; count: number; kinds: string[]; inferred: InferredVia | undefined }[] = [];
  const recorded = new Map<string, { from: number; to: number; count: number; kinds: Set<string> }>();
  for (const t of nodes) {
    for (const e of traceGraph(links, t).edges) {
      if (!position.has(e.from) || !position.has(e.to)) continue;
      const key = `${e.from}>${e.to}`;
      if (!recorded.has(key)) recorded.set(key, { from: position.get(e.from)!, to: position.get(e.to)!, count: e.count, kinds: new Set(e.kinds) });
    }
  }
  for (const r of recorded.values()) edges.push({ from: r.from, to: r.to, count: r.count, kinds: [...r.kinds], inferred: undefined });
  const inferredPairs = new Map<string, { from: number; to: number; count: number; via: InferredVia }>();
  for (const l of inferred) {
    if (!l.to || !position.has(l.from.trace) || !position.has(l.to.trace) || l.from.trace === l.to.trace) continue;
    const [from, to] = [position.get(l.to.trace)!, position.get(l.from.trace)!]; // the earlier work → the later
    const key = `${from}>${to}`;
    const pair = inferredPairs.get(key) ?? { from, to, count: 0, via: l.via };
    pair.count++;
    inferredPairs.set(key, pair);
  }
  for (const p of inferredPairs.values()) edges.push({ from: p.from, to: p.to, count: p.count, kinds: ['link'], inferred: p.via });
  return {
    nodes: nodes.map((t) => {
      const s = summarizeTrace(traces[t]);
      return { traceId: s.traceId, rootService: s.rootService, rootName: s.rootName, traceStart: s.traceStart, durationNs: s.durationNs, spanCount: s.spanCount, errorCount: s.errorCount, current: t === start };
    }),
    edges,
    missing: graph.missingTraces.map((m) => ({ traceId: m.traceId, linkCount: m.linkCount })),
    keySuggestions: suggestBusinessKeys(traces),
    storedContextCount: inferred.filter((l) => l.via.kind === 'stored-context').length,
  };
}

function spanLinks(workspace: Workspace, traceId: string, spanIndex: number): SpanLinksResult {
  const { traces, links } = workspace.links();
  const trace = traces.findIndex((t) => t.traceId === traceId);
  if (trace < 0) return { outgoing: [], incoming: [], fan: undefined };
  const ref = { trace, span: spanIndex };
  const outgoing = [...outgoingEdges(links, ref)].map((e) => {
    const edge = linkEdge(links, e);
    return { kind: edge.kind, traceId: edge.traceId, spanId: edge.spanId, target: edge.to && label(traces, edge.to) };
  });
  const incoming = [...incomingEdges(links, ref)].map((e) => {
    const edge = linkEdge(links, e);
    return { kind: edge.kind, source: label(traces, edge.from) };
  });
  let fan: SpanLinksResult['fan'];
  if (outgoing.length + incoming.length >= 2) {
    const stats = linkedSpanStats(links, ref, 'both');
    fan = { ...stats, failed: stats.failed.map((r) => label(traces, r)), slowest: stats.slowest.map((r) => label(traces, r)) };
  }
  return { outgoing, incoming, fan };
}

function stitch(workspace: Workspace, traceIds: readonly string[], businessKey: string | undefined, storedContext: boolean): StitchResult {
  const { traces, links } = workspace.links();
  const members = traceIds.map((id) => traces.findIndex((t) => t.traceId === id));
  if (members.some((m) => m < 0)) throw new LoadError({ kind: 'read-failed', message: 'A trace to stitch is not loaded', detail: traceIds.join(', ') });
  const memberOf = new Map(members.map((t, k) => [t, k]));
  const inferred = inferredLinks(traces, businessKey, storedContext)
    .filter((l) => l.to && memberOf.has(l.from.trace) && memberOf.has(l.to.trace))
    .map((l) => ({ ...l, from: { trace: memberOf.get(l.from.trace)!, span: l.from.span }, to: { trace: memberOf.get(l.to!.trace)!, span: l.to!.span } }));
  const models = members.map((t) => traces[t]);
  const stitched = stitchTraces(models, inferred);
  stitchedCollections.add(stitched.collection);
  // Stitching the same traces again (another key or context setting) replaces the earlier view.
  workspace.replace(stitched.collection);
  const path: AsyncCriticalPath = computeAsyncCriticalPath(links, members, {
    inferred: inferred.map((l) => ({ ...l, from: { trace: members[l.from.trace], span: l.from.span }, to: l.to && { trace: members[l.to.trace], span: l.to.span } })),
  });
  const model = stitched.collection.traces[0];
  // The path's times are from its own origin; the stitched view's are from the stitched trace's start.
  const originOffset = nanosBetween(model.traceStart, path.origin);
  const spanSegments = path.segments.filter((s) => s.kind === 'span');
  // Each wait ends where its consumer starts.
  const waits = path.hops
    .filter((h) => h.queueWaitNs > 0)
    .map((h) => {
      const consumer = stitched.stitchedIndex({ trace: memberOf.get(h.to.trace)!, span: h.to.span });
      return { consumer, endNs: model.startNs[consumer], startNs: model.startNs[consumer] - h.queueWaitNs };
    });
  const result: StitchResult = {
    summary: summarizeTrace(model),
    asyncPath: {
      spans: Int32Array.from(spanSegments, (s) => (s.kind === 'span' ? stitched.stitchedIndex({ trace: memberOf.get(s.ref.trace)!, span: s.ref.span }) : -1)),
      startNs: Float64Array.from(spanSegments, (s) => s.startNs + originOffset),
      endNs: Float64Array.from(spanSegments, (s) => s.endNs + originOffset),
      queueWaits: Float64Array.from(waits.flatMap((w) => [w.startNs, w.endNs])),
      queueWaitSpans: Int32Array.from(waits, (w) => w.consumer),
      totalNs: path.totalNs,
      queueWaitNs: path.queueWaitNs,
    },
  };
  workspace.setAsyncPath(model.traceId, result.asyncPath);
  return result;
}
