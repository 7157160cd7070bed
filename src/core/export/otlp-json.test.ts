import { describe, expect, it } from 'vitest';
import { epochFromNanos } from '../model/time.ts';
import { TraceModelBuilder } from '../model/trace-model-builder.ts';
import { otlpJsonChunks, toAnyValue, writeOtlpJson } from './otlp-json.ts';
import { BIG_INT, BYTES_BASE64, MIN_INT, OTHER_TRACE, T1, T2, buildTestCollection, collectChunks } from './test-collection.ts';

interface Doc {
  resourceSpans: {
    resource: { attributes: { key: string; value: Record<string, unknown> }[] };
    scopeSpans: { scope?: { name: string; version?: string; attributes?: unknown[] }; spans: Record<string, unknown>[] }[];
  }[];
}

function writeDoc(): { chunks: string[]; doc: Doc } {
  const chunks = collectChunks((sink) => writeOtlpJson(buildTestCollection(), sink));
  return { chunks, doc: JSON.parse(chunks.join('')) as Doc };
}

function spanById(doc: Doc, spanId: string): Record<string, unknown> {
  for (const rs of doc.resourceSpans) for (const ss of rs.scopeSpans) for (const s of ss.spans) if (s.spanId === spanId) return s;
  throw new Error(`no span ${spanId}`);
}

