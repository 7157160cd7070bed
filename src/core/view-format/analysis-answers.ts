// The analyses the page asks the worker for, as both sides see them: each kind's query and result
// (AnalysisCalls), the answer that carries its kind, and the result types. The worker runs them
// (src/worker/analyses.ts); views read the results. Plain data and typed arrays (structured-clone cheap).
import type { BusinessKeySuggestion } from '../analysis/business-key.ts';
import type { InferredVia } from '../analysis/span-ref.ts';
import type { MergedFlameTree } from '../analysis/flame-tree.ts';
import type { linkedSpanStats } from '../analysis/linked-span-stats.ts';
import type { OperationGraph } from '../analysis/operation-graph.ts';
import type { ServiceGraph } from '../analysis/service-graph.ts';
import type { SpanStats, StatsGrouping } from '../analysis/span-stats.ts';
import type { SpanTableQuery } from '../analysis/span-table.ts';
import type { TraceDiff } from '../analysis/trace-diff.ts';
import type { TraceSummary } from '../analysis/trace-summary.ts';
import type { Attribute } from '../model/attributes.ts';
import type { SamplingDecisionJson } from '../api/sampling-api.ts';
import type { ConfigErrorInfo } from '../sampling/config-yaml.ts';
import type { SamplingSummary } from '../sampling/summary.ts';

/** 'trace': the open trace; 'all': every trace of the workspace. */
export type AnalysisScope = 'trace' | 'all';

/** Every analysis: its query (besides `kind`) and its result. A caller's result type follows from the kind. */
interface AnalysisCalls {
  readonly serviceGraph: { readonly query: { readonly traceId: string; readonly scope: AnalysisScope }; readonly result: ServiceGraph };
  readonly operationGraph: { readonly query: { readonly traceId: string; readonly scope: AnalysisScope }; readonly result: OperationGraph };
  readonly stats: { readonly query: { readonly traceId: string; readonly scope: AnalysisScope; readonly grouping: StatsGrouping }; readonly result: SpanStats };
  readonly mergedFlame: { readonly query: { readonly traceId: string; readonly scope: AnalysisScope }; readonly result: MergedFlameTree };
  readonly diff: { readonly query: { readonly traceIdA: string; readonly traceIdB: string }; readonly result: TraceDiff };
  readonly linkGraph: {
    readonly query: { readonly traceId: string; readonly businessKey: string | undefined; readonly storedContext: boolean; readonly windowMs: number };
    readonly result: LinkGraphResult;
  };
  readonly spanLinks: { readonly query: { readonly traceId: string; readonly spanIndex: number }; readonly result: SpanLinksResult };
  readonly stitch: {
    readonly query: { readonly traceIds: readonly string[]; readonly businessKey: string | undefined; readonly storedContext: boolean; readonly windowMs: number };
    readonly result: StitchResult;
  };
  readonly sampling: { readonly query: SamplingQuery; readonly result: SamplingResult };
  /** The span table's rows: span indices, filtered and sorted (the page reads the rest from the trace's view). */
  readonly spanTable: { readonly query: SpanTableQuery & { readonly traceId: string }; readonly result: { readonly order: Uint32Array } };
}

export type AnalysisKind = keyof AnalysisCalls;

export type AnalysisQuery<K extends AnalysisKind = AnalysisKind> = { readonly [P in K]: { readonly kind: P } & AnalysisCalls[P]['query'] }[K];

export type AnalysisResults = { readonly [K in AnalysisKind]: AnalysisCalls[K]['result'] };

/** A result with the kind of query it answers, so the client can hand each caller its own type. */
export type AnalysisAnswer<K extends AnalysisKind = AnalysisKind> = { readonly [P in K]: { readonly kind: P; readonly result: AnalysisResults[P] } }[K];

/** The result of an answer to a `kind` query; throws when the answer is to another kind. */
export function resultFor<K extends AnalysisKind>(answer: AnalysisAnswer, kind: K): AnalysisResults[K] {
  if (!isAnswerTo(answer, kind)) throw new Error(`A ${kind} analysis was answered with ${answer.kind}`);
  return answer.result;
}

function isAnswerTo<K extends AnalysisKind>(answer: { readonly kind: AnalysisKind }, kind: K): answer is AnalysisAnswer<K> {
  return answer.kind === kind;
}

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
  /** What the finder asks a backend about: trace ids this trace's span data names but that are not loaded… */
  readonly unloadedContextTraceIds: readonly string[];
  /** …and the values of the business key (when one is chosen) on this trace's spans. */
  readonly businessKeyValues: readonly string[];
  /** Every loaded trace, so the finder fetches only what is not loaded yet. */
  readonly loadedTraceIds: readonly string[];
}

export interface SpanLinksResult {
  readonly outgoing: readonly { readonly kind: string; readonly traceId: string; readonly spanId: string; readonly target: SpanLabel | undefined; readonly attributes: readonly Attribute[] }[];
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


/** The end-to-end path of a stitched view. */
export type AsyncPath = StitchResult['asyncPath'];

/** The sampling lab: a tail_sampling config and a head sampler replayed over the open trace or every trace. */
export interface SamplingQuery {
  readonly traceId: string;
  readonly scope: AnalysisScope;
  /** The Collector config as typed (a whole config, a tail_sampling block or its settings). */
  readonly configText: string;
  /** `name[:ratio[:rule]]`; empty for no head sampler. */
  readonly headText: string;
}

/** One trace's fate as the server's evaluation and the worker give it (the lab lists those with errors first). */
export type SampledTraceRow = SamplingDecisionJson;

/** A bad config or head sampler is an answer (the lab shows it at its line), not a failure. */
export type SamplingResult =
  | { readonly kind: 'evaluated'; readonly summary: SamplingSummary; readonly traces: readonly SampledTraceRow[] }
  | { readonly kind: 'config-error'; readonly error: ConfigErrorInfo }
  | { readonly kind: 'head-error'; readonly message: string };
