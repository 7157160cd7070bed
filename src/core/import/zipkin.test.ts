import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { assert, describe, expect, it } from 'vitest';
import { sampleJson } from '../json/json-sample.ts';
import { dumpCollection } from '../model/dump.ts';
import { SPAN_KINDS, spanName, spanService, type TraceCollection, type TraceModel } from '../model/trace-model.ts';
import { checkFixtureSnapshot, FIXTURES_DIR, loadFixture, readFixture, eventNames, resourceAttrs, spanAttrs, spanById } from './fixture-test-helpers.ts';
import { loadBytes } from './index.ts';
import { zipkinV1Importer } from './zipkin-v1.ts';
import { importZipkinSpans, zipkinV2Importer } from './zipkin.ts';

// ---- helpers: find spans by id and kind, read their attributes, events and resource ----





function services(m: TraceModel): string[] {
  const s = new Set<string>();
  for (let i = 0; i < m.spanCount; i++) s.add(spanService(m, i));
  return [...s].sort();
}

function load(json: unknown): Promise<TraceCollection> {
  const text = typeof json === 'string' ? json : JSON.stringify(json);
  return loadBytes(new TextEncoder().encode(text));
}

const US = 1_000; // ns per µs
const T0 = 1_700_000_000_000_000; // µs

