import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadBytes } from '../../src/core/import/index.ts';
import { storeTraceFile } from '../store/share-upload.ts';
import { makeTestServer, PROJECT_DIR, type TestServer } from '../test-server.ts';

const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

async function serverWithDemo(): Promise<TestServer> {
  const server = await makeTestServer();
  servers.push(server);
  for (const name of ['demo-orders.jsonl', 'demo-async-restored.jsonl']) {
    await storeTraceFile(server.store, readFileSync(join(PROJECT_DIR, 'fixtures', 'demo', name)), name, server.config.limits, 'demo');
  }
  return server;
}

describe('GET /api/backends/:backend/results', () => {
  it('answers the matching traces only, as OTLP/JSON lines that load back span for span', async () => {
    const server = await serverWithDemo();
    const originals = await loadBytes(readFileSync(join(PROJECT_DIR, 'fixtures', 'demo', 'demo-orders.jsonl')));
    // The orders file holds three traces; one of them failed.
    const res = await server.app.inject({ method: 'GET', url: '/api/backends/local/results?service=api-gateway&errors=1' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/x-ndjson');
    expect(res.body.trimEnd().split('\n')).toHaveLength(1);
    const { traces } = await loadBytes(new Uint8Array(res.rawPayload));
    const failed = originals.traces.filter((t) => t.errorCount > 0);
    expect(failed).toHaveLength(1);
    expect(traces.map((t) => [t.traceId, t.spanCount, t.errorCount])).toEqual(failed.map((t) => [t.traceId, t.spanCount, t.errorCount]));
  });

  it('gathers the hits of several stored files into one document', async () => {
    const server = await serverWithDemo();
    const search = await server.app.inject({ method: 'GET', url: '/api/backends/local/traces?limit=50' });
    const hitIds = (JSON.parse(search.body) as { traces: { traceId: string }[] }).traces.map((t) => t.traceId).sort();
    const all = await server.app.inject({ method: 'GET', url: '/api/backends/local/results?limit=50' });
    expect(all.statusCode).toBe(200);
    const { traces } = await loadBytes(new Uint8Array(all.rawPayload));
    expect(traces.map((t) => t.traceId).sort()).toEqual(hitIds);
    expect(hitIds.length).toBeGreaterThan(3);
  });

  it('says so when nothing matches', async () => {
    const server = await serverWithDemo();
    // "postgresql" is a database the services call, not a service.
    const res = await server.app.inject({ method: 'GET', url: '/api/backends/local/results?service=postgresql' });
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'No traces match this search', backend: 'local' });
  });

  it('refuses a malformed search with the parameter named', async () => {
    const server = await serverWithDemo();
    const res = await server.app.inject({ method: 'GET', url: '/api/backends/local/results?minDuration=fast' });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).detail).toMatch(/minDuration/);
  });
});
