import { assert, describe, expect, it } from 'vitest';
import { summarizeTrace } from '../analysis/trace-summary.ts';
import { JsonCursor } from '../json/json-cursor.ts';
import { sampleJson } from '../json/json-sample.ts';
import type { Attribute } from '../model/attributes.ts';
import { epochToNanosString } from '../model/time.ts';
import { TraceModelBuilder } from '../model/trace-model-builder.ts';
import { LINK_KINDS, SPAN_KINDS, spanName, spanService, type TraceCollection, type TraceModel } from '../model/trace-model.ts';
import { checkFixtureSnapshot, readFixture } from './fixture-test-helpers.ts';
import { detectFormat, loadBytes } from './index.ts';
import { LoadError } from './load-error.ts';
import { OTLP_FLAGS_KEY, otlpJsonImporter } from './otlp-json.ts';
import { tempoImporter } from './tempo.ts';

const load = (json: string) => loadBytes(new TextEncoder().encode(json));

function spanIndex(m: TraceModel, spanId: string): number {
  const i = m.spanIds.indexOf(spanId);
  expect(i, `span ${spanId}`).toBeGreaterThanOrEqual(0);
  return i;
}

function spanAttrs(m: TraceModel, i: number): Record<string, Attribute> {
  const out: Record<string, Attribute> = {};
  for (const a of m.stores.attributes.read(m.attrStart[i], m.attrCount[i])) out[a.key] = a;
  return out;
}

function totals(c: TraceCollection) {
  let spans = 0;
  let errors = 0;
  let links = 0;
  let events = 0;
  const services = new Set<string>();
  for (const m of c.traces) {
    spans += m.spanCount;
    errors += m.errorCount;
    for (let i = 0; i < m.spanCount; i++) {
      links += m.linkCount[i];
      events += m.eventCount[i];
      services.add(spanService(m, i));
    }
  }
  return { spans, traces: c.traces.length, services: services.size, errors, links, events };
}

/** A one-span OTLP request around the given span fields. */
function oneSpan(span: Record<string, unknown>, resourceAttrs: unknown[] = [{ key: 'service.name', value: { stringValue: 'svc' } }]): string {
  const base = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'op', startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000001000000000' };
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: resourceAttrs }, scopeSpans: [{ scope: { name: 's' }, spans: [{ ...base, ...span }] }] }] });
}

