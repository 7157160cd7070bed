// The worker entry: a message loop over one Workspace. Reads and parses sources into it and answers each
// call of the protocol's WorkerCalls (ADR 0004); everything it keeps is the workspace's.
import { summarizeCollection } from '../core/analysis/trace-summary.ts';
import { isShared } from '../core/bytes.ts';
import { loadBytes } from '../core/import/index.ts';
import type { IncomingBytes } from '../core/import/incoming-bytes.ts';
import { LoadError } from '../core/import/load-error.ts';
import type {
  FetchedSource,
  FileReaderControl,
  FileSliceMessage,
  LoadedFile,
  LoadPhase,
  WorkerCall,
  WorkerCalls,
  WorkerError,
  WorkerRequest,
  WorkerResponse,
  WorkerResult,
} from './protocol.ts';
import { cancelled, fileBuffer, readSource, sourceName } from './read-source.ts';
import { runAnalysis } from './analyses.ts';
import { transferList } from '../core/view-format/trace-view-format.ts';
import { TraceNotLoaded, Workspace } from './workspace.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
// The loaded file, linked traces fetched later and stitched views: what views and analyses see.
const workspace = new Workspace();

/** Progress and failures; results go through reply, typed by their call. */
function post(message: Exclude<WorkerResponse, WorkerResult>): void {
  scope.postMessage(message);
}

function failure(err: unknown, fileName: string | undefined): WorkerError {
  if (err instanceof TraceNotLoaded) return { kind: 'not-loaded', traceId: err.traceId, message: err.message };
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

/** The most spans a loaded file may hold and still be kept while the next one is parsed. */
const KEEP_PREVIOUS_MAX_SPANS = 200_000;

async function load(request: WorkerRequest<'load'>): Promise<LoadedFile> {
  const { requestId, source, slices } = request;
  const name = sourceName(source);
  // An earlier load still parsing gives up at its next pause, else it would go on taking the CPU.
  const superseded = workspace.startLoad();
  const signal = workspace.loadSignal;
  const stopIfSuperseded = () => {
    if (signal.aborted) throw cancelled(name);
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
    if (source.kind === 'file') {
      if (!slices) throw new Error('a file is loaded through the port its slices arrive on');
      incoming = fileBuffer(source.file);
      const shared = isShared(incoming.bytes) ? (incoming.bytes.buffer as SharedArrayBuffer) : undefined;
      slices.postMessage({ type: 'target', shared } satisfies FileReaderControl);
      receiveSlices(slices, incoming, name, onReadProgress);
    } else incoming = await readSource(source, onReadProgress, signal);
    stopIfSuperseded(); // a fetched source may have taken long
    const byteLength = incoming.bytes.length;
    // A big previous file goes before the next one is built (memory); a small one stays, so that a
    // cancelled or failed load leaves the user where they were.
    if (workspace.spanCount > KEEP_PREVIOUS_MAX_SPANS) workspace.reset(undefined);
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
    return { requestId, sourceName: name, byteLength, summary: summarizeCollection(collection) };
  } catch (err) {
    slices?.postMessage({ type: 'taken', taken: -1 } satisfies FileReaderControl);
    // A cancelled parse stops as superseded (its ticket was taken): say what really happened.
    throw signal.aborted ? cancelled(name) : err;
  }
}

/** A file of one trace opens that trace next: its view is built while the page gets ready to ask. */
function prepareOnlyTrace(loaded: LoadedFile): void {
  const [only, ...others] = loaded.summary.traces;
  if (!only || others.length > 0) return;
  try {
    workspace.prepareView(only.traceId);
  } catch {
    // openTrace builds it again and reports what failed
  }
}

/** A linked trace fetched from a backend joins the workspace; the open file stays as it is. */
async function add(source: FetchedSource): Promise<readonly string[]> {
  const incoming = await readSource(source, () => {});
  const collection = await loadBytes(incoming, { fileName: sourceName(source) });
  workspace.add(collection);
  return collection.traces.map((t) => t.traceId);
}

function reply<K extends WorkerCall>(request: WorkerRequest<K>, result: WorkerCalls[K]['response'], transfer: Transferable[] = []): void {
  const message: WorkerResult<K> = { type: 'result', call: request.type, requestId: request.requestId, result };
  scope.postMessage(message, transfer);
}

/** Answers a request; a request type without a case here does not compile (see unanswered). */
async function answer(request: WorkerRequest): Promise<void> {
  switch (request.type) {
    case 'load': {
      const loaded = await load(request);
      reply(request, loaded);
      prepareOnlyTrace(loaded);
      return;
    }
    case 'cancelLoad':
      workspace.cancelLoad();
      return reply(request, true);
    case 'add':
      return reply(request, await add(request.source));
    case 'openTrace': {
      // The view is a copy: its buffers move to the page.
      const view = workspace.takeView(request.traceId);
      return reply(request, view, transferList(view));
    }
    case 'spanDetails':
      return reply(request, workspace.spanDetails(request.traceId, request.spanIndex));
    case 'search': {
      const outcome = workspace.search(request.traceId, request.text);
      return reply(request, outcome, transferList(outcome));
    }
    case 'exportTrace':
      return reply(request, workspace.exportTrace(request.traceId, request.format));
    case 'analyze':
      // Not transferred: a stitched view's path stays in the workspace too.
      return reply(request, runAnalysis(workspace, request.query));
    default:
      return unanswered(request);
  }
}

function unanswered(request: never): never {
  throw new Error(`Unknown request: ${JSON.stringify(request)}`);
}

scope.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  try {
    await answer(request);
  } catch (err) {
    const fileName = request.type === 'load' || request.type === 'add' ? sourceName(request.source) : undefined;
    post({ type: 'failed', requestId: request.requestId, error: failure(err, fileName), workspaceEmpty: workspace.empty });
  }
};
