// The worker entry: reads, detects, parses and keeps the loaded traces; answers with summaries, the
// columns of a trace view, one span's details, and search results.
import { errorMessage } from '../core/analysis/errors.ts';
import { matchSpans, parseSearchQuery } from '../core/analysis/search.ts';
import { spanLabels } from '../core/analysis/span-label.ts';
import { summarizeCollection } from '../core/analysis/trace-summary.ts';
import { isShared } from '../core/bytes.ts';
import { loadBytes } from '../core/import/index.ts';
import type { IncomingBytes } from '../core/import/incoming-bytes.ts';
import { LoadError, type LoadErrorInfo } from '../core/import/load-error.ts';
import { getSpanDetails } from '../core/model/span-details.ts';
import type { TraceCollection, TraceModel } from '../core/model/trace-model.ts';
import type { FileReaderControl, FileSliceMessage, LoadPhase, TraceSource, WorkerRequest, WorkerResponse } from './protocol.ts';
import { fileBuffer, readSource, sourceName } from './read-source.ts';
import { runAnalysis, Workspace } from './analyses.ts';
import { buildTraceViewData, transferList, type TraceViewData } from './trace-view-data.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
// The loaded file stays here; views ask for the parts they draw.
let loaded: TraceCollection | undefined;
// The loaded file plus linked traces fetched later and stitched views: what analyses and views see.
const workspace = new Workspace();
// Span labels of the open trace, kept for free-text search over them.
let labelsOf: { model: TraceModel; labels: ReturnType<typeof spanLabels> } | undefined;

// The view of a trace built before it was asked for (see load), until it is sent.
let prepared: { model: TraceModel; view: TraceViewData } | undefined;

function prepareView(model: TraceModel): void {
  if (labelsOf?.model !== model) labelsOf = { model, labels: spanLabels(model) };
  const view = buildTraceViewData(model, labelsOf.labels);
  // A stitched view's critical path is the end-to-end one across its traces (with the queue waits as gaps).
  const asyncPath = workspace.asyncPathOf(model.traceId);
  prepared = {
    model,
    view: asyncPath
      ? {
          ...view,
          criticalSpan: Uint32Array.from(asyncPath.spans),
          criticalStartNs: asyncPath.startNs.slice(),
          criticalEndNs: asyncPath.endNs.slice(),
          queueWaitSpan: Uint32Array.from(asyncPath.queueWaitSpans),
          queueWaitStartNs: Float64Array.from({ length: asyncPath.queueWaitSpans.length }, (_, k) => asyncPath.queueWaits[2 * k]),
          queueWaitEndNs: Float64Array.from({ length: asyncPath.queueWaitSpans.length }, (_, k) => asyncPath.queueWaits[2 * k + 1]),
        }
      : view,
  };
}

