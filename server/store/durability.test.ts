// "Nothing acknowledged is lost": a real server process is killed with SIGKILL while it takes a big
// upload; after a restart on the same data directory every acknowledged share is there byte for byte,
// the database passes SQLite's integrity check, and the interrupted upload is either whole or absent.
// The same for spans received over OTLP/gRPC: acknowledged means committed.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterEach, describe, expect, it } from 'vitest';
import { generateTrace } from '../../bench/generate-trace.ts';
import { spawnServer } from '../spawn-server.ts';
import { exportOverGrpc, readReceivedTrace, recordSpans } from '../receivers/receiver-test-helpers.ts';
import { REAL_FIXTURES, freePort, tempDataDir } from '../test-server.ts';

const children: ChildProcess[] = [];
afterEach(() => children.splice(0).forEach((c) => c.kill('SIGKILL')));

/** A real server process, no demo traces, HTTP receivers on the main port only, gRPC off unless given a port. */
async function startServerProcess(dataDir: string, otlpGrpcPort = 0) {
  const server = await spawnServer(dataDir, { seedDemoTraces: false, receivers: { otlpHttpPort: 0, zipkinPort: 0, datadogPort: 0, otlpGrpcPort } });
  children.push(server.child);
  return server;
}

const BYTES = { 'content-type': 'application/octet-stream' };

/** `query`: e.g. `?public=1`, to find the file by search afterwards. */
async function share(url: string, body: Uint8Array, query = ''): Promise<string> {
  const res = await fetch(`${url}/api/shares${query}`, { method: 'POST', headers: BYTES, body: body as Uint8Array<ArrayBuffer> });
  expect(res.status).toBeLessThan(300);
  return ((await res.json()) as { id: string }).id;
}

/** Integrity check passes, acknowledged files are there, and no file is half-written. */
function expectConsistentStore(dataDir: string, acknowledgedIds: readonly string[]): void {
  const db = new Database(join(dataDir, 'spanscope.db'));
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const ids = (db.prepare('SELECT id FROM files').all() as { id: string }[]).map((f) => f.id);
    for (const id of acknowledgedIds) expect(ids).toContain(id);
    const unindexed = db.prepare('SELECT COUNT(*) AS n FROM files WHERE id NOT IN (SELECT file_id FROM traces)').get() as { n: number };
    // A received trace's index rows have no file (file_id NULL).
    const orphanTraces = db.prepare('SELECT COUNT(*) AS n FROM traces WHERE file_id IS NOT NULL AND file_id NOT IN (SELECT id FROM files)').get() as { n: number };
    const orphanSpans = db.prepare('SELECT COUNT(*) AS n FROM spans WHERE trace_row NOT IN (SELECT row FROM traces)').get() as { n: number };
    expect([unindexed.n, orphanTraces.n, orphanSpans.n]).toEqual([0, 0, 0]);
  } finally {
    db.close();
  }
}

describe('durability', () => {
  it('a server killed with SIGKILL mid-upload loses no acknowledged share and corrupts nothing', async () => {
    const dataDir = tempDataDir();
    const big = join(dataDir, 'big.json');
    generateTrace(big, { spans: 40_000, format: 'jaeger', seed: 7 });
    const bigBytes = readFileSync(big);

    const first = await startServerProcess(dataDir);
    const acknowledged = new Map<string, Buffer>();
    for (const f of ['zipkin/zipkin__yelp.json', 'datadog/dd-trace-py__django-asgi_500.json', 'jaeger/jaeger__ui_01.json']) {
      const bytes = readFileSync(join(REAL_FIXTURES, f));
      acknowledged.set(await share(first.url, bytes), bytes);
    }

    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    // Kill while the big upload is being received, parsed, and written (the whole share takes ~2–3 s here).
    for (const delayMs of [300, 1200, 2000]) {
      const server = await startServerProcess(dataDir);
      const pending = fetch(`${server.url}/api/shares`, { method: 'POST', headers: BYTES, body: bigBytes }).then(
        (res) => res.status,
        (e: unknown) => e,
      );
      await new Promise((r) => setTimeout(r, delayMs));
      const exited = new Promise((r) => server.child.once('exit', r));
      server.child.kill('SIGKILL');
      await exited;
      const outcome = await pending;
      expectConsistentStore(dataDir, [...acknowledged.keys()]);
      if (outcome === 201) break; // finished before the kill: a later kill proves nothing more
    }

    const second = await startServerProcess(dataDir);
    for (const [id, bytes] of acknowledged) {
      const res = await fetch(`${second.url}/api/shares/${id}`);
      expect(res.status).toBe(200);
      expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), bytes)).toBe(0);
    }
    // Public, so its index rows show in search (a private share's are there but never listed).
    const again = await share(second.url, bigBytes, '?public=1');
    const search = (await (await fetch(`${second.url}/api/backends/local/traces?limit=50`)).json()) as { traces: { spanCount: number }[] };
    expect(search.traces.map((t) => t.spanCount)).toContain(40_000);
    expect(again).toMatch(/^[A-Za-z0-9_-]{43}$/);
  }, 60_000);

  it('spans acknowledged over OTLP/gRPC survive a SIGKILL right after the answer', async () => {
    const dataDir = tempDataDir();
    const otlpGrpcPort = await freePort();
    const server = await startServerProcess(dataDir, otlpGrpcPort);
    const grpcUrl = `http://127.0.0.1:${otlpGrpcPort}`;
    // Twenty two-service traces, each as two Export calls (root, then child), gzip and not.
    const traces = Array.from({ length: 20 }, () => {
      const checkout = recordSpans('checkout');
      return { checkout, charge: recordSpans('payments', checkout[0]) };
    });
    for (const [i, { checkout, charge }] of traces.entries()) {
      for (const spans of [checkout, charge]) {
        const { error } = await exportOverGrpc(grpcUrl, ProtobufTraceSerializer.serializeRequest(spans) ?? new Uint8Array(), { gzip: i % 2 === 0 });
        expect(error).toBeUndefined();
      }
    }
    const exited = new Promise((r) => server.child.once('exit', r));
    server.child.kill('SIGKILL');
    await exited;

    expectConsistentStore(dataDir, []);
    const restarted = await startServerProcess(dataDir);
    for (const { checkout, charge } of traces) {
      const model = await readReceivedTrace(restarted.url, checkout[0].spanContext().traceId);
      expect([model.spanCount, model.orphanCount, model.parent[1]]).toEqual([2, 0, 0]);
      expect(model.spanIds[1]).toBe(charge[0].spanContext().spanId);
    }
  }, 60_000);
});
