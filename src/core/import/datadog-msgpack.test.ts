// Datadog msgpack decoding, fed by the real dd-trace 5 (payloads it sent to a stand-in agent, recorded
// by fixtures/generated/datadog/make-dd-trace-payloads.mjs) and by real agent JSON re-encoded as msgpack.
// Each payload must give the model its traces give as agent JSON text, imported like a file.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { base64Encode } from '@bufbuild/protobuf/wire';
import { encode } from '@msgpack/msgpack';
import { assert, describe, expect, it } from 'vitest';
import { JsonCursor } from '../json/json-cursor.ts';
import { decimalToHex16 } from '../model/ids.ts';
import { randomBytes } from '../model/test-traces.ts';
import { SPAN_KINDS, STATUS_CODES, spanName, spanService, type TraceCollection } from '../model/trace-model.ts';
import { decodeDatadogMsgpack, importDatadogMsgpack } from './datadog-msgpack.ts';
import { detailedDump, FIXTURES_DIR, readFixture, spanAttrs, spanById } from './fixture-test-helpers.ts';
import { importTraces } from './index.ts';
import { LoadError } from './load-error.ts';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

interface SpanIds {
  readonly traceId128: string;
  readonly spanId: string;
}
type RecordedIds = Record<'web' | 'charge' | 'query' | 'batch', SpanIds>;

/**
 * Agent JSON text of decoded traces, as the intake used to make it before importing: bigint as bare
 * digits, binary as base64, non-finite floats as strings, nil and extensions as null.
 */
function agentJsonText(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : `"${v}"`;
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (v instanceof Uint8Array) return `"${base64Encode(v)}"`;
  if (Array.isArray(v)) return `[${v.map(agentJsonText).join(',')}]`;
  if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
    return `{${Object.entries(v).map(([key, value]) => `${JSON.stringify(key)}:${agentJsonText(value)}`).join(',')}}`;
  }
  return 'null';
}

/** importDatadogMsgpack, checked against importing the payload's agent JSON text as a file. */
function importMsgpack(bytes: Uint8Array): TraceCollection {
  const collection = importDatadogMsgpack(bytes);
  const fromJsonText = importTraces(new TextEncoder().encode(agentJsonText(decodeDatadogMsgpack(bytes))));
  expect(fromJsonText.format).toBe('datadog');
  expect(detailedDump(collection)).toBe(detailedDump(fromJsonText));
  return collection;
}

