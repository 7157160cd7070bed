// The Tempo adapter against a local server that answers with a recorded Tempo response.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadBytes } from '../../src/core/import/index.ts';
import { callContext, fixture, readBody, readFixture, sendFile, sendJson, sendText, startFakeUpstream, upstreamConfig, type FakeUpstream, type Route, requestsTo } from './fake-upstream.ts';
import { buildTraceQl, createTempoBackend } from './tempo.ts';

// A real Tempo /api/traces/{id} response (Istio bookinfo through Envoy): 8 spans, 5 services.
const KIALI = 'tempo/kiali__tempo-responseTrace.json';
const KIALI_ID = '3ba55609c3cde49649cd77d1f9dcd936';

// Search results composed from real traces in the shape of Tempo's /api/search (TraceSearchMetadata):
// the Kiali trace with serviceStats (Tempo ≥ 2.4), and Yelp's Zipkin trace as an older Tempo lists it,
// its 64-bit id without leading zeros and without serviceStats.
const SEARCH_RESPONSE = {
  traces: [
    {
      traceID: KIALI_ID,
      rootServiceName: 'istio-ingressgateway.istio-system',
      rootTraceName: 'productpage.bookinfo.svc.cluster.local:9080/productpage',
      startTimeUnixNano: '1701779876570888000',
      durationMs: 11,
      serviceStats: {
        'istio-ingressgateway.istio-system': { spanCount: 1 },
        'productpage.bookinfo': { spanCount: 3 },
        'details.bookinfo': { spanCount: 1 },
        'reviews.bookinfo': { spanCount: 2 },
        'ratings.bookinfo': { spanCount: 1 },
      },
    },
    { traceID: 'a03ee8fff1dcd9b9', rootServiceName: 'routing', rootTraceName: 'post /location/update/v4', startTimeUnixNano: '1571896375237354000', durationMs: 131 },
  ],
  metrics: { inspectedBytes: '1024', completedJobs: 1, totalJobs: 1 },
};

let upstream: FakeUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

async function tempoWith(routes: Record<string, Route>) {
  upstream = await startFakeUpstream(routes);
  return createTempoBackend(upstreamConfig('tempo', upstream.url));
}

