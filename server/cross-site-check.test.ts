// No other site can write: a page on another origin may POST without a preflight only text/plain,
// form-urlencoded, multipart or untyped bodies, and its browser marks the request with Origin and
// Sec-Fetch-Site. Each state-changing endpoint refuses those (415 / 403) before reading the body, and
// stores nothing. (The real exporters still deliver: receiver-routes.test.ts.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmbeddedBackend } from './backends/embedded.ts';
import { buildServer } from './app.ts';
import { inProcessIntake } from './receivers/ingest.ts';
import { IntakeAdmission } from './receivers/intake-admission.ts';
import { LiveTraces } from './store/live-traces.ts';
import { TraceStore } from './store/trace-store.ts';
import { PROJECT_DIR, REAL_FIXTURES, tempDataDir, testConfig } from './test-server.ts';

const ZIPKIN = readFileSync(join(REAL_FIXTURES, 'zipkin/zipkin__netflix.json'));
const ZIPKIN_TRACE = (JSON.parse(ZIPKIN.toString()) as { traceId: string }[])[0].traceId.padStart(32, '0');
const DD_MSGPACK = readFileSync(join(PROJECT_DIR, 'fixtures', 'generated', 'datadog', 'dd-trace-5.132.0__v0.4.msgpack'));
const DD_TRACE = (JSON.parse(readFileSync(join(PROJECT_DIR, 'fixtures', 'generated', 'datadog', 'dd-trace-5.132.0__v0.4.ids.json'), 'utf8')) as {
  spans: Record<string, { traceId128: string }>;
}).spans.charge.traceId128;
/** What a page may send cross-origin without a preflight; `undefined`: a Blob or bytes with no type. */
const SIMPLE_TYPES = ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined];

const closers: (() => Promise<void>)[] = [];
afterEach(async () => Promise.all(closers.splice(0).map((c) => c())));

/** The server with its receivers on the main port, over a real store. */
async function server() {
  const dataDir = tempDataDir();
  const config = testConfig(dataDir);
  const store = new TraceStore(dataDir);
  const live = new LiveTraces(store, { quietMs: 5000, spansPerTrace: 1_000_000, maxTraces: 1000, maxBytes: 1e9 });
  const app = await buildServer({
    config,
    store,
    backends: new Map([['local', createEmbeddedBackend('local', store, live)]]),
    logger: false,
    receivers: { intake: inProcessIntake(live), limits: config.limits, admission: new IntakeAdmission(64, 64 * 1024 * 1024, 60_000) },
  });
  closers.push(async () => {
    await app.close();
    store.close();
  });
  const post = (url: string, payload: Buffer | string, headers: Record<string, string | undefined>, method: 'POST' | 'PUT' = 'POST') =>
    app.inject({ method, url, payload, headers: Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string> });
  return { app, store, post };
}

describe('content types a page on another site can send without a preflight', () => {
  it('a share upload refuses them with 415 and stores nothing', async () => {
    const { store, post } = await server();
    for (const type of SIMPLE_TYPES) {
      const res = await post('/api/shares', ZIPKIN, { 'content-type': type });
      expect([res.statusCode, res.json().error], String(type)).toEqual([415, 'Unsupported content type']);
      expect(res.json().detail).toContain('application/json, application/octet-stream, application/gzip');
    }
    expect(store.fileMeta(TraceStore.contentId(ZIPKIN))).toBeUndefined();
    for (const type of ['application/json', 'application/octet-stream']) expect((await post('/api/shares', ZIPKIN, { 'content-type': type })).statusCode).toBeLessThan(300);
  });

  it('the Zipkin receiver refuses them with 415 and keeps no span', async () => {
    const { store, post } = await server();
    for (const type of SIMPLE_TYPES) {
      const res = await post('/api/v2/spans', ZIPKIN, { 'content-type': type });
      expect([res.statusCode, res.json().error], String(type)).toEqual([415, 'Unsupported content type']);
    }
    expect(store.receivedTrace(ZIPKIN_TRACE)).toBeUndefined();
    expect((await post('/api/v2/spans', ZIPKIN, { 'content-type': 'application/json' })).statusCode).toBe(202);
    expect(store.receivedTrace(ZIPKIN_TRACE)?.spanCount).toBeGreaterThan(0);
  });

  it('the Datadog intake refuses them with 415 and keeps no span', async () => {
    const { store, post } = await server();
    for (const type of SIMPLE_TYPES) {
      for (const method of ['PUT', 'POST'] as const) {
        const res = await post('/v0.4/traces', DD_MSGPACK, { 'content-type': type }, method);
        expect([res.statusCode, res.json().error], `${method} ${type}`).toEqual([415, 'Unsupported content type']);
      }
    }
    expect(store.receivedTrace(DD_TRACE)).toBeUndefined();
    expect((await post('/v0.4/traces', DD_MSGPACK, { 'content-type': 'application/msgpack' }, 'PUT')).statusCode).toBe(200);
    expect(store.receivedTrace(DD_TRACE)?.spanCount).toBeGreaterThan(0);
  });
});

describe('a request a browser marks as coming from another site', () => {
  const FOREIGN = [{ origin: 'http://evil.example' }, { origin: 'http://127.0.0.1:9999' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }];

  it('gets 403 on every state-changing endpoint, whatever its content type, and nothing is stored', async () => {
    const { store, post } = await server();
    const endpoints = [
      { url: '/api/shares', body: ZIPKIN, type: 'application/json' },
      { url: '/api/v2/spans', body: ZIPKIN, type: 'application/json' },
      { url: '/v0.4/traces', body: DD_MSGPACK, type: 'application/msgpack' },
      { url: '/v1/traces', body: '{"resourceSpans":[]}', type: 'application/json' },
      { url: '/api/sampling/evaluate', body: '{}', type: 'application/json' },
    ];
    for (const { url, body, type } of endpoints) {
      for (const marks of FOREIGN) {
        const res = await post(url, body, { 'content-type': type, ...marks });
        expect([res.statusCode, res.json().error], `${url} ${JSON.stringify(marks)}`).toEqual([403, 'Cross-site request refused']);
      }
    }
    expect(store.fileMeta(TraceStore.contentId(ZIPKIN))).toBeUndefined();
    expect(store.receivedTrace(ZIPKIN_TRACE)).toBeUndefined();
    expect(store.receivedTrace(DD_TRACE)).toBeUndefined();
  });

  it('the app itself (same origin), and tracers or curl (no Origin) are let through', async () => {
    const { post } = await server();
    // inject() sends Host: localhost:80.
    const sameOrigin = await post('/api/shares', ZIPKIN, { 'content-type': 'application/octet-stream', origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' });
    expect(sameOrigin.statusCode).toBe(201);
    expect((await post('/api/v2/spans', ZIPKIN, { 'content-type': 'application/json' })).statusCode).toBe(202);
  });
});
