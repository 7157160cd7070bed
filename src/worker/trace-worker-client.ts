// Main-thread side of the trace worker: one promise per request, its type taken from the protocol's
// WorkerCalls; load progress through a callback.
import type { LoadErrorInfo } from '../core/import/load-error.ts';
import type { SpanDetailsView } from '../core/view-format/span-details-view.ts';
import type { TraceViewData } from '../core/view-format/trace-view-format.ts';
import { resultFor, type AnalysisQuery, type AnalysisResults } from '../core/view-format/analysis-answers.ts';
import {
  isResultOf,
  type FetchedSource,
  type FileReadRequest,
  type LoadedFile,
  type LoadPhase,
  type NotLoadedError,
  type SearchOutcome,
  type TraceSource,
  type WorkerCall,
  type WorkerCalls,
  type WorkerRequest,
  type WorkerResponse,
  type WorkerResult,
} from './protocol.ts';
import type { ExportFormat } from '../core/export/chunks.ts';

/** Reading or parsing a source failed: what to show is in `info`; `workspaceEmpty` when the worker let the open file go. */
export class LoadFailure extends Error {
  constructor(
    readonly info: LoadErrorInfo,
    readonly workspaceEmpty = false,
  ) {
    super(info.message);
  }
}

/** The worker does not hold the trace asked about (the file was replaced, the trace never fetched). */
export class NotLoadedFailure extends Error {
  constructor(readonly info: NotLoadedError) {
    super(info.message);
  }
}

interface Pending {
  settle(message: WorkerResult): void;
  reject(err: Error): void;
  onProgress?(phase: LoadPhase, fraction: number): void;
}

function startFileReader(): Worker {
  return new Worker(new URL('./file-reader-worker.ts', import.meta.url), { type: 'module', name: 'spanscope-file-reader' });
}

export class TraceWorkerClient {
  private readonly worker: Worker;
  private nextRequestId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Started ahead, so a dropped file's reading does not wait for it; one per file (see load). */
  private fileReader: Worker | undefined = startFileReader();
  private disposed = false;

  constructor() {
    this.worker = new Worker(new URL('./trace-worker.ts', import.meta.url), { type: 'module', name: 'spanscope-traces' });
    this.worker.onmessage = (event: MessageEvent<WorkerResponse>) => this.receive(event.data);
    this.worker.onerror = (event) => {
      const info: LoadErrorInfo = { kind: 'read-failed', message: 'The trace worker crashed', detail: event.message };
      for (const p of this.pending.values()) p.reject(new LoadFailure(info));
      this.pending.clear();
    };
  }

  async load(source: TraceSource, onProgress: (phase: LoadPhase, fraction: number) => void): Promise<LoadedFile> {
    if (source.kind !== 'file') return this.call('load', { source }, onProgress);
    // A file is read by the reader worker and its slices go straight to the trace worker.
    const channel = new MessageChannel();
    const loaded = this.call('load', { source, slices: channel.port1 }, onProgress, [channel.port1]);
    const reader = this.fileReader ?? startFileReader();
    this.fileReader = undefined;
    reader.postMessage({ file: source.file, port: channel.port2 } satisfies FileReadRequest, [channel.port2]);
    try {
      return await loaded;
    } finally {
      // Ended, not left idle: its heap, too quiet to be collected, may still hold the file's shared memory.
      reader.terminate();
      if (!this.disposed) this.fileReader ??= startFileReader();
    }
  }

  /** Stops the load in progress; its `load` promise then rejects with a 'cancelled' LoadFailure. */
  cancelLoad(): Promise<true> {
    return this.call('cancelLoad', {});
  }

  openTrace(traceId: string): Promise<TraceViewData> {
    return this.call('openTrace', { traceId });
  }

  spanDetails(traceId: string, spanIndex: number): Promise<SpanDetailsView> {
    return this.call('spanDetails', { traceId, spanIndex });
  }

  /** The trace written as OTLP JSON or Jaeger JSON, for a download. */
  exportTrace(traceId: string, format: ExportFormat): Promise<Blob> {
    return this.call('exportTrace', { traceId, format });
  }

  /** Graphs, statistics, links, stitching (see analyses.ts); the result's type follows the query's kind. */
  async analyze<Q extends AnalysisQuery>(query: Q): Promise<AnalysisResults[Q['kind']]> {
    return resultFor<Q['kind']>(await this.call('analyze', { query }), query.kind);
  }

  /** Adds a source's traces (a linked trace from a backend) to what is loaded; returns their ids. */
  add(source: FetchedSource): Promise<readonly string[]> {
    return this.call('add', { source });
  }

  search(traceId: string, text: string): Promise<SearchOutcome> {
    return this.call('search', { traceId, text });
  }

  dispose(): void {
    this.disposed = true;
    this.worker.terminate();
    this.fileReader?.terminate();
  }

  private call<K extends WorkerCall>(
    type: K,
    body: WorkerCalls[K]['request'],
    onProgress?: Pending['onProgress'],
    transfer: Transferable[] = [],
  ): Promise<WorkerCalls[K]['response']> {
    const requestId = this.nextRequestId++;
    const request: WorkerRequest<K> = { ...body, type, requestId };
    return new Promise((resolve, reject) => {
      const settle = (message: WorkerResult) => {
        if (isResultOf(message, type)) resolve(message.result);
        else reject(new Error(`The worker answered a ${type} request with ${message.call}`));
      };
      this.pending.set(requestId, { settle, reject, onProgress });
      this.worker.postMessage(request, transfer);
    });
  }

  private receive(message: WorkerResponse): void {
    const p = this.pending.get(message.requestId);
    if (!p) return;
    if (message.type === 'progress') {
      p.onProgress?.(message.phase, message.fraction);
      return;
    }
    this.pending.delete(message.requestId);
    if (message.type === 'result') p.settle(message);
    else if (message.error.kind === 'not-loaded') p.reject(new NotLoadedFailure(message.error));
    else p.reject(new LoadFailure(message.error, message.workspaceEmpty));
  }
}
