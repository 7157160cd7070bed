// The OTLP span scanner is a fast path: every span it reads must come out exactly as JSON.parse +
// OtlpReader.addSpan would have made it. A span that starts with `"slowPath":{}` always takes the slow
// path (an unknown key with a nested value), which ignores that key, so each file is compared with itself.
import { describe, expect, it } from 'vitest';
import { JsonCursor } from '../json/json-cursor.ts';
import { dumpCollection } from '../model/dump.ts';
import { getSpanDetails } from '../model/span-details.ts';
import type { TraceCollection } from '../model/trace-model.ts';
import { readFixture } from './fixture-test-helpers.ts';
import { importTraces } from './index.ts';
import { OtlpSpanScanner } from './otlp-span-scanner.ts';

function everything(c: TraceCollection): unknown {
  return {
    dump: dumpCollection(c, Infinity),
    spans: c.traces.map((m) => Array.from({ length: m.spanCount }, (_, i) => ({ ...getSpanDetails(m, i, c.linkTargets), warnings: m.spanWarnings.get(i) }))),
    warnings: c.warnings,
  };
}

const load = (text: string) => importTraces(new TextEncoder().encode(text), { fileName: 'trace.json' });

/** The same document with every span of a `spans` array marked for the slow path. */
function slowVariant(value: unknown, inSpans = false): unknown {
  if (Array.isArray(value)) return value.map((v) => slowVariant(v, inSpans));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).map(([k, v]) => [k, slowVariant(v, k === 'spans')]);
  return Object.fromEntries(inSpans ? [['slowPath', {}], ...entries] : entries);
}

function expectSameBothWays(lines: readonly unknown[]): void {
  const fast = lines.map((v) => JSON.stringify(v)).join('\n');
  const slow = lines.map((v) => JSON.stringify(slowVariant(v))).join('\n');
  expect(slow).not.toBe(fast);
  expect(everything(load(fast))).toEqual(everything(load(slow)));
}

function scans(spanJson: string): boolean {
  const bytes = new TextEncoder().encode(spanJson);
  return new OtlpSpanScanner(bytes).scan(new JsonCursor(bytes));
}

const TRACE = '5b8efff798038103d269b633813fc60c';
const resourceSpans = (spans: unknown[]) => ({
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
      scopeSpans: [{ scope: { name: 'lib', version: '1.0' }, spans }],
    },
  ],
});

