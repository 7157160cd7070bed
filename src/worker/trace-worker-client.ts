// Main-thread side of the trace worker: one promise per request, load progress through a callback.
import type { LoadErrorInfo } from '../core/import/load-error.ts';
import type { FileReadRequest, LoadPhase, SearchOutcome, SpanDetailsView, TraceSource, WorkerRequest, WorkerResponse } from './protocol.ts';
import type { AnalysisQuery, AnalysisResult } from './analyses.ts';
import type { TraceViewData } from '../core/view-format/trace-view-format.ts';

export type LoadedFile = Extract<WorkerResponse, { type: 'loaded' }>;

export class LoadFailure extends Error {
  constructor(readonly info: LoadErrorInfo) {
    super(info.message);
  }
}

interface Pending {
  resolve(result: WorkerResponse): void;
  reject(err: LoadFailure): void;
  onProgress?(phase: LoadPhase, fraction: number): void;
}

type RequestBody = WorkerRequest extends infer R ? (R extends { requestId: number } ? Omit<R, 'requestId'> : never) : never;

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
    if (source.kind !== 'file') return (await this.request({ type: 'load', source }, onProgress)) as LoadedFile;
    // A file is read by the reader worker and its slices go straight to the trace worker.
    const channel = new MessageChannel();
    const loaded = this.request({ type: 'load', source, slices: channel.port1 }, onProgress, [channel.port1]);
    const reader = this.fileReader ?? startFileReader();
    this.fileReader = undefined;
    reader.postMessage({ file: source.file, port: channel.port2 } satisfies FileReadRequest, [channel.port2]);
    try {
      return (await loaded) as LoadedFile;
    } finally {
      // Ended, not left idle: its heap, too quiet to be collected, may still hold the file's shared memory.
      reader.terminate();
      if (!this.disposed) this.fileReader ??= startFileReader();
    }
  }

  async openTrace(traceId: string): Promise<TraceViewData> {
    const response = await this.request({ type: 'openTrace', traceId });
    return (response as Extract<WorkerResponse, { type: 'trace' }>).view;
  }

  async spanDetails(traceId: string, spanIndex: number): Promise<SpanDetailsView> {
    const response = await this.request({ type: 'spanDetails', traceId, spanIndex });
    return (response as Extract<WorkerResponse, { type: 'spanDetails' }>).details;
  }

  /** Graphs, statistics, links, stitching: see analyses.ts. */
  async analyze<R extends AnalysisResult>(query: AnalysisQuery): Promise<R> {
    const response = await this.request({ type: 'analyze', query });
    return (response as Extract<WorkerResponse, { type: 'analysis' }>).result as R;
  }

  /** Adds a source's traces (a linked trace from a backend) to what is loaded; returns their ids. */
  async add(source: Exclude<TraceSource, { kind: 'file' }>): Promise<readonly string[]> {
    const response = await this.request({ type: 'add', source });
    return (response as Extract<WorkerResponse, { type: 'added' }>).traceIds;
  }

  async search(traceId: string, text: string): Promise<SearchOutcome> {
    const response = await this.request({ type: 'search', traceId, text });
    return (response as Extract<WorkerResponse, { type: 'search' }>).outcome;
  }

  dispose(): void {
    this.disposed = true;
    this.worker.terminate();
    this.fileReader?.terminate();
  }

  private request(body: RequestBody, onProgress?: Pending['onProgress'], transfer: Transferable[] = []): Promise<WorkerResponse> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject, onProgress });
      this.worker.postMessage({ ...body, requestId } as WorkerRequest, transfer);
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
    if (message.type === 'failed') p.reject(new LoadFailure(message.error));
    else p.resolve(message);
  }
}
