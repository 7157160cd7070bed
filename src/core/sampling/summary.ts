// What a sampling evaluation keeps and what it loses: kept/dropped traces, spans and bytes for head
// alone, tail alone and both; per-policy counts; error and slow traces dropped; services and
// operations left without any kept trace; span links cut between a kept and a dropped trace; and a
// latency histogram of all traces against kept ones. "Kept" in the loss figures is the deployed
// pipeline: head then tail (the tail alone without a head sampler).
import { buildLinkIndex } from '../analysis/link-index.ts';
import type { TraceCollection } from '../model/trace-model.ts';
import { formatHeadSampler } from './head-sampler.ts';
import type { PolicyCounts, SamplingEvaluation, TraceDecision } from './evaluate.ts';

export interface Tally {
  readonly traces: number;
  readonly spans: number;
  readonly bytes: number;
}

export interface KeptDropped {
  readonly kept: Tally;
  readonly dropped: Tally;
  /** Percent of all traces / spans / bytes kept, rounded to 0.01. */
  readonly keptPercent: Tally;
}

export interface ServiceLoss {
  readonly service: string;
  readonly traces: number;
}

export interface OperationLoss {
  readonly service: string;
  readonly operation: string;
  readonly traces: number;
}

export interface CutLink {
  readonly fromTraceId: string;
  readonly toTraceId: string;
  /** Which end was kept: the linking span's trace ('from') or the linked-to trace ('to'). */
  readonly kept: 'from' | 'to';
  readonly links: number;
}

export interface SamplingSummary {
  readonly total: Tally;
  readonly decisionWaitMs: number;
  readonly head: string | undefined;
  readonly lateSpans: number;
  readonly tracesWithLateSpans: number;
  readonly headAlone: KeptDropped | undefined;
  readonly tailAlone: KeptDropped;
  readonly both: KeptDropped | undefined;
  readonly policies: readonly PolicyCounts[];
  readonly loss: {
    readonly errorTraces: { readonly total: number; readonly dropped: number };
    readonly slowTraces: { readonly p95Ms: number; readonly p99Ms: number; readonly atOrAboveP95: number; readonly droppedAtOrAboveP95: number; readonly atOrAboveP99: number; readonly droppedAtOrAboveP99: number };
    readonly servicesWithNoKeptTrace: readonly ServiceLoss[];
    readonly operationsWithNoKeptTrace: readonly OperationLoss[];
    readonly linksCut: { readonly links: number; readonly tracePairs: number; readonly examples: readonly CutLink[] };
  };
  readonly latencyHistogram: { readonly upperBoundsMs: readonly number[]; readonly all: readonly number[]; readonly kept: readonly number[] };
}

/** Upper bounds of the histogram buckets in ms; the last bucket is open. */
const HISTOGRAM_BOUNDS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000, 60000];
const MAX_EXAMPLES = 50;

export function summarizeSampling(collection: TraceCollection, evaluation: SamplingEvaluation): SamplingSummary {
  const { decisions } = evaluation;
  const withHead = evaluation.head !== undefined;
  const total = tally(decisions, () => true);
  const split = (keep: (d: TraceDecision) => boolean): KeptDropped => {
    const kept = tally(decisions, keep);
    return {
      kept,
      dropped: { traces: total.traces - kept.traces, spans: total.spans - kept.spans, bytes: total.bytes - kept.bytes },
      keptPercent: { traces: percent(kept.traces, total.traces), spans: percent(kept.spans, total.spans), bytes: percent(kept.bytes, total.bytes) },
    };
  };
  return {
    total,
    decisionWaitMs: evaluation.config.decisionWaitNs / 1e6,
    head: evaluation.head && formatHeadSampler(evaluation.head),
    lateSpans: decisions.reduce((n, d) => n + d.lateSpans, 0),
    tracesWithLateSpans: decisions.filter((d) => d.lateSpans > 0).length,
    headAlone: withHead ? split((d) => d.head === true) : undefined,
    tailAlone: split((d) => d.decision === 'sampled'),
    both: withHead ? split((d) => d.kept) : undefined,
    policies: evaluation.policies,
    loss: {
      errorTraces: errorLoss(collection, decisions),
      slowTraces: slowLoss(decisions),
      ...coverageLoss(collection, decisions),
      linksCut: linksCut(collection, decisions),
    },
    latencyHistogram: histogram(decisions),
  };
}

function tally(decisions: readonly TraceDecision[], keep: (d: TraceDecision) => boolean): Tally {
  let traces = 0;
  let spans = 0;
  let bytes = 0;
  for (const d of decisions) {
    if (!keep(d)) continue;
    traces++;
    spans += d.spans;
    bytes += d.bytes;
  }
  return { traces, spans, bytes };
}

