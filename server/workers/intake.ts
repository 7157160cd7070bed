// The receivers' intake in worker threads (intake-worker.ts): bodies move there without a copy when they
// own their memory, and come back as the outcome once committed. Each request goes to the worker with the
// fewest bytes in hand; the workers share the store's write lock (see LiveTraces.appendAll), and the
// first also re-indexes and prunes.
import type { AppendOutcome } from '../store/live-traces.ts';
import type { IntakeRequest, SpanIntake } from '../receivers/ingest.ts';
import type { IntakeWorkerData } from './intake-worker.ts';
import { startWorker, transferable } from './worker-client.ts';
import { freeTurnOf, writeTurnCell } from './write-turns.ts';

export interface IntakeWorker extends SpanIntake {
  /** Resolves once every worker can take requests. */
  readonly ready: Promise<void>;
  /** Each worker stores what it holds, then stops (call after the receivers stopped taking requests). */
  close(): Promise<void>;
}

export function startIntakeWorkers(count: number, data: Omit<IntakeWorkerData, 'worker' | 'writeTurn'>, onFailure: (err: unknown) => void): IntakeWorker {
  const writeTurn = writeTurnCell();
  const workers = Array.from({ length: count }, (_, k) => ({
    client: startWorker<IntakeRequest, AppendOutcome>(new URL('./intake-worker.ts', import.meta.url), { ...data, worker: k + 1, writeTurn }, (err) => {
      // A worker that failed is gone: its turn is free.
      freeTurnOf(writeTurn, k + 1);
      onFailure(err);
    }),
    bytesInHand: 0,
  }));
  return {
    ready: Promise.all(workers.map((w) => w.client.ready)).then(() => {}),
    receive: async (request) => {
      const worker = workers.reduce((least, w) => (w.bytesInHand < least.bytesInHand ? w : least));
      const bytes = request.body.byteLength;
      worker.bytesInHand += bytes;
      try {
        return await worker.client.call(request, transferable(request.body));
      } finally {
        worker.bytesInHand -= bytes;
      }
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.client.close()));
    },
  };
}
