import { describe, expect, it } from 'vitest';
import { sampleJson } from '../json/json-sample.ts';
import { SPAN_KINDS, spanName, spanService, type TraceCollection } from '../model/trace-model.ts';
import { checkFixtureSnapshot, readFixture, eventNames, resourceAttrs, spanAttrs, spanById } from './fixture-test-helpers.ts';
import { loadBytes } from './index.ts';
import { zipkinV1Importer } from './zipkin-v1.ts';
import { zipkinV2Importer } from './zipkin.ts';





function load(json: unknown): Promise<TraceCollection> {
  return loadBytes(new TextEncoder().encode(JSON.stringify(json)));
}

const MS = 1_000_000; // ns per ms
const US = 1_000; // ns per µs
const T0 = 1_700_000_000_000_000; // µs
const ep = (serviceName: string, ipv4 = '10.0.0.1', port?: number) => ({ serviceName, ipv4, ...(port ? { port } : {}) });

describe('Zipkin v1 fixtures', () => {
  it('reads the SOFATracer list: a server-only root and an incomplete client child', async () => {
    const c = await checkFixtureSnapshot('real/zipkin-v1/zipkin__lens-test-v1-sofatracer.json', 'zipkin-v1');
    const m = c.traces[0];
    expect(m.traceId).toBe('000000000000000077047bf9cf04ed5d');
    expect(m.spanCount).toBe(2);
    const root = spanById(m, '77047bf9cf04ed5d');
    expect(SPAN_KINDS[m.kind[root]]).toBe('server');
    expect(spanService(m, root)).toBe('com.alipay.sofa.tracer.demo.facade.rpccallservice.okay.we.can.go.a.bit.further.to.see.how.lens.copes.with.this');
    expect(m.durationNs[root]).toBe(156470 * US);
    // The child has only "cs": its start comes from the annotation, its duration is missing.
    const child = spanById(m, '40ef4e93ab3b1507');
    expect(SPAN_KINDS[m.kind[child]]).toBe('client');
    expect(m.parent[child]).toBe(root);
    expect(m.startNs[child]).toBe((1484722952100852 - 1484722951945904) * US);
    expect(m.spanWarnings.get(child)).toContain('no duration in the file; shown as 0');
    expect(eventNames(m, root)).toEqual([]); // sr/ss became the timing, not events
  });

  it('splits the single benchmark span into a CLIENT and its shared SERVER half', async () => {
    const c = await checkFixtureSnapshot('real/zipkin-v1/zipkin__benchmarks-span-rpc-v1.json', 'zipkin-v1');
    const m = c.traces[0];
    expect(m.traceId).toBe('000000000000000083c138a4ee0f3de9');
    expect(m.spanCount).toBe(2);
    const client = spanById(m, 'd673d7abe80d2f3f', 'client');
    const server = spanById(m, 'd673d7abe80d2f3f', 'server');
    expect(m.parent[server]).toBe(client);
    expect(m.parentSpanIds[client]).toBe('83c138a4ee0f3de9'); // not in the file: an orphan root
    expect(m.orphanCount).toBe(1);
    expect(spanService(m, client)).toBe('zipkin-web');
    expect(spanService(m, server)).toBe('zipkin-query');
    expect(spanName(m, server)).toBe('get');
    // Client: the span's own timestamp/duration (cs→cr); server: sr→ss.
    expect(m.durationNs[client]).toBe(51 * MS);
    expect(m.durationNs[server]).toBe(4 * MS);
    expect(m.startNs[server]).toBe(24 * MS);
    // ws/wr stay as events of the client (same endpoint); binary annotations go to the side with their service.
    expect(eventNames(m, client)).toEqual(['ws', 'wr']);
    expect(spanAttrs(m, client)).toEqual({
      'http.uri': '/api/v1/traces',
      'clnt/finagle.version': '6.34.0',
      'peer.service': 'zipkin-query',
      'net.peer.ip': '172.18.0.4',
      'net.peer.port': 9411,
    });
    expect(spanAttrs(m, server)).toEqual({
      'http.path': '/api/v1/traces',
      'srv/finagle.version': '6.34.0',
      'peer.service': 'zipkin-query',
      'net.peer.ip': '172.18.0.3',
      'net.peer.port': 42291,
      'zipkin.shared': true,
    });
    expect(resourceAttrs(m, server)).toEqual({ 'net.host.ip': '172.18.0.4', 'net.host.port': 9411 });
    expect(resourceAttrs(m, client)).toEqual({ 'net.host.ip': '127.0.0.1' });
  });

  it('is not taken for v2, and v2 fixtures are not taken for v1', () => {
    for (const f of ['real/zipkin-v1/zipkin__lens-test-v1-sofatracer.json', 'real/zipkin-v1/zipkin__benchmarks-span-rpc-v1.json']) {
      expect(zipkinV2Importer.looksLike(sampleJson(readFixture(f))), f).toBe(false);
    }
    for (const f of ['zipkin__smartthings-oauth-authorization.json', 'zipkin__netflix.json', 'zipkin__malformed-kong.json', 'zipkin__yelp.json']) {
      expect(zipkinV1Importer.looksLike(sampleJson(readFixture(`real/zipkin/${f}`))), f).toBe(false);
    }
  });
});

