// The summary of a span with many links — a batch span linked to N item spans (fan-out), or items
// linked to their batch (fan-in): how many, how long they took, which failed, which were slowest, and
// how their starts spread out relative to the batch span. Linear in the number of links except for
// two numeric sorts.
import { nanosBetween, type Nanos } from '../model/time.ts';
import { STATUS_ERROR } from '../model/trace-model.ts';
import { LINK_TO_SELF, type LinkIndex } from './link-index.ts';
import type { SpanRef } from './span-ref.ts';

export type LinkDirection = 'outgoing' | 'incoming' | 'both';

export interface Spread {
  readonly min: Nanos;
  readonly p50: Nanos;
  readonly p95: Nanos;
  readonly max: Nanos;
}

export interface LinkedSpanStats {
  /** Linked spans that are loaded, each counted once (a span linked both ways counts once). */
  readonly count: number;
  /** Links whose target span is not loaded. */
  readonly unresolvedCount: number;
  /** Durations of the linked spans; undefined when there are none. */
  readonly durationNs: Spread | undefined;
  /** Equal-width bins over [min, max] of the durations: edgesNs has one more entry than counts. */
  readonly histogram: { readonly edgesNs: Float64Array; readonly counts: Uint32Array };
  readonly errorCount: number;
  /** The linked spans with status ERROR, in link order. */
  readonly failed: readonly SpanRef[];
  /** The `slowest` longest linked spans, longest first. */
  readonly slowest: readonly SpanRef[];
  /** Linked span start minus the span's own start (negative: it started before); undefined when none. */
  readonly startOffsetNs: Spread | undefined;
}

export interface LinkedSpanStatsOptions {
  /** How many of the slowest spans to list (default 10). */
  readonly slowest?: number;
  /** At most this many histogram bins (default 20; fewer for few spans: √N). */
  readonly bins?: number;
}

export function linkedSpanStats(index: LinkIndex, ref: SpanRef, direction: LinkDirection = 'both', options: LinkedSpanStatsOptions = {}): LinkedSpanStats {
  const { traces, spanOffset } = index;
  const g = spanOffset[ref.trace] + ref.span;

  // The linked spans as (trace, span), in link order, each once.
  const linkedTrace: number[] = [];
  const linkedSpan: number[] = [];
  const seen = direction === 'both' ? new Uint8Array(spanOffset[traces.length]) : undefined; // by global span
  let unresolvedCount = 0;
  const add = (trace: number, span: number) => {
    if (seen) {
      const key = spanOffset[trace] + span;
      if (seen[key]) return;
      seen[key] = 1;
    }
    linkedTrace.push(trace);
    linkedSpan.push(span);
  };
  if (direction !== 'incoming') {
    for (let e = index.outStart[g]; e < index.outStart[g + 1]; e++) {
      if (index.flags[e] & LINK_TO_SELF) continue;
      if (index.targetSpan[e] < 0) unresolvedCount++;
      else add(index.targetTrace[e], index.targetSpan[e]);
    }
  }
  if (direction !== 'outgoing') {
    for (let k = index.inStart[g]; k < index.inStart[g + 1]; k++) {
      const e = index.inEdges[k];
      if (!(index.flags[e] & LINK_TO_SELF)) add(index.sourceTrace[e], index.sourceSpan[e]);
    }
  }

  const n = linkedTrace.length;
  const self = traces[ref.trace];
  const selfStart = self.startNs[ref.span];
  const traceOffset = new Map<number, number>(); // trace → ns from this span's trace start to that trace's
  const durations = new Float64Array(n);
  const offsets = new Float64Array(n);
  const failed: SpanRef[] = [];
  for (let j = 0; j < n; j++) {
    const t = linkedTrace[j];
    const s = linkedSpan[j];
    const model = traces[t];
    let offset = traceOffset.get(t);
    if (offset === undefined) traceOffset.set(t, (offset = nanosBetween(self.traceStart, model.traceStart)));
    durations[j] = model.durationNs[s];
    offsets[j] = offset + model.startNs[s] - selfStart;
    if (model.status[s] === STATUS_ERROR) failed.push({ trace: t, span: s });
  }

  const sortedDurations = durations.slice().sort();
  // The slowest: only spans at least as long as the k-th longest need ordering.
  const k = Math.min(n, options.slowest ?? 10);
  const candidates: number[] = [];
  for (let j = 0; k > 0 && j < n; j++) if (durations[j] >= sortedDurations[n - k]) candidates.push(j);
  candidates.sort((a, b) => durations[b] - durations[a] || a - b);
  const slowest = candidates.slice(0, k).map((j) => ({ trace: linkedTrace[j], span: linkedSpan[j] }));
  return {
    count: n,
    unresolvedCount,
    durationNs: spread(sortedDurations),
    histogram: histogram(sortedDurations, Math.min(options.bins ?? 20, Math.ceil(Math.sqrt(n)))),
    errorCount: failed.length,
    failed,
    slowest,
    startOffsetNs: spread(offsets.sort()),
  };
}

/** Nearest-rank percentiles of sorted values. */
function spread(sorted: Float64Array): Spread | undefined {
  const n = sorted.length;
  if (n === 0) return undefined;
  const at = (p: number) => sorted[Math.max(0, Math.ceil(p * n) - 1)];
  return { min: sorted[0], p50: at(0.5), p95: at(0.95), max: sorted[n - 1] };
}

function histogram(sorted: Float64Array, bins: number): LinkedSpanStats['histogram'] {
  const n = sorted.length;
  if (n === 0) return { edgesNs: new Float64Array(0), counts: new Uint32Array(0) };
  const min = sorted[0];
  const max = sorted[n - 1];
  const binCount = max > min ? Math.max(1, bins) : 1;
  const width = (max - min) / binCount;
  const edgesNs = Float64Array.from({ length: binCount + 1 }, (_, k) => (k === binCount ? max : min + k * width));
  const counts = new Uint32Array(binCount);
  for (let j = 0; j < n; j++) counts[width > 0 ? Math.min(binCount - 1, Math.floor((sorted[j] - min) / width)) : 0]++;
  return { edgesNs, counts };
}
