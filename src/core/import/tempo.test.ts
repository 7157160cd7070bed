import { describe, expect, it } from 'vitest';
import { summarizeTrace } from '../analysis/trace-summary.ts';
import { sampleJson } from '../json/json-sample.ts';
import { epochToNanosString } from '../model/time.ts';
import { SPAN_KINDS, spanName, spanService } from '../model/trace-model.ts';
import { checkFixtureSnapshot, readFixture } from './fixture-test-helpers.ts';
import { detectFormat, loadBytes } from './index.ts';
import { otlpJsonImporter } from './otlp-json.ts';
import { tempoImporter } from './tempo.ts';

const bytesOf = (json: string) => new TextEncoder().encode(json);
const load = (json: string) => loadBytes(bytesOf(json));

const resourceSpans = (service: string, spans: unknown[], scopeKey = 'scopeSpans') => ({
  resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
  [scopeKey]: [{ scope: {}, spans }],
});

describe('Tempo fixtures', () => {
  it('reads the kiali /api/traces response: batches, base64 ids, enum kinds, empty scopes', async () => {
    const c = await checkFixtureSnapshot('real/tempo/kiali__tempo-responseTrace.json', 'tempo');
    expect(c.traces).toHaveLength(1);
    const m = c.traces[0];
    // O6VWCcPN5JZJzXfR+dzZNg== and Sc130fnc2TY= decoded.
    expect(m.traceId).toBe('3ba55609c3cde49649cd77d1f9dcd936');
    expect(m.spanIds[0]).toBe('49cd77d1f9dcd936');
    const s = summarizeTrace(m);
    expect(s.spanCount).toBe(8);
    expect(s.rootCount).toBe(1);
    expect(s.orphanCount).toBe(0);
    expect(s.depth).toBe(6);
    expect(s.services).toEqual(['details.bookinfo', 'istio-ingressgateway.istio-system', 'productpage.bookinfo', 'ratings.bookinfo', 'reviews.bookinfo']);
    expect(spanService(m, 0)).toBe('istio-ingressgateway.istio-system');
    expect(spanName(m, 0)).toBe('productpage.bookinfo.svc.cluster.local:9080/productpage');
    expect(SPAN_KINDS[m.kind[0]]).toBe('client');
    expect(SPAN_KINDS[m.kind[1]]).toBe('server');
    expect(epochToNanosString(m.traceStart)).toBe('1701779876570888000');
    expect(m.durationNs[0]).toBe(11_932_000); // 1701779876582820000 − 1701779876570888000, exactly
    let events = 0;
    for (let i = 0; i < m.spanCount; i++) events += m.eventCount[i];
    expect(events).toBe(8);
    expect(m.stores.strings.get(m.stores.events.nameId[m.eventStart[0]])).toBe('cr');
    // "scope": {} is no scope.
    expect([...m.scopeId].every((x) => x === -1)).toBe(true);
    const attrs = m.stores.attributes.read(m.attrStart[0], m.attrCount[0]);
    expect(attrs.find((a) => a.key === 'http.status_code')).toEqual({ key: 'http.status_code', type: 'string', value: '200' });
  });
});

