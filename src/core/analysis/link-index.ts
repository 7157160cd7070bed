// Every span link of every loaded trace, resolved against all of them: outgoing and incoming links per
// span, the graph of traces joined by links, and the span pairs to draw arrows between.
//
// Links come from OTLP span links, Datadog span links, and Jaeger references other than the parent
// (FOLLOWS_FROM or extra CHILD_OF, possibly into other traces). The Jaeger importer also keeps a
// FOLLOWS_FROM *parent* as a link, so the analyses know the child does not block it; such a link points
// at the span's own tree parent and is flagged LINK_TO_PARENT (the waterfall already draws that edge).
//
// Edges are numbered in source order (trace, then span, then the span's links), so the outgoing links
// of a span are one range of edge ids; incoming links are a CSR list of edge ids. Spans are numbered
// globally: spanOffset[trace] + span.
import type { Attribute } from '../model/attributes.ts';
import { compareEpoch } from '../model/time.ts';
import { LINK_KINDS, type LinkKind, type TraceModel } from '../model/trace-model.ts';
import { SpanLocator, type SpanRef } from './span-ref.ts';

/** The link points at the span that holds it. */
export const LINK_TO_SELF = 1;
/** The link points at the span's own tree parent (a Jaeger FOLLOWS_FROM parent). */
export const LINK_TO_PARENT = 2;

export interface UnresolvedTrace {
  /** A trace id that links point at but that is not loaded: fetch it from a backend. */
  readonly traceId: string;
  readonly linkCount: number;
}

export interface LinkIndex {
  readonly traces: readonly TraceModel[];
  /** Global span number of span 0 of each trace; spanOffset[traces.length] = total spans. */
  readonly spanOffset: Uint32Array;
  readonly edgeCount: number;
  readonly sourceTrace: Uint32Array;
  readonly sourceSpan: Uint32Array;
  /** -1 when no loaded trace has the target's trace id. */
  readonly targetTrace: Int32Array;
  /** -1 when the target span is not loaded (its trace may be: a partial trace). */
  readonly targetSpan: Int32Array;
  /** Index in LINK_KINDS. */
  readonly kind: Uint8Array;
  /** LINK_TO_SELF | LINK_TO_PARENT. */
  readonly flags: Uint8Array;
  /** Index of the link in its source trace's stores.links (attributes, trace state, raw ids). */
  readonly storeIndex: Uint32Array;
  /** Outgoing edges of global span g: edge ids outStart[g] … outStart[g + 1] - 1. */
  readonly outStart: Uint32Array;
  /** Incoming edges of global span g: inEdges[inStart[g] … inStart[g + 1] - 1]. */
  readonly inStart: Uint32Array;
  readonly inEdges: Uint32Array;
  /** Trace ids not loaded, most linked first. */
  readonly unresolvedTraces: readonly UnresolvedTrace[];
  /** Links into a loaded trace that lacks the target span. */
  readonly missingSpanCount: number;
  /** Repeated links (same span, same target) that were counted once. */
  readonly duplicateCount: number;
}

/** One link, for the details panel and for following it. */
export interface LinkEdge {
  readonly edge: number;
  readonly from: SpanRef;
  readonly to: SpanRef | undefined;
  readonly traceId: string;
  readonly spanId: string;
  readonly kind: LinkKind;
  readonly toSelf: boolean;
  readonly toParent: boolean;
  readonly traceState: string | undefined;
  readonly attributes: readonly Attribute[];
}