function post(message: WorkerResponse, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function findTrace(traceId: string): TraceModel {
  return workspace.find(traceId);
}

function failure(err: unknown, fileName?: string): LoadErrorInfo {
  if (err instanceof LoadError) return { ...err.info, fileName: fileName ?? err.info.fileName };
  return { kind: 'read-failed', fileName, message: 'Loading failed unexpectedly', detail: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
}

/** Copies a file's slices, as the reader worker sends them, into the buffer the parser reads. */
function receiveSlices(port: MessagePort, incoming: IncomingBytes, fileName: string, onProgress: (fraction: number) => void): void {
  port.onmessage = (event: MessageEvent<FileSliceMessage>) => {
    const message = event.data;
    if (message.type === 'slice') {
      // Without bytes, the reader wrote the slice into the shared buffer itself.
      if (message.bytes) incoming.bytes.set(message.bytes, message.at);
      incoming.receive(message.at + message.length);
      onProgress(incoming.received / incoming.bytes.length);
      port.postMessage({ type: 'taken', taken: incoming.received } satisfies FileReaderControl);
      return;
    }
    port.close();
    if (message.error === undefined) incoming.finish();
    else incoming.fail(new LoadError({ kind: 'read-failed', fileName, message: 'Reading the file failed', detail: message.error }));
  };
}

// The latest load: the page waits for that one only. An earlier one still parsing gives up at its next
// pause, else it would go on taking the CPU and, ending last, put its file in place of the newer one.
let latestLoad = 0;

async function load(requestId: number, request: Extract<WorkerRequest, { type: 'load' }>): Promise<void> {
  const name = sourceName(request.source);
  const ticket = ++latestLoad;
  const superseded = () => ticket !== latestLoad;
  const stopIfSuperseded = () => {
    if (superseded()) throw new LoadError({ kind: 'superseded', fileName: name, message: 'Another file was opened before this one was read' });
  };
  let lastPost = 0;
  const progress = (phase: LoadPhase) => (fraction: number) => {
    const now = performance.now();
    if (now - lastPost < 50 && fraction < 1) return;
    lastPost = now;
    post({ type: 'progress', requestId, phase, fraction });
  };
  try {
    // Once parsing has started, its progress is the one shown (reading goes on alongside).
    let parsing = false;
    const reading = progress('reading');
    const onReadProgress = (f: number) => {
      if (!parsing) reading(f);
    };
    let incoming: IncomingBytes;
    if (request.source.kind === 'file') {
      if (!request.slices) throw new Error('a file is loaded through the port its slices arrive on');
      incoming = fileBuffer(request.source.file);
      const shared = isShared(incoming.bytes) ? (incoming.bytes.buffer as SharedArrayBuffer) : undefined;
      request.slices.postMessage({ type: 'target', shared } satisfies FileReaderControl);
      receiveSlices(request.slices, incoming, name, onReadProgress);
    } else incoming = await readSource(request.source, onReadProgress);
    stopIfSuperseded(); // a fetched source may have taken long
    const byteLength = incoming.bytes.length;
    loaded = undefined; // let the previous file go before the next one is built
    workspace.reset(undefined);
    labelsOf = undefined;
    prepared = undefined;
    const parseProgress = progress('parsing');
    const options = {
      fileName: name,
      onProgress: (f: number) => {
        parsing = true;
        parseProgress(f);
      },
      superseded,
    };
    const collection = await loadBytes(incoming, { ...options, onDecompress: () => progress('decompressing')(0) });
    stopIfSuperseded();
    loaded = collection;
    workspace.reset(collection);
    post({ type: 'loaded', requestId, sourceName: name, byteLength, summary: summarizeCollection(collection) });
    // A file of one trace opens that trace next: build its view while the page gets ready to ask.
    if (collection.traces.length === 1) {
      try {
        prepareView(collection.traces[0]);
      } catch {
        prepared = undefined; // openTrace builds it again and reports what failed
      }
    }
  } catch (err) {
    request.slices?.postMessage({ type: 'taken', taken: -1 } satisfies FileReaderControl);
    post({ type: 'failed', requestId, error: failure(err, name) });
  }
}

/** A linked trace fetched from a backend joins the workspace; the open file stays as it is. */
async function add(requestId: number, source: TraceSource): Promise<void> {
  try {
    const incoming = await readSource(source as Exclude<TraceSource, { kind: 'file' }>, () => {});
    const collection = await loadBytes(incoming, { fileName: sourceName(source) });
    workspace.add(collection);
    post({ type: 'added', requestId, traceIds: collection.traces.map((t) => t.traceId) });
  } catch (err) {
    post({ type: 'failed', requestId, error: failure(err, sourceName(source)) });
  }
}

scope.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  const { requestId } = request;
  if (request.type === 'load') return load(requestId, request);
  if (request.type === 'add') return add(requestId, request.source);
  try {
    if (request.type === 'analyze') {
      const result = runAnalysis(workspace, request.query);
      post({ type: 'analysis', requestId, result });
      return;
    }
    const model = findTrace(request.traceId);
    if (request.type === 'openTrace') {
      if (prepared?.model !== model) prepareView(model);
      const view = prepared!.view;
      prepared = undefined; // its buffers move to the page
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
