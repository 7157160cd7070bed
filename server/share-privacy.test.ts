// A share is private: after uploading a file that holds a secret, nothing in the `local` backend's search,
// lists or trace-by-id reveals it or its traces; its id still opens it. `?public=1` is the explicit way
// to make an upload searchable. Over the real server (inject) on a real store.
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestServer, type TestServer } from './test-server.ts';

const SECRET = 'sk_live_SECRET123';
const PAYROLL_TRACE = '5b8efff798038103d269b633813fc60c';
const LEDGER_TRACE = '0af7651916cd43dd8448eb211c80319c';

/** One OTLP/JSON file, two traces: payroll (carrying the secret) and ledger (nothing to do with it). */
function fileWithSecret(): string {
  const span = (traceId: string, spanId: string, name: string, attributes: object[]) => ({
    traceId,
    spanId,
    name,
    kind: 2,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000250000000',
    attributes,
  });
  const resource = (service: string, spans: object[]) => ({
    resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
    scopeSpans: [{ scope: { name: 'privacy-test' }, spans }],
  });
  return JSON.stringify({
    resourceSpans: [
      resource('payroll', [span(PAYROLL_TRACE, 'eee19b7ec3c1b174', 'run-payroll', [{ key: 'auth.token', value: { stringValue: SECRET } }])]),
      resource('ledger', [span(LEDGER_TRACE, 'b7ad6b7169203331', 'post-entry', [{ key: 'ledger.account', value: { stringValue: 'acct-1' } }])]),
    ],
  });
}

const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

async function server(): Promise<TestServer> {
  const s = await makeTestServer();
  servers.push(s);
  return s;
}

async function upload(s: TestServer, query = '') {
  const res = await s.app.inject({ method: 'POST', url: `/api/shares?name=payroll.json${query}`, payload: fileWithSecret(), headers: { 'content-type': 'application/json' } });
  expect(res.statusCode).toBeLessThan(300);
  return res.json<{ id: string; traceIds: string[]; searchable: boolean }>();
}

const get = async (s: TestServer, url: string) => s.app.inject({ method: 'GET', url });

describe('an uploaded share is private', () => {
  it('its attributes are in no tag list or tag values', async () => {
    const s = await server();
    await upload(s);
    const tagValues = await get(s, '/api/backends/local/tag-values?tag=auth.token');
    expect(tagValues.statusCode).toBe(200);
    expect(tagValues.body).not.toContain(SECRET);
    expect((await get(s, '/api/backends/local/tags')).body).not.toContain('auth.token');
  });

  it('its traces, services and operations are not found by search', async () => {
    const s = await server();
    await upload(s);
    const byService = await get(s, '/api/backends/local/traces?service=payroll');
    expect(byService.statusCode).toBe(200);
    expect(byService.json().traces).toEqual([]);
    expect((await get(s, '/api/backends/local/traces')).json().traces).toEqual([]);
    expect((await get(s, `/api/backends/local/traces?tags=${encodeURIComponent(`auth.token=${SECRET}`)}`)).json().traces).toEqual([]);
    expect((await get(s, '/api/backends/local/results?service=payroll')).body).not.toContain(SECRET);
    expect((await get(s, '/api/backends/local/services')).json()).toEqual({ services: [] });
    expect((await get(s, '/api/backends/local/operations?service=payroll')).body).not.toContain('run-payroll');
  });

  it('trace-by-id of the local backend gives neither of its traces (nor the file holding both)', async () => {
    const s = await server();
    const share = await upload(s);
    expect(share.traceIds.sort()).toEqual([LEDGER_TRACE, PAYROLL_TRACE].sort());
    for (const traceId of [PAYROLL_TRACE, LEDGER_TRACE]) {
      const byId = await get(s, `/api/backends/local/traces/${traceId}`);
      expect(byId.statusCode).toBe(404);
      expect(byId.json().error).toBe('Trace not found');
    }
  });

  it('its id still opens it, and the receipt says it is not searchable', async () => {
    const s = await server();
    const share = await upload(s);
    const opened = await s.app.inject({ method: 'GET', url: `/api/shares/${share.id}`, headers: { 'accept-encoding': 'identity' } });
    expect(opened.statusCode).toBe(200);
    const text = opened.headers['content-encoding'] === 'gzip' ? gunzipSync(opened.rawPayload).toString() : opened.body;
    expect(text).toContain(SECRET);
    expect(share.searchable).toBe(false);
  });

  it('?public=1 is the explicit choice that makes an upload searchable, also for bytes shared privately before', async () => {
    const s = await server();
    const privately = await upload(s);
    expect((await get(s, '/api/backends/local/traces?service=payroll')).json().traces).toEqual([]);
    const publicly = await upload(s, '&public=1');
    expect(publicly).toMatchObject({ id: privately.id, searchable: true });
    expect((await get(s, '/api/backends/local/traces?service=payroll')).json().traces.map((t: { traceId: string }) => t.traceId)).toEqual([PAYROLL_TRACE]);
    expect((await get(s, '/api/backends/local/tag-values?tag=auth.token')).json()).toEqual({ values: [SECRET] });
    expect((await get(s, `/api/backends/local/traces/${LEDGER_TRACE}`)).statusCode).toBe(200);
    // Uploaded privately again: what is public stays public.
    expect((await upload(s)).searchable).toBe(true);
    const bad = await s.app.inject({ method: 'POST', url: '/api/shares?public=yes', payload: fileWithSecret(), headers: { 'content-type': 'application/json' } });
    expect([bad.statusCode, bad.json().error]).toEqual([400, 'Invalid public flag']);
  });
});