describe('Tempo variants', () => {
  it('reads the /api/v2/traces {"trace": ...} wrapper and warns when the trace is PARTIAL', async () => {
    const json = JSON.stringify({
      trace: {
        resourceSpans: [resourceSpans('api', [
          { traceId: 'AAAAAAAAAAAAAAAAAAAAAQ==', spanId: 'AAAAAAAAAAE=', name: 'root', kind: 'SPAN_KIND_SERVER', startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000500000000', status: { code: 'STATUS_CODE_ERROR', message: 'upstream failed' } },
          { traceId: 'AAAAAAAAAAAAAAAAAAAAAQ==', spanId: 'AAAAAAAAAAI=', parentSpanId: 'AAAAAAAAAAE=', name: 'db', kind: 'SPAN_KIND_CLIENT', startTimeUnixNano: '1700000000100000000', endTimeUnixNano: '1700000000200000000', status: {} },
        ])],
      },
      metrics: { inspectedBytes: '1234' },
      status: 'PARTIAL',
      message: 'Trace exceeds max size (max bytes: 5000000), partial trace is returned',
    });
    const bytes = bytesOf(json);
    expect(detectFormat(bytes).importer).toBe(tempoImporter);
    const c = await loadBytes(bytes);
    expect(c.format).toBe('tempo');
    expect(c.warnings).toEqual(['Tempo returned a partial trace (status PARTIAL): Trace exceeds max size (max bytes: 5000000), partial trace is returned']);
    const m = c.traces[0];
    expect(m.traceId).toBe('00000000000000000000000000000001');
    expect(m.spanIds).toEqual(['0000000000000001', '0000000000000002']);
    expect([...m.parent]).toEqual([-1, 0]);
    expect(m.status[0]).toBe(2);
    expect(m.statusMessage.get(0)).toBe('upstream failed');
  });

  it('does not warn for a COMPLETE v2 response', async () => {
    const c = await load(JSON.stringify({ trace: { resourceSpans: [resourceSpans('api', [{ traceId: 'AAAAAAAAAAAAAAAAAAAAAQ==', spanId: 'AAAAAAAAAAE=', name: 'x', startTimeUnixNano: '1', endTimeUnixNano: '2' }])] }, status: 'COMPLETE' }));
    expect(c.format).toBe('tempo');
    expect(c.warnings).toEqual([]);
  });

  it('reads batches with hex ids (Grafana "Download traces") and old instrumentationLibrarySpans', async () => {
    const c = await load(
      JSON.stringify({
        batches: [
          resourceSpans('frontend', [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'GET /', kind: 'SPAN_KIND_SERVER', startTimeUnixNano: '1600000000000000000', endTimeUnixNano: '1600000000003000000' }]),
          resourceSpans('backend', [{ traceId: 'CvdlGRbNQ92ESOshHIAxnA==', spanId: 'AAAAAAAAAAM=', parentSpanId: 'b7ad6b7169203331', name: 'work', kind: 'SPAN_KIND_INTERNAL', startTimeUnixNano: '1600000000001000000', endTimeUnixNano: '1600000000002000000' }], 'instrumentationLibrarySpans'),
        ],
      }),
    );
    expect(c.format).toBe('tempo');
    expect(c.traces).toHaveLength(1);
    const m = c.traces[0];
    expect(m.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(summarizeTrace(m).services).toEqual(['backend', 'frontend']);
    expect(m.parent[1]).toBe(0);
    expect(SPAN_KINDS[m.kind[1]]).toBe('internal');
  });

  it('leaves a plain {"resourceSpans"} response (Tempo ≥ 2.6) to the OTLP importer', () => {
    const bytes = bytesOf(JSON.stringify({ resourceSpans: [resourceSpans('api', [{ traceId: 'AAAAAAAAAAAAAAAAAAAAAQ==', spanId: 'AAAAAAAAAAE=', name: 'x' }])] }));
    expect(tempoImporter.looksLike(sampleJson(bytes))).toBe(false);
    expect(detectFormat(bytes).importer).toBe(otlpJsonImporter);
  });
});

describe('Tempo detection', () => {
  const others = [
    'real/otlp/opentelemetry-proto__examples-trace.json',
    'real/otlp/otel-tui__otel-demo-collector-file-export.jsonl',
    'real/otlp/jaeger__memory-otel_traces_01.json',
    'real/jaeger/jaeger-analytics-java__ui-trace.json',
    'real/jaeger/jaeger-ui__petclinic__spanAmongEachOtherGroupedAndSpans.json',
    'real/zipkin/zipkin__yelp.json',
    'real/zipkin-v1/zipkin__benchmarks-span-rpc-v1.json',
    'real/datadog/dd-trace-py__aiokafka-span-links.json',
    'real/datadog/datadog-agent__trace_without_rates.json',
  ];
  it.each(others)('does not claim %s', (path) => {
    expect(tempoImporter.looksLike(sampleJson(readFixture(path)))).toBe(false);
  });

  it('claims the Tempo fixture, by content alone', () => {
    expect(detectFormat(readFixture('real/tempo/kiali__tempo-responseTrace.json')).importer).toBe(tempoImporter);
  });
});
