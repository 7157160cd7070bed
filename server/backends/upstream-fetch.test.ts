// How an upstream call fails, against a real local HTTP server: each failure is an HttpError naming the
// backend, with a status the browser can act on.
import { afterEach, describe, expect, it } from 'vitest';
import { HttpError } from '../http-error.ts';
import { callContext, closedPortUrl, readBody, sendJson, sendText, startFakeUpstream, upstreamConfig, type FakeUpstream, type Route, requestsTo } from './fake-upstream.ts';
import { fetchJson, fetchStream, pathSegment, unexpectedResponse } from './upstream-fetch.ts';

let upstream: FakeUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

async function serve(route: Route, overrides: Parameters<typeof upstreamConfig>[2] = {}) {
  upstream = await startFakeUpstream({ '/api/x': route });
  return upstreamConfig('jaeger', upstream.url, overrides);
}

async function failure(call: Promise<unknown>): Promise<HttpError> {
  const err = await call.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof HttpError)) throw new Error(`expected an HttpError, got ${String(err)}`);
  return err;
}

/** Bytes in chunks with no Content-Length (chunked transfer), never ending on its own. */
const endlessChunks: Route = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  const timer = setInterval(() => res.write('['.padEnd(4096, ' ')), 1);
  res.on('close', () => clearInterval(timer));
};

