// Main-thread side of the trace worker: one promise per load, progress through a callback.
import type { LoadErrorInfo } from '../core/import/load-error.ts';
import type { LoadPhase, TraceSource, WorkerRequest, WorkerResponse } from './protocol.ts';

export type LoadedFile = Extract<WorkerResponse, { type: 'loaded' }>;

export class LoadFailure extends Error {
  constructor(readonly info: LoadErrorInfo) {
    super(info.message);
  }
}

interface Pending {
  resolve(result: LoadedFile): void;
  reject(err: LoadFailure): void;
  onProgress(phase: LoadPhase, fraction: number): void;
}

export class TraceWorkerClient {
  private readonly worker: Worker;
  private nextRequestId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor() {
    this.worker = new Worker(new URL('./trace-worker.ts', import.meta.url), { type: 'module', name: 'spanscope-traces' });
    this.worker.onmessage = (event: MessageEvent<WorkerResponse>) => this.receive(event.data);
    this.worker.onerror = (event) => {
      const info: LoadErrorInfo = { kind: 'read-failed', message: 'The trace worker crashed', detail: event.message };
      for (const p of this.pending.values()) p.reject(new LoadFailure(info));
      this.pending.clear();
    };
  }

  load(source: TraceSource, onProgress: Pending['onProgress']): Promise<LoadedFile> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject, onProgress });
      const request: WorkerRequest = { type: 'load', requestId, source };
      this.worker.postMessage(request);
    });
  }

  dispose(): void {
    this.worker.terminate();
  }

  private receive(message: WorkerResponse): void {
    const p = this.pending.get(message.requestId);
    if (!p) return;
    if (message.type === 'progress') p.onProgress(message.phase, message.fraction);
    else {
      this.pending.delete(message.requestId);
      if (message.type === 'loaded') p.resolve(message);
      else p.reject(new LoadFailure(message.error));
    }
  }
}
