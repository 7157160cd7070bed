// The one place that calls a configured upstream (Jaeger, Tempo, Zipkin): URL building with every
// user-given part encoded, the configured headers added here (server-side only), a timeout, a size cap
// on the response, and every failure turned into an HttpError that names the backend. The details say
// the backend, the status and a short reason, never the upstream's own text (its body, status text or
// redirect target may hold internal names or secrets, and they would reach the browser).
import { Readable } from 'node:stream';
import { concatBytes } from '../../src/core/bytes.ts';
import type { UpstreamConfig } from '../config.ts';
import { HttpError } from '../http-error.ts';
import type { TraceDocument } from './backend.ts';

export interface UpstreamRequest {
  /** Starts with "/"; user-given segments go through pathSegment(). Appended to the base URL. */
  readonly path: string;
  /** Sent URL-encoded; undefined values are left out. */
  readonly params?: Readonly<Record<string, string | number | undefined>>;
  /** When a 404 means "no such thing" (a trace): the detail of the 404 we answer. Else a 404 is a backend fault. */
  readonly notFound?: string;
  readonly signal: AbortSignal;
}

/** One path segment, percent-encoded; "." and ".." would be resolved away by URL parsing, so they are refused. */
export function pathSegment(value: string, upstream: UpstreamConfig): string {
  if (value === '.' || value === '..') {
    throw new HttpError(400, 'Invalid name', `${JSON.stringify(value)} cannot be sent to ${upstream.name} as part of a URL path`, upstream.name);
  }
  return encodeURIComponent(value);
}

/** The whole body, at most maxResponseBytes. */
export async function fetchBytes(upstream: UpstreamConfig, request: UpstreamRequest): Promise<Uint8Array> {
  const call = await openUpstream(upstream, request);
  const chunks: Uint8Array[] = [];
  for await (const chunk of call.chunks()) chunks.push(chunk);
  return concatBytes(chunks);
}

/** The body parsed as JSON; a body that is not JSON is a 502 that says what came instead. */
export async function fetchJson(upstream: UpstreamConfig, request: UpstreamRequest): Promise<unknown> {
  const text = new TextDecoder().decode(await fetchBytes(upstream, request));
  try {
    return JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text: left out.
    throw new HttpError(502, 'Backend sent invalid JSON', `${upstream.name} answered ${request.path} with ${text.length} characters that are not JSON (a login page or a proxy's error page?)`, upstream.name);
  }
}

/** A trace document streamed through: the stream errors with a 502 HttpError once it passes the cap. */
export async function fetchStream(upstream: UpstreamConfig, request: UpstreamRequest): Promise<TraceDocument> {
  const call = await openUpstream(upstream, request);
  const headers = call.response.headers;
  const contentLength = headers.get('content-length');
  // fetch decodes Content-Encoding, so the length of an encoded body says nothing about what we pass on.
  const byteLength = contentLength !== null && !headers.has('content-encoding') ? Number(contentLength) : undefined;
  return {
    body: Readable.from(call.chunks(), { objectMode: false }),
    // Always JSON, whatever the upstream says: its Content-Type must not make our origin serve HTML.
    contentType: 'application/json',
    ...(byteLength !== undefined && Number.isSafeInteger(byteLength) ? { byteLength } : {}),
  };
}

/** An HttpError for an upstream answer that is JSON but not of the documented shape. */
export function unexpectedResponse(upstream: UpstreamConfig, path: string, expected: string, found: unknown): HttpError {
  return new HttpError(502, 'Backend sent an unexpected response', `${upstream.name} answered ${path} with ${jsonKind(found)}; expected ${expected}`, upstream.name);
}