export function buildLinkIndex(traces: readonly TraceModel[]): LinkIndex {
  const spanOffset = new Uint32Array(traces.length + 1);
  let linkTotal = 0;
  traces.forEach((model, t) => {
    spanOffset[t + 1] = spanOffset[t] + model.spanCount;
    for (let i = 0; i < model.spanCount; i++) linkTotal += model.linkCount[i];
  });
  const spanTotal = spanOffset[traces.length];

  const locator = new SpanLocator(traces);
  const sourceTrace = new Uint32Array(linkTotal);
  const sourceSpan = new Uint32Array(linkTotal);
  const targetTrace = new Int32Array(linkTotal);
  const targetSpan = new Int32Array(linkTotal);
  const kind = new Uint8Array(linkTotal);
  const flags = new Uint8Array(linkTotal);
  const storeIndex = new Uint32Array(linkTotal);
  const outStart = new Uint32Array(spanTotal + 1);
  const inCount = new Uint32Array(spanTotal + 1);
  const unresolved = new Map<string, number>();
  let missingSpanCount = 0;
  let duplicateCount = 0;
  let e = 0;

  traces.forEach((model, t) => {
    const links = model.stores.links;
    for (let i = 0; i < model.spanCount; i++) {
      const g = spanOffset[t] + i;
      outStart[g] = e;
      const first = model.linkStart[i];
      const count = model.linkCount[i];
      const seen = count > 1 ? new Set<string>() : undefined;
      for (let l = first; l < first + count; l++) {
        const traceId = links.traceId[l];
        const spanId = links.spanId[l];
        if (seen) {
          const key = `${traceId}/${spanId}`;
          if (seen.has(key)) {
            duplicateCount++;
            continue;
          }
          seen.add(key);
        }
        const target = locator.find(traceId, spanId);
        sourceTrace[e] = t;
        sourceSpan[e] = i;
        targetTrace[e] = target ? target.trace : (locator.tracesWithId(traceId)[0] ?? -1);
        targetSpan[e] = target ? target.span : -1;
        kind[e] = links.kind[l];
        storeIndex[e] = l;
        if (target) {
          inCount[spanOffset[target.trace] + target.span]++;
          if (target.trace === t && target.span === i) flags[e] |= LINK_TO_SELF;
          if (target.trace === t && target.span === model.parent[i]) flags[e] |= LINK_TO_PARENT;
        } else if (targetTrace[e] >= 0) missingSpanCount++;
        else unresolved.set(traceId, (unresolved.get(traceId) ?? 0) + 1);
        e++;
      }
    }
  });
  outStart[spanTotal] = e;

  // Incoming: counts → offsets → fill, in edge order.
  const inStart = new Uint32Array(spanTotal + 1);
  for (let g = 0; g < spanTotal; g++) inStart[g + 1] = inStart[g] + inCount[g];
  const inEdges = new Uint32Array(inStart[spanTotal]);
  const fill = inStart.slice(0, spanTotal);
  for (let j = 0; j < e; j++) {
    if (targetSpan[j] >= 0) inEdges[fill[spanOffset[targetTrace[j]] + targetSpan[j]]++] = j;
  }

  const unresolvedTraces = [...unresolved].map(([traceId, linkCount]) => ({ traceId, linkCount }));
  unresolvedTraces.sort((a, b) => b.linkCount - a.linkCount || (a.traceId < b.traceId ? -1 : 1));
  return {
    traces,
    spanOffset,
    edgeCount: e,
    sourceTrace: sourceTrace.slice(0, e),
    sourceSpan: sourceSpan.slice(0, e),
    targetTrace: targetTrace.slice(0, e),
    targetSpan: targetSpan.slice(0, e),
    kind: kind.slice(0, e),
    flags: flags.slice(0, e),
    storeIndex: storeIndex.slice(0, e),
    outStart,
    inStart,
    inEdges,
    unresolvedTraces,
    missingSpanCount,
    duplicateCount,
  };
}

/** Edge ids of the links a span holds. */
export function outgoingEdges(index: LinkIndex, ref: SpanRef): Uint32Array {
  const g = index.spanOffset[ref.trace] + ref.span;
  const from = index.outStart[g];
  return Uint32Array.from({ length: index.outStart[g + 1] - from }, (_, k) => from + k);
}

/** Edge ids of the links that point at a span ("linked from"). */
export function incomingEdges(index: LinkIndex, ref: SpanRef): Uint32Array {
  const g = index.spanOffset[ref.trace] + ref.span;
  return index.inEdges.subarray(index.inStart[g], index.inStart[g + 1]);
}

export function linkEdge(index: LinkIndex, edge: number): LinkEdge {
  const model = index.traces[index.sourceTrace[edge]];
  const links = model.stores.links;
  const l = index.storeIndex[edge];
  return {
    edge,
    from: { trace: index.sourceTrace[edge], span: index.sourceSpan[edge] },
    to: index.targetSpan[edge] >= 0 ? { trace: index.targetTrace[edge], span: index.targetSpan[edge] } : undefined,
    traceId: links.traceId[l],
    spanId: links.spanId[l],
    kind: LINK_KINDS[index.kind[edge]],
    toSelf: (index.flags[edge] & LINK_TO_SELF) !== 0,
    toParent: (index.flags[edge] & LINK_TO_PARENT) !== 0,
    traceState: links.traceState[l],
    attributes: model.stores.attributes.read(links.attrStart[l], links.attrCount[l]),
  };
}

