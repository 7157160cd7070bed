// Work on whole trace files that would stall the event loop for seconds on a big one: a share upload
// (inflate, hash, parse, index, store) and a search result's document (parse, write the wanted traces
// again). `startDocumentsWorker` does it in a worker thread with its own TraceStore connection;
// `inProcessDocuments` in the caller's thread (tests that drive routes with inject()).
import type { ShareQuota } from '../access-config.ts';
import { readResultLine, type ResultLine } from '../backends/search-results.ts';
import type { ServerLimits } from '../config.ts';
import { storeTraceFile, type StoredShare } from '../store/share-upload.ts';
import type { StoredOrigin, TraceStore } from '../store/trace-store.ts';
import { startWorker, transferable } from './worker-client.ts';

export interface ShareJob {
  readonly bytes: Uint8Array;
  readonly name: string;
  readonly origin: StoredOrigin;
  readonly quota: ShareQuota | undefined;
}

export interface ResultLineJob {
  readonly bytes: Uint8Array;
  readonly wanted: readonly string[];
  readonly traceId: string;
  readonly backendName: string;
}

export type DocumentJob = ({ readonly kind: 'share' } & ShareJob) | ({ readonly kind: 'result-line' } & ResultLineJob);

export interface DocumentWork {
  storeShare(job: ShareJob): Promise<StoredShare>;
  resultLine(job: ResultLineJob): Promise<ResultLine | undefined>;
}

/** What a job does, wherever it runs. */
export function runDocumentJob(store: TraceStore, limits: ServerLimits, job: DocumentJob): Promise<StoredShare | ResultLine | undefined> {
  if (job.kind === 'share') return storeTraceFile(store, job.bytes, job.name, limits, job.origin, job.quota);
  return readResultLine(job.bytes, job.wanted, job.traceId, job.backendName, limits);
}

export function inProcessDocuments(store: TraceStore, limits: ServerLimits): DocumentWork {
  return {
    storeShare: (job) => storeTraceFile(store, job.bytes, job.name, limits, job.origin, job.quota),
    resultLine: (job) => readResultLine(job.bytes, job.wanted, job.traceId, job.backendName, limits),
  };
}

export interface DocumentsWorkerData {
  readonly dataDir: string;
  readonly limits: ServerLimits;
}

export function startDocumentsWorker(data: DocumentsWorkerData, onFailure: (err: unknown) => void): DocumentWork & { readonly ready: Promise<void>; close(): Promise<void> } {
  const worker = startWorker<DocumentJob, StoredShare | ResultLine | undefined>(new URL('./documents-worker.ts', import.meta.url), data, onFailure);
  return {
    ready: worker.ready,
    storeShare: (job) => worker.call({ kind: 'share', ...job }, transferable(job.bytes)) as Promise<StoredShare>,
    resultLine: (job) => worker.call({ kind: 'result-line', ...job }, transferable(job.bytes)) as Promise<ResultLine | undefined>,
    close: worker.close,
  };
}