function catchLoadError(bytes: Uint8Array): LoadError {
  try {
    importDatadogMsgpack(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(LoadError);
    return err as LoadError;
  }
  throw new Error('expected a LoadError');
}

describe.each(['0.4', '0.5'])('importDatadogMsgpack with a dd-trace 5.132.0 v%s payload', (version) => {
  const base = `generated/datadog/dd-trace-5.132.0__v${version}`;
  const payload = readFixture(`${base}.msgpack`);
  const ids = (JSON.parse(new TextDecoder().decode(readFixture(`${base}.ids.json`))) as { spans: RecordedIds }).spans;
  const hex = (span: SpanIds) => decimalToHex16(span.spanId) ?? `not a uint64: ${span.spanId}`;

  it('keeps the 64-bit span ids and 128-bit trace ids the tracer assigned, beyond 2^53', () => {
    for (const span of Object.values(ids)) expect(BigInt(span.spanId)).toBeGreaterThan(MAX_SAFE);
    // Decoded as uint64, not rounded through a JS number.
    const spans = decodeDatadogMsgpack(payload).flat() as Record<string, unknown>[];
    const decodedCharge = spans.find((span) => span.span_id === BigInt(ids.charge.spanId));
    expect(decodedCharge?.parent_id).toBe(BigInt(ids.web.spanId));

    const c = importMsgpack(payload);
    expect(c.traces.map((t) => t.traceId).sort()).toEqual([ids.batch.traceId128, ids.web.traceId128].sort());
    const m = c.traces.find((t) => t.traceId === ids.web.traceId128);
    assert(m);
    expect(m.spanCount).toBe(3);
    const web = spanById(m, hex(ids.web));
    const charge = spanById(m, hex(ids.charge));
    const query = spanById(m, hex(ids.query));
    expect(m.parent[web]).toBe(-1);
    expect(m.parent[charge]).toBe(web);
    expect(m.parent[query]).toBe(charge);
    expect([web, charge, query].map((i) => [spanName(m, i), spanService(m, i), SPAN_KINDS[m.kind[i]], STATUS_CODES[m.status[i]]])).toEqual([
      ['web.request', 'checkout', 'server', 'unset'],
      ['payment.charge', 'payment', 'client', 'error'],
      ['pg.query', 'orders-db', 'client', 'unset'],
    ]);
    expect(m.statusMessage.get(charge)).toBe('card declined');
  });

  it('keeps meta, metrics, resource and type, the span link and the span event', () => {
    const m = importMsgpack(payload).traces.find((t) => t.traceId === ids.web.traceId128);
    assert(m);
    const web = spanById(m, hex(ids.web));
    const charge = spanById(m, hex(ids.charge));
    expect(spanAttrs(m, web)).toMatchObject({ 'resource.name': 'POST /api/orders', 'span.type': 'web', 'http.status_code': '201', 'order.item_count': 3, env: 'test' });
    expect(spanAttrs(m, charge)).toMatchObject({ 'order.total_amount': 129.95, 'customer.tier': 'gold', 'error.type': 'TypeError' });
    expect(spanAttrs(m, spanById(m, hex(ids.query)))).toMatchObject({ 'resource.name': 'SELECT * FROM orders', 'span.type': 'sql' });

    const links = m.stores.links;
    const link = m.linkStart[charge];
    expect(m.linkCount[charge]).toBe(1);
    expect([links.traceId[link], links.spanId[link]]).toEqual([ids.batch.traceId128, hex(ids.batch)]);
    const events = m.stores.events;
    const names = Array.from({ length: m.eventCount[charge] }, (_, k) => m.stores.strings.get(events.nameId[m.eventStart[charge] + k]));
    expect(names).toEqual(['retry', 'exception']);
  });
});

describe('importDatadogMsgpack with real agent JSON re-encoded as msgpack', () => {
  const dir = 'real/datadog';
  const files = readdirSync(join(FIXTURES_DIR, dir)).filter((f) => f.endsWith('.json'));
  // Our JSON reader hands integers beyond 2^53 over as digit strings; msgpack carries them as (u)int64.
  const INTEGER_FIELDS = new Set(['trace_id', 'span_id', 'parent_id', 'start', 'duration']);
  const asMsgpackSpan = (span: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(span).map(([k, v]) => [k, INTEGER_FIELDS.has(k) && typeof v === 'string' && /^\d+$/.test(v) ? BigInt(v) : v]));

  it.each(files)('gives the same model as the JSON file for %s, ids exact', (file) => {
    const jsonBytes = readFixture(`${dir}/${file}`);
    const value = new JsonCursor(jsonBytes).readValue() as unknown[];
    // A list of trace chunks, or one flat chunk.
    const traces = (value.every(Array.isArray) ? value : [value]) as Record<string, unknown>[][];
    const msgpack = encode(traces.map((trace) => trace.map(asMsgpackSpan)), { useBigInt64: true });
    expect(detailedDump(importMsgpack(msgpack))).toBe(detailedDump(importTraces(jsonBytes)));
  });

  it('keeps the Java agent ids beyond 2^53 (see datadog.test.ts)', () => {
    const spans = (new JsonCursor(readFixture(`${dir}/datadog-agent__trace_without_rates.json`)).readValue() as Record<string, unknown>[]).map(asMsgpackSpan);
    expect(spans.some((s) => typeof s.span_id === 'bigint' && s.span_id > MAX_SAFE)).toBe(true);
    const m = importMsgpack(encode([spans], { useBigInt64: true })).traces[0];
    expect(m.spanIds).toContain(decimalToHex16('8738715541709330804'));
  });
});

describe('importDatadogMsgpack on bytes that are not a Datadog payload', () => {
  const valid = readFixture('generated/datadog/dd-trace-5.132.0__v0.4.msgpack');

  it('rejects a truncated payload', () => {
    const err = catchLoadError(valid.subarray(0, valid.length - 7));
    expect(err.info.kind).toBe('bad-shape');
    expect(err.message).toBe('Not a Datadog agent msgpack trace payload');
    expect(err.info.detail).toMatch(/^Not a Datadog agent msgpack trace payload: the msgpack decoder failed: .+/);
  });

  it('rejects random bytes', () => {
    expect(catchLoadError(randomBytes(4096, 0x2545f491)).info.kind).toBe('bad-shape');
  });

  it('rejects msgpack that is not a list of traces', () => {
    expect(catchLoadError(encode({ traces: [] })).info.detail).toContain('the top level is a map, not an array of traces');
    expect(catchLoadError(encode([1, 2])).info.detail).toContain('a trace is a number (1), not an array of spans');
    expect(catchLoadError(encode([['service'], [[['too', 'short']]]])).info.detail).toContain('a v0.5 span is an array of 2 items, not an array of 12');
  });

  it('says so when JSON was sent as msgpack', () => {
    const err = catchLoadError(readFixture('real/datadog/datadog-agent__trace_without_rates.json'));
    expect(err.info.detail).toContain('looks like JSON (send it as application/json)');
  });
});