describe('Zipkin v1 synthetic cases', () => {
  const traceId = '00000000000000aa';

  it('makes both sides of one span, with the grandchild under the server side', async () => {
    //  cs ───────────────────────── cr   (frontend)
    //       sr ─────────────── ss         (backend, same id)
    //            [db call]                (backend child naming the shared id)
    const c = await load([
      {
        traceId,
        id: '0000000000000001',
        name: 'get /users',
        annotations: [
          { timestamp: T0, value: 'cs', endpoint: ep('frontend') },
          { timestamp: T0 + 10, value: 'sr', endpoint: ep('backend', '10.0.0.2') },
          { timestamp: T0 + 15, value: 'cache miss', endpoint: ep('backend', '10.0.0.2') },
          { timestamp: T0 + 90, value: 'ss', endpoint: ep('backend', '10.0.0.2') },
          { timestamp: T0 + 100, value: 'cr', endpoint: ep('frontend') },
        ],
        binaryAnnotations: [
          { key: 'http.path', value: '/users', endpoint: ep('backend', '10.0.0.2') },
          { key: 'sa', value: true, endpoint: ep('backend', '10.0.0.2', 8080) },
          { key: 'error', value: 'timeout talking to db', endpoint: ep('backend', '10.0.0.2') },
        ],
      },
      {
        traceId,
        id: '0000000000000002',
        parentId: '0000000000000001',
        name: 'select',
        timestamp: T0 + 20,
        duration: 30,
        annotations: [
          { timestamp: T0 + 20, value: 'cs', endpoint: ep('backend', '10.0.0.2') },
          { timestamp: T0 + 50, value: 'cr', endpoint: ep('backend', '10.0.0.2') },
        ],
      },
    ]);
    expect(c.format).toBe('zipkin-v1');
    const m = c.traces[0];
    expect(m.spanCount).toBe(3);
    const client = spanById(m, '0000000000000001', 'client');
    const server = spanById(m, '0000000000000001', 'server');
    expect(m.roots).toEqual(Uint32Array.from([client]));
    expect(m.parent[server]).toBe(client);
    expect(m.parent[spanById(m, '0000000000000002')]).toBe(server);
    expect(m.durationNs[client]).toBe(100 * US);
    expect(m.startNs[server]).toBe(10 * US);
    expect(m.durationNs[server]).toBe(80 * US);
    expect(eventNames(m, server)).toEqual(['cache miss']);
    expect(spanAttrs(m, client)).toEqual({ 'peer.service': 'backend', 'net.peer.ip': '10.0.0.2', 'net.peer.port': 8080 });
    // The error belongs to the backend side, whose endpoint it names.
    expect(m.status[server]).toBe(2);
    expect(m.statusMessage.get(server)).toBe('timeout talking to db');
    expect(m.status[client]).toBe(0);
  });

  it('reads lc local spans, ms/mr messaging sides and a single span object', async () => {
    const local = await load({
      traceId,
      id: '0000000000000003',
      name: 'compute',
      timestamp: T0,
      duration: 7,
      binaryAnnotations: [{ key: 'lc', value: 'worker-pool', endpoint: ep('batch') }],
    });
    expect(local.format).toBe('zipkin-v1');
    const lm = local.traces[0];
    expect(SPAN_KINDS[lm.kind[0]]).toBe('internal');
    expect(spanService(lm, 0)).toBe('batch');
    expect(spanAttrs(lm, 0)).toEqual({ lc: 'worker-pool' });
    expect(lm.durationNs[0]).toBe(7 * US);

    const messaging = await load([
      {
        traceId,
        id: '0000000000000004',
        name: 'publish',
        annotations: [
          { timestamp: T0, value: 'ms', endpoint: ep('producer-svc') },
          { timestamp: T0 + 40, value: 'mr', endpoint: ep('consumer-svc', '10.0.0.9') },
        ],
        binaryAnnotations: [{ key: 'ma', value: true, endpoint: { serviceName: 'kafka' } }],
      },
    ]);
    const mm = messaging.traces[0];
    const producer = spanById(mm, '0000000000000004', 'producer');
    const consumer = spanById(mm, '0000000000000004', 'consumer');
    expect(mm.parent[consumer]).toBe(producer);
    expect(mm.startNs[consumer]).toBe(40 * US);
    expect(spanService(mm, consumer)).toBe('consumer-svc');
    expect(spanAttrs(mm, producer)['peer.service']).toBe('kafka');
  });

  it('takes the span timestamp over the annotations, and joins halves reported as separate spans', async () => {
    const c = await load([
      {
        traceId,
        id: '0000000000000005',
        name: 'rpc',
        timestamp: T0 + 1,
        duration: 99,
        annotations: [
          { timestamp: T0, value: 'cs', endpoint: ep('a') },
          { timestamp: T0 + 100, value: 'cr', endpoint: ep('a') },
        ],
      },
      {
        traceId,
        id: '0000000000000005',
        name: 'rpc',
        annotations: [
          { timestamp: T0 + 10, value: 'sr', endpoint: ep('b', '10.0.0.2') },
          { timestamp: T0 + 20, value: 'ss', endpoint: ep('b', '10.0.0.2') },
        ],
      },
    ]);
    const m = c.traces[0];
    const client = spanById(m, '0000000000000005', 'client');
    const server = spanById(m, '0000000000000005', 'server');
    expect(m.durationNs[client]).toBe(99 * US);
    expect(m.startNs[client]).toBe(0);
    // Reported alone the server side has no shared flag; the client with the same id makes it one.
    expect(m.parent[server]).toBe(client);
    expect(m.durationNs[server]).toBe(10 * US);
  });
});