export interface TraceGraphEdge {
  readonly from: number;
  readonly to: number;
  /** Links from spans of `from` to spans of `to` (targets missing from a loaded trace included). */
  readonly count: number;
  readonly kinds: readonly LinkKind[];
}

export interface TraceGraph {
  /** Trace indices of the connected component, in start-time order (the left-to-right layout). */
  readonly nodes: readonly number[];
  /** Between different traces; links inside one trace are left out. */
  readonly edges: readonly TraceGraphEdge[];
  /** Trace ids the component links to that are not loaded. */
  readonly missingTraces: readonly UnresolvedTrace[];
}

/** The traces reachable from `startTrace` through links in either direction. */
export function traceGraph(index: LinkIndex, startTrace: number): TraceGraph {
  const { traces } = index;
  const inComponent = new Uint8Array(traces.length);
  const queue = [startTrace];
  inComponent[startTrace] = 1;
  const pairs = new Map<number, { from: number; to: number; count: number; kindMask: number }>();
  const missing = new Map<string, number>();
  const visit = (t: number) => {
    if (!inComponent[t]) {
      inComponent[t] = 1;
      queue.push(t);
    }
  };
  for (let q = 0; q < queue.length; q++) {
    const t = queue[q];
    // Outgoing: every edge of this trace's spans is one range.
    const last = index.outStart[index.spanOffset[t + 1]];
    for (let e = index.outStart[index.spanOffset[t]]; e < last; e++) {
      const to = index.targetTrace[e];
      if (to < 0) {
        const id = traces[t].stores.links.traceId[index.storeIndex[e]];
        missing.set(id, (missing.get(id) ?? 0) + 1);
      } else if (to !== t) {
        const key = t * traces.length + to;
        const pair = pairs.get(key) ?? { from: t, to, count: 0, kindMask: 0 };
        pair.count++;
        pair.kindMask |= 1 << index.kind[e];
        pairs.set(key, pair);
        visit(to);
      }
    }
    // Incoming: the edges into any span of this trace; their pairs are counted from the source side.
    for (let k = index.inStart[index.spanOffset[t]]; k < index.inStart[index.spanOffset[t + 1]]; k++) {
      visit(index.sourceTrace[index.inEdges[k]]);
    }
  }
  const nodes = queue.sort((a, b) => compareEpoch(traces[a].traceStart, traces[b].traceStart) || a - b);
  const edges = [...pairs.values()].sort((a, b) => a.from - b.from || a.to - b.to).map(({ from, to, count, kindMask }) => ({
    from,
    to,
    count,
    kinds: LINK_KINDS.filter((_, k) => kindMask & (1 << k)),
  }));
  const missingTraces = [...missing].map(([traceId, linkCount]) => ({ traceId, linkCount }));
  missingTraces.sort((a, b) => b.linkCount - a.linkCount || (a.traceId < b.traceId ? -1 : 1));
  return { nodes, edges, missingTraces };
}

export interface LinkPair {
  readonly edge: number;
  readonly from: SpanRef;
  readonly to: SpanRef;
  readonly kind: LinkKind;
}

/**
 * The links between spans of the given traces (both ends loaded and in the set), for arrows in a
 * stitched waterfall. Self-links and links to the span's own parent are left out: nothing to draw.
 */
export function linksBetween(index: LinkIndex, traceSet: readonly number[]): LinkPair[] {
  const inSet = new Uint8Array(index.traces.length);
  for (const t of traceSet) inSet[t] = 1;
  const out: LinkPair[] = [];
  for (const t of new Set(traceSet)) {
    const last = index.outStart[index.spanOffset[t + 1]];
    for (let e = index.outStart[index.spanOffset[t]]; e < last; e++) {
      const to = index.targetTrace[e];
      if (index.targetSpan[e] < 0 || !inSet[to] || index.flags[e] !== 0) continue;
      out.push({
        edge: e,
        from: { trace: t, span: index.sourceSpan[e] },
        to: { trace: to, span: index.targetSpan[e] },
        kind: LINK_KINDS[index.kind[e]],
      });
    }
  }
  return out;
}
