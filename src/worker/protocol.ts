// Messages between the main thread and the trace worker. The worker owns the bytes and the models; the
// main thread only ever receives summaries and (later) the columns a view draws.
import type { CollectionSummary } from '../core/analysis/trace-summary.ts';
import type { LoadErrorInfo } from '../core/import/load-error.ts';

export type TraceSource =
  | { readonly kind: 'file'; readonly file: File }
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'text'; readonly text: string; readonly name: string };

export type WorkerRequest = { readonly type: 'load'; readonly requestId: number; readonly source: TraceSource };

export type LoadPhase = 'reading' | 'decompressing' | 'parsing' | 'building';

export type WorkerResponse =
  | { readonly type: 'progress'; readonly requestId: number; readonly phase: LoadPhase; readonly fraction: number }
  | { readonly type: 'loaded'; readonly requestId: number; readonly sourceName: string; readonly byteLength: number; readonly summary: CollectionSummary }
  | { readonly type: 'failed'; readonly requestId: number; readonly error: LoadErrorInfo };
