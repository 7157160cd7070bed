// What a sampling evaluation keeps and what it loses: kept/dropped traces, spans and bytes for head
// alone, tail alone and both; per-policy counts; error and slow traces dropped; services and
// operations left without any kept trace; span links cut between a kept and a dropped trace; and a
// latency histogram of all traces against kept ones. "Kept" in the loss figures is the deployed
// pipeline: head then tail (the tail alone without a head sampler).
import { buildLinkIndex } from '../analysis/link-index.ts';
import type { TraceModel } from '../model/trace-model.ts';
import { formatHeadSampler, type RandomnessSource } from './head-sampler.ts';
import type { PolicyCounts, SamplingEvaluation, TraceDecision } from './evaluate.ts';
import { TraceFacts } from './trace-facts.ts';

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
  /** Head decisions of the consistent rule by where their randomness came from (undefined: none made). */
  readonly headRandomness: Readonly<Record<RandomnessSource, number>> | undefined;
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
    /** How many operations lost, and the first MAX_EXAMPLES of them (most traces first, then by name). */
    readonly operationsWithNoKeptTrace: { readonly count: number; readonly examples: readonly OperationLoss[] };
    readonly linksCut: { readonly links: number; readonly tracePairs: number; readonly examples: readonly CutLink[] };
  };
  readonly latencyHistogram: { readonly upperBoundsMs: readonly number[]; readonly all: readonly number[]; readonly kept: readonly number[] };
}

/** Upper bounds of the histogram buckets in ms; the last bucket is open. */
const HISTOGRAM_BOUNDS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000, 60000];
const MAX_EXAMPLES = 50;

/**
 * `models` are the traces the evaluation was run on, in the same order; `facts`, what is known of them
 * already (pass the one the evaluation used, kept while the traces stay loaded).
 */
export function summarizeSampling(models: readonly TraceModel[], evaluation: SamplingEvaluation, facts = new TraceFacts()): SamplingSummary {
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
    headRandomness: evaluation.headRandomness,
    lateSpans: decisions.reduce((n, d) => n + d.lateSpans, 0),
    tracesWithLateSpans: decisions.filter((d) => d.lateSpans > 0).length,
    headAlone: withHead ? split((d) => d.head === true) : undefined,
    tailAlone: split((d) => d.decision === 'sampled'),
    both: withHead ? split((d) => d.kept) : undefined,
    policies: evaluation.policies,
    loss: {
      errorTraces: errorLoss(models, decisions),
      slowTraces: slowLoss(decisions),
      ...coverageLoss(models, decisions, facts),
      linksCut: linksCut(models, decisions),
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

function errorLoss(models: readonly TraceModel[], decisions: readonly TraceDecision[]) {
  const errors = decisions.filter((d) => models[d.trace].errorCount > 0);
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

/**
 * Per service or operation id: in how many traces it appears, whether one of them is kept, and the last
 * trace counted (a trace counts once however many spans it has there). Typed columns: a big trace can
 * have a label per span (statements with their literals: ~47,000 operations in the 1M-span bench trace,
 * 336,000 before ADR 0010's update), and an object per operation cost more than the counting.
 */
class CoverageTallies {
  traces = new Uint32Array(256);
  kept = new Uint8Array(256);
  lastTrace = new Int32Array(256).fill(-1);

  count(id: number, trace: number, kept: boolean): void {
    if (id >= this.traces.length) this.grow(id);
    if (this.lastTrace[id] === trace) return;
    this.lastTrace[id] = trace;
    this.traces[id]++;
    if (kept) this.kept[id] = 1;
  }

  private grow(id: number): void {
    let length = this.traces.length * 2;
    while (length <= id) length *= 2;
    const traces = new Uint32Array(length);
    const kept = new Uint8Array(length);
    const lastTrace = new Int32Array(length).fill(-1);
    traces.set(this.traces);
    kept.set(this.kept);
    lastTrace.set(this.lastTrace);
    Object.assign(this, { traces, kept, lastTrace });
  }
}

/** Services and operations (service + operation label, span-label.ts) that appear in some trace but in no kept one. */
function coverageLoss(models: readonly TraceModel[], decisions: readonly TraceDecision[], facts: TraceFacts) {
  // Shared ids: several loads each have their own string table. The facts may know more traces than
  // these decisions: an id no decided trace has has no count here.
  const { names, operations: operationIds } = facts;
  const services = new CoverageTallies();
  const operations = new CoverageTallies();
  for (const d of decisions) {
    for (const operation of facts.operationsOf(models, d.trace)) {
      services.count(operationIds.first(operation), d.trace, d.kept);
      operations.count(operation, d.trace, d.kept);
    }
  }
  const lostServices: number[] = [];
  for (let id = 0; id < names.names.length; id++) if (services.traces[id] > 0 && services.kept[id] === 0) lostServices.push(id);
  const byName = (a: number, b: number) => (names.names[a] < names.names[b] ? -1 : names.names[a] > names.names[b] ? 1 : 0);
  lostServices.sort((a, b) => services.traces[b] - services.traces[a] || byName(a, b));
  // A big trace can lose an operation per span: sorting 300,000 by name cost ~0.3 s, and only the first
  // few are shown. Keep the first MAX_EXAMPLES in order while counting the rest.
  const serviceRank = new Int32Array(names.names.length);
  [...new Set(Array.from({ length: operationIds.size }, (_, k) => operationIds.first(k)))].sort(byName).forEach((id, rank) => (serviceRank[id] = rank));
  const before = (a: number, b: number) =>
    operations.traces[b] - operations.traces[a] || serviceRank[operationIds.first(a)] - serviceRank[operationIds.first(b)] || byName(operationIds.second(a), operationIds.second(b));
  const first: number[] = [];
  let lostOperations = 0;
  for (let k = 0; k < operationIds.size; k++) {
    if (k >= operations.traces.length || operations.traces[k] === 0 || operations.kept[k] !== 0) continue;
    lostOperations++;
    if (first.length === MAX_EXAMPLES && before(k, first[MAX_EXAMPLES - 1]) >= 0) continue;
    let at = first.length;
    while (at > 0 && before(k, first[at - 1]) < 0) at--;
    first.splice(at, 0, k);
    if (first.length > MAX_EXAMPLES) first.pop();
  }
  return {
    servicesWithNoKeptTrace: lostServices.map((id): ServiceLoss => ({ service: names.names[id], traces: services.traces[id] })),
    operationsWithNoKeptTrace: {
      count: lostOperations,
      examples: first.map((k): OperationLoss => ({ service: names.names[operationIds.first(k)], operation: names.names[operationIds.second(k)], traces: operations.traces[k] })),
    },
  };
}

/** Links between two loaded traces of which exactly one is kept: the chain is cut there. */
function linksCut(models: readonly TraceModel[], decisions: readonly TraceDecision[]) {
  // A cut needs two traces and a link: skip the index (it resolves every span id) when there cannot be one.
  if (models.length < 2 || !models.some((m) => m.linkCount.some((n) => n > 0))) return { links: 0, tracePairs: 0, examples: [] };
  const index = buildLinkIndex(models);
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
