// Runs the analyses the trace page's other views ask for (graphs, statistics, flamegraph, trace
// comparison, links, the sampling lab; their queries and results: core/view-format/analysis-answers.ts)
// over the workspace: the loaded file plus traces fetched later (a link's target from a backend) and stitched views.
import { computeAsyncCriticalPath, type AsyncCriticalPath } from '../core/analysis/async-critical-path.ts';
import { businessKeyValues, groupByBusinessKey, suggestBusinessKeys } from '../core/analysis/business-key.ts';
import { findStoredContexts } from '../core/analysis/context-finder.ts';
import { buildMergedFlameTree } from '../core/analysis/flame-tree.ts';
import { incomingEdges, linkEdge, outgoingEdges, traceGraph } from '../core/analysis/link-index.ts';
import { linkedSpanStats } from '../core/analysis/linked-span-stats.ts';
import { buildOperationGraph } from '../core/analysis/operation-graph.ts';
import { buildServiceGraph } from '../core/analysis/service-graph.ts';
import type { InferredLink, InferredVia, SpanRef } from '../core/analysis/span-ref.ts';
import { computeSelfTime } from '../core/analysis/self-time.ts';
import { computeSpanStats } from '../core/analysis/span-stats.ts';
import { spanTableOrder } from '../core/analysis/span-table.ts';
import { stitchTraces } from '../core/analysis/stitch-traces.ts';
import { diffTraces } from '../core/analysis/trace-diff.ts';
import { summarizeTrace } from '../core/analysis/trace-summary.ts';
import { compareEpoch, nanosBetween } from '../core/model/time.ts';
import { isErrorSpan, spanService, type TraceModel } from '../core/model/trace-model.ts';
import { spanLabel } from '../core/analysis/span-label.ts';
import {
  resultFor,
  type AnalysisAnswer,
  type AnalysisQuery,
  type AnalysisResults,
  type AnalysisScope,
  type LinkGraphResult,
  type SpanLabel,
  type SpanLinksResult,
  type StitchResult,
} from '../core/view-format/analysis-answers.ts';
import { replaySampling } from './sampling-lab.ts';
import { TraceNotLoaded, type Workspace } from './workspace.ts';

export function runAnalysis(workspace: Workspace, query: AnalysisQuery): AnalysisAnswer {
  switch (query.kind) {
    case 'serviceGraph':
      return { kind: query.kind, result: buildServiceGraph(scoped(workspace, query.traceId, query.scope)) };
    case 'operationGraph':
      return { kind: query.kind, result: buildOperationGraph(scoped(workspace, query.traceId, query.scope)) };
    case 'stats':
      return { kind: query.kind, result: computeSpanStats(scoped(workspace, query.traceId, query.scope), query.grouping) };
    case 'mergedFlame':
      return { kind: query.kind, result: buildMergedFlameTree(scoped(workspace, query.traceId, query.scope)) };
    case 'diff':
      return { kind: query.kind, result: diffTraces(workspace.find(query.traceIdA), workspace.find(query.traceIdB)) };
    case 'linkGraph':
      return { kind: query.kind, result: linkGraph(workspace, query.traceId, query.businessKey, query.storedContext, query.windowMs) };
    case 'spanLinks':
      return { kind: query.kind, result: spanLinks(workspace, query.traceId, query.spanIndex) };
    case 'stitch':
      return { kind: query.kind, result: stitch(workspace, query.traceIds, query.businessKey, query.storedContext, query.windowMs) };
    case 'sampling':
      return { kind: query.kind, result: replaySampling(scoped(workspace, query.traceId, query.scope), query.configText, query.headText, workspace.samplingFacts) };
    case 'spanTable': {
      const model = workspace.find(query.traceId);
      return { kind: query.kind, result: { order: spanTableOrder(model, workspace.spanLabels(model), computeSelfTime(model), query) } };
    }
    default:
      return unanswered(query);
  }
}

/** runAnalysis with the result typed by the query's kind (what the client's analyze gives the page). */
export function analyze<Q extends AnalysisQuery>(workspace: Workspace, query: Q): AnalysisResults[Q['kind']] {
  return resultFor<Q['kind']>(runAnalysis(workspace, query), query.kind);
}

/** A query kind without a case above fails to compile here. */
function unanswered(query: never): never {
  throw new Error(`Unknown analysis: ${JSON.stringify(query)}`);
}

function scoped(workspace: Workspace, traceId: string, scope: AnalysisScope): readonly TraceModel[] {
  return scope === 'trace' ? [workspace.find(traceId)] : workspace.links().traces;
}

function label(traces: readonly TraceModel[], ref: SpanRef): SpanLabel {
  const m = traces[ref.trace];
  return { traceId: m.traceId, spanIndex: ref.span, service: spanService(m, ref.span), name: spanLabel(m, ref.span), durationNs: m.durationNs[ref.span], error: isErrorSpan(m, ref.span) };
}

/** Links inferred from stored contexts and/or a business key, between traces of `traces`. */
function inferredLinks(traces: readonly TraceModel[], businessKey: string | undefined, storedContext: boolean, windowMs: number): InferredLink[] {
  const out: InferredLink[] = storedContext ? findStoredContexts(traces).filter((l) => l.to && l.to.trace !== l.from.trace) : [];
  if (businessKey) for (const group of groupByBusinessKey(traces, businessKey, windowMs)) out.push(...group.links);
  return out;
}

