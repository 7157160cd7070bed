// A small hand-built collection for the writer and span-details tests: every attribute type, events
// (one without a time), links of each kind inside and across traces, resources, scopes, a 64-bit trace.
//
//   trace 0af7…319c (starts 1700000000.123456789 s)
//   a…01 checkout "GET /cart" [server, ERROR "boom"]  |=========================|  5.000001 ms
//     a…02 db "SELECT" [client] ── link ─────────────────────────▶ b7ad…01 (other trace)
//     a…03 checkout "async" [internal]  follows_from ▶ a…01 (its parent), child_of ▶ ffff…/00ff
//   trace 0000…b7ad6b7169203331 (64-bit id, no resource, no scope)
//   b…01 legacy "poll" (event without a time)
import { epochFromNanos } from '../model/time.ts';
import { TraceModelBuilder } from '../model/trace-model-builder.ts';
import type { TraceCollection } from '../model/trace-model.ts';

export const T1 = '0af7651916cd43dd8448eb211c80319c';
export const T2 = '0000000000000000b7ad6b7169203331';
export const OTHER_TRACE = 'ffffffffffffffffffffffffffffffff';
export const BIG_INT = 9223372036854775807n;
export const MIN_INT = -9223372036854775808n;
export const BYTES_BASE64 = 'AAECA//+';

export function buildTestCollection(): TraceCollection {
  const b = new TraceModelBuilder('otlp-json');
  const checkout = b.addResource('checkout');
  b.attr('service.name', 'checkout');
  b.attr('host.name', 'h1');
  const db = b.addResource('db');
  b.attr('db.system', 'postgresql');
  const http = b.addScope('io.opentelemetry.http', '1.2.3');
  b.attr('scope.attr', 'x');
  const sql = b.addScope('sql');

  b.addSpan({
    traceId: T1,
    spanId: 'a000000000000001',
    name: 'GET /cart',
    service: 'checkout',
    resource: checkout,
    scope: http,
    kind: 'server',
    start: epochFromNanos('1700000000123456789'),
    durationNs: 5_000_001,
    status: 'error',
    statusMessage: 'boom',
    traceState: 'congo=t61rcWkgMzE',
  });
  b.attr('http.method', 'GET');
  b.attr('cache.hit', false);
  b.attr('http.status_code', 500, 'int');
  b.attr('big', BIG_INT, 'int');
  b.attr('min', MIN_INT, 'int');
  b.attr('ratio', 1.5, 'double');
  b.attr('whole.double', 2, 'double');
  b.attr('payload', BYTES_BASE64, 'bytes');
  b.attr('tags', ['a', 1, true], 'array');
  b.attr('labels', { k: 'v', n: 2 }, 'map');
  b.addEvent(epochFromNanos('1700000000123457789'), 'exception');
  b.attr('exception.message', 'boom');

  b.addSpan({
    traceId: T1,
    spanId: 'a000000000000002',
    parentSpanId: 'a000000000000001',
    name: 'SELECT',
    service: 'db',
    resource: db,
    scope: sql,
    kind: 'client',
    start: epochFromNanos('1700000000124456788'),
    durationNs: 1000,
  });
  b.addLink(T2, 'b000000000000001', 'link', 'x=1');
  b.attr('link.attr', 1, 'int');

  b.addSpan({
    traceId: T1,
    spanId: 'a000000000000003',
    parentSpanId: 'a000000000000001',
    name: 'async',
    service: 'checkout',
    resource: checkout,
    scope: http,
    kind: 'internal',
    start: epochFromNanos('1700000000126000000'),
    durationNs: 2_000_000,
    status: 'ok',
  });
  b.addLink(T1, 'a000000000000001', 'follows_from');
  b.addLink(OTHER_TRACE, '00000000000000ff', 'child_of');

  b.addSpan({ traceId: T2, spanId: 'b000000000000001', name: 'poll', service: 'legacy', start: epochFromNanos('1700000001000000000'), durationNs: 2_500 });
  b.addEvent(undefined, 'tick');
  return b.build();
}

/** Runs a writer into an array of chunks. */
export function collectChunks(write: (sink: (chunk: string) => void) => void): string[] {
  const chunks: string[] = [];
  write((chunk) => chunks.push(chunk));
  return chunks;
}
