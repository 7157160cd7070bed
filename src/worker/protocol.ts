// Messages between the main thread and the trace worker. The worker owns the bytes and the models; the
// main thread receives summaries, the flat columns a view draws, and single spans' details on demand.
import type { CollectionSummary } from '../core/analysis/trace-summary.ts';
import type { LoadErrorInfo } from '../core/import/load-error.ts';
import type { AnalysisAnswer, AnalysisQuery } from '../core/view-format/analysis-answers.ts';
import type { SpanDetailsView } from '../core/view-format/span-details-view.ts';
import type { TraceViewData } from '../core/view-format/trace-view-format.ts';
import type { ExportFormat } from '../core/export/chunks.ts';

export type TraceSource =
  | { readonly kind: 'file'; readonly file: File }
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'text'; readonly text: string; readonly name: string };

/** A source read whole by the worker (a file arrives in slices: see FileReadRequest). */
export type FetchedSource = Exclude<TraceSource, { kind: 'file' }>;

export interface LoadedFile {
  /** The id of the load request: a key that changes with every file loaded. */
  readonly requestId: number;
  readonly sourceName: string;
  readonly byteLength: number;
  readonly summary: CollectionSummary;
}

/**
 * Every call the trace worker answers: its request and the response it resolves with. The client's
 * methods take their result types from here, and the worker's dispatch must handle every key.
 */
export interface WorkerCalls {
  /** Replaces the workspace with a file; progress arrives as 'progress' messages before the response. */
  readonly load: { readonly request: { readonly source: TraceSource; readonly slices?: MessagePort }; readonly response: LoadedFile };
  /** Stops the load in progress (the user cancelled it); answers at once, the load then fails as 'cancelled'. */
  readonly cancelLoad: { readonly request: Record<never, never>; readonly response: true };
  /** Adds a source's traces to the workspace (a linked trace fetched from a backend); returns their ids. */
  readonly add: { readonly request: { readonly source: FetchedSource }; readonly response: readonly string[] };
  readonly openTrace: { readonly request: { readonly traceId: string }; readonly response: TraceViewData };
  readonly spanDetails: { readonly request: { readonly traceId: string; readonly spanIndex: number }; readonly response: SpanDetailsView };
  readonly search: { readonly request: { readonly traceId: string; readonly text: string }; readonly response: SearchOutcome };
  /** The trace written as a file (a Blob: its bytes stay out of the message). */
  readonly exportTrace: { readonly request: { readonly traceId: string; readonly format: ExportFormat }; readonly response: Blob };
  /** The result's type follows the query's kind: see AnalysisCalls. */
  readonly analyze: { readonly request: { readonly query: AnalysisQuery }; readonly response: AnalysisAnswer };
}

export type WorkerCall = keyof WorkerCalls;

export type WorkerRequest<K extends WorkerCall = WorkerCall> = {
  readonly [P in K]: { readonly type: P; readonly requestId: number } & WorkerCalls[P]['request'];
}[K];

export type WorkerResult<K extends WorkerCall = WorkerCall> = {
  readonly [P in K]: { readonly type: 'result'; readonly call: P; readonly requestId: number; readonly result: WorkerCalls[P]['response'] };
}[K];

/** The answer to `call` (checked where the client matches an answer to its request). */
export function isResultOf<K extends WorkerCall>(message: { readonly call: WorkerCall }, call: K): message is WorkerResult<K> {
  return message.call === call;
}

/** A trace id the workspace does not hold (the file was replaced, the trace never fetched): not a load failure. */
export interface NotLoadedError {
  readonly kind: 'not-loaded';
  readonly traceId: string;
  readonly message: string;
}

export type WorkerError = LoadErrorInfo | NotLoadedError;

/**
 * A file source's bytes come from the file reader worker: the client passes it the file and one end of
 * a MessageChannel, and the trace worker the other end (`slices` of the 'load' request).
 */
export interface FileReadRequest {
  readonly file: File;
  readonly port: MessagePort;
}

/**
 * Reader → trace worker: a slice of the file (moved, not copied; when it is already in the shared
 * buffer, only its place, plus the spent slice for the trace worker to collect), then the end or the
 * failure.
 */
export type FileSliceMessage =
  | { readonly type: 'slice'; readonly at: number; readonly length: number; readonly bytes?: Uint8Array; readonly spent?: ArrayBuffer }
  | { readonly type: 'end'; readonly error: string | undefined };

/**
 * Trace worker → reader: first where the bytes go — when the page is cross-origin isolated, memory both
 * share, so the trace worker, busy parsing, copies nothing (a 1M-span file: 0.5 s less); else nowhere,
 * the slices are sent — then the bytes taken so far (the reader keeps only a little ahead), -1 to stop.
 */
export type FileReaderControl = { readonly type: 'target'; readonly shared: SharedArrayBuffer | undefined } | { readonly type: 'taken'; readonly taken: number };

export type LoadPhase = 'reading' | 'decompressing' | 'parsing' | 'building';

export interface SearchOutcome {
  /** Matching span indices in pre-order, or undefined when the query is invalid. */
  readonly matches: Uint32Array | undefined;
  readonly error: { readonly message: string; readonly start: number; readonly end: number } | undefined;
}

export type WorkerResponse =
  | WorkerResult
  | { readonly type: 'progress'; readonly requestId: number; readonly phase: LoadPhase; readonly fraction: number }
  /** `workspaceEmpty`: the worker holds no file after this (a load that failed once the old file was let go). */
  | { readonly type: 'failed'; readonly requestId: number; readonly error: WorkerError; readonly workspaceEmpty: boolean };
