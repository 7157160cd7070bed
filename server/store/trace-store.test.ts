import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { matchSpans, parseSearchQuery } from '../../src/core/analysis/search.ts';
import { parseTagFilters } from '../../src/core/analysis/tag-filters.ts';
import { importTraces } from '../../src/core/import/index.ts';
import { REAL_FIXTURES, tempDataDir } from '../test-server.ts';
import { TraceStore, allSpans } from './trace-store.ts';

const stores: TraceStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

function storeWith(...fixtures: string[]): TraceStore {
  const store = new TraceStore(tempDataDir());
  stores.push(store);
  for (const f of fixtures) {
    const bytes = readFileSync(join(REAL_FIXTURES, f));
    store.put(bytes, importTraces(bytes), f, 'public');
  }
  return store;
}

describe('TraceStore on real fixtures', () => {
  it('finds the traces that carry a trace\'s context in stored span data, inside the window only', () => {
    // demo-async-lost: the outbox publisher keeps each jobs-api request's headers (traceparent, Datadog ids)
    // in a 400-character attribute, too long for the tag index, and starts its own trace.
    const store = new TraceStore(tempDataDir());
    stores.push(store);
    const bytes = readFileSync(join(REAL_FIXTURES, '..', 'demo', 'demo-async-lost.jsonl'));
    store.put(bytes, importTraces(bytes), 'demo-async-lost.jsonl', 'demo');
    const jobsApi = '6b023d09000000006d66389d2bfdeb6a';
    const startMs = 1795308809423;
    const day = 86_400_000;
    expect(store.contextCarriers(jobsApi, startMs - day, startMs + day, 50)).toEqual(['3b2bad6e2165322b47c0c8bb4ac1b058']);
    // The publisher's trace starts 2 s later: a window that ends before it finds nothing.
    expect(store.contextCarriers(jobsApi, startMs - day, startMs + 1000, 50)).toEqual([]);
    // The job-worker traces carry only job.id, no context.
    expect(store.contextCarriers('3b2bad6e2165322b47c0c8bb4ac1b058', startMs - day, startMs + day, 50)).toEqual([]);
  });

  it('indexes services and operations of every stored trace', () => {
    const store = storeWith('jaeger/jaeger-ui__petclinic__spanAmongEachOtherGroupedAndSpans.json', 'zipkin/zipkin__netflix.json');
    expect(store.services()).toEqual(expect.arrayContaining(['api-gateway', 'customers-service']));
    expect(store.operations('customers-service').length).toBeGreaterThan(0);
  });

  it('finds the Django 500 trace by service, error and attribute, and not by a wrong value', () => {
    const store = storeWith('datadog/dd-trace-py__django-asgi_500.json', 'zipkin/zipkin__netflix.json');
    const all = store.search({}, 20);
    expect(all).toHaveLength(2);
    const errors = store.search({ errorsOnly: true }, 20);
    expect(errors).toHaveLength(1);
    const django = errors[0];
    expect(django.errorCount).toBeGreaterThan(0);
    expect(store.search({ tags: [{ kind: 'attribute', key: 'http.status_code', op: '=', value: '500' }] }, 20).map((h) => h.traceId)).toEqual([django.traceId]);
    expect(store.search({ tags: [{ kind: 'attribute', key: 'http.status_code', op: '=', value: '501' }] }, 20)).toEqual([]);
  });

  it('reads the tag field in the search language, as a trace is searched in the browser', () => {
    const store = storeWith('datadog/dd-trace-py__django-asgi_500.json');
    const demoBytes = readFileSync(join(REAL_FIXTURES, '../demo/demo-orders.jsonl'));
    const demo = importTraces(demoBytes);
    store.put(demoBytes, demo, 'demo-orders.jsonl', 'demo');
    const traceIdsOf = (text: string) => {
      const parsed = parseTagFilters(text);
      if (!parsed.ok) throw new Error(parsed.error.message);
      return store.search({ tags: parsed.filters }, 50).map((h) => h.traceId).sort();
    };
    // In the browser: the traces with a span that the same text matches in the in-trace search.
    const inTrace = (text: string) => {
      const parsed = parseSearchQuery(text);
      if (!parsed.ok) throw new Error(parsed.error.message);
      return demo.traces.filter((m) => matchSpans(m, parsed.query).length > 0).map((m) => m.traceId).sort();
    };
    const [django] = store.search({ errorsOnly: true, service: 'django' }, 5);
    // The demo's spans carry only the stable names (http.response.status_code); Django's only the old one.
    const failedPayments = inTrace('http.response.status_code=402');
    expect(failedPayments).toHaveLength(1);
    expect(traceIdsOf('http.status_code=402')).toEqual(failedPayments);
    expect(traceIdsOf('http.response.status_code=500')).toEqual([django.traceId]);
    // error=true is the span's OTel status ERROR (the demo's spans carry no error tag).
    const errorTraces = inTrace('error=true');
    expect(errorTraces).toContain(failedPayments[0]);
    expect(traceIdsOf('error=true').filter((id) => id !== django.traceId)).toEqual(errorTraces);
    for (const text of ['http.response.status_code>=400', 'http.route="/orders" error=false', 'http.request.method!=post', 'http.status_code<201 http.route=/reserve']) {
      expect(traceIdsOf(text).filter((id) => id !== django.traceId), text).toEqual(inTrace(text));
    }
    expect(inTrace('http.response.status_code>=400')).toHaveLength(1);
  });

  it('applies duration bounds to a single span (Jaeger semantics)', () => {
    const store = storeWith('zipkin/zipkin__netflix.json');
    const [hit] = store.search({}, 1);
    const rootUs = Math.floor(hit.durationNs / 1000);
    expect(store.search({ minDurationUs: rootUs }, 5)).toHaveLength(1);
    expect(store.search({ minDurationUs: rootUs + 1 }, 5)).toHaveLength(0);
  });

  it('stores a file once: the id is the sha256 of its bytes, the same bytes give the same id', () => {
    const store = storeWith();
    const bytes = readFileSync(join(REAL_FIXTURES, 'zipkin/zipkin__skew.json'));
    const a = store.put(bytes, importTraces(bytes), 'a.json', 'public');
    const b = store.put(bytes, importTraces(bytes), 'b.json', 'public');
    expect(a.id).toBe(b.id);
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(store.search({}, 10)).toHaveLength(1);
    expect(store.fileMeta(a.id)?.name).toBe('a.json');
  });

  it('survives being reopened: data is in the database file, not in memory', () => {
    const dir = tempDataDir();
    const bytes = readFileSync(join(REAL_FIXTURES, 'zipkin/zipkin__yelp.json'));
    const first = new TraceStore(dir);
    const { id, traceIds } = first.put(bytes, importTraces(bytes), 'yelp.json', 'public');
    first.close();
    const second = new TraceStore(dir);
    stores.push(second);
    expect(second.fileMeta(id)?.traceIds).toEqual(traceIds);
    expect(second.fileOfTrace(traceIds[0])).toBe(id);
  });

  it('treats search input as data, never as SQL', () => {
    const store = storeWith('zipkin/zipkin__netflix.json');
    expect(store.search({ service: "x' OR '1'='1" }, 10)).toEqual([]);
    expect(store.search({ tags: [{ kind: 'attribute', key: "a' OR 1=1 --", op: '=', value: 'b' }] }, 10)).toEqual([]);
    expect(store.operations("'; DROP TABLE spans; --")).toEqual([]);
    expect(store.services().length).toBeGreaterThan(0);
  });
});

