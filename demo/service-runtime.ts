// What every demo process shares: a JSON-over-HTTP server and client on plain node:http (so the HTTP
// auto-instrumentation sees them), the parent's IPC channel, and trace-context helpers over the OpenTelemetry
// API (a no-op in the process traced by dd-trace).
import http from 'node:http';
import { context, propagation, trace, type SpanContext } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';

/** The Redis stream of the async pipeline. */
export const JOB_STREAM = 'job-events';

/** Messages a demo process sends to run-demo.ts over the fork IPC channel. */
export type ParentMessage =
  | { readonly type: 'listening'; readonly port: number }
  | { readonly type: 'result'; readonly result: unknown }
  | { readonly type: 'job-done'; readonly jobId: number; readonly traceId: string; readonly contextRestored: boolean };

export function tellParent(message: ParentMessage): void {
  process.send?.(message);
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

export function orderNumberOf(orderId: string): number {
  return Number(orderId.replace(/^ord-/, ''));
}

export async function readJson<T>(req: http.IncomingMessage): Promise<T> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length }).end(bytes);
}

export interface JsonResponse<T> {
  readonly status: number;
  readonly body: T;
}

/** POST JSON with node:http, so the instrumentation adds a client span and the `traceparent` header. */
export function postJson<T>(url: string, body: unknown): Promise<JsonResponse<T>> {
  const bytes = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST', headers: { 'content-type': 'application/json', 'content-length': bytes.length },
    }, (res) => {
      readJson<T>(res).then((json) => resolve({ status: res.statusCode ?? 0, body: json }), reject);
    });
    req.once('error', reject);
    req.end(bytes);
  });
}

/** Names the HTTP server span after its route (`POST /orders`), the way web frameworks do it. */
export function setHttpRoute(route: string): void {
  const rpcMetadata = getRPCMetadata(context.active());
  if (rpcMetadata?.type === RPCType.HTTP) rpcMetadata.route = route;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

/**
 * Serves on a free loopback port and tells the parent which. On SIGTERM it stops accepting, closes idle
 * connections, runs `close` (pools, clients) and lets Node exit, which flushes the tracer.
 */
export function serve(handle: Handler, close: () => Promise<void> = async () => {}): void {
  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error(error);
      if (!res.headersSent) sendJson(res, 500, { error: String(error) });
      else res.end();
    });
  });
  server.listen(0, '127.0.0.1', () => {
    tellParent({ type: 'listening', port: (server.address() as { port: number }).port });
  });
  process.once('SIGTERM', () => {
    server.close();
    server.closeIdleConnections();
    close().finally(() => process.disconnect?.()).catch((error: unknown) => console.error(error));
  });
}

/** The W3C `traceparent` (and `tracestate`) of the active span, to store or send along. */
export function currentTraceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return headers;
}

/** The span context carried by stored or received headers; undefined when there is none. */
export function spanContextFromHeaders(headers: Readonly<Record<string, string>>): SpanContext | undefined {
  return trace.getSpanContext(propagation.extract(context.active(), headers));
}

export function activeTraceId(): string {
  return trace.getActiveSpan()?.spanContext().traceId ?? '';
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
