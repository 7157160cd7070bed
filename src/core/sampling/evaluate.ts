// Replays a tail_sampling config (and optionally a head sampler in front of it) over the traces of a
// collection: the Collector's decision rule per trace, at the traces' own times.
//
// Decision rule (processor.go makeDecision): drop policies are evaluated first, then the others in
// config order; a "dropped" decision stops the evaluation (so does a "sampled" one with
// sample_on_first_match). Then: any dropped → not sampled; else any inverted-not-sampled → not
// sampled; else any sampled → sampled; else any inverted-sampled and no not-sampled → sampled; else
// not sampled. The deciding policy is the first that gave the winning decision.
//
// Traces are decided in the order of their decision time (first span's arrival + decision_wait), so
// the rate limits see them as the Collector would. With a head sampler, the tail runs a second time
// over the head-kept traces only (what the Collector would receive) when a policy keeps state.
import type { TraceModel } from '../model/trace-model.ts';
import type { NamedPolicy, PolicyType, TailSamplingConfig } from './config.ts';
import { OTLP_FLAGS_KEY } from '../import/otlp-json.ts';
import { headVerdict, type HeadSampler, type HeadTraceInput, type RandomnessSource } from './head-sampler.ts';
import { createEvaluator, type PolicyDecision, type PolicyEvaluator } from './policies.ts';
import { sampledTrace, type SampledTrace, type TraceSizer } from './sampled-trace.ts';
import { TraceFacts } from './trace-facts.ts';

export type TailDecision = 'sampled' | 'not_sampled';

export interface TraceDecision {
  /** Index in the evaluated traces. */
  readonly trace: number;
  readonly traceId: string;
  /** The tail sampler alone, over every trace. */
  readonly decision: TailDecision;
  /** The policy whose decision won, or undefined when none matched. */
  readonly policy: string | undefined;
  /** Not sampled because a drop policy matched. */
  readonly droppedByPolicy: boolean;
  /** The head sampler's decision, undefined without one. */
  readonly head: boolean | undefined;
  /** Head then tail, as deployed together (the tail alone without a head sampler). */
  readonly kept: boolean;
  readonly spans: number;
  readonly lateSpans: number;
  /** The Collector's size estimate of the whole trace (see sampled-trace.ts traceBytes). */
  readonly bytes: number;
  readonly durationNs: number;
}

export interface PolicyCounts {
  readonly name: string;
  readonly type: PolicyType;
  /** Traces it was asked about (an earlier drop, or a match with sample_on_first_match, stops the rest). */
  readonly evaluated: number;
  /** Traces it sampled (or, for a drop policy, dropped). */
  readonly matched: number;
  /** Traces whose final decision it made. */
  readonly decided: number;
}

export interface SamplingEvaluation {
  readonly decisions: readonly TraceDecision[];
  /** Counted over the tail sampler alone, in evaluation order (drop policies first). */
  readonly policies: readonly PolicyCounts[];
  readonly config: TailSamplingConfig;
  readonly head: HeadSampler | undefined;
  /**
   * How many head decisions of the consistent rule took their randomness from each source (head-sampler.ts);
   * undefined when the head sampler made none.
   */
  readonly headRandomness: Readonly<Record<RandomnessSource, number>> | undefined;
}

interface Outcome {
  readonly decision: TailDecision;
  readonly policy: string | undefined;
  readonly dropped: boolean;
}

/**
 * `models` may come from several loads (each model carries its own stores): they are decided together.
 * `facts`: what is known of these traces already (trace-facts.ts), kept by whoever holds them loaded.
 */
export function evaluateSampling(models: readonly TraceModel[], config: TailSamplingConfig, head?: HeadSampler, facts = new TraceFacts()): SamplingEvaluation {
  const traces = models.map((model, index) => sampledTrace(model, index, config.decisionWaitNs));
  const order = traces.slice().sort((a, b) => a.decisionTimeSec - b.decisionTimeSec || a.index - b.index);

  const alone = new TailRun(config, facts.sizer);
  const tail = new Array<Outcome>(traces.length);
  for (const t of order) tail[t.index] = alone.decide(t);

  const headVerdicts = head ? traces.map((t) => headVerdict(head, headInput(t.model))) : undefined;
  const headKept = headVerdicts?.map((v) => v.kept);
  let pipeline = tail;
  if (headKept && isStateful(config.policies)) {
    const behindHead = new TailRun(config, facts.sizer);
    pipeline = tail.slice();
    for (const t of order) if (headKept[t.index]) pipeline[t.index] = behindHead.decide(t);
  }

  const decisions = traces.map((t, i): TraceDecision => ({
    trace: i,
    traceId: t.model.traceId,
    decision: tail[i].decision,
    policy: tail[i].policy,
    droppedByPolicy: tail[i].dropped,
    head: headKept?.[i],
    kept: (headKept?.[i] ?? true) && pipeline[i].decision === 'sampled',
    spans: t.model.spanCount,
    lateSpans: t.lateSpans,
    bytes: facts.bytes(models, i),
    durationNs: t.model.traceDurationNs,
  }));
  return { decisions, policies: alone.counts(), config, head, headRandomness: headVerdicts && countRandomness(headVerdicts) };
}