/** What a JSON value is, without its content. */
function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object with ${Object.keys(value).length} keys`;
  return `a ${typeof value}`;
}

/** A JSON array of strings, or a 502. */
export function expectStrings(upstream: UpstreamConfig, path: string, value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw unexpectedResponse(upstream, path, 'an array of strings', value);
  return value;
}

interface OpenCall {
  readonly response: Response;
  /** The body in chunks, capped and with failures mapped; cancels the upstream body when left early. */
  chunks(): AsyncGenerator<Uint8Array>;
}

async function openUpstream(upstream: UpstreamConfig, request: UpstreamRequest): Promise<OpenCall> {
  const timeout = AbortSignal.timeout(upstream.timeoutMs);
  const signal = AbortSignal.any([request.signal, timeout]);
  const failure = (err: unknown, phase: 'connect' | 'body'): HttpError => toHttpError(err, phase, upstream, request, timeout);
  let response: Response;
  try {
    response = await fetch(upstreamUrl(upstream, request), { headers: { accept: 'application/json', ...upstream.headers }, signal, redirect: 'manual' });
  } catch (err) {
    throw failure(err, 'connect');
  }
  if (!response.ok) {
    // A rejected query's position (Tempo: "parse error at line 1, col 3") is the one thing read from the body.
    const position = response.status === 400 ? await errorPosition(response).catch(() => undefined) : undefined;
    await response.body?.cancel().catch(() => undefined);
    throw statusError(upstream, request, response.status, position);
  }

  const limit = upstream.maxResponseBytes;
  const announced = Number(response.headers.get('content-length') ?? NaN);
  if (announced > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(upstream, request, `announced ${announced} bytes`);
  }
  const body = response.body;
  return {
    response,
    async *chunks() {
      if (!body) return;
      let received = 0;
      try {
        for await (const chunk of body as AsyncIterable<Uint8Array>) {
          received += chunk.length;
          if (received > limit) throw tooLarge(upstream, request, `sent more than ${limit} bytes`);
          yield chunk;
        }
      } catch (err) {
        throw failure(err, 'body');
      }
    },
  };
}

function upstreamUrl(upstream: UpstreamConfig, { path, params }: UpstreamRequest): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) if (value !== undefined) query.set(key, String(value));
  // %20 rather than "+": a form decoder reads either as a space, a plain percent-decoder only %20.
  const search = query.toString().replace(/\+/g, '%20');
  return `${upstream.url}${path}${search ? `?${search}` : ''}`;
}

function statusError(upstream: UpstreamConfig, request: UpstreamRequest, status: number, position: string | undefined): HttpError {
  const name = upstream.name;
  if (status === 401 || status === 403) {
    return new HttpError(502, 'Backend refused the credentials', `${name} answered ${status} to ${request.path}: check the headers (e.g. Authorization) configured for "${name}" in spanscope.config.json`, name);
  }
  if (status === 404 && request.notFound !== undefined) return new HttpError(404, 'Not found', request.notFound, name);
  // The upstream's own query validation (a TraceQL syntax error, maxDuration < minDuration): the user can fix it.
  if (status === 400) return new HttpError(400, 'Backend rejected the query', `${name} answered 400 to ${request.path}: check the query's syntax and values${position ? ` (an error at ${position})` : ''}`, name);
  if (status >= 300 && status < 400) {
    return new HttpError(502, 'Backend redirected', `${name} answered ${status} (a redirect, not followed) to ${request.path}: configure the final URL of the query API`, name);
  }
  return new HttpError(502, 'Backend error', `${name} answered ${status} to ${request.path}`, name);
}

function toHttpError(err: unknown, phase: 'connect' | 'body', upstream: UpstreamConfig, request: UpstreamRequest, timeout: AbortSignal): HttpError {
  if (err instanceof HttpError) return err;
  const name = upstream.name;
  if (timeout.aborted) return new HttpError(504, 'Backend timed out', `${name} did not answer ${request.path} within ${upstream.timeoutMs} ms (timeoutMs)`, name);
  // 499 (client closed request): nobody reads this answer, but it must not be logged as a server fault.
  if (request.signal.aborted) return new HttpError(499, 'Request cancelled', `the request to ${name} was cancelled`, name);
  const cause = errorCause(err);
  if (phase === 'connect') return new HttpError(502, 'Backend unreachable', `cannot reach ${name}: ${cause}`, name);
  return new HttpError(502, 'Backend response failed', `${name} broke off its answer to ${request.path}: ${cause}`, name);
}

/** fetch rejects with "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a TLS error) is in `cause`. */
function errorCause(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  if (!(cause instanceof Error)) return String(cause);
  const code = (cause as { code?: unknown }).code;
  return typeof code === 'string' && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
}

function tooLarge(upstream: UpstreamConfig, request: UpstreamRequest, what: string): HttpError {
  return new HttpError(
    502,
    'Backend response too large',
    `${upstream.name} ${what} for ${request.path}, over its limit of ${upstream.maxResponseBytes} bytes (maxResponseBytes): narrow the query or raise the limit`,
    upstream.name,
  );
}

/** "line L, column C" when the start of an error body names a position; only the numbers are kept. */
async function errorPosition(response: Response): Promise<string | undefined> {
  const head = (await response.text()).slice(0, 1000);
  const match = /line (\d{1,6}),? col(?:umn)? (\d{1,6})/i.exec(head);
  return match ? `line ${match[1]}, column ${match[2]}` : undefined;
}
