import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { summarizeTrace } from '../../src/core/analysis/trace-summary.ts';
import { importOtlpProtobuf } from '../../src/core/import/otlp-protobuf.ts';
import { importTraces } from '../../src/core/import/index.ts';
import { importZipkinSpans } from '../../src/core/import/zipkin.ts';
import { makeRng } from '../../src/core/rng.ts';
import { REAL_FIXTURES, tempDataDir } from '../test-server.ts';
import { LiveTraces, type LiveOptions } from './live-traces.ts';
import { TraceStore, type ReceivedBatch } from './trace-store.ts';

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

/** One trace from the real SDK: a root in `frontend` with `children` spans in three services, every fifth failing. */
function recordTrace(children: number): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const providers = ['frontend', 'orders', 'payments'].map((service) => new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': service }), spanProcessors: [new SimpleSpanProcessor(memory)] }));
  const root = providers[0].getTracer('t').startSpan('GET /orders');
  const parent = trace.setSpan(context.active(), root);
  for (let c = 0; c < children; c++) {
    const span = providers[c % 3].getTracer('t').startSpan(`step ${c % 4}`, { attributes: { 'order.id': `o-${c}` } }, parent);
    if (c % 5 === 0) span.setStatus({ code: 2 });
    span.end();
  }
  root.end();
  return memory.getFinishedSpans();
}

/** What the OTLP/HTTP receiver does with spans: the real serializer, then the project's protobuf import. */
function appendOtlp(traces: LiveTraces, spans: ReadableSpan[]) {
  return traces.append(importOtlpProtobuf(ProtobufTraceSerializer.serializeRequest(spans) ?? new Uint8Array()));
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

  it('indexes a growing trace from each batch alone: no re-reading, and the row a whole re-index would give', async () => {
    const spans = recordTrace(199);
    const traces = live();
    const store = stores[0];
    const rereads = vi.spyOn(store, 'receivedBatches');
    // Ten requests; the root (the SDK's last finished span) comes in the last one.
    for (let b = 0; b < 10; b++) appendOtlp(traces, spans.slice(b * 20, b * 20 + 20));
    expect(store.unindexedReceived(10)).toEqual([]);
    expect(await traces.indexPending(1000)).toBe(0);
    expect(rereads).not.toHaveBeenCalled();

    const [row] = store.search({}, 10);
    const doc = traces.document(row.traceId);
    if (!doc) throw new Error('nothing received');
    const whole = summarizeTrace(importTraces(doc).traces[0]);
    expect(row).toMatchObject({
      spanCount: 200,
      rootService: 'frontend',
      rootName: 'GET /orders',
      errorCount: whole.errorCount,
      services: whole.services,
      traceStart: whole.traceStart,
      durationNs: Math.round(whole.durationNs),
    });
    expect(whole.errorCount).toBe(40);
    // Spans of the first and of the last batch are searchable by their attributes.
    for (const id of ['o-0', 'o-198']) expect(store.search({ tags: [{ kind: 'attribute', key: 'order.id', op: '=', value: id }] }, 10).map((h) => h.traceId)).toEqual([row.traceId]);
  });

  it('stores a span sent again with the same content once, and one with the same ids but other content beside it', () => {
    const spans = recordTrace(3);
    const traces = live();
    expect(appendOtlp(traces, spans)).toMatchObject({ acceptedSpans: 4, rejectedSpans: 0 });
    expect(appendOtlp(traces, spans)).toMatchObject({ acceptedSpans: 4, rejectedSpans: 0 });
    expect(appendOtlp(traces, spans.slice(0, 2))).toMatchObject({ acceptedSpans: 2 });
    const traceId = spans[0].spanContext().traceId;
    expect(stores[0].receivedSpanCount(traceId)).toBe(4);
    expect(stores[0].search({}, 10)[0].spanCount).toBe(4);

    const changed = Object.assign(Object.create(spans[0]) as ReadableSpan, { name: 'renamed' });
    appendOtlp(traces, [changed]);
    expect(stores[0].receivedSpanCount(traceId)).toBe(5);
    const doc = traces.document(traceId);
    if (!doc) throw new Error('nothing received');
    expect(importTraces(doc).traces[0].warnings.join('\n')).toMatch(/1 span has the same id as another span/);
  });

  it('stores a retry once when another intake worker stored the same spans while this one made its batches', () => {
    const dir = tempDataDir();
    const options = { quietMs: 10_000, spansPerTrace: 1_000_000, maxTraces: 1000, maxBytes: 1e9 };
    const otherStore = new TraceStore(dir);
    stores.push(otherStore);
    const other = new LiveTraces(otherStore, options);
    const spans = recordTrace(5);
    const more = recordTrace(2);
    // This worker's store: just before its transaction, the other worker commits the same request.
    class InterleavedStore extends TraceStore {
      override writeReceived<T>(plan: () => { readonly batches: readonly ReceivedBatch[]; readonly result: T }, nowMs: number): T {
        appendOtlp(other, spans);
        return super.writeReceived(plan, nowMs);
      }
    }
    const store = new InterleavedStore(dir);
    stores.push(store);
    const both = importOtlpProtobuf(ProtobufTraceSerializer.serializeRequest([...spans, ...more]) ?? new Uint8Array());
    expect(new LiveTraces(store, options).append(both)).toMatchObject({ acceptedSpans: 9, rejectedSpans: 0 });

    const traceId = spans[0].spanContext().traceId;
    expect(store.receivedSpanCount(traceId)).toBe(6);
    expect(store.receivedSpanCount(more[0].spanContext().traceId)).toBe(3);
    expect(store.search({}, 10).map((t) => t.spanCount).sort()).toEqual([3, 6]);
    const doc = new LiveTraces(store, options).document(traceId);
    if (!doc) throw new Error('nothing received');
    expect(importTraces(doc).traces[0].warnings).toEqual([]);
  });
});