describe('OTLP JSON fixtures', () => {
  it('reads the spec example: uppercase hex ids, scope with attributes, integer kind', async () => {
    const c = await checkFixtureSnapshot('real/otlp/opentelemetry-proto__examples-trace.json', 'otlp-json');
    const m = c.traces[0];
    expect(m.traceId).toBe('5b8efff798038103d269b633813fc60c');
    expect(m.spanIds[0]).toBe('eee19b7ec3c1b174');
    expect(m.parentSpanIds[0]).toBe('eee19b7ec3c1b173');
    expect(m.orphanCount).toBe(1);
    expect(spanService(m, 0)).toBe('my.service');
    expect(SPAN_KINDS[m.kind[0]]).toBe('server');
    expect(m.durationNs[0]).toBe(1e9);
    expect(epochToNanosString(m.traceStart)).toBe('1544712660000000000');
    expect(spanAttrs(m, 0)['my.span.attr']).toEqual({ key: 'my.span.attr', type: 'string', value: 'some value' });
    const scope = m.stores.scopes[m.scopeId[0]];
    expect([scope.name, scope.version]).toEqual(['my.library', '1.0.0']);
    expect(m.stores.attributes.read(scope.attrStart, scope.attrCount)).toEqual([{ key: 'my.scope.attribute', type: 'string', value: 'some scope attribute' }]);
    const resource = m.stores.resources[m.resourceId[0]];
    expect(m.stores.attributes.read(resource.attrStart, resource.attrCount)).toEqual([{ key: 'service.name', type: 'string', value: 'my.service' }]);
  });

  it('reads the collector file-export NDJSON and skips its metrics and logs lines', async () => {
    const c = await checkFixtureSnapshot('real/otlp/otel-tui__otel-demo-collector-file-export.jsonl', 'otlp-json');
    expect(totals(c)).toEqual({ spans: 547, traces: 141, services: 8, errors: 107, links: 53, events: 139 });
    expect(c.warnings).toContain('skipped 40 resourceMetrics and 16 resourceLogs request(s): only traces are read');
    const services = new Set(c.traces.flatMap((m) => summarizeTrace(m).services));
    expect([...services].sort()).toEqual(['adservice', 'checkoutservice', 'flagd', 'frontend', 'frontend-proxy', 'loadgenerator', 'productcatalogservice', 'recommendationservice']);
    // The first error span with a status message, and the first span with a link.
    const err = c.traces.find((m) => m.spanIds.includes('bf5dec14bef76c62'));
    assert(err);
    const e = spanIndex(err, 'bf5dec14bef76c62');
    expect(spanName(err, e)).toBe('oteldemo.CartService/GetCart');
    expect(spanService(err, e)).toBe('checkoutservice');
    expect(err.status[e]).toBe(2);
    expect(err.statusMessage.get(e)).toMatch(/^connection error: desc = "transport: Error while dialing: dial tcp: lookup cartservice/);
    const lm = c.traces.find((m) => m.spanIds.includes('f4b2e6a7f857c40c'));
    assert(lm);
    const l = lm.linkStart[spanIndex(lm, 'f4b2e6a7f857c40c')];
    expect([lm.stores.links.traceId[l], lm.stores.links.spanId[l], LINK_KINDS[lm.stores.links.kind[l]]]).toEqual(['4621b4e54f744cfa75e786f8e5979f04', '0105bc1ddba97760', 'link']);
    // 41 spans carry flags 256/768 (has-is-remote / parent-is-remote bits): kept as an attribute.
    let flagged = 0;
    for (const m of c.traces) for (let i = 0; i < m.spanCount; i++) if (spanAttrs(m, i)[OTLP_FLAGS_KEY]) flagged++;
    expect(flagged).toBe(41);
    // Three traces have 18 spans each, the most of any.
    expect(Math.max(...c.traces.map((m) => m.spanCount))).toBe(18);
  });

  it('keeps both copies of a duplicated telemetrygen span and reports the missing parent', async () => {
    const c = await checkFixtureSnapshot('real/otlp/jaeger-ui__otlp2jaeger-in.json', 'otlp-json');
    const m = c.traces[0];
    expect(m.traceId).toBe('83a9efd15c1c98a977e0711cc93ee28b');
    expect(m.spanIds).toEqual(['e127af99e3b3e074', 'e127af99e3b3e074']);
    expect(m.orphanCount).toBe(2);
    expect(m.warnings.join(' ')).toMatch(/same id/);
    expect(m.durationNs[0]).toBe(123_000);
    expect(m.status[0]).toBe(0);
    expect(m.stores.scopes[m.scopeId[0]]).toMatchObject({ name: 'telemetrygen', version: '' });
  });

  it('reads the Jaeger storage fixture: two traces, kinds 2..5, links, events, typed attributes', async () => {
    const c = await checkFixtureSnapshot('real/otlp/jaeger__memory-otel_traces_01.json', 'otlp-json');
    expect(totals(c)).toEqual({ spans: 4, traces: 2, services: 1, errors: 4, links: 8, events: 8 });
    expect(c.traces.map((m) => m.traceId).sort()).toEqual(['00000000000000010000000000000000', '00000000000000020000000000000000']);
    const t1 = c.traces.find((m) => m.traceId === '00000000000000010000000000000000');
    assert(t1);
    const t2 = c.traces.find((m) => m.traceId === '00000000000000020000000000000000');
    assert(t2);
    const kindOf = (m: TraceModel, id: string) => SPAN_KINDS[m.kind[spanIndex(m, id)]];
    expect([kindOf(t1, '0000000000000002'), kindOf(t2, '0000000000000003'), kindOf(t1, '0000000000000004'), kindOf(t2, '0000000000000005')]).toEqual(['server', 'client', 'producer', 'consumer']);
    const s2 = spanIndex(t1, '0000000000000002');
    expect(t1.traceState.get(s2)).toBe('state.2');
    const attrs = spanAttrs(t1, s2);
    expect(attrs['peer.ipv4']).toMatchObject({ type: 'int', value: 23456 });
    expect(attrs.blob).toMatchObject({ type: 'bytes', value: 'AAAwOQ==' });
    expect(attrs.temperature).toMatchObject({ type: 'double', value: 72.5 });
    expect(attrs[OTLP_FLAGS_KEY]).toMatchObject({ type: 'int', value: 1 });
    expect(t1.stores.scopes[t1.scopeId[s2]]).toMatchObject({ name: 'testing-library-2', version: '1.1.1' });
    // Links tagged opentracing.ref_type keep that kind; the follows_from one points at span 4 of trace 1.
    const l = t1.linkStart[s2];
    expect(LINK_KINDS[t1.stores.links.kind[l]]).toBe('follows_from');
    expect(LINK_KINDS[t1.stores.links.kind[l + 1]]).toBe('child_of');
    expect(c.linkTargets.get(l)).toEqual({ trace: c.traces.indexOf(t1), span: spanIndex(t1, '0000000000000004') });
    // The second event has no name.
    const ev = t1.eventStart[s2];
    expect(t1.stores.strings.get(t1.stores.events.nameId[ev])).toBe('testing-event');
    expect(t1.stores.strings.get(t1.stores.events.nameId[ev + 1])).toBe('');
    expect(t1.stores.attributes.read(t1.stores.events.attrStart[ev], 1)).toEqual([{ key: 'event-x', type: 'string', value: 'event-y' }]);
  });
});

describe('OTLP JSON variants', () => {
  it('reads protobuf-style JSON: base64 ids, enum names, status.deprecatedCode', async () => {
    const c = await load(
      JSON.stringify({
        resourceSpans: [{
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'gogo' } }] },
          scopeSpans: [{ spans: [
            { traceId: 'O6VWCcPN5JZJzXfR+dzZNg==', spanId: 'Sc130fnc2TY=', name: 'root', kind: 'SPAN_KIND_SERVER', startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000000005000', status: { code: 'STATUS_CODE_ERROR', message: 'boom' } },
            { traceId: 'O6VWCcPN5JZJzXfR+dzZNg==', spanId: 'hHVrHasIVvo=', parentSpanId: 'Sc130fnc2TY=', name: 'old', kind: 'SPAN_KIND_CLIENT', startTimeUnixNano: '1700000000000001000', endTimeUnixNano: '1700000000000002000', status: { deprecatedCode: 'DEPRECATED_STATUS_CODE_UNKNOWN_ERROR' } },
            // 32 hex chars are also valid base64: hex wins.
            { traceId: '3ba55609c3cde49649cd77d1f9dcd936', spanId: '6dPV8CBW4Lw=', parentSpanId: '84756b1dab0856fa', name: 'mixed', kind: 'SPAN_KIND_INTERNAL', startTimeUnixNano: '1700000000000003000', endTimeUnixNano: '1700000000000004000', status: { code: 'STATUS_CODE_OK', deprecatedCode: 'DEPRECATED_STATUS_CODE_OK' } },
          ] }],
        }],
      }),
    );
    expect(c.traces).toHaveLength(1);
    const m = c.traces[0];
    expect(m.traceId).toBe('3ba55609c3cde49649cd77d1f9dcd936');
    expect(m.spanIds).toEqual(['49cd77d1f9dcd936', '84756b1dab0856fa', 'e9d3d5f02056e0bc']);
    expect([...m.parent]).toEqual([-1, 0, 1]);
    expect([...m.kind].map((k) => SPAN_KINDS[k])).toEqual(['server', 'client', 'internal']);
    expect([...m.status]).toEqual([2, 2, 1]);
    expect(m.statusMessage.get(0)).toBe('boom');
  });

  it('reads legacy instrumentationLibrarySpans with instrumentationLibrary', async () => {
    const c = await load(
      JSON.stringify({
        resourceSpans: [{
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'legacy' } }] },
          instrumentationLibrarySpans: [{
            instrumentationLibrary: { name: 'io.opentelemetry.jdbc', version: '0.17.0' },
            spans: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'SELECT', kind: 3, startTimeUnixNano: '1600000000000000000', endTimeUnixNano: '1600000000002000000', status: { code: 0 } }],
          }],
        }],
      }),
    );
    const m = c.traces[0];
    expect(spanService(m, 0)).toBe('legacy');
    expect(spanName(m, 0)).toBe('SELECT');
    expect(m.stores.scopes[m.scopeId[0]]).toMatchObject({ name: 'io.opentelemetry.jdbc', version: '0.17.0' });
    expect(m.durationNs[0]).toBe(2e6);
  });

  it('reads the Jaeger api_v3 {"result": ...} wrapper', async () => {
    const c = await load(`{"result":${oneSpan({ kind: 2 })}}`);
    expect(c.format).toBe('otlp-json');
    expect(c.traces[0].spanIds).toEqual(['b7ad6b7169203331']);
  });

  it('turns the Jaeger api_v3 {"error": ...} body into an error with its message', async () => {
    const err = await load('{"error":{"grpcCode":5,"httpCode":404,"message":"trace not found","httpStatus":"Not Found"}}').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoadError);
    expect((err as LoadError).info).toMatchObject({ kind: 'bad-shape', message: 'Not valid OTLP JSON data' });
    expect((err as LoadError).info.detail).toBe('the server returned an error instead of traces: trace not found (code 404)');
  });

  it('reads NDJSON one request per line and counts the skipped metrics line in one warning', async () => {
    const lines = [
      '{"resourceMetrics":[{"resource":{},"scopeMetrics":[]}]}',
      oneSpan({ spanId: '0000000000000001' }),
      '{"resourceMetrics":[]}',
      oneSpan({ spanId: '0000000000000002', parentSpanId: '0000000000000001' }),
    ];
    const bytes = new TextEncoder().encode(lines.join('\n'));
    expect(detectFormat(bytes).importer).toBe(otlpJsonImporter);
    const c = await loadBytes(bytes);
    expect(c.traces[0].spanIds).toEqual(['0000000000000001', '0000000000000002']);
    expect(c.warnings).toEqual(['skipped 2 resourceMetrics request(s): only traces are read']);
  });

  it('reads a ResourceSpans whose resource comes after its scopeSpans, and a scope after its spans', async () => {
    const span = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'late', startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000000000100' };
    const c = await load(
      JSON.stringify({
        resourceSpans: [{
          scopeSpans: [{ spans: [span], scope: { name: 'late-scope', version: '2' } }],
          schemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'after' } }, { key: 'host.name', value: { stringValue: 'h1' } }] },
        }, {
          scopeSpans: [{ spans: [{ ...span, spanId: '0000000000000009', parentSpanId: 'b7ad6b7169203331' }] }],
        }],
      }),
    );
    const m = c.traces[0];
    expect(spanService(m, 0)).toBe('after');
    expect(spanService(m, 1)).toBe('unknown_service');
    const r = m.stores.resources[m.resourceId[0]];
    expect(m.stores.attributes.read(r.attrStart, r.attrCount).map((a) => a.key)).toEqual(['service.name', 'host.name']);
    expect(m.stores.scopes[m.scopeId[0]]).toMatchObject({ name: 'late-scope', version: '2' });
    expect(m.scopeId[1]).toBe(-1);
    expect(m.parent[1]).toBe(0);
  });

  it('converts every AnyValue kind and keeps intValue beyond 2^53 exact as a bigint', async () => {
    const c = await load(
      oneSpan({
        attributes: [
          { key: 's', value: { stringValue: 'x' } },
          { key: 'b', value: { boolValue: true } },
          { key: 'i', value: { intValue: '42' } },
          { key: 'iNum', value: { intValue: -7 } },
          { key: 'big', value: { intValue: '9007199254740993' } },
          { key: 'neg', value: { intValue: '-9223372036854775808' } },
          { key: 'd', value: { doubleValue: 1.5 } },
          { key: 'nan', value: { doubleValue: 'NaN' } },
          { key: 'inf', value: { doubleValue: 'Infinity' } },
          { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }, { boolValue: false }] } } },
          { key: 'map', value: { kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }, { key: 'n', value: { kvlistValue: { values: [{ key: 'deep', value: { doubleValue: 2 } }] } } }] } } },
          { key: 'bytes', value: { bytesValue: 'AAAwOQ==' } },
          { key: 'empty', value: {} },
        ],
      }).replace('"9007199254740993"', '9007199254740993'), // a bare JSON number beyond 2^53 must survive too
    );
    const a = spanAttrs(c.traces[0], 0);
    expect(a.s).toMatchObject({ type: 'string', value: 'x' });
    expect(a.b).toMatchObject({ type: 'bool', value: true });
    expect(a.i).toMatchObject({ type: 'int', value: 42 });
    expect(a.iNum).toMatchObject({ type: 'int', value: -7 });
    expect(a.big).toMatchObject({ type: 'int', value: 9007199254740993n });
    expect(a.neg).toMatchObject({ type: 'int', value: -9223372036854775808n });
    expect(a.d).toMatchObject({ type: 'double', value: 1.5 });
    expect(a.nan.type).toBe('double');
    expect(a.nan.value).toBeNaN();
    expect(a.inf).toMatchObject({ type: 'double', value: Infinity });
    expect(a.arr).toMatchObject({ type: 'array', value: ['a', 1, false] });
    expect(a.map).toMatchObject({ type: 'map', value: { k: 'v', n: { deep: 2 } } });
    expect(a.bytes).toMatchObject({ type: 'bytes', value: 'AAAwOQ==' });
    expect(a.empty).toMatchObject({ type: 'string', value: '' });
  });

  it('computes durations exactly in nanoseconds from decimal strings and numbers', async () => {
    // The event time is a bare JSON number beyond 2^53: the cursor hands it over digit for digit.
    const c = await load(oneSpan({ startTimeUnixNano: '1700000000123456789', endTimeUnixNano: '1700000001000000000', events: [{ timeUnixNano: 'EV', name: 'e' }] }).replace('"EV"', '1700000000123456790'));
    const m = c.traces[0];
    expect(epochToNanosString(m.traceStart)).toBe('1700000000123456789');
    expect(m.durationNs[0]).toBe(876_543_211);
    expect(m.stores.events.timeMs[m.eventStart[0]]).toBe(1700000000123);
    expect(m.stores.events.timeNsOfMs[m.eventStart[0]]).toBe(456_790);
  });

  it('reads snake_case keys (collector receivers accept them)', async () => {
    const c = await load(`{"resource_spans": [{
      "resource": {"attributes": [{"key": "service.name", "value": {"string_value": "snake"}}]},
      "scope_spans": [{"scope": {"name": "lib"}, "spans": [{"trace_id": "5b8aa5a4d5acdeee6cc43eab4410e89d", "span_id": "8a4dd7c97f804bed",
        "name": "test-span", "kind": 1, "start_time_unix_nano": 1700000000000000001, "end_time_unix_nano": 1700000000000000501,
        "status": {"code": 2}, "trace_state": "k=v"}]}]}]}`);
    const m = c.traces[0];
    expect(spanService(m, 0)).toBe('snake');
    expect(m.spanIds[0]).toBe('8a4dd7c97f804bed');
    expect(SPAN_KINDS[m.kind[0]]).toBe('internal');
    expect(m.durationNs[0]).toBe(500);
    expect(m.status[0]).toBe(2);
    expect(m.traceState.get(0)).toBe('k=v');
  });

  it('skips spans with bad ids with one warning and keeps the rest', async () => {
    const json = JSON.stringify({
      resourceSpans: [{ scopeSpans: [{ spans: [
        { traceId: 'not an id', spanId: 'b7ad6b7169203331', name: 'bad' },
        { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: '', name: 'no span id' },
        'garbage',
        { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', parentSpanId: 'zz', name: 'good', startTimeUnixNano: '1', endTimeUnixNano: '2', links: [{ traceId: 'x', spanId: 'y' }], droppedEventsCount: 3 },
      ] }] }],
    });
    const c = await load(json);
    const m = c.traces[0];
    expect(m.spanCount).toBe(1);
    expect(spanService(m, 0)).toBe('unknown_service');
    expect(c.warnings).toContain('skipped 2 spans with a missing or invalid traceId/spanId (first: traceId "not an id", spanId "b7ad6b7169203331")');
    expect(c.warnings).toContain('skipped 1 value that are not OTLP objects');
    expect(m.linkCount[0]).toBe(0);
    expect(m.spanWarnings.get(0)).toEqual([
      'parentSpanId "zz" is not a valid span id; shown as a root',
      'the producer dropped 0 attributes, 3 events and 0 links of this span',
      'skipped a link with an invalid id (traceId "x", spanId "y")',
    ]);
  });

  it('streams the spans array: no readValue call spans more than one span', () => {
    const spans = Array.from({ length: 3000 }, (_, i) => ({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: (i + 1).toString(16).padStart(16, '0'), name: `op${i}`, startTimeUnixNano: String(1700000000000000000n + BigInt(i)), endTimeUnixNano: String(1700000000000001000n + BigInt(i)) }));
    const bytes = new TextEncoder().encode(JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 's' }, spans }] }] }));
    const cursor = new JsonCursor(bytes);
    const readValue = cursor.readValue.bind(cursor);
    let largest = 0;
    cursor.readValue = () => {
      const from = cursor.pos;
      const v = readValue();
      largest = Math.max(largest, cursor.pos - from);
      return v;
    };
    const builder = new TraceModelBuilder('otlp-json');
    otlpJsonImporter.read(cursor, builder);
    expect(builder.spanCount).toBe(3000);
    expect(bytes.length).toBeGreaterThan(300_000);
    expect(largest).toBeLessThan(300);
  });
});