describe('TraceStore.samplingScope', () => {
  it('holds received traces and demo files, never shares, each trace once (received spans first)', () => {
    const store = new TraceStore(tempDataDir());
    stores.push(store);
    const file = (f: string) => readFileSync(join(REAL_FIXTURES, f));
    const django = file('datadog/dd-trace-py__django-asgi_500.json');
    const netflix = file('zipkin/zipkin__netflix.json');
    const djangoTraces = importTraces(django);
    store.put(django, djangoTraces, 'django.json', 'demo');
    store.put(netflix, importTraces(netflix), 'netflix.json', 'share');
    const [djangoTrace] = djangoTraces.traces;
    const all = () => store.samplingScope(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    expect(all()).toEqual([{ traceId: djangoTrace.traceId, fileId: TraceStore.contentId(django), startMs: djangoTrace.traceStart.ms }]);

    store.writeReceived(() => ({ batches: [{ model: djangoTrace, format: 'otlp', payloadGzip: new Uint8Array(), spans: allSpans(djangoTrace), receivedSpans: [] }], result: undefined }), 1);
    expect(all()).toEqual([{ traceId: djangoTrace.traceId, fileId: undefined, startMs: djangoTrace.traceStart.ms }]);
    expect(store.samplingScopeSize(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)).toEqual({ traces: 1, spans: djangoTrace.spanCount });
    expect(store.samplingScope(0, djangoTrace.traceStart.ms - 1)).toEqual([]);
    expect(store.samplingScopeSize(0, djangoTrace.traceStart.ms - 1)).toEqual({ traces: 0, spans: 0 });
  });
});
