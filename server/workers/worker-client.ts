// The main thread's side of a server worker: requests by id, answers as promises, errors carried across
// as HttpError (a status the client should get) or plain Error. A worker that dies fails what it had in
// hand and is started again for the next request.
import { Worker, type Transferable } from 'node:worker_threads';
import { HttpError } from '../http-error.ts';

/** An error as it crosses the thread boundary. */
export interface WorkerError {
  readonly status: number | undefined;
  readonly message: string;
  readonly detail: string;
}

export type WorkerReply<T> = { readonly id: number; readonly result: T } | { readonly id: number; readonly error: WorkerError };

export function toWorkerError(err: unknown): WorkerError {
  if (err instanceof HttpError) return { status: err.status, message: err.message, detail: err.detail };
  return { status: undefined, message: err instanceof Error ? err.message : String(err), detail: err instanceof Error ? (err.stack ?? '') : '' };
}

function fromWorkerError(e: WorkerError): Error {
  if (e.status !== undefined) return new HttpError(e.status, e.message, e.detail);
  const err = new Error(e.message);
  err.stack = e.detail || err.stack;
  return err;
}

export interface WorkerClient<Req, Res> {
  /** Resolves once the worker has loaded its code and opened what it needs (it says so with `{ready: true}`). */
  readonly ready: Promise<void>;
  call(request: Req, transfer?: readonly Transferable[]): Promise<Res>;
  /** Asks the worker to finish what it holds and stop; resolves when it exited. */
  close(): Promise<void>;
}

const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);

/** Starts `entry` (a TypeScript module that answers `{id, request}` messages with WorkerReply) in a worker thread. */
export function startWorker<Req, Res>(entry: URL, workerData: object, onFailure: (err: unknown) => void): WorkerClient<Req, Res> {
  const pending = new Map<number, { resolve(r: Res): void; reject(e: Error): void }>();
  let nextId = 1;
  let closing = false;
  let worker: Worker | undefined;
  let exited: Promise<void> = Promise.resolve();
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const spawn = (): Worker => {
    const w = new Worker(BOOTSTRAP, { workerData: { ...workerData, entry: entry.href } });
    w.on('message', (reply: WorkerReply<Res> | { ready: true }) => {
      if ('ready' in reply) return markReady();
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      if ('error' in reply) waiting.reject(fromWorkerError(reply.error));
      else waiting.resolve(reply.result);
    });
    w.on('error', (err) => onFailure(err));
    exited = new Promise((resolve) =>
      w.once('exit', (code) => {
        if (worker === w) worker = undefined;
        const lost = [...pending.values()];
        pending.clear();
        for (const p of lost) p.reject(new Error(`The server's worker stopped (exit code ${code}) before it answered`));
        if (!closing && code !== 0) onFailure(new Error(`a worker exited with code ${code}; it starts again with the next request`));
        resolve();
      }),
    );
    return w;
  };
  worker = spawn();

  return {
    ready,
    call: (request, transfer = []) => {
      if (closing) return Promise.reject(new HttpError(503, 'Shutting down', 'The server is stopping'));
      worker ??= spawn();
      const id = nextId++;
      const answer = new Promise<Res>((resolve, reject) => pending.set(id, { resolve, reject }));
      worker.postMessage({ id, request }, transfer);
      return answer;
    },
    close: async () => {
      closing = true;
      worker?.postMessage({ id: 0, request: 'close' });
      await exited;
    },
  };
}

/** The bytes' own ArrayBuffer when they fill it (move it, no copy); else nothing (copied instead). */
export function transferable(bytes: Uint8Array): Transferable[] {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return whole ? [bytes.buffer] : [];
}
