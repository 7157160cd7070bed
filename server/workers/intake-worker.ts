// An intake worker (intake.ts starts receivers.intakeWorkers of them): the received requests' bytes come
// here. It inflates, decodes and imports them and stores their spans with its own TraceStore connection —
// the requests that arrived meanwhile together, in one transaction, taking turns at the write lock with the
// other workers — and answers each once that transaction is committed. Between rounds the first worker
// re-indexes the traces waiting for it and applies the retention limits. The thread that serves HTTP does
// none of this.
import { parentPort, workerData } from 'node:worker_threads';
import { receiveAll, type IntakeRequest } from '../receivers/ingest.ts';
import { LiveTraces, type AppendOutcome, type LiveOptions } from '../store/live-traces.ts';
import { TraceStore } from '../store/trace-store.ts';
import { toWorkerError, type WorkerReply } from './worker-client.ts';
import { takingTurns } from './write-turns.ts';

export interface IntakeWorkerData {
  readonly dataDir: string;
  readonly live: LiveOptions;
  /** This worker's number (from 1); the first also re-indexes received traces and applies the retention limits. */
  readonly worker: number;
  /** The intake workers' turns at the write lock (write-turns.ts). */
  readonly writeTurn: Int32Array;
}

/**
 * A round (one transaction) takes requests until it holds this many body bytes, or this many requests:
 * every request of a round waits for the whole round, so a round must stay short (a round of 64 SDK batches
 * took longer than an exporter's 10 s timeout on a loaded machine), while a few per commit share its fsync.
 */
const MAX_BYTES_PER_ROUND = 1024 * 1024;
const MAX_REQUESTS_PER_ROUND = 8;
const INDEX_BUDGET_MS = 50;
const PRUNE_EVERY_MS = 20_000;

const port = parentPort;
if (!port) throw new Error('intake-worker.ts runs in a worker thread');
const data = workerData as IntakeWorkerData;
// A round waits for the other intake workers' commits rather than fail (a big share's transaction too).
const store = new TraceStore(data.dataDir, { busyTimeoutMs: 60_000, takeTurn: takingTurns(data.writeTurn, data.worker) });
const maintains = data.worker === 1;
const live = new LiveTraces(store, data.live);
port.postMessage({ ready: true });

const queue: { id: number; request: IntakeRequest }[] = [];
let running = false;
let closing = false;
let closed = false;
let indexWaiting = maintains;
let lastPrune = Date.now();

port.on('message', (message: { id: number; request: IntakeRequest | 'close' }) => {
  if (message.request === 'close') closing = true;
  else queue.push({ id: message.id, request: message.request });
  run();
});
const idleTimer = setInterval(() => {
  indexWaiting = maintains;
  run();
}, 1000);

/** One loop at a time: store what is queued, round after round; when nothing is, index and prune. */
function run(): void {
  if (running) return;
  running = true;
  setImmediate(() => {
    void loop().finally(() => {
      running = false;
      if (!closed && (queue.length > 0 || closing || indexWaiting)) run();
    });
  });
}

function takeRound(): { id: number; request: IntakeRequest }[] {
  let count = 0;
  let bytes = 0;
  while (count < queue.length && count < MAX_REQUESTS_PER_ROUND && (count === 0 || bytes + queue[count].request.body.byteLength <= MAX_BYTES_PER_ROUND)) {
    bytes += queue[count].request.body.byteLength;
    count++;
  }
  return queue.splice(0, count);
}

async function loop(): Promise<void> {
  while (queue.length > 0) {
    const round = takeRound();
    let replies: WorkerReply<AppendOutcome>[];
    try {
      const results = await receiveAll(live, round.map((r) => r.request));
      replies = results.map((r, k) => ('error' in r ? { id: round[k].id, error: toWorkerError(r.error) } : { id: round[k].id, result: r.outcome }));
    } catch (err) {
      // The transaction failed: nothing of the round was stored.
      replies = round.map((r) => ({ id: r.id, error: toWorkerError(err) }));
    }
    for (const reply of replies) port?.postMessage(reply);
    // Lets the requests that came meanwhile join the next round.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (closing) {
    closed = true;
    clearInterval(idleTimer);
    store.close();
    port?.close();
    return;
  }
  if (indexWaiting) {
    try {
      indexWaiting = (await live.indexPending(INDEX_BUDGET_MS)) > 0;
      if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
        lastPrune = Date.now();
        live.prune();
      }
    } catch (err) {
      indexWaiting = false;
      console.error('indexing received traces failed', err);
    }
  }
}
