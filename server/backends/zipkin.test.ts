// The Zipkin adapter against a local server that answers with recorded Zipkin v2 span arrays.
import { afterEach, describe, expect, it } from 'vitest';
import { loadBytes } from '../../src/core/import/index.ts';
import { callContext, fixture, readBody, readFixture, sendFile, sendJson, sendText, startFakeUpstream, upstreamConfig, type FakeUpstream, type Route, requestsTo } from './fake-upstream.ts';
import { createZipkinBackend } from './zipkin.ts';

// /api/v2/traces answers with a list of traces, each a list of spans: composed here from real traces.
const SEARCH_RESPONSE = [readFixture('zipkin/zipkin__netflix.json'), readFixture('zipkin/zipkin__messaging.json')];

let upstream: FakeUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

async function zipkinWith(routes: Record<string, Route>) {
  upstream = await startFakeUpstream(routes);
  return createZipkinBackend(upstreamConfig('zipkin', upstream.url));
}

describe('Zipkin backend', () => {
  it('lists services, span names and autocomplete tags, with the Authorization header', async () => {
    const zipkin = await zipkinWith({
      '/api/v2/services': sendJson(['frontend', 'backend']),
      '/api/v2/spans': sendJson(['get /', 'publish']),
      '/api/v2/autocompleteKeys': sendJson(['environment']),
      '/api/v2/autocompleteValues': sendJson(['prod', 'dev']),
    });
    expect(await zipkin.services(callContext())).toEqual(['backend', 'frontend']);
    expect(await zipkin.operations('front end/&?', callContext())).toEqual(['get /', 'publish']);
    expect(await zipkin.tagNames(callContext())).toEqual(['environment']);
    expect(await zipkin.tagValues('environment', callContext())).toEqual(['dev', 'prod']);
    expect(requestsTo(upstream).map((r) => `${r.path}?${r.rawQuery}`)).toEqual([
      '/api/v2/services?',
      '/api/v2/spans?serviceName=front%20end%2F%26%3F',
      '/api/v2/autocompleteKeys?',
      '/api/v2/autocompleteValues?key=environment',
    ]);
    expect(requestsTo(upstream).every((r) => r.headers.authorization === 'Bearer s3cret-token')).toBe(true);
  });

  it('searches with Zipkin\'s parameters and summarizes the real traces it returns', async () => {
    const zipkin = await zipkinWith({ '/api/v2/traces': sendJson(SEARCH_RESPONSE) });
    const result = await zipkin.search(
      { service: 'frontend', operation: 'get /', tags: [{ kind: 'attribute', key: 'http.path', op: '=', value: '/' }], errorsOnly: true, minDurationUs: 1000, maxDurationUs: 5_000_000, startMs: 1521186000000, endMs: 1521187000000, limit: 10 },
      callContext(),
    );
    expect(Object.fromEntries(requestsTo(upstream)[0].query)).toEqual({
      serviceName: 'frontend',
      spanName: 'get /',
      annotationQuery: 'http.path=/ and error',
      minDuration: '1000',
      maxDuration: '5000000',
      endTs: '1521187000000',
      lookback: '1000000',
      limit: '10',
    });
    expect(result.traces).toHaveLength(2);
    expect(result.traces).toEqual(
      expect.arrayContaining([
        {
          traceId: '5aab74dbb904746bb33447baae403ed6',
          rootService: 'frontend',
          rootName: 'GET /',
          traceStart: { ms: 1521186011926, nsOfMs: 119000 },
          durationNs: 3_357_000,
          spanCount: 4,
          errorCount: 0,
          services: ['backend', 'frontend'],
        },
        expect.objectContaining({ traceId: '5982fe77008310cc80f1da5e10147517', rootService: 'apip', rootName: '/m/n/2.6.1', durationNs: 37_000_000, services: ['api', 'apip', 'session_logs'] }),
      ]),
    );
  });

  it('answers an empty search with no traces', async () => {
    const zipkin = await zipkinWith({ '/api/v2/traces': sendJson([]) });
    expect(await zipkin.search({}, callContext())).toEqual({ traces: [], warnings: [] });
  });

  it('streams a trace by id, asking for a 64-bit id in its 16-digit form', async () => {
    const zipkin = await zipkinWith({ '/api/v2/trace/a03ee8fff1dcd9b9': sendFile(fixture('zipkin/zipkin__yelp.json')) });
    const doc = await zipkin.trace('0000000000000000a03ee8fff1dcd9b9', callContext());
    const [trace] = (await loadBytes(await readBody(doc.body))).traces;
    expect([trace.traceId, trace.spanCount]).toEqual(['0000000000000000a03ee8fff1dcd9b9', 16]);
  });

  it('answers 404 for a trace Zipkin does not have', async () => {
    const zipkin = await zipkinWith({ '/api/v2/trace/5aab74dbb904746bb33447baae403ed7': sendText(404, 'Trace not found') });
    await expect(zipkin.trace('5aab74dbb904746bb33447baae403ed7', callContext())).rejects.toMatchObject({ status: 404, backend: 'test-zipkin' });
  });

  it('answers 502 when a list is not a list of strings', async () => {
    const zipkin = await zipkinWith({ '/api/v2/services': sendJson({ services: ['frontend'] }) });
    await expect(zipkin.services(callContext())).rejects.toMatchObject({ status: 502, message: 'Backend sent an unexpected response' });
  });
});