describe('Zipkin v2 fixtures', () => {
  it('builds the SmartThings OAuth trace with shared halves under their clients', async () => {
    const c = await checkFixtureSnapshot('real/zipkin/zipkin__smartthings-oauth-authorization.json', 'zipkin-v2');
    expect(c.traces).toHaveLength(1);
    const m = c.traces[0];
    expect(m.traceId).toBe('00000000000000008ce82b2e9ed820ba');
    // 175 span objects; the 5 shared SERVER fragments of 9d2d35b746db84f3 (Kafka receives on 2 pusher
    // hosts, 10.0.0.187 ×3 and 10.0.0.79 ×2) merge into one span per host.
    expect(m.spanCount).toBe(172);
    expect(services(m)).toEqual(['account', 'auth', 'bouncer', 'datamgmt', 'dove', 'paperboy', 'pusher', 'stlogin']);
    expect(spanService(m, m.roots[0])).toBe('datamgmt');
    expect(spanName(m, m.roots[0])).toBe('get /oauth/authorize');
    expect(m.roots).toHaveLength(1);
    expect(m.orphanCount).toBe(0);

    // Every shared SERVER half hangs under the CLIENT with its own id.
    let shared = 0;
    for (let i = 0; i < m.spanCount; i++) {
      if (spanAttrs(m, i)['zipkin.shared'] !== true) continue;
      shared++;
      const p = m.parent[i];
      expect(m.spanIds[p]).toBe(m.spanIds[i]);
      expect(SPAN_KINDS[m.kind[p]]).toBe('client');
    }
    expect(shared).toBe(42); // 45 shared span objects, of which 5 merge into 2

    // The merged Kafka receive halves: both under bouncer's "send iot-events360" client.
    const send = spanById(m, '9d2d35b746db84f3', 'client');
    const receives = [...Array(m.spanCount).keys()].filter((i) => m.spanIds[i] === '9d2d35b746db84f3' && i !== send);
    expect(receives).toHaveLength(2);
    for (const r of receives) expect(m.parent[r]).toBe(send);
    expect(receives.map((r) => resourceAttrs(m, r)['net.host.ip']).sort()).toEqual(['10.0.0.187', '10.0.0.79']);

    // A child naming a shared id belongs under the SERVER half (auth), not the client (datamgmt).
    const select = spanById(m, 'b262965706ef4d8a');
    expect(m.parent[select]).toBe(spanById(m, 'f86833c3ff266b46', 'server'));
    expect(spanService(m, m.parent[select])).toBe('auth');

    // The two error spans carry the error tag's value "401" as their message.
    expect(m.errorCount).toBe(2);
    const ssoServer = spanById(m, 'c47bff7f7964b321', 'server');
    expect(m.statusMessage.get(ssoServer)).toBe('401');
    expect(m.statusMessage.get(spanById(m, 'c47bff7f7964b321', 'client'))).toBe('401');
    expect(resourceAttrs(m, ssoServer)).toEqual({ 'net.host.ip': '10.0.0.63', 'net.host.port': 8180 });
    expect(spanAttrs(m, ssoServer)).toMatchObject({ 'http.path': '/sso/authenticate', 'net.peer.ip': '52.0.0.9', 'net.peer.port': 51436 });
    // Annotations became events.
    expect(eventNames(m, spanById(m, '5f35e80a5a50fdca'))).toEqual(['Body Part Received', 'Headers Received', 'Status Received']);
  });

  it('merges Netflix fragments and backfills the missing shared flag', async () => {
    const c = await checkFixtureSnapshot('real/zipkin/zipkin__netflix.json', 'zipkin-v2');
    const m = c.traces[0];
    expect(m.traceId).toBe('5982fe77008310cc80f1da5e10147517');
    expect(m.spanCount).toBe(6); // 8 objects: two kind-less, endpoint-less fragments of the api client
    const apiClient = spanById(m, '6c59056709a0b1e4', 'client');
    expect(spanService(m, apiClient)).toBe('api');
    expect(eventNames(m, apiClient)).toEqual(['salp.niws', 'salp.hystrix']);
    expect(spanAttrs(m, apiClient)['salp.hystrix.data.hystrix.cmd_name']).toBe('PDS_REPORT_LOG'); // only in a fragment
    expect(m.durationNs[apiClient]).toBe(8000 * US);
    // session_logs' SERVER has no shared flag but reuses the client's id: still the client's child.
    const sessionLogs = spanById(m, '6c59056709a0b1e4', 'server');
    expect(m.parent[sessionLogs]).toBe(apiClient);
    // The api client was started by api's SERVER half of 67fae42571535f60, not apip's client half.
    expect(m.parent[apiClient]).toBe(spanById(m, '67fae42571535f60', 'server'));
    expect(spanAttrs(m, spanById(m, '8f6bc3f30fa5b0bf'))['peer.service']).toBe('evcache_g');
    expect(m.spanWarnings.get(spanById(m, '8f6bc3f30fa5b0bf'))).toContain('no duration in the file; shown as 0');
  });

  it('keeps the skew trace as Zipkin reports it: server half before its client', async () => {
    const c = await checkFixtureSnapshot('real/zipkin/zipkin__skew.json', 'zipkin-v2');
    const m = c.traces[0];
    expect(m.traceId).toBe('00000000000000001e223ff1f80f1c69');
    const client = spanById(m, '74280ae0c10d8062', 'client');
    const server = spanById(m, '74280ae0c10d8062', 'server');
    expect(m.parent[server]).toBe(client);
    expect(m.parent[spanById(m, '43210ae0c10d1234')]).toBe(server);
    expect(m.startNs[server]).toBeLessThan(m.startNs[client]);
    expect(resourceAttrs(m, server)).toEqual({ 'net.host.ip': '192.0.0.0' });
    expect(spanService(m, server)).toBe('serviceb');
  });

  it('reads the messaging chain with producer and consumer kinds', async () => {
    const c = await checkFixtureSnapshot('real/zipkin/zipkin__messaging.json', 'zipkin-v2');
    const m = c.traces[0];
    const producer = spanById(m, '05e3ac9a4f6e3b90', 'producer');
    const consumer = spanById(m, 'e457b5a2e4d86bd1', 'consumer');
    expect(m.parent[consumer]).toBe(producer);
    expect(m.durationNs[producer]).toBe(13 * US);
    expect(spanAttrs(m, consumer)).toEqual({ 'rabbit.exchange': '', 'rabbit.queue': 'backend', 'rabbit.routing_key': 'backend', 'peer.service': 'rabbitmq' });
    const server = spanById(m, 'b33447baae403ed6');
    expect(spanAttrs(m, server)).toMatchObject({ 'http.method': 'GET', 'net.peer.ip': '::1', 'net.peer.port': 54602 });
    expect(SPAN_KINDS[m.kind[spanById(m, '4ad2db84ac76def7')]]).toBe('unspecified'); // no kind: a local span
  });

  it('reads the malformed Kong trace: no durations, no endpoints', async () => {
    const c = await checkFixtureSnapshot('real/zipkin/zipkin__malformed-kong.json', 'zipkin-v2');
    const m = c.traces[0];
    expect(m.spanCount).toBe(7);
    const root = m.roots[0];
    expect(m.spanIds[root]).toBe('ed395cb866d02665');
    expect(spanService(m, root)).toBe('unknown_service');
    expect(m.spanWarnings.get(root)).toContain('no localEndpoint in the file: the service is unknown');
    expect(spanAttrs(m, root)['net.peer.port']).toBe(3771);
    expect(spanService(m, spanById(m, 'd65495313f944801'))).toBe('rewards');
    expect(m.warnings).toContain('4 spans have a missing or negative duration; shown as 0');
  });

  it('reads the Yelp trace: shared root without a client, children under the server half', async () => {
    const c = await checkFixtureSnapshot('real/zipkin/zipkin__yelp.json', 'zipkin-v2');
    const m = c.traces[0];
    expect(m.spanCount).toBe(16);
    expect(services(m)).toEqual(['mobile_api', 'routing', 'spectre', 'unknown', 'yelp-main', 'yelp_main/api_proxy']);
    expect(m.spanIds[m.roots[0]]).toBe('2e8cfb154b59a41f');
    expect(m.roots).toHaveLength(1);
    // yelp-main's spans name 668ed78ad94b35a1: they run in the api_proxy server, not in the "unknown" client.
    expect(m.parent[spanById(m, '241cea1aa4cb2884')]).toBe(spanById(m, '668ed78ad94b35a1', 'server'));
    expect(m.parent[spanById(m, '668ed78ad94b35a1', 'server')]).toBe(spanById(m, '668ed78ad94b35a1', 'client'));
  });

  it('claims none of the other formats’ fixtures', async () => {
    const others = ['jaeger', 'otlp', 'tempo', 'datadog'].flatMap((dir) =>
      readdirSync(join(FIXTURES_DIR, 'real', dir))
        .filter((f) => f !== 'PROVENANCE.md')
        .map((f) => `real/${dir}/${f}`),
    );
    expect(others.length).toBeGreaterThan(10);
    for (const path of others) {
      const sample = sampleJson(readFixture(path));
      expect(zipkinV2Importer.looksLike(sample), path).toBe(false);
      expect(zipkinV1Importer.looksLike(sample), path).toBe(false);
      const format = await loadFixture(path).then(
        (col) => col.format,
        () => 'not loaded',
      );
      expect(format, path).not.toMatch(/^zipkin/);
    }
  });
});

