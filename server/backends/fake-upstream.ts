// Test helper: a real HTTP server on a free local port standing in for Jaeger, Tempo or Zipkin. Routes
// are keyed by the raw path as it arrives (still percent-encoded), so tests see exactly what was sent.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import type { UpstreamConfig, UpstreamType } from '../config.ts';

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export interface RecordedRequest {
  /** Raw path without the query, as sent. */
  readonly path: string;
  /** Raw query string without "?", as sent. */
  readonly rawQuery: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
}

export interface FakeUpstream {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeUpstream(routes: Readonly<Record<string, Route>>): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const raw = req.url ?? '/';
    const queryAt = raw.indexOf('?');
    const path = queryAt < 0 ? raw : raw.slice(0, queryAt);
    const rawQuery = queryAt < 0 ? '' : raw.slice(queryAt + 1);
    requests.push({ path, rawQuery, query: new URLSearchParams(rawQuery), headers: req.headers });
    const route = routes[path];
    if (route) route(req, res);
    else sendText(404, `404 page not found: ${path}`)(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** The requests the fake upstream of a test got; it must have been started. */
export function requestsTo(upstream: FakeUpstream | undefined): readonly RecordedRequest[] {
  if (!upstream) throw new Error('No fake upstream was started in this test');
  return upstream.requests;
}

/** A base URL where nothing listens: a server that was started and closed again. */
export async function closedPortUrl(): Promise<string> {
  const upstream = await startFakeUpstream({});
  await upstream.close();
  return upstream.url;
}

export function sendJson(body: unknown, status = 200): Route {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
}

export function sendText(status: number, text: string): Route {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(text);
  };
}

/** The recorded response file, byte for byte. */
export function sendFile(path: URL): Route {
  const bytes = readFileSync(path);
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length });
    res.end(bytes);
  };
}

export const fixture = (relative: string): URL => new URL(`../../fixtures/real/${relative}`, import.meta.url);
export const readFixture = (relative: string): unknown => JSON.parse(readFileSync(fixture(relative), 'utf8'));

export function upstreamConfig(type: UpstreamType, url: string, overrides: Partial<UpstreamConfig> = {}): UpstreamConfig {
  return { name: `test-${type}`, type, url, timeoutMs: 2000, headers: { Authorization: 'Bearer s3cret-token' }, maxResponseBytes: 1024 * 1024, ...overrides };
}

export const callContext = (): { signal: AbortSignal } => ({ signal: new AbortController().signal });

/** Reads a trace document body (a Node stream or bytes) to the end. */
export async function readBody(body: Readable | Uint8Array): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return new Uint8Array(Buffer.concat(chunks));
}
