// The Jaeger adapter against a local server that answers with recorded Jaeger responses.
import { afterEach, describe, expect, it } from 'vitest';
import { loadBytes } from '../../src/core/import/index.ts';
import { HttpError } from '../http-error.ts';
import { callContext, closedPortUrl, fixture, readBody, readFixture, sendFile, sendJson, sendText, startFakeUpstream, upstreamConfig, type FakeUpstream, type Route, requestsTo } from './fake-upstream.ts';
import { createJaegerBackend } from './jaeger.ts';

const ANALYTICS = 'jaeger/jaeger-analytics-java__ui-trace.json'; // a real /api/traces/{id} response (jaeger-query tracing itself)
const UI_01 = 'jaeger/jaeger__ui_01.json'; // a Jaeger UI-model trace object, with an error span and warnings
const PETCLINIC = 'jaeger/jaeger-ui__petclinic__spanAmongEachOtherGroupedAndSpans.json';

// A search answer composed from the real traces, in the envelope Jaeger's query service writes
// (structuredResponse: data, total, limit, offset, errors[{code, msg, traceID}]).
const SEARCH_RESPONSE = {
  data: [(readFixture(ANALYTICS) as { data: unknown[] }).data[0], readFixture(UI_01), readFixture(PETCLINIC)],
  total: 3,
  limit: 0,
  offset: 0,
  errors: [{ code: 404, msg: 'trace not found', traceID: '00000000000000000000000000000bad' }],
};
// What Jaeger answers for a trace it does not have.
const NOT_FOUND = { data: null, total: 0, limit: 0, offset: 0, errors: [{ code: 404, msg: 'trace not found' }] };

let upstream: FakeUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

async function jaegerWith(routes: Record<string, Route>) {
  upstream = await startFakeUpstream(routes);
  return createJaegerBackend(upstreamConfig('jaeger', upstream.url));
}

describe('Jaeger backend', () => {
  it('lists services and a service\'s operations, with the Authorization header', async () => {
    const jaeger = await jaegerWith({
      '/api/services': sendJson({ data: ['jaeger-query', 'api-gateway'], total: 2, limit: 0, offset: 0, errors: null }),
      '/api/services/api-gateway/operations': sendJson({ data: ['GET /api/customer/owners'], total: 1, limit: 0, offset: 0, errors: null }),
    });
    expect(await jaeger.services(callContext())).toEqual(['api-gateway', 'jaeger-query']);
    expect(await jaeger.operations('api-gateway', callContext())).toEqual(['GET /api/customer/owners']);
    expect(requestsTo(upstream).map((r) => r.headers.authorization)).toEqual(['Bearer s3cret-token', 'Bearer s3cret-token']);
  });

  it('sends a service name with / ? .. and quotes encoded as one path segment', async () => {
    const encoded = '/api/services/a%2F..%2Fb%3Fx%3D%22y%22%20\'z\'/operations';
    const jaeger = await jaegerWith({ [encoded]: sendJson({ data: [] }) });
    expect(await jaeger.operations('a/../b?x="y" \'z\'', callContext())).toEqual([]);
    expect(requestsTo(upstream)[0].path).toBe(encoded);
  });

  it('searches with every filter in Jaeger\'s parameters and summarizes the real traces it returns', async () => {
    const jaeger = await jaegerWith({ '/api/traces': sendJson(SEARCH_RESPONSE) });
    const result = await jaeger.search(
      { service: 'jaeger-query', operation: 'GET /a&b', tags: [{ kind: 'attribute', key: 'http.status_code', op: '=', value: '500' }], errorsOnly: true, minDurationUs: 1500, maxDurationUs: 2_000_000, startMs: 1571326774000, endMs: 1571326775000.5, limit: 20 },
      callContext(),
    );
    const { query, rawQuery } = requestsTo(upstream)[0];
    expect(Object.fromEntries(query)).toEqual({
      service: 'jaeger-query',
      operation: 'GET /a&b',
      tags: '{"http.status_code":"500","error":"true"}',
      minDuration: '1500us',
      maxDuration: '2000000us',
      start: '1571326774000000',
      end: '1571326775000500',
      limit: '20',
    });
    expect(rawQuery).toContain('operation=GET%20%2Fa%26b');

    expect(result.traces).toHaveLength(3);
    expect(result.traces).toEqual(expect.arrayContaining([
      {
        traceId: '00000000000000002db17286b3e6b148',
        rootService: 'jaeger-query',
        rootName: 'GET /api/services/{service}/operations',
        traceStart: { ms: 1571326774777, nsOfMs: 373000 },
        durationNs: 4_199_000,
        spanCount: 2,
        errorCount: 0,
        services: ['jaeger-query'],
      },
      expect.objectContaining({ traceId: '00000000000000000000000000000001', rootService: 'service-x', spanCount: 5, errorCount: 1, durationNs: 5000, services: ['service-x', 'service-y'] }),
      expect.objectContaining({ traceId: '0df84e36b9e2ee3815d07f0867a5be1f', rootService: 'api-gateway', rootName: 'GET /api/customer/owners', spanCount: 17, durationNs: 3_720_000 }),
    ]));
    expect(result.warnings).toContain('the Jaeger query returned an error: trace not found (trace 00000000000000000000000000000bad)');
  });

  it('answers an empty search with its errors as warnings', async () => {
    const jaeger = await jaegerWith({ '/api/traces': sendJson({ data: [], total: 0, limit: 0, offset: 0, errors: [{ code: 500, msg: 'storage timeout' }] }) });
    expect(await jaeger.search({ service: 'jaeger-query' }, callContext())).toEqual({ traces: [], warnings: ['the Jaeger query returned an error: storage timeout'] });
  });

  it('refuses a search without a service, as Jaeger would, before calling it', async () => {
    const jaeger = await jaegerWith({});
    await expect(jaeger.search({ operation: 'x' }, callContext())).rejects.toMatchObject({ status: 400, message: 'Service required', backend: 'test-jaeger' });
    expect(requestsTo(upstream)).toEqual([]);
  });

  it('streams a trace by id, byte for byte', async () => {
    const jaeger = await jaegerWith({ '/api/traces/00000000000000002db17286b3e6b148': sendFile(fixture(ANALYTICS)) });
    const doc = await jaeger.trace('00000000000000002db17286b3e6b148', callContext());
    const bytes = await readBody(doc.body);
    expect(doc.byteLength).toBe(2999);
    const [trace] = (await loadBytes(bytes)).traces;
    expect([trace.traceId, trace.spanCount]).toEqual(['00000000000000002db17286b3e6b148', 2]);
  });

  it('answers 404 for a trace Jaeger does not have', async () => {
    const jaeger = await jaegerWith({ '/api/traces/0000000000000000000000000000abcd': sendJson(NOT_FOUND, 404) });
    await expect(jaeger.trace('0000000000000000000000000000abcd', callContext())).rejects.toMatchObject({ status: 404, backend: 'test-jaeger' });
  });

  it('answers 502 for a search answer that is not JSON', async () => {
    const jaeger = await jaegerWith({ '/api/traces': sendText(200, '<!doctype html><title>Jaeger UI</title>') });
    await expect(jaeger.search({ service: 'x' }, callContext())).rejects.toMatchObject({ status: 502, message: 'Backend sent invalid JSON' });
  });

  it('names itself when it cannot be reached', async () => {
    const jaeger = createJaegerBackend(upstreamConfig('jaeger', await closedPortUrl()));
    const err = await jaeger.services(callContext()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).toBody()).toMatchObject({ error: 'Backend unreachable', backend: 'test-jaeger' });
  });
});