describe('Zipkin v2 synthetic cases', () => {
  const T = 'a'.repeat(32);

  it('puts a shared SERVER half under its CLIENT and the grandchildren under the server', async () => {
    //  root (a) ─ client 1 (a) ─ server 1 (b, shared) ─ work (b)
    //                                                 └ no-endpoint child
    //                       └ retry (a): a child on the client's own service stays with the client
    const c = await load([
      { traceId: T, id: '0000000000000001', parentId: '00000000000000aa', kind: 'SERVER', shared: true, name: 'handle', timestamp: T0 + 10, duration: 50, localEndpoint: { serviceName: 'b' } },
      { traceId: T, id: '00000000000000bb', parentId: '0000000000000001', name: 'work', timestamp: T0 + 20, duration: 5, localEndpoint: { serviceName: 'b' } },
      { traceId: T, id: '00000000000000cc', parentId: '0000000000000001', name: 'anon', timestamp: T0 + 30, duration: 5 },
      { traceId: T, id: '00000000000000dd', parentId: '0000000000000001', name: 'retry', timestamp: T0 + 40, duration: 5, localEndpoint: { serviceName: 'a' } },
      { traceId: T, id: '0000000000000001', parentId: '00000000000000aa', kind: 'CLIENT', name: 'call', timestamp: T0 + 5, duration: 60, localEndpoint: { serviceName: 'a' } },
      { traceId: T, id: '00000000000000aa', kind: 'SERVER', name: 'root', timestamp: T0, duration: 100, localEndpoint: { serviceName: 'a' } },
    ]);
    expect(c.format).toBe('zipkin-v2');
    const m = c.traces[0];
    const client = spanById(m, '0000000000000001', 'client');
    const server = spanById(m, '0000000000000001', 'server');
    expect(m.parent[client]).toBe(spanById(m, '00000000000000aa'));
    expect(m.parent[server]).toBe(client);
    expect(m.parent[spanById(m, '00000000000000bb')]).toBe(server);
    expect(m.parent[spanById(m, '00000000000000cc')]).toBe(server);
    expect(m.parent[spanById(m, '00000000000000dd')]).toBe(client);
    expect(m.depth[spanById(m, '00000000000000bb')]).toBe(3);
    expect(spanAttrs(m, server)['zipkin.shared']).toBe(true);
    expect(m.parentSpanIds[server]).toBe('00000000000000aa'); // as the file gave it
  });

  it('merges two fragments of one span (late tags and annotations)', async () => {
    const c = await load([
      { traceId: T, id: '0000000000000001', name: 'get', kind: 'SERVER', timestamp: T0, duration: 100, localEndpoint: { serviceName: 'svc', ipv4: '10.0.0.1' }, tags: { 'http.method': 'GET', phase: 'early' }, annotations: [{ timestamp: T0 + 90, value: 'flushed' }] },
      { traceId: T, id: '0000000000000001', localEndpoint: { serviceName: 'svc' }, annotations: [{ timestamp: T0 + 90, value: 'flushed' }], tags: { phase: 'late', 'http.status_code': '200' } },
    ]);
    const m = c.traces[0];
    expect(m.spanCount).toBe(1);
    expect(m.warnings).toEqual([]);
    expect(SPAN_KINDS[m.kind[0]]).toBe('server');
    expect(spanName(m, 0)).toBe('get');
    expect(m.durationNs[0]).toBe(100 * US);
    expect(spanAttrs(m, 0)).toEqual({ 'http.method': 'GET', phase: 'late', 'http.status_code': '200' });
    expect(eventNames(m, 0)).toEqual(['flushed']); // reported by both fragments, kept once
    expect(m.stores.events.timeMs[m.eventStart[0]] - m.traceStart.ms).toBe(0); // 90 µs after the start
    expect(m.stores.events.timeNsOfMs[m.eventStart[0]] - m.traceStart.nsOfMs).toBe(90 * US);
    expect(resourceAttrs(m, 0)).toEqual({ 'net.host.ip': '10.0.0.1' });
  });

  it('places a span without timestamp at its parent and warns', async () => {
    const c = await load([
      { traceId: T, id: '0000000000000001', name: 'root', timestamp: T0, duration: 100, localEndpoint: { serviceName: 'a' } },
      { traceId: T, id: '0000000000000002', parentId: '0000000000000001', name: 'late', duration: 7, localEndpoint: { serviceName: 'a' } },
      { traceId: T, id: '0000000000000003', parentId: '0000000000000001', name: 'open', timestamp: T0 + 50, localEndpoint: { serviceName: 'a' } },
    ]);
    const m = c.traces[0];
    const late = spanById(m, '0000000000000002');
    expect(m.startNs[late]).toBe(0);
    expect(m.durationNs[late]).toBe(7 * US);
    expect(m.spanWarnings.get(late)).toContain("no start time in the file; placed at its parent's start");
    const open = spanById(m, '0000000000000003');
    expect(m.startNs[open]).toBe(50 * US);
    expect(m.spanWarnings.get(open)).toContain('no duration in the file; shown as 0');
  });

  it('gives a span without localEndpoint the unknown service and no resource', async () => {
    const c = await load([{ traceId: T, id: '0000000000000001', name: 'x', timestamp: T0, duration: 1, remoteEndpoint: { serviceName: 'db', ipv4: '10.1.1.1', port: 5432 } }]);
    const m = c.traces[0];
    expect(spanService(m, 0)).toBe('unknown_service');
    expect(m.resourceId[0]).toBe(-1);
    expect(spanAttrs(m, 0)).toEqual({ 'peer.service': 'db', 'net.peer.ip': '10.1.1.1', 'net.peer.port': 5432 });
  });

  it('marks error tags (even empty) and otel.status_code as errors', async () => {
    const span = (id: string, tags: Record<string, string>) => ({ traceId: T, id, name: id, timestamp: T0, duration: 1, localEndpoint: { serviceName: 's' }, tags });
    const c = await load([
      span('0000000000000001', { error: '' }),
      span('0000000000000002', { error: 'connection refused' }),
      span('0000000000000003', { 'otel.status_code': 'ERROR', 'otel.status_description': 'deadline exceeded' }),
      span('0000000000000004', { 'otel.status_code': 'OK' }),
      span('0000000000000005', { 'http.status_code': '500' }),
    ]);
    const m = c.traces[0];
    expect(m.errorCount).toBe(3);
    const status = (id: string) => [m.status[spanById(m, id)], m.statusMessage.get(spanById(m, id))];
    expect(status('0000000000000001')).toEqual([2, undefined]);
    expect(status('0000000000000002')).toEqual([2, 'connection refused']);
    expect(status('0000000000000003')).toEqual([2, 'deadline exceeded']);
    expect(status('0000000000000004')).toEqual([1, undefined]);
    expect(status('0000000000000005')).toEqual([0, undefined]);
    expect(spanAttrs(m, spanById(m, '0000000000000001'))).toEqual({ error: '' }); // the tag itself is kept
  });

  it('pads a 16-hex trace id to 32 and joins it with its 128-bit form in the same response', async () => {
    const c = await load([
      { traceId: 'b33447baae403ed6', id: '0000000000000001', name: 'short-only', timestamp: T0, duration: 1, localEndpoint: { serviceName: 's' } },
      { traceId: '5aab74dbb904746b0000000000000abc', id: '0000000000000002', name: 'wide', timestamp: T0, duration: 2, localEndpoint: { serviceName: 's' } },
      { traceId: 'abc', id: '3', parentId: '2', name: 'narrow', timestamp: T0, duration: 1, localEndpoint: { serviceName: 's' } },
    ]);
    expect(c.traces.map((t) => t.traceId).sort()).toEqual(['0000000000000000b33447baae403ed6', '5aab74dbb904746b0000000000000abc']);
    const wide = c.traces.find((t) => t.traceId === '5aab74dbb904746b0000000000000abc');
    assert(wide);
    expect(wide.spanCount).toBe(2);
    expect(wide.parent[spanById(wide, '0000000000000003')]).toBe(spanById(wide, '0000000000000002'));
  });

  it('reads an array of arrays as one trace per inner array, and NDJSON lines as one batch', async () => {
    const a = { traceId: '1'.repeat(16), id: '0000000000000001', name: 'a', timestamp: T0, duration: 5, localEndpoint: { serviceName: 'x' } };
    const b = { traceId: '2'.repeat(16), id: '0000000000000001', name: 'b', timestamp: T0, duration: 5, localEndpoint: { serviceName: 'y' } };
    const nested = await load([[a], [b]]);
    expect(nested.format).toBe('zipkin-v2');
    expect(nested.traces).toHaveLength(2);

    // One span per line: the server half on line 1 still finds its client on line 2.
    const server = { traceId: T, id: '0000000000000009', kind: 'SERVER', shared: true, name: 's', timestamp: T0 + 1, duration: 1, localEndpoint: { serviceName: 'srv' } };
    const client = { traceId: T, id: '0000000000000009', kind: 'CLIENT', name: 'c', timestamp: T0, duration: 3, localEndpoint: { serviceName: 'cli' } };
    const ndjson = await load(`${JSON.stringify(server)}\n${JSON.stringify(client)}\n`);
    expect(ndjson.format).toBe('zipkin-v2');
    const m = ndjson.traces[0];
    expect(m.parent[spanById(m, '0000000000000009', 'server')]).toBe(spanById(m, '0000000000000009', 'client'));
  });

  it('skips a span with a broken id and keeps the rest', async () => {
    const c = await load([
      { traceId: T, id: '0000000000000001', name: 'ok', timestamp: T0, duration: 1, localEndpoint: { serviceName: 's' } },
      { traceId: T, id: 'not-hex!', name: 'bad', timestamp: T0, duration: 1 },
      42,
    ]);
    expect(c.traces[0].spanCount).toBe(1);
    expect(c.warnings).toEqual(['skipped 1 value: span without a valid traceId and id', 'skipped 1 value: not a Zipkin span object']);
  });

  it('keeps debug and shared flags and the local endpoint as resource attributes', async () => {
    const c = await load([
      { traceId: T, id: '0000000000000001', kind: 'CLIENT', name: 'c', debug: true, timestamp: T0, duration: 4, localEndpoint: { serviceName: 'cli', ipv4: '10.0.0.1', ipv6: '::1', port: 80 } },
      { traceId: T, id: '0000000000000001', kind: 'SERVER', shared: true, name: 's', timestamp: T0 + 1, duration: 2, localEndpoint: { serviceName: 'srv', ipv6: 'fe80::1' } },
    ]);
    const m = c.traces[0];
    const client = spanById(m, '0000000000000001', 'client');
    expect(spanAttrs(m, client)).toEqual({ 'zipkin.debug': true });
    expect(resourceAttrs(m, client)).toEqual({ 'net.host.ip': '10.0.0.1', 'net.host.ipv6': '::1', 'net.host.port': 80 });
    expect(resourceAttrs(m, spanById(m, '0000000000000001', 'server'))).toEqual({ 'net.host.ip': 'fe80::1' });
    expect(m.stores.resources).toHaveLength(2);
  });
});