const DECISION_SLOT: Readonly<Record<PolicyDecision, number>> = { sampled: 0, not_sampled: 1, inverted_sampled: 2, inverted_not_sampled: 3, dropped: 4 };
const NOT_SAMPLED: Outcome = { decision: 'not_sampled', policy: undefined, dropped: false };
const { sampled: SAMPLED, not_sampled: NOT_SAMPLED_SLOT, inverted_sampled: INVERTED_SAMPLED, inverted_not_sampled: INVERTED_NOT_SAMPLED, dropped: DROPPED } = DECISION_SLOT;

/** One pass of the processor: its evaluators (with their rate-limit state) and per-policy counters. */
class TailRun {
  private readonly policies: readonly NamedPolicy[];
  private readonly evaluators: readonly PolicyEvaluator[];
  private readonly evaluated: number[];
  private readonly matched: number[];
  private readonly decided: number[];
  private readonly first = new Int32Array(5);

  constructor(
    private readonly config: TailSamplingConfig,
    sizer: TraceSizer,
  ) {
    // Drop policies first: their decision takes precedence and ends the evaluation.
    this.policies = [...config.policies.filter((p) => p.type === 'drop'), ...config.policies.filter((p) => p.type !== 'drop')];
    this.evaluators = this.policies.map((p) => createEvaluator(p, sizer));
    this.evaluated = this.policies.map(() => 0);
    this.matched = this.policies.map(() => 0);
    this.decided = this.policies.map(() => 0);
  }

  decide(trace: SampledTrace): Outcome {
    // The first policy that gave each decision (the Collector's samplingDecisions map), -1 for none.
    const first = this.first.fill(-1);
    for (let p = 0; p < this.evaluators.length; p++) {
      const d = this.evaluators[p].evaluate(trace);
      this.evaluated[p]++;
      if (d === 'sampled' || d === 'inverted_sampled' || d === 'dropped') this.matched[p]++;
      const k = DECISION_SLOT[d];
      if (first[k] < 0) first[k] = p;
      if (d === 'dropped' || (this.config.sampleOnFirstMatch && d === 'sampled')) break;
    }
    // Precedence: dropped, inverted not sampled, sampled, inverted sampled (unless a policy said not sampled).
    if (first[DROPPED] >= 0) return this.winner(DROPPED, 'not_sampled');
    if (first[INVERTED_NOT_SAMPLED] >= 0) return this.winner(INVERTED_NOT_SAMPLED, 'not_sampled');
    if (first[SAMPLED] >= 0) return this.winner(SAMPLED, 'sampled');
    if (first[INVERTED_SAMPLED] >= 0 && first[NOT_SAMPLED_SLOT] < 0) return this.winner(INVERTED_SAMPLED, 'sampled');
    return NOT_SAMPLED;
  }

  /** The first policy that gave the decision in `slot` decides (a method, not a closure per trace: this runs for every trace). */
  private winner(slot: number, decision: TailDecision): Outcome {
    const p = this.first[slot];
    this.decided[p]++;
    return { decision, policy: this.policies[p].name, dropped: slot === DROPPED };
  }

  counts(): PolicyCounts[] {
    return this.policies.map((p, i) => ({ name: p.name, type: p.type, evaluated: this.evaluated[i], matched: this.matched[i], decided: this.decided[i] }));
  }
}

function isStateful(policies: readonly NamedPolicy[]): boolean {
  return policies.some((p) => p.type === 'rate_limiting' || p.type === 'bytes_limiting' || p.type === 'composite' || ((p.type === 'and' || p.type === 'drop') && isStateful(p.policies)));
}

function headInput(model: TraceModel): HeadTraceInput {
  const root = model.roots.length > 0 ? model.roots[0] : 0;
  return {
    traceId: model.traceId,
    rootTraceState: model.traceState.get(root) ?? '',
    rootIsOrphan: model.parentSpanIds[root] !== '',
    rootTraceFlags: traceFlags(model, root),
  };
}

/** W3C trace flags of a span: OTLP Span.flags bits 0–7, which the importer keeps as an attribute. */
function traceFlags(model: TraceModel, span: number): number | undefined {
  const keyId = model.stores.strings.idOf(OTLP_FLAGS_KEY);
  if (keyId === undefined) return undefined;
  const { keys, values } = model.stores.attributes;
  for (let a = model.attrStart[span]; a < model.attrStart[span] + model.attrCount[span]; a++) {
    if (keys[a] === keyId && typeof values[a] === 'number') return (values[a] as number) & 0xff;
  }
  return undefined;
}

function countRandomness(verdicts: readonly { readonly randomness?: RandomnessSource }[]): Record<RandomnessSource, number> | undefined {
  const counts: Record<RandomnessSource, number> = { rv: 0, 'random-flag': 0, assumed: 0 };
  let any = false;
  for (const v of verdicts) {
    if (v.randomness === undefined) continue;
    counts[v.randomness]++;
    any = true;
  }
  return any ? counts : undefined;
}
