// Reads a trace source into one byte array, in chunks, reporting progress. Never makes a string of
// the file: V8 strings stop at ~512 MiB and big traces are larger.
import { readStreamBytes } from '../core/bytes.ts';
import { IncomingBytes } from '../core/import/incoming-bytes.ts';
import { LoadError } from '../core/import/load-error.ts';
import type { TraceSource } from './protocol.ts';

export function sourceName(source: TraceSource): string {
  if (source.kind === 'file') return source.file.name;
  if (source.kind === 'text') return source.name;
  // The server's gathering of a search's traces (see App's openSearchResults).
  const results = /^\/api\/backends\/([^/?]+)\/results(?:\?|$)/.exec(source.url);
  if (results) return `${decodeURIComponent(results[1])} search results`;
  try {
    const u = new URL(source.url);
    return decodeURIComponent(u.pathname.split('/').pop() || u.host);
  } catch {
    return source.url;
  }
}

/** Text and URLs, read whole. (Files arrive in slices from the main thread: see TraceWorkerClient.) */
export async function readSource(source: Exclude<TraceSource, { kind: 'file' }>, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<IncomingBytes> {
  return IncomingBytes.of(await readWhole(source, onProgress, signal));
}

/**
 * The buffer a dropped file's slices go into as they arrive: memory the file reader writes into itself
 * when this worker may share it (the page is cross-origin isolated), else this worker's own.
 */
export function fileBuffer(file: File): IncomingBytes {
  try {
    return new IncomingBytes(new Uint8Array(globalThis.crossOriginIsolated ? new SharedArrayBuffer(file.size) : new ArrayBuffer(file.size)));
  } catch (err) {
    throw new LoadError({ kind: 'too-large', fileName: file.name, message: 'The file is too large for this browser tab', detail: err instanceof Error ? err.message : String(err) });
  }
}

async function readWhole(source: Exclude<TraceSource, { kind: 'file' }>, onProgress: (fraction: number) => void, signal: AbortSignal | undefined): Promise<Uint8Array> {
  if (source.kind === 'text') return new TextEncoder().encode(source.text);
  let response: Response;
  let url: URL;
  try {
    url = new URL(source.url, self.location.href);
  } catch {
    throw new LoadError({ kind: 'read-failed', message: 'The trace URL is not a valid URL', detail: source.url });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LoadError({ kind: 'read-failed', message: 'Only http and https trace URLs can be opened', detail: source.url });
  }
  try {
    response = await fetch(url, { signal });
  } catch (err) {
    if (signal?.aborted) throw cancelled(source.url);
    throw new LoadError({
      kind: 'read-failed',
      fileName: source.url,
      message: 'Could not fetch the trace URL',
      detail: `${err instanceof Error ? err.message : String(err)}. The server may be down, or it does not allow this page to read it (CORS).`,
    });
  }
  if (!response.ok || !response.body) {
    // The Spanscope server says what went wrong ({error, detail, backend}): show that, not just the status.
    const body = await response.text().catch(() => '');
    const api = parseApiError(body);
    if (api) throw new LoadError({ kind: 'read-failed', fileName: source.url, message: `${api.backend ? `${api.backend}: ` : ''}${api.error}`, detail: api.detail });
    throw new LoadError({ kind: 'read-failed', fileName: source.url, message: `The trace URL answered HTTP ${response.status} ${response.statusText}`.trim(), detail: source.url });
  }
  const length = Number(response.headers.get('content-length') ?? NaN);
  return readStream(response.body, Number.isFinite(length) ? length : undefined, onProgress, source.url, signal);
}

/** The error a load stopped by the user ends with (see Workspace.cancelLoad). */
export function cancelled(fileName: string): LoadError {
  return new LoadError({ kind: 'cancelled', fileName, message: 'Loading was cancelled' });
}

async function readStream(stream: ReadableStream<Uint8Array>, size: number | undefined, onProgress: (f: number) => void, name: string, signal: AbortSignal | undefined): Promise<Uint8Array> {
  try {
    return await readStreamBytes(stream, size, onProgress);
  } catch (err) {
    if (signal?.aborted) throw cancelled(name);
    throw new LoadError({ kind: 'read-failed', fileName: name, message: 'Reading the file failed', detail: err instanceof Error ? err.message : String(err) });
  }
}

function parseApiError(body: string): { error: string; detail: string; backend?: string } | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; detail?: unknown; backend?: unknown };
    if (typeof parsed.error !== 'string') return undefined;
    return { error: parsed.error, detail: typeof parsed.detail === 'string' ? parsed.detail : '', backend: typeof parsed.backend === 'string' ? parsed.backend : undefined };
  } catch {
    return undefined;
  }
}
