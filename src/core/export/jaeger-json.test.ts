import { assert, describe, expect, it } from 'vitest';
import { jaegerImporter } from '../import/jaeger.ts';
import { loadBytes } from '../import/index.ts';
import { TraceModelBuilder } from '../model/trace-model-builder.ts';
import { epochFromMicros } from '../model/time.ts';
import { jaegerJsonChunks, toJaegerTag, writeJaegerJson } from './jaeger-json.ts';
import { BIG_INT, BYTES_BASE64, OTHER_TRACE, T1, buildTestCollection, collectChunks } from './test-collection.ts';

interface JSpan {
  spanID: string;
  references: { refType: string; traceID: string; spanID: string }[];
  startTime: number;
  duration: number;
  tags: { key: string; type: string; value: unknown }[];
  logs: { timestamp: number; fields: { key: string; type: string; value: unknown }[] }[];
  processID: string;
  warnings: string[] | null;
}
interface JDoc {
  data: { traceID: string; spans: JSpan[]; processes: Record<string, { serviceName: string; tags: unknown[] }>; warnings: string[] | null }[];
}

function writeDoc(): JDoc {
  return JSON.parse(collectChunks((sink) => writeJaegerJson(buildTestCollection(), sink)).join('')) as JDoc;
}

function span(doc: JDoc, id: string): JSpan {
  for (const t of doc.data) for (const s of t.spans) if (s.spanID === id) return s;
  throw new Error(`no span ${id}`);
}

describe('Jaeger JSON writer', () => {
  it('writes one trace per model with per-trace processes (service.name not repeated as a tag)', () => {
    const doc = writeDoc();
    expect(doc.data.map((t) => t.traceID)).toEqual([T1, 'b7ad6b7169203331']);
    expect(doc.data[0].processes).toEqual({
      p1: { serviceName: 'checkout', tags: [{ key: 'host.name', type: 'string', value: 'h1' }] },
      p2: { serviceName: 'db', tags: [{ key: 'db.system', type: 'string', value: 'postgresql' }] },
    });
    expect(doc.data[1].processes).toEqual({ p1: { serviceName: 'legacy', tags: [] } });
    expect(doc.data[0].spans.map((s) => s.processID)).toEqual(['p1', 'p2', 'p1']);
  });

  it('writes whole microseconds, truncated', () => {
    const root = span(writeDoc(), 'a000000000000001');
    // 1700000000.123456789 s, 5,000,001 ns
    expect(root.startTime).toBe(1700000000123456);
    expect(root.duration).toBe(5000);
    expect(root.logs[0].timestamp).toBe(1700000000123457);
  });

  it('writes typed tags: int64 beyond 2^53 as a decimal string, bytes as binary, arrays and maps as JSON text', () => {
    const tags = span(writeDoc(), 'a000000000000001').tags;
    expect(tags.slice(0, 10)).toEqual([
      { key: 'http.method', type: 'string', value: 'GET' },
      { key: 'cache.hit', type: 'bool', value: false },
      { key: 'http.status_code', type: 'int64', value: 500 },
      { key: 'big', type: 'int64', value: BIG_INT.toString() },
      { key: 'min', type: 'int64', value: '-9223372036854775808' },
      { key: 'ratio', type: 'float64', value: 1.5 },
      { key: 'whole.double', type: 'float64', value: 2 },
      { key: 'payload', type: 'binary', value: BYTES_BASE64 },
      { key: 'tags', type: 'string', value: '["a",1,true]' },
      { key: 'labels', type: 'string', value: '{"k":"v","n":2}' },
    ]);
    expect(toJaegerTag({ key: 'small', type: 'int', value: 12n })).toEqual({ key: 'small', type: 'int64', value: 12 });
  });

  it('adds kind, status, scope and trace state as the OpenTelemetry translator tags', () => {
    const doc = writeDoc();
    expect(span(doc, 'a000000000000001').tags.slice(10)).toEqual([
      { key: 'span.kind', type: 'string', value: 'server' },
      { key: 'error', type: 'bool', value: true },
      { key: 'otel.status_description', type: 'string', value: 'boom' },
      { key: 'otel.scope.name', type: 'string', value: 'io.opentelemetry.http' },
      { key: 'otel.scope.version', type: 'string', value: '1.2.3' },
      { key: 'w3c.tracestate', type: 'string', value: 'congo=t61rcWkgMzE' },
    ]);
    expect(span(doc, 'a000000000000003').tags).toContainEqual({ key: 'otel.status_code', type: 'string', value: 'OK' });
  });

  it('writes the parent as CHILD_OF, as FOLLOWS_FROM when a follows_from link targets it, other links after', () => {
    const doc = writeDoc();
    expect(span(doc, 'a000000000000001').references).toEqual([]);
    expect(span(doc, 'a000000000000002').references).toEqual([
      { refType: 'CHILD_OF', traceID: T1, spanID: 'a000000000000001' },
      { refType: 'FOLLOWS_FROM', traceID: 'b7ad6b7169203331', spanID: 'b000000000000001' },
    ]);
    expect(span(doc, 'a000000000000003').references).toEqual([
      { refType: 'FOLLOWS_FROM', traceID: T1, spanID: 'a000000000000001' },
      { refType: 'CHILD_OF', traceID: OTHER_TRACE, spanID: '00000000000000ff' },
    ]);
  });

  it('turns events into logs named by an "event" field', () => {
    const doc = writeDoc();
    expect(span(doc, 'a000000000000001').logs[0].fields).toEqual([
      { key: 'event', type: 'string', value: 'exception' },
      { key: 'exception.message', type: 'string', value: 'boom' },
    ]);
    expect(span(doc, 'b000000000000001').logs).toEqual([{ timestamp: 1700000001000000, fields: [{ key: 'event', type: 'string', value: 'tick' }] }]);
  });

  it('keeps a FOLLOWS_FROM parent and a CHILD_OF to another trace through our Jaeger importer', async () => {
    const text = [...jaegerJsonChunks(buildTestCollection())].join('');
    const c = await loadBytes(new TextEncoder().encode(text));
    expect(c.format).toBe(jaegerImporter.format);
    const m = c.traces.find((t) => t.traceId === T1);
    assert(m);
    const async = m.spanIds.indexOf('a000000000000003');
    expect(m.parentSpanIds[async]).toBe('a000000000000001');
    const kinds = Array.from({ length: m.linkCount[async] }, (_, k) => m.stores.links.kind[m.linkStart[async] + k]);
    expect(kinds.sort()).toEqual([0, 1]); // child_of (other trace) and follows_from (the parent)
    expect(m.status[0]).toBe(2);
    expect(m.statusMessage.get(0)).toBe('boom');
  });

  it('writes span warnings and trace warnings, and one chunk per span', () => {
    const b = new TraceModelBuilder('jaeger');
    b.addSpan({ traceId: T1, spanId: '0000000000000001', parentSpanId: '00000000000000aa', name: 'orphan', service: 's', start: epochFromMicros(1), durationNs: 1000 });
    const chunks = collectChunks((sink) => writeJaegerJson(b.build(), sink));
    const doc = JSON.parse(chunks.join('')) as JDoc;
    expect(doc.data[0].warnings?.join()).toMatch(/not in the trace/);
    expect(doc.data[0].spans[0].warnings?.join()).toMatch(/parent span 00000000000000aa is not in the trace/);
    expect(chunks.filter((c) => /^,?\{"traceID":"[0-9a-f]+","spanID"/.test(c))).toHaveLength(1);
  });
});
