// The worker entry: reads, detects, parses and keeps the loaded traces; answers with summaries.
import { summarizeCollection } from '../core/analysis/trace-summary.ts';
import { isGzip, gunzip, importTraces } from '../core/import/index.ts';
import { LoadError, type LoadErrorInfo } from '../core/import/load-error.ts';
import type { TraceCollection } from '../core/model/trace-model.ts';
import type { LoadPhase, WorkerRequest, WorkerResponse } from './protocol.ts';
import { readSource, sourceName } from './read-source.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
// The loaded traces stay here; views will ask for the parts they draw.
let loaded: TraceCollection | undefined;

function post(message: WorkerResponse): void {
  scope.postMessage(message);
}

scope.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  if (request.type !== 'load') return;
  const { requestId, source } = request;
  const name = sourceName(source);
  let lastPost = 0;
  const progress = (phase: LoadPhase) => (fraction: number) => {
    const now = performance.now();
    if (now - lastPost < 50 && fraction < 1) return;
    lastPost = now;
    post({ type: 'progress', requestId, phase, fraction });
  };
  try {
    let bytes = await readSource(source, progress('reading'));
    const byteLength = bytes.length;
    if (isGzip(bytes)) {
      progress('decompressing')(0);
      bytes = await gunzip(bytes);
    }
    const collection = importTraces(bytes, { fileName: name, onProgress: progress('parsing') });
    loaded = collection;
    void loaded;
    post({ type: 'loaded', requestId, sourceName: name, byteLength, summary: summarizeCollection(collection) });
  } catch (err) {
    const info: LoadErrorInfo =
      err instanceof LoadError
        ? { ...err.info, fileName: name }
        : { kind: 'read-failed', fileName: name, message: 'Loading failed unexpectedly', detail: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
    post({ type: 'failed', requestId, error: info });
  }
};
