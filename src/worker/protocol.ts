// Messages between the main thread and the trace worker. The worker owns the bytes and the models; the
// main thread receives summaries, the flat columns a view draws, and single spans' details on demand.
import type { CollectionSummary } from '../core/analysis/trace-summary.ts';
import type { LoadErrorInfo } from '../core/import/load-error.ts';
import type { SpanDetails, SpanLinkDetails } from '../core/model/span-details.ts';
import type { AnalysisQuery, AnalysisResult } from './analyses.ts';
import type { TraceViewData } from '../core/view-format/trace-view-format.ts';

export type TraceSource =
  | { readonly kind: 'file'; readonly file: File }
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'text'; readonly text: string; readonly name: string };

export type WorkerRequest =
  | { readonly type: 'load'; readonly requestId: number; readonly source: TraceSource; readonly slices?: MessagePort }
  | { readonly type: 'openTrace'; readonly requestId: number; readonly traceId: string }
  | { readonly type: 'spanDetails'; readonly requestId: number; readonly traceId: string; readonly spanIndex: number }
  | { readonly type: 'search'; readonly requestId: number; readonly traceId: string; readonly text: string }
  | { readonly type: 'analyze'; readonly requestId: number; readonly query: AnalysisQuery }
  /** Adds a source's traces to the workspace (a linked trace fetched from a backend) without replacing it. */
  | { readonly type: 'add'; readonly requestId: number; readonly source: TraceSource };

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

/** A link of the span, its target (when loaded) named by trace id: it may be in any collection of the workspace. */
export interface SpanLinkView extends Omit<SpanLinkDetails, 'target'> {
  readonly target: { readonly traceId: string; readonly span: number } | undefined;
}

/** A span's details plus what the worker works out for the panel. */
export interface SpanDetailsView extends Omit<SpanDetails, 'links'> {
  readonly links: readonly SpanLinkView[];
  readonly errorMessage: string | undefined;
}

export type LoadPhase = 'reading' | 'decompressing' | 'parsing' | 'building';

export interface SearchOutcome {
  /** Matching span indices in pre-order, or undefined when the query is invalid. */
  readonly matches: Uint32Array | undefined;
  readonly error: { readonly message: string; readonly start: number; readonly end: number } | undefined;
}

export type WorkerResponse =
  | { readonly type: 'progress'; readonly requestId: number; readonly phase: LoadPhase; readonly fraction: number }
  | { readonly type: 'loaded'; readonly requestId: number; readonly sourceName: string; readonly byteLength: number; readonly summary: CollectionSummary }
  | { readonly type: 'trace'; readonly requestId: number; readonly view: TraceViewData }
  | { readonly type: 'spanDetails'; readonly requestId: number; readonly details: SpanDetailsView }
  | { readonly type: 'search'; readonly requestId: number; readonly outcome: SearchOutcome }
  | { readonly type: 'analysis'; readonly requestId: number; readonly result: AnalysisResult }
  | { readonly type: 'added'; readonly requestId: number; readonly traceIds: readonly string[] }
  | { readonly type: 'failed'; readonly requestId: number; readonly error: LoadErrorInfo };
