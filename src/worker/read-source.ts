// Reads a trace source into one byte array, in chunks, reporting progress. Never makes a string of
// the file: V8 strings stop at ~512 MiB and big traces are larger.
import { readStreamBytes } from '../core/bytes.ts';
import { LoadError } from '../core/import/load-error.ts';
import type { TraceSource } from './protocol.ts';

export function sourceName(source: TraceSource): string {
  if (source.kind === 'file') return source.file.name;
  if (source.kind === 'text') return source.name;
  try {
    const u = new URL(source.url);
    return decodeURIComponent(u.pathname.split('/').pop() || u.host);
  } catch {
    return source.url;
  }
}

export async function readSource(source: TraceSource, onProgress: (fraction: number) => void): Promise<Uint8Array> {
  if (source.kind === 'text') return new TextEncoder().encode(source.text);
  if (source.kind === 'file') return readFile(source.file, onProgress);
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
    response = await fetch(url);
  } catch (err) {
    throw new LoadError({
      kind: 'read-failed',
      fileName: source.url,
      message: 'Could not fetch the trace URL',
      detail: `${err instanceof Error ? err.message : String(err)}. The server may be down, or it does not allow this page to read it (CORS).`,
    });
  }
  if (!response.ok || !response.body) {
    throw new LoadError({ kind: 'read-failed', fileName: source.url, message: `The trace URL answered HTTP ${response.status} ${response.statusText}`.trim(), detail: source.url });
  }
  const length = Number(response.headers.get('content-length') ?? NaN);
  return readStream(response.body, Number.isFinite(length) ? length : undefined, onProgress, source.url);
}

// Big slices read much faster than the 64 KB chunks of File.stream() (one await per chunk).
const SLICE_BYTES = 32 << 20;

async function readFile(file: File, onProgress: (fraction: number) => void): Promise<Uint8Array> {
  let out: Uint8Array;
  try {
    out = new Uint8Array(file.size);
  } catch (err) {
    throw new LoadError({ kind: 'too-large', fileName: file.name, message: 'The file is too large for this browser tab', detail: err instanceof Error ? err.message : String(err) });
  }
  try {
    for (let at = 0; at < file.size; at += SLICE_BYTES) {
      out.set(new Uint8Array(await file.slice(at, Math.min(file.size, at + SLICE_BYTES)).arrayBuffer()), at);
      onProgress(Math.min(1, (at + SLICE_BYTES) / file.size));
    }
  } catch (err) {
    throw new LoadError({ kind: 'read-failed', fileName: file.name, message: 'Reading the file failed', detail: err instanceof Error ? err.message : String(err) });
  }
  return out;
}

async function readStream(stream: ReadableStream<Uint8Array>, size: number | undefined, onProgress: (f: number) => void, name: string): Promise<Uint8Array> {
  try {
    return await readStreamBytes(stream, size, onProgress);
  } catch (err) {
    throw new LoadError({ kind: 'read-failed', fileName: name, message: 'Reading the file failed', detail: err instanceof Error ? err.message : String(err) });
  }
}
