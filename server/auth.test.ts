// Authentication per part over real HTTP: the app, /api and the receivers each take their own
// credentials (or none), /healthz stays open, and the real OTLP exporter's bearer header is accepted.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuthConfig } from './access-config.ts';
import { startServer, type RunningServer } from './start-server.ts';
import { tempDataDir, testConfig, type TestConfigOverrides } from './test-server.ts';

const API_TOKEN = 'api-token-0123456789abcdef';
const RECEIVER_TOKEN = 'receiver-token-0123456789abcdef';
const BASIC = `Basic ${Buffer.from('ops:correct horse').toString('base64')}`;
const FULL_AUTH: AuthConfig = {
  ui: { type: 'basic', username: 'ops', password: 'correct horse' },
  api: { type: 'bearer', token: API_TOKEN },
  receivers: { type: 'bearer', token: RECEIVER_TOKEN },
};

const running: RunningServer[] = [];
afterEach(async () => Promise.all(running.splice(0).map((s) => s.close())));

async function start(overrides: TestConfigOverrides, stderr: string[] = [], logLines: string[] = []): Promise<RunningServer> {
  const dataDir = tempDataDir();
  const staticDir = join(dataDir, 'app');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Spanscope</title>');
  const logStream = new Writable({ write: (chunk: Buffer, _enc, done) => done(void logLines.push(chunk.toString())) });
  const server = await startServer(testConfig(dataDir, { staticDir, ...overrides }), { level: 'warn', stream: logStream }, { write: (text: string) => stderr.push(text) });
  running.push(server);
  return server;
}

function oneSpan(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'checkout' }), spanProcessors: [new SimpleSpanProcessor(memory)] });
  provider.getTracer('auth-test').startSpan('POST /checkout').end();
  return memory.getFinishedSpans();
}

function exportTo(url: string, spans: ReadableSpan[], headers?: Record<string, string>): Promise<ExportResult> {
  const exporter = new OTLPTraceExporter({ url: `${url}/v1/traces`, ...(headers ? { headers } : {}) });
  return new Promise<ExportResult>((resolve) => exporter.export(spans, resolve)).finally(() => exporter.shutdown());
}

describe('authentication', () => {
  it('asks each part for its own credentials: 401 with WWW-Authenticate without them, 200 with them; /healthz stays open', async () => {
    const { url } = await start({ auth: FULL_AUTH });
    const ui = await fetch(`${url}/`);
    expect(ui.status).toBe(401);
    expect(ui.headers.get('www-authenticate')).toBe('Basic realm="spanscope", charset="UTF-8"');
    expect(await ui.json()).toEqual({ error: 'Authentication required', detail: 'The app on this server needs a user name and password (basic auth, auth.ui.basic)' });
    expect((await fetch(`${url}/trace/abc`)).status).toBe(401);
    const page = await fetch(`${url}/`, { headers: { authorization: BASIC } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Spanscope</title>');

    const api = await fetch(`${url}/api/backends`);
    expect(api.status).toBe(401);
    expect(api.headers.get('www-authenticate')).toBe('Bearer realm="spanscope-api"');
    // The app's credentials are not the API's, and a wrong token is refused.
    expect((await fetch(`${url}/api/backends`, { headers: { authorization: BASIC } })).status).toBe(401);
    expect((await fetch(`${url}/api/backends`, { headers: { authorization: `Bearer ${API_TOKEN}x` } })).status).toBe(401);
    const backends = await fetch(`${url}/api/backends`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(backends.status).toBe(200);
    expect((await backends.json()).defaultBackend).toBe('local');
    const upload = await fetch(`${url}/api/shares`, { method: 'POST', body: '{"data":[]}', headers: { 'content-type': 'application/json' } });
    expect(upload.status).toBe(401);

    const zipkin = await fetch(`${url}/api/v2/spans`, { method: 'POST', body: '[]', headers: { 'content-type': 'application/json', authorization: `Bearer ${API_TOKEN}` } });
    expect(zipkin.status).toBe(401);
    expect(zipkin.headers.get('www-authenticate')).toBe('Bearer realm="spanscope-receivers"');

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it('takes the real OTLP exporter when it sends the receivers bearer token (headers option), and refuses it without', async () => {
    const { url } = await start({ auth: FULL_AUTH });
    const spans = oneSpan();
    expect((await exportTo(url, spans)).code).toBe(ExportResultCode.FAILED);
    expect((await exportTo(url, spans, { Authorization: `Bearer ${API_TOKEN}` })).code).toBe(ExportResultCode.FAILED);
    expect((await exportTo(url, spans, { Authorization: `Bearer ${RECEIVER_TOKEN}` })).code).toBe(ExportResultCode.SUCCESS);
    const { traceId } = spans[0].spanContext();
    const back = await fetch(`${url}/api/backends/local/traces/${traceId}`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(back.status).toBe(200);
    expect(await back.text()).toContain('POST /checkout');
  });

  it('guards only the parts configured: with auth.api alone the app and the receivers stay open', async () => {
    const { url } = await start({ auth: { ui: undefined, api: FULL_AUTH.api, receivers: undefined } });
    expect((await fetch(`${url}/`)).status).toBe(200);
    expect((await fetch(`${url}/api/backends`)).status).toBe(401);
    expect((await exportTo(url, oneSpan())).code).toBe(ExportResultCode.SUCCESS);
  });

  it('warns in the log and on stderr when it binds beyond loopback with parts open, not on loopback or with auth', async () => {
    const stderr: string[] = [];
    const log: string[] = [];
    await start({ host: '0.0.0.0', auth: { ...FULL_AUTH, receivers: undefined } }, stderr, log);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(/^WARNING: Spanscope listens on 0\.0\.0\.0, beyond loopback, without authentication for the trace receivers \(auth\.receivers\): /);
    const warning = log.map((line) => JSON.parse(line) as { level: number; msg: string }).find((entry) => entry.msg.startsWith('WARNING'));
    expect(warning?.level).toBe(40);
    expect(warning?.msg).toBe(stderr[0].trim());

    const quiet: string[] = [];
    await start({ host: '127.0.0.1' }, quiet);
    await start({ host: '0.0.0.0', auth: FULL_AUTH }, quiet);
    expect(quiet).toEqual([]);
  });
});