function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10000) / 100;
}

function errorLoss(collection: TraceCollection, decisions: readonly TraceDecision[]) {
  const errors = decisions.filter((d) => collection.traces[d.trace].errorCount > 0);
  return { total: errors.length, dropped: errors.filter((d) => !d.kept).length };
}

/** Nearest-rank percentile of the trace durations. */
function percentileNs(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

function slowLoss(decisions: readonly TraceDecision[]) {
  const sorted = Float64Array.from(decisions, (d) => d.durationNs).sort();
  const p95 = percentileNs(sorted, 95);
  const p99 = percentileNs(sorted, 99);
  const atOrAbove = (limit: number) => decisions.filter((d) => d.durationNs >= limit);
  const slow95 = atOrAbove(p95);
  const slow99 = atOrAbove(p99);
  return {
    p95Ms: p95 / 1e6,
    p99Ms: p99 / 1e6,
    atOrAboveP95: slow95.length,
    droppedAtOrAboveP95: slow95.filter((d) => !d.kept).length,
    atOrAboveP99: slow99.length,
    droppedAtOrAboveP99: slow99.filter((d) => !d.kept).length,
  };
}

/** Services and operations (service + span name) that appear in some trace but in no kept one. */
function coverageLoss(collection: TraceCollection, decisions: readonly TraceDecision[]) {
  const services = new Map<number, { traces: number; kept: boolean }>();
  const operations = new Map<string, { service: number; name: number; traces: number; kept: boolean }>();
  for (const d of decisions) {
    const model = collection.traces[d.trace];
    const seenServices = new Set<number>();
    const seenOperations = new Set<string>();
    for (let i = 0; i < model.spanCount; i++) {
      const service = model.serviceId[i];
      if (!seenServices.has(service)) {
        seenServices.add(service);
        const s = services.get(service) ?? { traces: 0, kept: false };
        s.traces++;
        s.kept ||= d.kept;
        services.set(service, s);
      }
      const key = `${service}:${model.nameId[i]}`;
      if (!seenOperations.has(key)) {
        seenOperations.add(key);
        const o = operations.get(key) ?? { service, name: model.nameId[i], traces: 0, kept: false };
        o.traces++;
        o.kept ||= d.kept;
        operations.set(key, o);
      }
    }
  }
  const str = collection.stores.strings;
  const byCount = <T extends { traces: number }>(a: T, b: T, ka: string, kb: string) => b.traces - a.traces || (ka < kb ? -1 : ka > kb ? 1 : 0);
  const servicesWithNoKeptTrace = [...services]
    .filter(([, s]) => !s.kept)
    .map(([id, s]) => ({ service: str.get(id), traces: s.traces }))
    .sort((a, b) => byCount(a, b, a.service, b.service));
  const operationsWithNoKeptTrace = [...operations.values()]
    .filter((o) => !o.kept)
    .map((o) => ({ service: str.get(o.service), operation: str.get(o.name), traces: o.traces }))
    .sort((a, b) => byCount(a, b, `${a.service} ${a.operation}`, `${b.service} ${b.operation}`));
  return { servicesWithNoKeptTrace, operationsWithNoKeptTrace };
}

/** Links between two loaded traces of which exactly one is kept: the chain is cut there. */
function linksCut(collection: TraceCollection, decisions: readonly TraceDecision[]) {
  const index = buildLinkIndex(collection.traces);
  const pairs = new Map<string, CutLink & { links: number }>();
  let links = 0;
  for (let e = 0; e < index.edgeCount; e++) {
    const from = index.sourceTrace[e];
    const to = index.targetTrace[e];
    if (to < 0 || to === from || decisions[from].kept === decisions[to].kept) continue;
    links++;
    const key = `${from}:${to}`;
    const pair = pairs.get(key) ?? { fromTraceId: decisions[from].traceId, toTraceId: decisions[to].traceId, kept: decisions[from].kept ? ('from' as const) : ('to' as const), links: 0 };
    pair.links++;
    pairs.set(key, pair);
  }
  return { links, tracePairs: pairs.size, examples: [...pairs.values()].slice(0, MAX_EXAMPLES) };
}

function histogram(decisions: readonly TraceDecision[]) {
  const all = new Array<number>(HISTOGRAM_BOUNDS_MS.length + 1).fill(0);
  const kept = all.slice();
  for (const d of decisions) {
    const ms = d.durationNs / 1e6;
    let b = HISTOGRAM_BOUNDS_MS.findIndex((upper) => ms <= upper);
    if (b < 0) b = HISTOGRAM_BOUNDS_MS.length;
    all[b]++;
    if (d.kept) kept[b]++;
  }
  return { upperBoundsMs: HISTOGRAM_BOUNDS_MS, all, kept };
}
