// The worker entry: reads, detects, parses and keeps the loaded traces; answers with summaries, the
// columns of a trace view, one span's details, and search results.
import { errorMessage } from '../core/analysis/errors.ts';
import { matchSpans, parseSearchQuery } from '../core/analysis/search.ts';
import { spanLabels } from '../core/analysis/span-label.ts';
import { summarizeCollection } from '../core/analysis/trace-summary.ts';
import { isGzip, gunzip, importTraces } from '../core/import/index.ts';
import { LoadError, type LoadErrorInfo } from '../core/import/load-error.ts';
import { getSpanDetails } from '../core/model/span-details.ts';
import type { TraceCollection, TraceModel } from '../core/model/trace-model.ts';
import type { LoadPhase, WorkerRequest, WorkerResponse } from './protocol.ts';
import { readSource, sourceName } from './read-source.ts';
import { buildTraceViewData, transferList } from './trace-view-data.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
// The loaded file stays here; views ask for the parts they draw.
let loaded: TraceCollection | undefined;
// Span labels of the open trace, kept for free-text search over them.
let labelsOf: { model: TraceModel; labels: ReturnType<typeof spanLabels> } | undefined;

function post(message: WorkerResponse, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function findTrace(traceId: string): TraceModel {
  const model = loaded?.traces.find((t) => t.traceId === traceId);
  if (!model) throw new LoadError({ kind: 'read-failed', message: `Trace ${traceId} is not in the loaded file` });
  return model;
}

function failure(err: unknown, fileName?: string): LoadErrorInfo {
  if (err instanceof LoadError) return { ...err.info, fileName: fileName ?? err.info.fileName };
  return { kind: 'read-failed', fileName, message: 'Loading failed unexpectedly', detail: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
}

async function load(requestId: number, request: Extract<WorkerRequest, { type: 'load' }>): Promise<void> {
  const name = sourceName(request.source);
  let lastPost = 0;
  const progress = (phase: LoadPhase) => (fraction: number) => {
    const now = performance.now();
    if (now - lastPost < 50 && fraction < 1) return;
    lastPost = now;
    post({ type: 'progress', requestId, phase, fraction });
  };
  try {
    let bytes = await readSource(request.source, progress('reading'));
    const byteLength = bytes.length;
    if (isGzip(bytes)) {
      progress('decompressing')(0);
      bytes = await gunzip(bytes);
    }
    loaded = undefined; // let the previous file go before the next one is built
    labelsOf = undefined;
    loaded = importTraces(bytes, { fileName: name, onProgress: progress('parsing') });
    post({ type: 'loaded', requestId, sourceName: name, byteLength, summary: summarizeCollection(loaded) });
  } catch (err) {
    post({ type: 'failed', requestId, error: failure(err, name) });
  }
}

scope.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  const { requestId } = request;
  if (request.type === 'load') return load(requestId, request);
  try {
    const model = findTrace(request.traceId);
    if (request.type === 'openTrace') {
      const view = buildTraceViewData(model);
      post({ type: 'trace', requestId, view }, transferList(view));
    } else if (request.type === 'spanDetails') {
      const details = getSpanDetails(model, request.spanIndex, loaded?.linkTargets);
      post({ type: 'spanDetails', requestId, details: { ...details, errorMessage: errorMessage(model, request.spanIndex) } });
    } else if (request.type === 'search') {
      const parsed = parseSearchQuery(request.text);
      if (!parsed.ok) {
        post({ type: 'search', requestId, outcome: { matches: undefined, error: parsed.error } });
        return;
      }
      if (labelsOf?.model !== model) labelsOf = { model, labels: spanLabels(model) };
      const matches = matchSpans(model, parsed.query, labelsOf.labels);
      post({ type: 'search', requestId, outcome: { matches, error: undefined } }, [matches.buffer as ArrayBuffer]);
    }
  } catch (err) {
    post({ type: 'failed', requestId, error: failure(err) });
  }
};