describe('fetchJson', () => {
  it('sends the configured headers and the URL-encoded query, and parses the answer', async () => {
    const config = await serve(sendJson({ data: ['a'] }));
    const body = await fetchJson(config, { path: '/api/x', params: { q: '{ name = "a b" && x=1 }', none: undefined, n: 5 }, ...callContext() });
    expect(body).toEqual({ data: ['a'] });
    const [request] = requestsTo(upstream);
    expect(request.headers.authorization).toBe('Bearer s3cret-token');
    expect(request.rawQuery).toBe('q=%7B%20name%20%3D%20%22a%20b%22%20%26%26%20x%3D1%20%7D&n=5');
  });

  it('keeps a base URL path prefix', async () => {
    upstream = await startFakeUpstream({ '/select/jaeger/api/x': sendJson([]) });
    await fetchJson(upstreamConfig('jaeger', `${upstream.url}/select/jaeger`), { path: '/api/x', ...callContext() });
    expect(upstream.requests[0].path).toBe('/select/jaeger/api/x');
  });

  it('answers 502 "Backend unreachable" naming the backend when the connection is refused', async () => {
    const err = await failure(fetchJson(upstreamConfig('jaeger', await closedPortUrl()), { path: '/api/x', ...callContext() }));
    expect(err).toMatchObject({ status: 502, message: 'Backend unreachable', backend: 'test-jaeger' });
    expect(err.detail).toContain('ECONNREFUSED');
  });

  it('answers 502 "Backend unreachable" when the host name does not resolve', async () => {
    const err = await failure(fetchJson(upstreamConfig('jaeger', 'http://no-such-host.invalid'), { path: '/api/x', ...callContext() }));
    expect(err).toMatchObject({ status: 502, message: 'Backend unreachable' });
    expect(err.detail).toMatch(/ENOTFOUND|EAI_AGAIN/);
  });

  it('answers 504 within the timeout when the upstream does not answer', async () => {
    const config = await serve(() => undefined, { timeoutMs: 150 });
    const started = performance.now();
    const err = await failure(fetchJson(config, { path: '/api/x', ...callContext() }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(err).toMatchObject({ status: 504, message: 'Backend timed out', backend: 'test-jaeger' });
    expect(err.detail).toContain('150 ms');
  });

  it('answers 504 when the body stalls after the headers', async () => {
    const config = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).write('{"data":'), { timeoutMs: 150 });
    expect(await failure(fetchJson(config, { path: '/api/x', ...callContext() }))).toMatchObject({ status: 504 });
  });

  it('answers 499 when the caller cancels', async () => {
    const config = await serve(() => undefined);
    const controller = new AbortController();
    const call = fetchJson(config, { path: '/api/x', signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect(await failure(call)).toMatchObject({ status: 499 });
  });

  it.each([401, 403])('answers 502 "Backend refused the credentials" to a %i, pointing at the header config', async (status) => {
    const err = await failure(fetchJson(await serve(sendText(status, 'invalid token')), { path: '/api/x', ...callContext() }));
    expect(err).toMatchObject({ status: 502, message: 'Backend refused the credentials', backend: 'test-jaeger' });
    expect(err.detail).toBe(`test-jaeger answered ${status} to /api/x: check the headers (e.g. Authorization) configured for "test-jaeger" in spanscope.config.json`);
    expect(err.detail).not.toContain('invalid token');
  });

  it('answers 404 only where a 404 means "no such trace"', async () => {
    const config = await serve(sendText(404, 'trace not found'));
    expect(await failure(fetchJson(config, { path: '/api/x', notFound: 'no trace 1', ...callContext() }))).toMatchObject({ status: 404, detail: 'no trace 1' });
    const err = await failure(fetchJson(config, { path: '/api/x', ...callContext() }));
    expect(err).toMatchObject({ status: 502, message: 'Backend error' });
    expect(err.detail).toContain('404');
  });

  it('answers 502 naming the backend and the status for an upstream 500, without quoting its body', async () => {
    const err = await failure(fetchJson(await serve(sendText(500, `storage failed: password=hunter2 at db-7.internal\n${'x'.repeat(5000)}`)), { path: '/api/x', ...callContext() }));
    expect(err).toMatchObject({ status: 502, message: 'Backend error', detail: 'test-jaeger answered 500 to /api/x' });
  });

  it('answers 400 when the upstream rejects the query, with the error position but not its text', async () => {
    const err = await failure(fetchJson(await serve(sendText(400, 'parse error at line 1, col 3: syntax error near secret_table')), { path: '/api/x', ...callContext() }));
    expect(err).toMatchObject({ status: 400, message: 'Backend rejected the query' });
    expect(err.detail).toBe("test-jaeger answered 400 to /api/x: check the query's syntax and values (an error at line 1, column 3)");
  });

  it('answers 502 when the body is not JSON, without quoting it', async () => {
    const err = await failure(fetchJson(await serve(sendText(200, '<html>Sign in to intranet-sso.corp</html>')), { path: '/api/x', ...callContext() }));
    expect(err).toMatchObject({ status: 502, message: 'Backend sent invalid JSON', backend: 'test-jaeger' });
    expect(err.detail).toBe("test-jaeger answered /api/x with 41 characters that are not JSON (a login page or a proxy's error page?)");
  });

  it('answers 502 for a JSON body of the wrong shape, saying what kind of value it was but not its content', async () => {
    const config = await serve(sendText(200, '{"internalHost":"db-7.corp"}'));
    const err = await failure(fetchJson(config, { path: '/api/x', ...callContext() }).then((body) => {
      throw unexpectedResponse(config, '/api/x', 'an array of strings', body);
    }));
    expect(err).toMatchObject({ status: 502, message: 'Backend sent an unexpected response', detail: 'test-jaeger answered /api/x with an object with 1 keys; expected an array of strings' });
  });

  it('answers 502 "too large" from the Content-Length, before reading the body', async () => {
    const config = await serve((_req, res) => res.writeHead(200, { 'content-length': 5000 }).end('x'.repeat(5000)), { maxResponseBytes: 1000 });
    const err = await failure(fetchJson(config, { path: '/api/x', ...callContext() }));
    expect(err).toMatchObject({ status: 502, message: 'Backend response too large' });
    expect(err.detail).toContain('announced 5000 bytes');
  });

  it('answers 502 "too large" while reading a body without Content-Length', async () => {
    const config = await serve(endlessChunks, { maxResponseBytes: 100_000 });
    const err = await failure(fetchJson(config, { path: '/api/x', ...callContext() }));
    expect(err).toMatchObject({ status: 502, message: 'Backend response too large' });
    expect(err.detail).toContain('more than 100000 bytes');
  });

  it('answers 502 for a redirect rather than following it with the credentials', async () => {
    const config = await serve((_req, res) => res.writeHead(302, { location: 'http://elsewhere.example/login' }).end());
    const err = await failure(fetchJson(config, { path: '/api/x', ...callContext() }));
    expect(err).toMatchObject({ status: 502, message: 'Backend redirected' });
    expect(err.detail).toBe('test-jaeger answered 302 (a redirect, not followed) to /api/x: configure the final URL of the query API');
    expect(err.detail).not.toContain('elsewhere');
  });
});

describe('fetchStream', () => {
  it('streams the body with its length, always typed as JSON', async () => {
    const config = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/html', 'content-length': 11 }).end('{"data":[]}'));
    const doc = await fetchStream(config, { path: '/api/x', ...callContext() });
    expect(doc).toMatchObject({ contentType: 'application/json', byteLength: 11 });
    expect(new TextDecoder().decode(await readBody(doc.body))).toBe('{"data":[]}');
  });

  it('errors the stream with 502 "too large" once the cap is passed', async () => {
    const doc = await fetchStream(await serve(endlessChunks, { maxResponseBytes: 100_000 }), { path: '/api/x', ...callContext() });
    const err = await failure(readBody(doc.body));
    expect(err).toMatchObject({ status: 502, message: 'Backend response too large', backend: 'test-jaeger' });
  });

  it('refuses an announced oversized body before streaming', async () => {
    const config = await serve((_req, res) => res.writeHead(200, { 'content-length': 5000 }).end('x'.repeat(5000)), { maxResponseBytes: 1000 });
    expect(await failure(fetchStream(config, { path: '/api/x', ...callContext() }))).toMatchObject({ status: 502, message: 'Backend response too large' });
  });
});

describe('pathSegment', () => {
  const config = upstreamConfig('jaeger', 'http://unused');

  it('encodes every character that means something in a URL', () => {
    expect(pathSegment('a/../b?c=d#e "f" %', config)).toBe('a%2F..%2Fb%3Fc%3Dd%23e%20%22f%22%20%25');
  });

  it.each(['.', '..'])('refuses %s, which URL parsing would resolve away', (value) => {
    expect(() => pathSegment(value, config)).toThrow(HttpError);
  });
});