/** Trace ids that `model`'s stored contexts name and that are not among `traces`. */
function unloadedContextTraceIds(model: TraceModel, traces: readonly TraceModel[]): string[] {
  const loaded = new Set(traces.map((t) => t.traceId));
  const named = findStoredContexts([model]).map((l) => l.traceId);
  return [...new Set(named)].filter((id) => id.length === 32 && !loaded.has(id));
}

function linkGraph(workspace: Workspace, traceId: string, businessKey: string | undefined, storedContext: boolean, windowMs: number): LinkGraphResult {
  const { traces, links } = workspace.links();
  const start = traces.findIndex((t) => t.traceId === traceId);
  if (start < 0) throw new TraceNotLoaded(traceId);
  const graph = traceGraph(links, start);
  const inferred = inferredLinks(traces, businessKey, storedContext, windowMs);
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
      const [from, to] = [position.get(e.from), position.get(e.to)];
      if (from === undefined || to === undefined) continue;
      const key = `${e.from}>${e.to}`;
      if (!recorded.has(key)) recorded.set(key, { from, to, count: e.count, kinds: new Set(e.kinds) });
    }
  }
  for (const r of recorded.values()) edges.push({ from: r.from, to: r.to, count: r.count, kinds: [...r.kinds], inferred: undefined });
  const inferredPairs = new Map<string, { from: number; to: number; count: number; via: InferredVia }>();
  for (const l of inferred) {
    if (!l.to || l.from.trace === l.to.trace) continue;
    const [from, to] = [position.get(l.to.trace), position.get(l.from.trace)]; // the earlier work → the later
    if (from === undefined || to === undefined) continue;
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
    unloadedContextTraceIds: storedContext ? unloadedContextTraceIds(traces[start], traces) : [],
    businessKeyValues: businessKey ? businessKeyValues(traces[start], businessKey) : [],
    loadedTraceIds: traces.map((t) => t.traceId),
  };
}

function spanLinks(workspace: Workspace, traceId: string, spanIndex: number): SpanLinksResult {
  const { traces, links } = workspace.links();
  const trace = traces.findIndex((t) => t.traceId === traceId);
  if (trace < 0) return { outgoing: [], incoming: [], fan: undefined };
  const ref = { trace, span: spanIndex };
  const outgoing = [...outgoingEdges(links, ref)].map((e) => {
    const edge = linkEdge(links, e);
    return { kind: edge.kind, traceId: edge.traceId, spanId: edge.spanId, target: edge.to && label(traces, edge.to), attributes: edge.attributes };
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

function stitch(workspace: Workspace, traceIds: readonly string[], businessKey: string | undefined, storedContext: boolean, windowMs: number): StitchResult {
  const { traces, links } = workspace.links();
  const members = traceIds.map((id) => traces.findIndex((t) => t.traceId === id));
  const missing = traceIds.find((_, k) => members[k] < 0);
  if (missing !== undefined) throw new TraceNotLoaded(missing);
  const memberOf = new Map(members.map((t, k) => [t, k]));
  // Inferred links between members, by member index.
  const inferred = inferredLinks(traces, businessKey, storedContext, windowMs).flatMap((l) => {
    const [from, to] = [memberOf.get(l.from.trace), l.to && memberOf.get(l.to.trace)];
    return l.to && from !== undefined && to !== undefined ? [{ ...l, from: { trace: from, span: l.from.span }, to: { trace: to, span: l.to.span } }] : [];
  });
  const models = members.map((t) => traces[t]);
  const stitched = stitchTraces(models, inferred);
  const path: AsyncCriticalPath = computeAsyncCriticalPath(links, members, {
    inferred: inferred.map((l) => ({ ...l, from: { trace: members[l.from.trace], span: l.from.span }, to: l.to && { trace: members[l.to.trace], span: l.to.span } })),
  });
  const model = stitched.collection.traces[0];
  // A workspace span's index in the stitched view (-1 when not a member's: see stitchedIndex).
  const stitchedSpan = (ref: SpanRef) => stitched.stitchedIndex({ trace: memberOf.get(ref.trace) ?? -1, span: ref.span });
  // The path's times are from its own origin; the stitched view's are from the stitched trace's start.
  const originOffset = nanosBetween(model.traceStart, path.origin);
  const spanSegments = path.segments.filter((s) => s.kind === 'span');
  // Each wait ends where its consumer starts.
  const waits = path.hops
    .filter((h) => h.queueWaitNs > 0)
    .map((h) => {
      const consumer = stitchedSpan(h.to);
      return { consumer, endNs: model.startNs[consumer], startNs: model.startNs[consumer] - h.queueWaitNs };
    });
  const result: StitchResult = {
    summary: summarizeTrace(model),
    asyncPath: {
      spans: Int32Array.from(spanSegments, (s) => (s.kind === 'span' ? stitchedSpan(s.ref) : -1)),
      startNs: Float64Array.from(spanSegments, (s) => s.startNs + originOffset),
      endNs: Float64Array.from(spanSegments, (s) => s.endNs + originOffset),
      queueWaits: Float64Array.from(waits.flatMap((w) => [w.startNs, w.endNs])),
      queueWaitSpans: Int32Array.from(waits, (w) => w.consumer),
      totalNs: path.totalNs,
      queueWaitNs: path.queueWaitNs,
    },
  };
  // Stitching the same traces again (another key or context setting) replaces the earlier view.
  workspace.addStitched(stitched.collection, result.asyncPath);
  return result;
}
