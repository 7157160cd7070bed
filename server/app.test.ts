import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
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
  /** A server over a real store, with its log lines kept. */
  async function readyzServer() {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const dataDir = tempDataDir();
    const store = new TraceStore(dataDir);
    const app = await buildServer({ config: testConfig(dataDir), store, backends: new Map([['local', createEmbeddedBackend('local', store)]]), logger: { level: 'error', stream } });
    closers.push(async () => {
      await app.close();
      store.close();
    });
    expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' });
    const readyz = async () => {
      const res = await app.inject({ method: 'GET', url: '/readyz' });
      return { status: res.statusCode, body: res.json<Record<string, string>>(), logged: lines.map((l) => JSON.stringify(l.err)).join('\n') };
    };
    return { store, dbPath: join(dataDir, 'spanscope.db'), readyz };
  }

  it('answers 503 when the store is closed, with a short reason and the cause only in the log', async () => {
    const { store, readyz } = await readyzServer();
    store.close();
    const { status, body, logged } = await readyz();
    expect([status, body]).toEqual([503, { error: 'Store unavailable', detail: 'The store is closed or does not answer; the server log has the cause' }]);
    expect(logged).toContain('The database connection is not open');
  });

  it('answers 503 "damaged" when the database file is overwritten under the running server, without SQLite’s words or the path', async () => {
    const { dbPath, readyz } = await readyzServer();
    // What the server wrote is in the main file (as after SQLite's automatic checkpoint), then the header is lost.
    const other = new Database(dbPath);
    other.pragma('wal_checkpoint(TRUNCATE)');
    other.close();
    const file = openSync(dbPath, 'r+');
    writeSync(file, Buffer.alloc(100, 0x41), 0, 100, 0);
    closeSync(file);
    const { status, body, logged } = await readyz();
    expect([status, body]).toEqual([503, { error: 'Store unavailable', detail: 'The database file is damaged; the server log has the cause' }]);
    expect(logged).toContain('SQLITE_NOTADB');
    expect(JSON.stringify(body)).not.toMatch(/sqlite|spanscope\.db|not a database/i);
  });

  it('answers 503 "cannot be read" when the database file is moved away (the open connection alone would not notice)', async () => {
    const { dbPath, readyz } = await readyzServer();
    renameSync(dbPath, `${dbPath}.moved`);
    const { status, body, logged } = await readyz();
    expect([status, body]).toEqual([503, { error: 'Store unavailable', detail: 'The database file cannot be read; the server log has the cause' }]);
    expect(logged).toContain('SQLITE_CANTOPEN');
  });
});