describe('OTLP/JSON writer', () => {
  it('groups spans by resource, then scope, and names every resource with service.name', () => {
    const { doc } = writeDoc();
    const services = doc.resourceSpans.map((rs) => rs.resource.attributes.find((a) => a.key === 'service.name')?.value);
    expect(services).toEqual([{ stringValue: 'checkout' }, { stringValue: 'db' }, { stringValue: 'legacy' }]);
    // service.name is not repeated when the resource already had it.
    expect(doc.resourceSpans[0].resource.attributes.filter((a) => a.key === 'service.name')).toHaveLength(1);
    expect(doc.resourceSpans[1].resource.attributes.map((a) => a.key)).toEqual(['service.name', 'db.system']);
    const checkoutScopes = doc.resourceSpans[0].scopeSpans;
    expect(checkoutScopes).toHaveLength(1);
    expect(checkoutScopes[0].scope).toEqual({ name: 'io.opentelemetry.http', version: '1.2.3', attributes: [{ key: 'scope.attr', value: { stringValue: 'x' } }] });
    expect(checkoutScopes[0].spans.map((s) => s.spanId)).toEqual(['a000000000000001', 'a000000000000003']);
    expect(doc.resourceSpans[1].scopeSpans[0].scope).toEqual({ name: 'sql' });
    // A span without a scope gets a ScopeSpans without "scope".
    expect(doc.resourceSpans[2].scopeSpans[0].scope).toBeUndefined();
  });

  it('writes exact decimal nanoseconds from the trace start plus the relative start', () => {
    const { doc } = writeDoc();
    const root = spanById(doc, 'a000000000000001');
    expect(root.startTimeUnixNano).toBe('1700000000123456789');
    expect(root.endTimeUnixNano).toBe('1700000000128456790');
    // 999,999 ns after the root: crosses a millisecond boundary.
    const child = spanById(doc, 'a000000000000002');
    expect(child.startTimeUnixNano).toBe('1700000000124456788');
    expect(child.endTimeUnixNano).toBe('1700000000124457788');
    expect((root.events as { timeUnixNano: string }[])[0].timeUnixNano).toBe('1700000000123457789');
  });

  it('writes hex ids, kind and status as integers, trace state, and the parent id', () => {
    const { doc } = writeDoc();
    const root = spanById(doc, 'a000000000000001');
    expect(root).toMatchObject({ traceId: T1, spanId: 'a000000000000001', name: 'GET /cart', kind: 2, traceState: 'congo=t61rcWkgMzE', status: { code: 2, message: 'boom' } });
    expect(root.parentSpanId).toBeUndefined();
    expect(spanById(doc, 'a000000000000002')).toMatchObject({ parentSpanId: 'a000000000000001', kind: 3, status: { code: 0 } });
    expect(spanById(doc, 'a000000000000003')).toMatchObject({ kind: 1, status: { code: 1 } });
    expect(spanById(doc, 'b000000000000001')).toMatchObject({ traceId: T2, kind: 0 });
  });

  it('writes every attribute type as its AnyValue: int64 (also beyond 2^53) as a string, bytes as base64', () => {
    const { doc } = writeDoc();
    expect(spanById(doc, 'a000000000000001').attributes).toEqual([
      { key: 'http.method', value: { stringValue: 'GET' } },
      { key: 'cache.hit', value: { boolValue: false } },
      { key: 'http.status_code', value: { intValue: '500' } },
      { key: 'big', value: { intValue: BIG_INT.toString() } },
      { key: 'min', value: { intValue: MIN_INT.toString() } },
      { key: 'ratio', value: { doubleValue: 1.5 } },
      { key: 'whole.double', value: { doubleValue: 2 } },
      { key: 'payload', value: { bytesValue: BYTES_BASE64 } },
      { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }, { boolValue: true }] } } },
      { key: 'labels', value: { kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }, { key: 'n', value: { intValue: '2' } }] } } },
    ]);
  });

  it('spells non-finite doubles as strings and keeps nested bigints exact', () => {
    expect(toAnyValue(NaN, 'double')).toEqual({ doubleValue: 'NaN' });
    expect(toAnyValue(-Infinity, 'double')).toEqual({ doubleValue: '-Infinity' });
    expect(toAnyValue([BIG_INT])).toEqual({ arrayValue: { values: [{ intValue: '9223372036854775807' }] } });
  });

  it('writes events (a missing time as the span start) and links with trace state, attributes and reference type', () => {
    const { doc } = writeDoc();
    expect(spanById(doc, 'a000000000000001').events).toEqual([
      { timeUnixNano: '1700000000123457789', name: 'exception', attributes: [{ key: 'exception.message', value: { stringValue: 'boom' } }] },
    ]);
    expect(spanById(doc, 'b000000000000001').events).toEqual([{ timeUnixNano: '1700000001000000000', name: 'tick', attributes: [] }]);
    expect(spanById(doc, 'a000000000000002').links).toEqual([
      { traceId: T2, spanId: 'b000000000000001', traceState: 'x=1', attributes: [{ key: 'link.attr', value: { intValue: '1' } }] },
    ]);
    expect(spanById(doc, 'a000000000000003').links).toEqual([
      { traceId: T1, spanId: 'a000000000000001', attributes: [{ key: 'opentracing.ref_type', value: { stringValue: 'follows_from' } }] },
      { traceId: OTHER_TRACE, spanId: '00000000000000ff', attributes: [{ key: 'opentracing.ref_type', value: { stringValue: 'child_of' } }] },
    ]);
    expect(spanById(doc, 'a000000000000002').events).toBeUndefined();
  });

  it('emits one chunk per span, never the whole document at once', () => {
    const { chunks } = writeDoc();
    const spanChunks = chunks.filter((c) => /^,?\{"traceId"/.test(c));
    expect(spanChunks).toHaveLength(4);
    for (const c of spanChunks) expect(c.match(/"startTimeUnixNano"/g)).toHaveLength(1);
    // The iterator form gives the same text.
    expect([...otlpJsonChunks(buildTestCollection())].join('')).toBe(chunks.join(''));
  });

  it('streams a 20,000-span trace in chunks no larger than a span', () => {
    const b = new TraceModelBuilder('jaeger');
    const r = b.addResource('svc');
    for (let i = 0; i < 20_000; i++) {
      b.addSpan({
        traceId: T1,
        spanId: (i + 1).toString(16).padStart(16, '0'),
        parentSpanId: i === 0 ? '' : '0000000000000001',
        name: 'op',
        service: 'svc',
        resource: r,
        start: epochFromNanos(`${1700000000000000000n + BigInt(i) * 1000n}`),
        durationNs: 500,
      });
    }
    let count = 0;
    let largest = 0;
    writeOtlpJson(b.build(), (chunk) => {
      count++;
      largest = Math.max(largest, chunk.length);
    });
    expect(count).toBeGreaterThan(20_000);
    expect(largest).toBeLessThan(400);
  });
});