describe('OTLP span scanner', () => {
  it.each([
    'real/otlp/jaeger-ui__otlp2jaeger-in.json',
    'real/otlp/jaeger__memory-otel_traces_01.json',
    'real/otlp/opentelemetry-proto__examples-trace.json',
    'real/otlp/otel-tui__otel-demo-collector-file-export.jsonl',
    'real/tempo/kiali__tempo-responseTrace.json',
  ])('reads %s as JSON.parse does', (file) => {
    const text = new TextDecoder().decode(readFixture(file));
    const lines = file.endsWith('.jsonl') ? text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown) : [JSON.parse(text) as unknown];
    expectSameBothWays(lines);
  });

  it('reads every shape it takes as JSON.parse does, and does take them', () => {
    const spans = [
      {
        traceId: TRACE, spanId: 'eee19b7ec3c1b174', parentSpanId: '', name: 'GET /caf\u00e9 "quoted"', kind: 2,
        startTimeUnixNano: '1544712660000000000', endTimeUnixNano: '1544712661000000000', traceState: 'k=v', flags: 257,
        attributes: [
          { key: 's', value: { stringValue: 'x' } }, { key: 'i', value: { intValue: '12345678901234567890' } },
          { key: 'in', value: { intValue: 42 } }, { key: 'd', value: { doubleValue: 0.25 } }, { key: 'dn', value: { doubleValue: 'NaN' } },
          { key: 'b', value: { boolValue: true } }, { key: 'bs', value: { boolValue: 'true' } }, { key: 'by', value: { bytesValue: 'AQI=' } },
          { key: 'empty', value: {} }, { key: 'null', value: null }, { key: 'missing' }, { value: { stringValue: 'no key' } },
          { key: 7, value: { stringValue: 'number key' } }, { value: { stringValue: 'reordered' }, key: 'r' },
          { key: 'bare', value: 'plain' }, { key: 'bareInt', value: 3 }, { key: 'bareFloat', value: 1.5 }, { key: 'bareBool', value: false },
          { key: 'sNum', value: { stringValue: 5 } }, { key: 'iBad', value: { intValue: 'abc' } }, { key: 'ünï', value: { stringValue: '日本' } },
          { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '2' }, {}, 'bare', null, { arrayValue: { values: [{ boolValue: true }] } }] } } },
          { key: 'arrEmpty', value: { arrayValue: {} } }, { key: 'arrNull', value: { arrayValue: null } }, { key: 'arrValuesNull', value: { arrayValue: { values: null } } },
          { key: 's', value: { stringValue: 'x' } }, { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '2' }, {}, 'bare', null, { arrayValue: { values: [{ boolValue: true }] } }] } } },
        ],
        droppedAttributesCount: 2, droppedEventsCount: '1', droppedLinksCount: 0,
        events: [
          { timeUnixNano: '1544712660300000000', name: 'exception', attributes: [{ key: 'exception.message', value: { stringValue: 'boom' } }], droppedAttributesCount: 0 },
          { name: 5 },
          {},
        ],
        links: [
          { traceId: TRACE, spanId: 'aaaaaaaaaaaaaaaa', traceState: 'a=b', flags: '1', attributes: [{ key: 'opentracing.ref_type', value: { stringValue: 'follows_from' } }] },
          { traceId: TRACE, spanId: 'bbbbbbbbbbbbbbbb', attributes: [{ key: 'opentracing.ref_type', value: { intValue: 1 } }, { key: 'opentracing.ref_type', value: { stringValue: 'child_of' } }] },
          { traceId: 'nope', spanId: 'cccccccccccccccc' },
        ],
        status: { code: 2, message: 'failed' },
      },
      { traceId: TRACE, spanId: 'eee19b7ec3c1b175', parentSpanId: 'eee19b7ec3c1b174', name: 'child', kind: 'SPAN_KIND_CLIENT', startTimeUnixNano: 1544712660100000000, endTimeUnixNano: '1544712660200000000', status: { code: 'STATUS_CODE_OK' } },
      { traceId: TRACE, spanId: 'eee19b7ec3c1b176', parentSpanId: 'not an id at all', name: null, kind: '3', status: { deprecatedCode: 'DEPRECATED_STATUS_CODE_UNKNOWN_ERROR', message: '' } },
      { traceId: TRACE, spanId: 'eee19b7ec3c1b177', status: null, attributes: null, events: null, links: [] },
      { traceId: 'W47/95gDgQPSabYzgT/GDA==', spanId: '7uGbfsPBsXQ=', name: 'base64 ids', startTimeUnixNano: '0' },
      { traceId: TRACE, spanId: 'eee19b7ec3c1b178', startTimeUnixNano: '000000000000123456789', endTimeUnixNano: '1234567890123456789012', events: [{ timeUnixNano: '999' }] },
      { traceId: TRACE, spanId: 'eee19b7ec3c1b179', startTimeUnixNano: ' 1544712660000000000', endTimeUnixNano: '-5' },
      { traceId: TRACE, spanId: 'eee19b7ec3c1b17a', startTimeUnixNano: '123', endTimeUnixNano: '0', events: [{ timeUnixNano: 1544712660000000 }] },
      { traceId: TRACE, name: 'no span id' },
      {},
    ];
    expectSameBothWays([resourceSpans(spans)]);
    for (const s of spans) expect(scans(JSON.stringify(s))).toBe(true);
  });

  it('leaves other shapes to the slow path', () => {
    const base = { traceId: TRACE, spanId: 'eee19b7ec3c1b174' };
    const slowOnes = [
      { ...base, trace_id: TRACE },
      { ...base, attributes: [{ key: 'a', value: { arrayValue: { values: [{ kvlistValue: { values: [] } }] } } }] },
      { ...base, attributes: [{ key: 'a', value: { arrayValue: { values: [], other: 1 } } }] },
      { ...base, attributes: [{ key: 'deep', value: [...Array(12).keys()].reduce<unknown>((v) => ({ arrayValue: { values: [v] } }), { stringValue: 'x' }) }] },
      { ...base, attributes: [{ key: 'k', value: { kvlistValue: { values: [] } } }] },
      { ...base, attributes: [{ key: 'two', value: { stringValue: 'x', intValue: 1 } }] },
      { ...base, events: [{ name: 'e' }], attributes: [] },
      { ...base, status: { code: 2, extra: 1 } },
      { ...base, name: { nested: true } },
    ];
    for (const s of slowOnes) expect(scans(JSON.stringify(s))).toBe(false);
    expect(scans('{"traceId":"a","traceId":"b"}')).toBe(false);
    expectSameBothWays([resourceSpans(slowOnes)]);
  });
});