describe('Tempo backend', () => {
  it('streams a trace from /api/v2/traces/{id}', async () => {
    const v2Body = JSON.stringify({ trace: readFixture(KIALI) });
    const tempo = await tempoWith({ [`/api/v2/traces/${KIALI_ID}`]: (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(v2Body) });
    const doc = await tempo.trace(KIALI_ID, callContext());
    const [trace] = (await loadBytes(await readBody(doc.body))).traces;
    expect([trace.traceId, trace.spanCount]).toEqual([KIALI_ID, 8]);
    expect(requestsTo(upstream)[0].headers.authorization).toBe('Bearer s3cret-token');
  });

  it('falls back to /api/traces/{id} when /api/v2 answers 404 (Tempo before 2.5)', async () => {
    const tempo = await tempoWith({ [`/api/traces/${KIALI_ID}`]: sendFile(fixture(KIALI)) });
    const doc = await tempo.trace(KIALI_ID, callContext());
    expect(await readBody(doc.body)).toEqual(new Uint8Array(readFileSync(fixture(KIALI))));
    expect(requestsTo(upstream).map((r) => r.path)).toEqual([`/api/v2/traces/${KIALI_ID}`, `/api/traces/${KIALI_ID}`]);
  });

  it('answers 404 when neither API has the trace', async () => {
    const tempo = await tempoWith({});
    await expect(tempo.trace('0000000000000000000000000000abcd', callContext())).rejects.toMatchObject({ status: 404, backend: 'test-tempo' });
  });

  it('searches with a TraceQL built from the form, in epoch seconds, and maps the results', async () => {
    const tempo = await tempoWith({ '/api/search': sendJson(SEARCH_RESPONSE) });
    const result = await tempo.search(
      { service: 'productpage.bookinfo', operation: 'GET "x"', tags: [{ kind: 'attribute', key: 'http.status_code', op: '=', value: '200' }, { kind: 'attribute', key: 'resource.k8s.ns', op: '=', value: 'bookinfo' }], minDurationUs: 1500, errorsOnly: true, startMs: 1701779800123, endMs: 1701779900456, limit: 20 },
      callContext(),
    );
    expect(Object.fromEntries(requestsTo(upstream)[0].query)).toEqual({
      q: '{ resource.service.name = "productpage.bookinfo" && name = "GET \\"x\\"" && (.http.status_code = 200 || .http.status_code = "200") && resource.k8s.ns = "bookinfo" && duration >= 1500us && status = error }',
      start: '1701779800',
      end: '1701779901',
      limit: '20',
    });
    expect(result).toEqual({
      traces: [
        {
          traceId: KIALI_ID,
          rootService: 'istio-ingressgateway.istio-system',
          rootName: 'productpage.bookinfo.svc.cluster.local:9080/productpage',
          traceStart: { ms: 1701779876570, nsOfMs: 888000 },
          durationNs: 11_000_000,
          spanCount: 8,
          errorCount: 0,
          services: ['details.bookinfo', 'istio-ingressgateway.istio-system', 'productpage.bookinfo', 'ratings.bookinfo', 'reviews.bookinfo'],
        },
        {
          traceId: '0000000000000000a03ee8fff1dcd9b9',
          rootService: 'routing',
          rootName: 'post /location/update/v4',
          traceStart: { ms: 1571896375237, nsOfMs: 354000 },
          durationNs: 131_000_000,
          spanCount: 0,
          errorCount: 0,
          services: ['routing'],
        },
      ],
      warnings: [],
    });
  });

  it('passes a TraceQL query through as given', async () => {
    const tempo = await tempoWith({ '/api/search': sendJson({ traces: [] }) });
    expect(await tempo.search({ traceQl: '{ span.http.url =~ ".*/cart" } | count() > 2' }, callContext())).toEqual({ traces: [], warnings: [] });
    expect(requestsTo(upstream)[0].rawQuery).toBe('q=%7B%20span.http.url%20%3D%7E%20%22.*%2Fcart%22%20%7D%20%7C%20count%28%29%20%3E%202');
  });

  it('passes a TraceQL syntax error on as a 400 with its position, not the upstream text', async () => {
    const tempo = await tempoWith({ '/api/search': sendText(400, 'invalid TraceQL query: parse error at line 1, col 3: syntax error') });
    await expect(tempo.search({ traceQl: '{ ' }, callContext())).rejects.toMatchObject({ status: 400, detail: expect.stringMatching(/answered 400 to \/api\/search: .*\(an error at line 1, column 3\)$/) });
  });

  it('lists services and a service\'s span names from the v2 tag values', async () => {
    const tempo = await tempoWith({
      '/api/v2/search/tag/resource.service.name/values': sendJson({ tagValues: [{ type: 'string', value: 'reviews.bookinfo' }, { type: 'string', value: 'details.bookinfo' }] }),
      '/api/v2/search/tag/name/values': sendJson({ tagValues: [{ type: 'string', value: 'reviews.bookinfo.svc.cluster.local:9080/*' }] }),
    });
    expect(await tempo.services(callContext())).toEqual(['details.bookinfo', 'reviews.bookinfo']);
    expect(await tempo.operations('reviews "v2"', callContext())).toEqual(['reviews.bookinfo.svc.cluster.local:9080/*']);
    expect(requestsTo(upstream)[1].query.get('q')).toBe('{ resource.service.name = "reviews \\"v2\\"" }');
  });

  it('falls back to the v1 tag endpoints on older Tempo', async () => {
    const tempo = await tempoWith({
      '/api/search/tag/service.name/values': sendJson({ tagValues: ['ratings.bookinfo', 'details.bookinfo'] }),
      '/api/search/tags': sendJson({ tagNames: ['http.method', 'service.name'] }),
    });
    expect(await tempo.services(callContext())).toEqual(['details.bookinfo', 'ratings.bookinfo']);
    expect(await tempo.tagNames(callContext())).toEqual(['http.method', 'service.name']);
  });

  it('lists scoped tag names without the intrinsics, and a tag\'s values', async () => {
    const tempo = await tempoWith({
      '/api/v2/search/tags': sendJson({ scopes: [{ name: 'resource', tags: ['service.name'] }, { name: 'span', tags: ['http.method'] }, { name: 'intrinsic', tags: ['duration', 'name'] }] }),
      '/api/v2/search/tag/span.http.method/values': sendJson({ tagValues: [{ type: 'string', value: 'GET' }] }),
    });
    expect(await tempo.tagNames(callContext())).toEqual(['resource.service.name', 'span.http.method']);
    expect(await tempo.tagValues('span.http.method', callContext())).toEqual(['GET']);
  });
});

describe('buildTraceQl', () => {
  it('is {} for an empty form', () => {
    expect(buildTraceQl({})).toBe('{}');
  });

  it('escapes strings and quotes odd attribute names', () => {
    expect(buildTraceQl({ service: 'a\\b"c\nd', tags: [{ kind: 'attribute', key: 'weird key', op: '=', value: 'x' }, { kind: 'attribute', key: '.plain', op: '=', value: 'true' }, { kind: 'attribute', key: 'span.b', op: '=', value: 'y' }], maxDurationUs: 2_000_000 })).toBe(
      '{ resource.service.name = "a\\\\b\\"c\\nd" && ."weird key" = "x" && (.plain = true || .plain = "true") && span.b = "y" && duration <= 2000000us }',
    );
  });
});
