// The receivers' intake in its worker thread (intake-worker.ts): bodies move there without a copy when
// they own their memory, and come back as the outcome once committed.
import type { AppendOutcome } from '../store/live-traces.ts';
import type { IntakeRequest, SpanIntake } from '../receivers/ingest.ts';
import type { IntakeWorkerData } from './intake-worker.ts';
import { startWorker, transferable } from './worker-client.ts';

export interface IntakeWorker extends SpanIntake {
  /** Resolves once the worker can take requests. */
  readonly ready: Promise<void>;
  /** Stores what it holds, then stops (call after the receivers stopped taking requests). */
  close(): Promise<void>;
}

export function startIntakeWorker(data: IntakeWorkerData, onFailure: (err: unknown) => void): IntakeWorker {
  const worker = startWorker<IntakeRequest, AppendOutcome>(new URL('./intake-worker.ts', import.meta.url), data, onFailure);
  return { ready: worker.ready, receive: (request) => worker.call(request, transferable(request.body)), close: worker.close };
}
