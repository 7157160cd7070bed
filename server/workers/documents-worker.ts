// The documents worker (see documents.ts): one job at a time, with its own TraceStore connection.
import { parentPort, workerData } from 'node:worker_threads';
import { TraceStore } from '../store/trace-store.ts';
import { runDocumentJob, type DocumentJob, type DocumentsWorkerData } from './documents.ts';
import { toWorkerError } from './worker-client.ts';

const port = parentPort;
if (!port) throw new Error('documents-worker.ts runs in a worker thread');
const data = workerData as DocumentsWorkerData;
const store = new TraceStore(data.dataDir);
port.postMessage({ ready: true });

let queue: Promise<void> = Promise.resolve();
port.on('message', ({ id, request }: { id: number; request: DocumentJob | 'close' }) => {
  queue = queue.then(async () => {
    if (request === 'close') {
      store.close();
      port.close();
      return;
    }
    try {
      port.postMessage({ id, result: await runDocumentJob(store, data.limits, request) });
    } catch (err) {
      port.postMessage({ id, error: toWorkerError(err) });
    }
  });
});
