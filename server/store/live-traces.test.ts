import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importTraces } from '../../src/core/import/index.ts';
import { importZipkinSpans } from '../../src/core/import/zipkin.ts';
import { makeRng } from '../../src/core/rng.ts';
import { REAL_FIXTURES, tempDataDir } from '../test-server.ts';
import { LiveTraces, type LiveOptions } from './live-traces.ts';
import { TraceStore } from './trace-store.ts';

const stores: TraceStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

function live(options: Partial<LiveOptions> = {}): LiveTraces {
  const store = new TraceStore(tempDataDir());
  stores.push(store);
  return new LiveTraces(store, { quietMs: 10_000, spansPerTrace: 1_000_000, maxTraces: 1000, maxBytes: 1e9, ...options });
}

/** The Zipkin fixture's spans dealt into `parts` requests in a shuffled order, as JSON bodies. */
function shuffledZipkinBatches(file: string, parts: number, seed: number): string[] {
  const spans = JSON.parse(readFileSync(join(REAL_FIXTURES, file), 'utf8')) as unknown[];
  const rand = makeRng(seed);
  const order = spans.map((s) => ({ s, k: rand() })).sort((a, b) => a.k - b.k).map((x) => x.s);
  const size = Math.ceil(order.length / parts);
  return Array.from({ length: parts }, (_, i) => JSON.stringify(order.slice(i * size, (i + 1) * size)));
}

/** What the Zipkin receiver does with a body. */
function appendZipkin(traces: LiveTraces, body: string, nowMs?: number) {
  const spans = JSON.parse(body) as unknown[];
  return traces.append(importZipkinSpans(spans), nowMs, spans);
}

describe('LiveTraces', () => {
  it('assembles a trace whose spans arrive in several requests, in any order, into the same trace as the whole file', async () => {
    const file = 'zipkin/zipkin__smartthings-oauth-authorization.json';
    const whole = importTraces(readFileSync(join(REAL_FIXTURES, file))).traces[0];
    const traces = live();
    for (const batch of shuffledZipkinBatches(file, 5, 3)) appendZipkin(traces, batch, 1000);

    const doc = traces.document(whole.traceId);
    if (!doc) throw new Error('Nothing was received for the trace');
    const assembled = importTraces(doc).traces;
    expect(assembled).toHaveLength(1);
    const model = assembled[0];
    expect(model.spanCount).toBe(whole.spanCount);
    expect(model.orphanCount).toBe(0);
    expect(model.maxDepth).toBe(whole.maxDepth);
    expect([...model.spanIds].sort()).toEqual([...whole.spanIds].sort());
    expect(traces.status(whole.traceId, 1000 + 500)).toMatchObject({ lastReceivedMs: 1000, receiving: true });
    expect(traces.status(whole.traceId, 1000 + 10_000)?.receiving).toBe(false);
  });

  it('indexes received traces for search after they arrive, and re-indexes when more spans come', async () => {
    const file = 'zipkin/zipkin__smartthings-oauth-authorization.json';
    const [first, ...rest] = shuffledZipkinBatches(file, 3, 9);
    const traces = live();
    appendZipkin(traces, first);
    expect(await traces.indexPending(1000)).toBe(0);
    const store = stores[0];
    const before = store.search({}, 10);
    expect(before).toHaveLength(1);
    for (const batch of rest) appendZipkin(traces, batch);
    await traces.indexPending(1000);
    const after = store.search({}, 10, 10_000);
    expect(after).toHaveLength(1);
    expect(after[0].spanCount).toBeGreaterThan(before[0].spanCount);
    expect(after[0].spanCount).toBe(importTraces(readFileSync(join(REAL_FIXTURES, file))).traces[0].spanCount);
    expect(after[0].receiving).toBe(true);
  });

  it('rejects the spans that would take a trace over the span limit, and says why', () => {
    const traces = live({ spansPerTrace: 100 });
    const [a, b] = shuffledZipkinBatches('zipkin/zipkin__smartthings-oauth-authorization.json', 2, 1);
    expect(appendZipkin(traces, a)).toMatchObject({ acceptedSpans: 87, rejectedSpans: 0 });
    const second = appendZipkin(traces, b);
    expect(second.acceptedSpans).toBe(0);
    expect(second.rejectedSpans).toBeGreaterThan(0);
    expect(second.rejectReason).toMatch(/exceed 100 spans/);
  });

  it('keeps the newest traces within the retention limit, dropping the oldest with their index', async () => {
    const traces = live({ maxTraces: 2 });
    const files = ['zipkin/zipkin__netflix.json', 'zipkin/zipkin__yelp.json', 'zipkin/zipkin__skew.json'];
    files.forEach((f, i) => traces.append(importTraces(readFileSync(join(REAL_FIXTURES, f))), 1000 + i));
    await traces.indexPending(1000);
    expect(traces.prune()).toBe(1);
    const oldest = importTraces(readFileSync(join(REAL_FIXTURES, files[0]))).traces[0].traceId;
    expect(traces.document(oldest)).toBeUndefined();
    expect(stores[0].search({}, 10).map((h) => h.traceId)).not.toContain(oldest);
    expect(stores[0].search({}, 10)).toHaveLength(2);
  });
});
