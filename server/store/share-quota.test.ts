import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REAL_FIXTURES, testServersClosedAfterEach, type TestServer } from '../test-server.ts';
import { pruneAgedShares } from './share-quota.ts';

const server = testServersClosedAfterEach();

const fixture = (path: string) => readFileSync(join(REAL_FIXTURES, path));
const netflix = fixture('zipkin/zipkin__netflix.json');
const yelp = fixture('zipkin/zipkin__yelp.json');
const ray = fixture('datadog/dd-trace-py__ray-serve-grpc-context-propagation.json');
const DAY_MS = 24 * 60 * 60 * 1000;
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

interface ShareAnswer {
  readonly status: number;
  readonly id: string;
  readonly traceIds: string[];
  readonly body: { error?: string; detail?: string };
}

async function share(s: TestServer, body: Buffer, visibility: 'private' | 'public' = 'private'): Promise<ShareAnswer> {
  const res = await s.app.inject({ method: 'POST', url: visibility === 'public' ? '/api/shares?public=1' : '/api/shares', payload: body, headers: { 'content-type': 'application/json' } });
  return { status: res.statusCode, id: res.json().id as string, traceIds: res.json().traceIds as string[], body: res.json() };
}

async function opens(s: TestServer, id: string): Promise<number> {
  return (await s.app.inject({ method: 'GET', url: `/api/shares/${id}` })).statusCode;
}

describe('share quota', () => {
  it('answers 507 naming sharing.maxBytes when a file cannot fit, and stores nothing', async () => {
    const s = await server({ sharing: { maxBytes: 1000 } });
    const res = await share(s, netflix);
    expect(res.status).toBe(507);
    expect(res.body.error).toBe('Share quota exceeded');
    expect(res.body.detail).toBe(`This file is ${netflix.byteLength} bytes; this server keeps at most 1000 bytes of shared files (sharing.maxBytes)`);
    expect(s.store.shareUsage()).toEqual({ files: 0, bytes: 0 });
  });

  it('makes room by deleting the least recently opened uploads first (public ones count too)', async () => {
    // Room for netflix + yelp, or netflix + ray, but not all three. Public uploads, so their traces can
    // be looked up by id below (a private share's never can).
    const maxBytes = netflix.byteLength + ray.byteLength + Math.floor(yelp.byteLength / 2);
    expect(netflix.byteLength + yelp.byteLength).toBeLessThanOrEqual(maxBytes);
    const s = await server({ sharing: { maxBytes } });
    const first = await share(s, netflix, 'public');
    await tick();
    const second = await share(s, yelp, 'public');
    await tick();
    // Opened after the second was stored: the second is now the least recently opened.
    expect(await opens(s, first.id)).toBe(200);
    await tick();
    const third = await share(s, ray, 'public');
    expect(third.status).toBe(201);
    expect(await opens(s, second.id)).toBe(404);
    expect(await opens(s, first.id)).toBe(200);
    expect(await opens(s, third.id)).toBe(200);
    expect(s.store.shareUsage()).toEqual({ files: 2, bytes: netflix.byteLength + ray.byteLength });
    // Its index rows went with it.
    expect(second.traceIds).toHaveLength(1);
    expect(s.store.fileOfTrace(second.traceIds[0])).toBeUndefined();
    expect(s.store.fileOfTrace(first.traceIds[0])).toBe(first.id);
  });

  it('deletes shares not opened for sharing.maxAgeDays, on upload and when pruned', async () => {
    const s = await server({ sharing: { maxAgeDays: 30 } });
    const old = await share(s, netflix);
    const recent = await share(s, yelp);
    s.store.markShareOpened(old.id, Date.now() - 31 * DAY_MS);
    s.store.markShareOpened(recent.id, Date.now() - 29 * DAY_MS);
    expect((await share(s, ray)).status).toBe(201);
    expect(await opens(s, old.id)).toBe(404);
    expect(await opens(s, recent.id)).toBe(200);

    // The periodic pass: the same rule without an upload.
    s.store.markShareOpened(recent.id, Date.now() - 31 * DAY_MS);
    expect(pruneAgedShares(s.store, s.config.sharing, Date.now())).toBe(1);
    expect(await opens(s, recent.id)).toBe(404);
    expect(s.store.shareUsage().files).toBe(1);
  });
});