describe('importZipkinSpans (spans already parsed, as the Zipkin receiver has them)', () => {
  it.each(['zipkin__netflix.json', 'zipkin__smartthings-oauth-authorization.json', 'zipkin__skew.json', 'zipkin__yelp.json'])(
    'gives the same traces as the file %s read from bytes',
    async (file) => {
      const bytes = readFixture(join('real', 'zipkin', file));
      const fromValues = importZipkinSpans(JSON.parse(new TextDecoder().decode(bytes)) as unknown[]);
      expect(dumpCollection(fromValues)).toBe(dumpCollection(await loadBytes(bytes)));
    },
  );

  it('skips what is not a span with the same warnings, and names a batch with no spans', () => {
    const T = 'a'.repeat(32);
    const c = importZipkinSpans([{ traceId: T, id: '0000000000000001', name: 'ok', timestamp: T0, duration: 1, localEndpoint: { serviceName: 's' } }, { traceId: T, id: 'not-hex!' }, 42]);
    expect(c.traces[0].spanCount).toBe(1);
    expect(c.warnings).toEqual(['skipped 1 value: span without a valid traceId and id', 'skipped 1 value: not a Zipkin span object']);
    expect(() => importZipkinSpans([42])).toThrow(expect.objectContaining({ info: expect.objectContaining({ kind: 'no-spans' }) }));
  });
});
