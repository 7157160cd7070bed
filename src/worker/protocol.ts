// Messages between the main thread and the trace worker. The worker owns the bytes and the models; the
// main thread receives summaries, the flat columns a view draws, and single spans' details on demand.
import type { CollectionSummary } from '../core/analysis/trace-summary.ts';
import type { LoadErrorInfo } from '../core/import/load-error.ts';
import type { SpanDetails } from '../core/model/span-details.ts';
import type { AnalysisQuery, AnalysisResult } from './analyses.ts';
import type { TraceViewData } from './trace-view-data.ts';

export type TraceSource =
  | { readonly kind: 'file'; readonly file: File }
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'text'; readonly text: string; readonly name: string };

export type WorkerRequest =
  | {
      readonly type: 'load';
      readonly requestId: number;
      readonly source: TraceSource;
      readonly slices?: MessagePort;
      /** A file's bytes, written there by the reader as it reads (see FileReadRequest). */
      readonly sharedBuffer?: SharedArrayBuffer;
    }
  | { readonly type: 'openTrace'; readonly requestId: number; readonly traceId: string }
  | { readonly type: 'spanDetails'; readonly requestId: number; readonly traceId: string; readonly spanIndex: number }
  | { readonly type: 'search'; readonly requestId: number; readonly traceId: string; readonly text: string }
  | { readonly type: 'analyze'; readonly requestId: number; readonly query: AnalysisQuery }
  /** Adds a source's traces to the workspace (a linked trace fetched from a backend) without replacing it. */
  | { readonly type: 'add'; readonly requestId: number; readonly source: TraceSource };

/**
 * A file source's bytes come from the file reader worker: the client passes it the file and one end of
 * a MessageChannel, and the trace worker the other end (`slices` of the 'load' request). When the page
 * is cross-origin isolated both also get one SharedArrayBuffer of the file's size: the reader writes the
 * slices into it, so the trace worker, busy parsing, copies nothing (a 1M-span file: 0.5 s less).
 */
export interface FileReadRequest {
  readonly file: File;
  readonly port: MessagePort;
  readonly sharedBuffer?: SharedArrayBuffer;
}

/**
 * Reader → trace worker: a slice of the file (moved, not copied; without bytes when already written to
 * the shared buffer), then the end or the failure.
 */
export type FileSliceMessage =
  | { readonly type: 'slice'; readonly at: number; readonly length: number; readonly bytes?: Uint8Array }
  | { readonly type: 'end'; readonly error: string | undefined };

/** Trace worker → reader: bytes taken so far (the reader keeps only a little ahead); -1 to stop. */
export interface FileTakenMessage {
  readonly taken: number;
}

/** A span's details plus what the worker works out for the panel. */
export interface SpanDetailsView extends SpanDetails {
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
