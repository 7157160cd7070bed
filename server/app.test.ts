import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer } from './app.ts';
import { createEmbeddedBackend } from './backends/embedded.ts';
import { TraceStore } from './store/trace-store.ts';
import { tempDataDir, testConfig } from './test-server.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => Promise.all(closers.splice(0).map((c) => c())));

describe('structured logs', () => {
  it('writes one JSON line per request event, carrying the request id the client sent (or a generated one)', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const dataDir = tempDataDir();
    const store = new TraceStore(dataDir);
    const app = await buildServer({
      config: testConfig(dataDir),
      store,
      backends: new Map([['local', createEmbeddedBackend('local', store)]]),
      logger: { level: 'info', stream },
    });
    closers.push(async () => {
      await app.close();
      store.close();
    });

    const res = await app.inject({ method: 'GET', url: '/api/backends/nope/services', headers: { 'x-request-id': 'req-from-proxy-42' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['x-request-id']).toBe('req-from-proxy-42');
    const mine = lines.filter((l) => l.reqId === 'req-from-proxy-42');
    expect(mine.map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
    expect(mine[1]).toMatchObject({ level: 30, res: { statusCode: 404 } });

    await app.inject({ method: 'GET', url: '/healthz' });
    const generated = lines.at(-1)?.reqId;
    expect(generated).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
  });
});

describe('/readyz', () => {
  it('answers 503 when the store is gone, without telling the network why', async () => {
    const dataDir = tempDataDir();
    const store = new TraceStore(dataDir);
    const app = await buildServer({ config: testConfig(dataDir), store, backends: new Map([['local', createEmbeddedBackend('local', store)]]), logger: false });
    closers.push(async () => {
      await app.close();
    });
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    store.close();
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ error: 'Store unavailable', detail: 'See the server log' });
  });
});
