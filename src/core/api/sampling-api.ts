// POST /api/sampling/evaluate: the sampling lab over the embedded store (issue #18), shared by the server
// and the browser. The request is JSON (Content-Type: application/json, else 415); the answer is NDJSON,
// one SamplingStreamLine per line: progress lines, then one result line (or one error line).
import { summarizeTrace } from '../analysis/trace-summary.ts';
import type { TraceModel } from '../model/trace-model.ts';
import type { TraceDecision } from '../sampling/evaluate.ts';
import type { SamplingSummary } from '../sampling/summary.ts';

export interface SamplingEvaluateRequest {
  /** A Collector config (YAML): a whole otelcol config, a tail_sampling block, or the processor's settings. */
  readonly config: string;
  /** Which tail_sampling processor, when the config has several (e.g. "tail_sampling/prod"). */
  readonly processor?: string;
  /** A head sampler in front, e.g. "parentbased_traceidratio:0.1[:go|js|consistent]". */
  readonly head?: string;
  /** Trace start range, epoch ms, both ends inclusive; open when left out. */
  readonly start?: number;
  readonly end?: number;
  /** At most this many traces (default and maximum MAX_SAMPLING_TRACES); a range holding more is a 413. */
  readonly limit?: number;
}

/** The server's caps on one evaluation: every model is in memory at once (the summary needs them). */
export const MAX_SAMPLING_TRACES = 100_000;
export const MAX_SAMPLING_SPANS = 1_000_000;

/** One trace's decision as JSON, the same in `npm run sample` and on the server. */
export interface DecisionJson {
  readonly traceId: string;
  /** The tail sampler alone. */
  readonly decision: 'sampled' | 'not_sampled';
  /** The policy that decided, null when none matched. */
  readonly policy: string | null;
  /** The head sampler's decision, null without one. */
  readonly head: 'sampled' | 'not_sampled' | null;
  /** Head then tail, as deployed together (the tail alone without a head sampler). */
  readonly kept: boolean;
  readonly spans: number;
  /** Spans arriving after decision_wait. */
  readonly late: number;
  /** The Collector's size estimate of the trace. */
  readonly bytes: number;
}

export function decisionJson(d: TraceDecision): DecisionJson {
  return {
    traceId: d.traceId,
    decision: d.decision,
    policy: d.policy ?? null,
    head: d.head === undefined ? null : d.head ? 'sampled' : 'not_sampled',
    kept: d.kept,
    spans: d.spans,
    late: d.lateSpans,
    bytes: d.bytes,
  };
}

/** A decision with what the lab's list shows of the trace: the server's rows and the worker's alike. */
export interface SamplingDecisionJson extends DecisionJson {
  readonly rootService: string;
  readonly rootName: string;
  readonly startMs: number;
  readonly durationNs: number;
  /** Spans with an error status. */
  readonly errorCount: number;
}

/** `model` is the trace the decision is about (the evaluation's models[d.trace]). */
export function sampledTraceRow(d: TraceDecision, model: TraceModel): SamplingDecisionJson {
  const trace = summarizeTrace(model);
  return { ...decisionJson(d), rootService: trace.rootService, rootName: trace.rootName, startMs: trace.traceStart.ms, durationNs: d.durationNs, errorCount: trace.errorCount };
}

export type SamplingStreamLine =
  | { readonly type: 'progress'; readonly done: number; readonly total: number }
  /** Decisions in the order of the traces' start; `skipped`: scope traces that could not be read (not evaluated). */
  | {
      readonly type: 'result';
      readonly summary: SamplingSummary;
      readonly decisions: readonly SamplingDecisionJson[];
      readonly skipped: readonly { readonly traceId: string; readonly reason: string }[];
    }
  | { readonly type: 'error'; readonly error: string; readonly detail: string };

/** A config error answered with 400 before streaming starts. */
export interface SamplingConfigErrorBody {
  readonly error: string;
  readonly detail: string;
  /** 1-based; null when the error concerns the whole text. */
  readonly line: number | null;
  readonly column: number | null;
  /** "outer" or "outer > sub"; null outside a policy. */
  readonly policy: string | null;
}
