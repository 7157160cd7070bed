import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { loadBytes } from '../../src/core/import/index.ts';
import { makeTestServer, REAL_FIXTURES, type TestServer } from '../test-server.ts';

const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

async function server(overrides: Parameters<typeof makeTestServer>[0] = {}): Promise<TestServer> {
  const s = await makeTestServer(overrides);
  servers.push(s);
  return s;
}

const django = readFileSync(join(REAL_FIXTURES, 'datadog/dd-trace-py__django-asgi_500.json'));

describe('POST /api/shares', () => {
  it('stores a real file and gives it back byte for byte under its content id', async () => {
    const { app } = await server();
    const res = await app.inject({ method: 'POST', url: '/api/shares?name=django.json', payload: django, headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(201);
    const receipt = res.json() as { id: string; traceIds: string[]; spanCount: number };
    expect(receipt.spanCount).toBe(30);
    expect(receipt.traceIds).toHaveLength(1);

    const again = await app.inject({ method: 'POST', url: '/api/shares', payload: django, headers: { 'content-type': 'application/octet-stream' } });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(receipt.id);

    const back = await app.inject({ method: 'GET', url: `/api/shares/${receipt.id}` });
    expect(back.statusCode).toBe(200);
    expect(back.headers['content-type']).toMatch(/application\/json/);
    expect(Buffer.compare(back.rawPayload, django)).toBe(0);
    const gz = await app.inject({ method: 'GET', url: `/api/shares/${receipt.id}`, headers: { 'accept-encoding': 'gzip, br' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const reloaded = await loadBytes(new Uint8Array(gz.rawPayload));
    expect(reloaded.traces[0].traceId).toBe(receipt.traceIds[0]);
  });

  it('accepts a gzipped upload and gives the same id as the plain file', async () => {
    const { app } = await server();
    const plain = (await app.inject({ method: 'POST', url: '/api/shares', payload: django, headers: { 'content-type': 'application/octet-stream' } })).json().id;
    const zipped = await app.inject({ method: 'POST', url: '/api/shares', payload: gzipSync(django), headers: { 'content-type': 'application/gzip' } });
    expect(zipped.statusCode).toBe(200);
    expect(zipped.json().id).toBe(plain);
  });

  it('refuses malformed JSON with 400 and the line and column', async () => {
    const { app } = await server();
    const res = await app.inject({ method: 'POST', url: '/api/shares', payload: '{"data": [ {"traceID": "abc", }\n]}', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error).toMatch(/Invalid JSON/);
    expect(body.detail).toMatch(/line 1/);
  });

  it('refuses a JSON file that is not a trace with 400 naming what was seen', async () => {
    const { app } = await server();
    const res = await app.inject({ method: 'POST', url: '/api/shares', payload: '{"hello": "world"}', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBeTruthy();
  });

  it('refuses a body over the size limit with 413 and the limit', async () => {
    const { app } = await server({ limits: { bodyBytes: 1000 } });
    const res = await app.inject({ method: 'POST', url: '/api/shares', payload: django, headers: { 'content-type': 'application/octet-stream' } });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ error: 'Upload too large', detail: expect.stringContaining('1000 bytes') });
  });

  it('stops a gzip bomb at the decompressed limit', async () => {
    const { app } = await server({ limits: { decompressedBytes: 1024 * 1024 } });
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)); // 64 MB of spaces in ~64 KB
    expect(bomb.byteLength).toBeLessThan(100_000);
    const res = await app.inject({ method: 'POST', url: '/api/shares', payload: bomb, headers: { 'content-type': 'application/octet-stream' } });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toBe('Upload too large once decompressed');
  });

  it('refuses a trace over the span limit', async () => {
    const { app } = await server({ limits: { spansPerTrace: 10 } });
    const res = await app.inject({ method: 'POST', url: '/api/shares', payload: django, headers: { 'content-type': 'application/octet-stream' } });
    expect(res.statusCode).toBe(413);
    expect(res.json().detail).toMatch(/30 spans.*at most 10/);
  });

  it('says sharing is disabled with 403 when it is', async () => {
    const { app } = await server({ sharing: { enabled: false } });
    const res = await app.inject({ method: 'POST', url: '/api/shares', payload: django, headers: { 'content-type': 'application/octet-stream' } });
    expect(res.statusCode).toBe(403);
    const list = (await app.inject({ method: 'GET', url: '/api/backends' })).json();
    expect(list.sharing).toMatchObject({ enabled: false, reason: expect.stringContaining('turned off') });
  });

  it('rejects malformed and traversal share ids without touching the store', async () => {
    const { app } = await server();
    for (const id of ['..%2F..%2Fetc%2Fpasswd', 'short', `${'a'.repeat(42)}!`]) {
      const res = await app.inject({ method: 'GET', url: `/api/shares/${id}` });
      expect(res.statusCode, id).toBe(400);
    }
    expect((await app.inject({ method: 'GET', url: `/api/shares/${'A'.repeat(43)}` })).statusCode).toBe(404);
  });
});

describe('the embedded backend over HTTP', () => {
  it('searches, lists services and opens a trace by id (any case, 64-bit ids padded)', async () => {
    const { app } = await server();
    const netflix = readFileSync(join(REAL_FIXTURES, 'zipkin/zipkin__netflix.json'));
    const { traceIds } = (await app.inject({ method: 'POST', url: '/api/shares?public=1', payload: netflix, headers: { 'content-type': 'application/octet-stream' } })).json();
    const services = (await app.inject({ method: 'GET', url: '/api/backends/local/services' })).json().services as string[];
    expect(services.length).toBeGreaterThan(1);
    const search = (await app.inject({ method: 'GET', url: `/api/backends/local/traces?service=${encodeURIComponent(services[0])}&limit=5` })).json();
    expect(search.traces.map((t: { traceId: string }) => t.traceId)).toEqual(traceIds);
    const short = traceIds[0].replace(/^0+/, '').toUpperCase();
    const doc = await app.inject({ method: 'GET', url: `/api/backends/local/traces/${short}` });
    expect(doc.statusCode).toBe(200);
    expect(Buffer.compare(doc.rawPayload, netflix)).toBe(0);
  });

  it('answers unknown backends, bad ids and bad queries with 4xx JSON errors', async () => {
    const { app } = await server();
    const cases: [string, number, RegExp][] = [
      ['/api/backends/nope/services', 404, /Unknown backend/],
      ['/api/backends/local/traces/not-hex', 400, /Invalid trace id/],
      ['/api/backends/local/traces/0000', 400, /Invalid trace id/],
      [`/api/backends/local/traces/${'f'.repeat(33)}`, 400, /Invalid trace id/],
      ['/api/backends/local/traces/abcdef0123456789', 404, /Trace not found/],
      ['/api/backends/local/traces?minDuration=fast', 400, /Invalid search/],
      ['/api/backends/local/traces?limit=0', 400, /Invalid search/],
      ['/api/backends/local/operations', 400, /Missing service/],
      ['/api/nothing', 404, /Not found/],
    ];
    for (const [url, status, error] of cases) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(status);
      expect(res.json().error, url).toMatch(error);
      expect(typeof res.json().detail, url).toBe('string');
    }
  });
});

describe('security headers and health', () => {
  it('sets CSP without unsafe-eval, nosniff, a referrer policy and a request id on every answer', async () => {
    const { app } = await server();
    for (const url of ['/healthz', '/api/backends', '/api/nothing']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
      expect(res.headers['content-security-policy']).not.toMatch(/unsafe-eval/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' });
  });
});