describe('OTLP JSON detection', () => {
  const others = [
    'real/jaeger/jaeger-analytics-java__ui-trace.json',
    'real/jaeger/jaeger__ui_01.json',
    'real/jaeger/jaeger__anonymizer-uiconv__trace_success.json',
    'real/zipkin/zipkin__netflix.json',
    'real/zipkin/zipkin__smartthings-oauth-authorization.json',
    'real/zipkin-v1/zipkin__lens-test-v1-sofatracer.json',
    'real/datadog/datadog-agent__trace_without_rates.json',
    'real/datadog/dd-trace-py__django-asgi_500.json',
    'real/tempo/kiali__tempo-responseTrace.json',
  ];
  it.each(others)('does not claim %s', (path) => {
    expect(otlpJsonImporter.looksLike(sampleJson(readFixture(path)))).toBe(false);
  });

  it('claims every OTLP fixture, and Tempo claims none of them', () => {
    for (const path of ['opentelemetry-proto__examples-trace.json', 'otel-tui__otel-demo-collector-file-export.jsonl', 'jaeger-ui__otlp2jaeger-in.json', 'jaeger__memory-otel_traces_01.json']) {
      const sample = sampleJson(readFixture(`real/otlp/${path}`));
      expect(otlpJsonImporter.looksLike(sample), path).toBe(true);
      expect(tempoImporter.looksLike(sample), path).toBe(false);
    }
  });
});
