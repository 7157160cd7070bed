// The worker entry: reads, detects, parses and keeps the loaded traces; answers with summaries, the
// columns of a trace view, one span's details, and search results.
import { summarizeCollection } from '../core/analysis/trace-summary.ts';
import { isShared } from '../core/bytes.ts';
import { loadBytes } from '../core/import/index.ts';
import type { IncomingBytes } from '../core/import/incoming-bytes.ts';
import { LoadError, type LoadErrorInfo } from '../core/import/load-error.ts';
import type { FileReaderControl, FileSliceMessage, LoadPhase, TraceSource, WorkerRequest, WorkerResponse } from './protocol.ts';
import { fileBuffer, readSource, sourceName } from './read-source.ts';
import { runAnalysis } from './analyses.ts';
import { transferList } from '../core/view-format/trace-view-format.ts';
import { Workspace } from './workspace.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
// The loaded file, linked traces fetched later and stitched views: what views and analyses see.
const workspace = new Workspace();

function post(message: WorkerResponse, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
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

async function load(requestId: number, request: Extract<WorkerRequest, { type: 'load' }>): Promise<void> {
  const name = sourceName(request.source);
  // An earlier load still parsing gives up at its next pause, else it would go on taking the CPU.
  const superseded = workspace.startLoad();
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
    workspace.reset(undefined); // let the previous file go before the next one is built
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
    workspace.reset(collection);
    post({ type: 'loaded', requestId, sourceName: name, byteLength, summary: summarizeCollection(collection) });
    // A file of one trace opens that trace next: build its view while the page gets ready to ask.
    if (collection.traces.length === 1) {
      try {
        workspace.prepareView(collection.traces[0].traceId);
      } catch {
        // openTrace builds it again and reports what failed
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
    if (request.type === 'openTrace') {
      const view = workspace.takeView(request.traceId);
      post({ type: 'trace', requestId, view }, transferList(view));
    } else if (request.type === 'spanDetails') {
      post({ type: 'spanDetails', requestId, details: workspace.spanDetails(request.traceId, request.spanIndex) });
    } else if (request.type === 'search') {
      const outcome = workspace.search(request.traceId, request.text);
      post({ type: 'search', requestId, outcome }, outcome.matches ? [outcome.matches.buffer as ArrayBuffer] : []);
    }
  } catch (err) {
    post({ type: 'failed', requestId, error: failure(err) });
  }
};
