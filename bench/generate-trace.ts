// Deterministic synthetic trace for the benchmark: one trace of N spans written as OTLP/JSON or Jaeger
// JSON, straight to a file in ~1 MB pieces (never one big string). The same options always give the
// same bytes: every random choice comes from one seeded PRNG, drawn in a fixed order.
//
// Shape: ~24 services (http, cache, db, broker), a tree grown breadth-first (mixed fan-out: leaves,
// chains, 2-10, a few 15-60 batches; depth capped), client/server pairs across services,
// producer/consumer under the broker, ~9 attributes per span of every type, ~3% errors with an
// exception event, ~8% spans with 1-3 events, ~0.5% links to earlier spans, ~0.2% links to other traces.
//
//   node --import tsx bench/generate-trace.ts --spans 100k --format otlp --out bench/out/x.json [--seed 7]
import { closeSync, openSync, writeSync } from 'node:fs';
import { makeRng } from '../src/core/rng.ts';

export type GeneratedFormat = 'otlp' | 'jaeger';

export interface GenerateOptions {
  readonly spans: number;
  readonly format: GeneratedFormat;
  readonly seed?: number;
  readonly services?: number;
  readonly maxDepth?: number;
}

export interface GenerateStats {
  readonly spans: number;
  readonly bytes: number;
  readonly traceId: string;
  readonly maxDepth: number;
  readonly errors: number;
  readonly events: number;
  readonly links: number;
}


type ServiceKind = 'http' | 'cache' | 'db' | 'mq';
interface Service {
  readonly name: string;
  readonly kind: ServiceKind;
  readonly ops: readonly string[];
  readonly host: string;
  readonly version: string;
}

const BASE_SERVICES: readonly [string, ServiceKind][] = [
  ['frontend', 'http'], ['api-gateway', 'http'], ['auth', 'http'], ['users', 'http'], ['orders', 'http'],
  ['payments', 'http'], ['inventory', 'http'], ['shipping', 'http'], ['notifications', 'http'], ['search', 'http'],
  ['recommendations', 'http'], ['cart', 'http'], ['pricing', 'http'], ['catalog', 'http'], ['reviews', 'http'],
  ['fraud', 'http'], ['email', 'http'], ['ads', 'http'], ['currency', 'http'], ['quotes', 'http'],
  ['redis', 'cache'], ['postgres', 'db'], ['mysql', 'db'], ['kafka', 'mq'],
];

const T0_MS = 1_735_689_600_000; // 2025-01-01T00:00:00Z

/** Generates the trace into `outPath`; returns what was written. */
export function generateTrace(outPath: string, options: GenerateOptions): GenerateStats {
  const n = options.spans;
  const maxDepth = options.maxDepth ?? 14;
  const rand = makeRng(((options.seed ?? 42) * 2654435761) ^ n);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const hex8 = () => Math.floor(rand() * 4294967296).toString(16).padStart(8, '0');

  const services: Service[] = [];
  for (let i = 0; i < (options.services ?? BASE_SERVICES.length); i++) {
    const [base, kind] = BASE_SERVICES[i % BASE_SERVICES.length];
    const name = i < BASE_SERVICES.length ? base : `${base}-${Math.floor(i / BASE_SERVICES.length) + 1}`;
    const ops =
      kind === 'http'
        ? ['GET /api/v1/{id}', 'POST /api/v1/items', `${name}.handle`, 'GET /healthz', `${name}.validate`, 'PUT /api/v1/{id}'].map((o) => o.replace('v1', `v1/${name}`))
        : kind === 'cache'
          ? ['GET', 'SET', 'MGET', 'DEL']
          : kind === 'db'
            ? ['SELECT orders', 'SELECT users', 'INSERT items', 'UPDATE stock', 'BEGIN', 'COMMIT']
            : ['orders publish', 'payments publish', 'orders process'];
    services.push({ name, kind, ops, host: `${name}-${hex8().slice(0, 5)}`, version: `1.${int(0, 9)}.${int(0, 20)}` });
  }
  const httpServices = services.flatMap((s, i) => (s.kind === 'http' ? [i] : []));
  const firstOfKind = (k: ServiceKind) => services.findIndex((s) => s.kind === k);

  // ---- structure: parent, depth, service per span (breadth-first; the tree is grown until N spans)
  const parent = new Int32Array(n).fill(-1);
  const depth = new Uint8Array(n);
  const svc = new Uint16Array(n);
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  let count = 1;
  queue[tail++] = 0;
  const fanout = (p: number): number => {
    const kind = services[svc[p]].kind;
    if (depth[p] >= maxDepth) return 0;
    if (depth[p] === 0) return int(3, 8);
    const r = rand();
    if (kind === 'cache' || kind === 'db') return r < 0.9 ? 0 : int(1, 2);
    if (kind === 'mq') return r < 0.5 ? 0 : int(1, 3);
    return r < 0.4 ? 0 : r < 0.65 ? 1 : r < 0.85 ? int(2, 4) : r < 0.97 ? int(5, 10) : int(15, 60);
  };
  const childService = (p: number): number => {
    const ps = services[svc[p]];
    if (ps.kind === 'cache' || ps.kind === 'db') return svc[p];
    if (ps.kind === 'mq') return pick(httpServices);
    if (rand() >= 0.45) return svc[p];
    const r = rand();
    if (r < 0.12) return firstOfKind('db');
    if (r < 0.22) return firstOfKind('cache');
    if (r < 0.27) return firstOfKind('mq');
    return pick(httpServices);
  };
  while (count < n) {
    if (head === tail) {
      let p: number;
      do p = Math.floor(rand() * count);
      while (depth[p] >= maxDepth);
      queue[tail++ % n] = p;
    }
    const p = queue[head++ % n];
    const k = Math.min(fanout(p), n - count);
    for (let j = 0; j < k; j++) {
      const c = count++;
      parent[c] = p;
      depth[c] = depth[p] + 1;
      svc[c] = Math.max(0, childService(p));
      if (depth[c] < maxDepth) queue[tail++ % n] = c;
    }
  }

  // ---- times in whole µs relative to the trace start; children start and end inside their parent
  const start = new Float64Array(n);
  const duration = new Float64Array(n);
  const hasChildren = new Uint8Array(n);
  duration[0] = int(2_000_000, 5_000_000);
  for (let i = 1; i < n; i++) {
    const ps = start[parent[i]];
    const pd = duration[parent[i]];
    hasChildren[parent[i]] = 1;
    start[i] = ps + Math.floor(rand() * pd * 0.7);
    duration[i] = Math.max(1, Math.floor((ps + pd - start[i]) * (0.05 + 0.9 * rand())));
  }

  const traceId = hex8() + hex8() + hex8() + hex8();
  const spanIds: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) spanIds[i] = hex8() + (i + 1).toString(16).padStart(8, '0');

  const out = new ChunkedFile(outPath);
  const stats = { spans: n, bytes: 0, traceId, maxDepth: 0, errors: 0, events: 0, links: 0 };
  for (let i = 0; i < n; i++) stats.maxDepth = Math.max(stats.maxDepth, depth[i]);

  const kindOf = (i: number): string => {
    const me = services[svc[i]];
    const p = parent[i];
    if (p >= 0 && svc[p] !== svc[i]) return me.kind === 'mq' ? 'producer' : services[svc[p]].kind === 'mq' ? 'consumer' : 'server';
    return i === 0 ? 'server' : me.kind === 'http' && rand() < 0.3 ? 'client' : 'internal';
  };

  // One span's data, drawn in span order so both formats share the same random stream.
  const spanData = (i: number): SpanData => {
    const me = services[svc[i]];
    const isError = rand() < 0.03;
    if (isError) stats.errors++;
    const attrs: Attr[] = [
      ['component', 's', me.kind === 'http' ? 'net/http' : me.kind],
      ['thread.id', 'i', int(1, 64)],
      ['sampled', 'b', rand() < 0.9],
      ['load', 'd', Math.round(rand() * 1000) / 100],
    ];
    if (me.kind === 'http') {
      attrs.push(['http.request.method', 's', pick(['GET', 'POST', 'PUT'])], ['url.path', 's', `/api/v1/${pick(['orders', 'users', 'items'])}/${int(1, 99999)}`]);
      attrs.push(['http.response.status_code', 'i', isError ? pick([500, 502, 503]) : pick([200, 200, 201, 204])], ['user.id', 's', `u-${int(1, 50000)}`]);
      if (rand() < 0.2) attrs.push(['feature.flags', 'a', ['new-checkout', 'dark-mode'].slice(0, int(1, 2))]);
    } else if (me.kind === 'db') {
      attrs.push(['db.system', 's', me.name === 'mysql' ? 'mysql' : 'postgresql'], ['db.statement', 's', `${pick(me.ops)} WHERE id = $1 LIMIT ${int(1, 100)}`]);
      attrs.push(['db.rows_affected', 'i', int(0, 500)], ['db.user', 's', 'app']);
    } else if (me.kind === 'cache') {
      attrs.push(['db.system', 's', 'redis'], ['db.statement', 's', `${pick(me.ops)} key:${int(1, 1e6)}`], ['db.redis.database_index', 'i', int(0, 3)]);
    } else {
      attrs.push(['messaging.system', 's', 'kafka'], ['messaging.destination.name', 's', pick(['orders', 'payments'])], ['messaging.kafka.partition', 'i', int(0, 11)]);
    }
    const events: SpanData['events'] = [];
    if (isError) {
      events.push({
        at: start[i] + Math.floor(duration[i] * rand()),
        name: 'exception',
        attrs: [
          ['exception.type', 's', pick(['TimeoutError', 'ConnectionReset', 'ValidationError'])],
          ['exception.message', 's', `request failed after ${int(1, 3)} attempt(s)`],
          ['exception.stacktrace', 's', 'at handler (main.go:142)\nat serve (server.go:88)'],
        ],
      });
    } else if (rand() < 0.08) {
      for (let k = int(1, 3); k > 0; k--) {
        events.push({ at: start[i] + Math.floor(duration[i] * rand()), name: pick(['cache miss', 'retrying', 'acquired lock', 'sent response']), attrs: [['attempt', 'i', int(1, 3)]] });
      }
      events.sort((a, b) => a.at - b.at);
    }
    stats.events += events.length;
    const links: SpanData['links'] = [];
    if (i > 1 && rand() < 0.005) links.push({ traceId, spanId: spanIds[Math.floor(rand() * i)], kind: 'follows_from' });
    if (rand() < 0.002) links.push({ traceId: hex8() + hex8() + hex8() + hex8(), spanId: hex8() + hex8(), kind: 'link' });
    stats.links += links.length;
    // OTLP leaves start a few hundred ns into their first µs (exercises ns precision, stays inside the parent).
    const subNs = options.format === 'otlp' && !hasChildren[i] ? int(0, 999) : 0;
    return { name: pick(me.ops), kind: kindOf(i), isError, attrs, events, links, subNs };
  };

  if (options.format === 'otlp') writeOtlp(out, { n, traceId, spanIds, parent, svc, start, duration, services, spanData });
  else writeJaeger(out, { n, traceId, spanIds, parent, svc, start, duration, services, spanData });
  stats.bytes = out.close();
  return stats;
}

/** [key, type (s string, i int, b bool, d double, a string array), value] */
type Attr = [string, 's' | 'i' | 'b' | 'd' | 'a', string | number | boolean | string[]];

interface SpanData {
  readonly name: string;
  readonly kind: string;
  readonly isError: boolean;
  readonly attrs: Attr[];
  /** `at`: µs from the trace start. */
  readonly events: { readonly at: number; readonly name: string; readonly attrs: Attr[] }[];
  readonly links: { readonly traceId: string; readonly spanId: string; readonly kind: 'follows_from' | 'link' }[];
  /** Sub-microsecond nanoseconds added to the start (OTLP only). */
  readonly subNs: number;
}

interface Layout {
  readonly n: number;
  readonly traceId: string;
  readonly spanIds: readonly string[];
  readonly parent: Int32Array;
  readonly svc: Uint16Array;
  /** µs from the trace start. */
  readonly start: Float64Array;
  /** µs. */
  readonly duration: Float64Array;
  readonly services: readonly Service[];
  /** Draws span i's random content; call once per span, in the order the writer emits spans. */
  readonly spanData: (i: number) => SpanData;
}

/** Absolute ns (decimal string) of a relative ns value, without going through a float beyond 2^53. */
function absNanos(relNs: number): string {
  const ms = T0_MS + Math.floor(relNs / 1e6);
  return `${ms}${String(relNs % 1e6).padStart(6, '0')}`;
}

function otlpValue(type: Attr[1], value: Attr[2]): unknown {
  switch (type) {
    case 's':
      return { stringValue: value };
    case 'i':
      return { intValue: String(value) };
    case 'b':
      return { boolValue: value };
    case 'd':
      return { doubleValue: value };
    case 'a':
      return { arrayValue: { values: (value as string[]).map((v) => ({ stringValue: v })) } };
  }
}

const OTLP_KIND: Record<string, number> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };

function writeOtlp(out: ChunkedFile, l: Layout): void {
  // Spans grouped by service (one ResourceSpans each), in span order within a service.
  const order = Array.from({ length: l.n }, (_, i) => i).sort((a, b) => l.svc[a] - l.svc[b] || a - b);
  const kv = (attrs: Attr[]) => attrs.map(([key, type, value]) => ({ key, value: otlpValue(type, value) }));
  out.write('{"resourceSpans":[');
  let current = -1;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const s = l.services[l.svc[i]];
    if (l.svc[i] !== current) {
      if (current >= 0) out.write(']}]},');
      current = l.svc[i];
      const resource = kv([['service.name', 's', s.name], ['service.version', 's', s.version], ['host.name', 's', s.host], ['telemetry.sdk.language', 's', 'go']]);
      out.write(`{"resource":${JSON.stringify({ attributes: resource })},"scopeSpans":[{"scope":{"name":"io.example.${s.kind}","version":"0.9.0"},"spans":[`);
    } else out.write(',');
    const d = l.spanData(i);
    const startNs = l.start[i] * 1000 + d.subNs;
    const span = {
      traceId: l.traceId,
      spanId: l.spanIds[i],
      ...(l.parent[i] >= 0 ? { parentSpanId: l.spanIds[l.parent[i]] } : {}),
      name: d.name,
      kind: OTLP_KIND[d.kind],
      startTimeUnixNano: absNanos(startNs),
      endTimeUnixNano: absNanos((l.start[i] + l.duration[i]) * 1000),
      attributes: kv(d.attrs),
      ...(d.events.length ? { events: d.events.map((e) => ({ timeUnixNano: absNanos(e.at * 1000), name: e.name, attributes: kv(e.attrs) })) } : {}),
      ...(d.links.length ? { links: d.links.map((x) => ({ traceId: x.traceId, spanId: x.spanId, attributes: x.kind === 'follows_from' ? kv([['opentracing.ref_type', 's', 'follows_from']]) : [] })) } : {}),
      status: d.isError ? { code: 2, message: 'request failed' } : {},
    };
    out.write(JSON.stringify(span));
  }
  out.write(']}]}]}\n');
}

function writeJaeger(out: ChunkedFile, l: Layout): void {
  const tag = ([key, type, value]: Attr) =>
    type === 's' ? { key, type: 'string', value } : type === 'i' ? { key, type: 'int64', value } : type === 'b' ? { key, type: 'bool', value } : type === 'd' ? { key, type: 'float64', value } : { key, type: 'string', value: JSON.stringify(value) };
  const us = (relUs: number) => T0_MS * 1000 + relUs;
  const processes: Record<string, unknown> = {};
  l.services.forEach((s, k) => {
    processes[`p${k + 1}`] = { serviceName: s.name, tags: [tag(['service.version', 's', s.version]), tag(['hostname', 's', s.host]), tag(['telemetry.sdk.language', 's', 'go'])] };
  });
  out.write(`{"data":[{"traceID":"${l.traceId}","processes":${JSON.stringify(processes)},"warnings":null,"spans":[`);
  for (let i = 0; i < l.n; i++) {
    const d = l.spanData(i);
    const references = [];
    if (l.parent[i] >= 0) references.push({ refType: 'CHILD_OF', traceID: l.traceId, spanID: l.spanIds[l.parent[i]] });
    for (const x of d.links) references.push({ refType: 'FOLLOWS_FROM', traceID: x.traceId, spanID: x.spanId });
    const tags = [...d.attrs.map(tag), { key: 'span.kind', type: 'string', value: d.kind }];
    if (d.isError) tags.push({ key: 'error', type: 'bool', value: true });
    const span = {
      traceID: l.traceId,
      spanID: l.spanIds[i],
      operationName: d.name,
      references,
      startTime: us(l.start[i]),
      duration: l.duration[i],
      tags,
      logs: d.events.map((e) => ({ timestamp: us(e.at), fields: [tag(['event', 's', e.name]), ...e.attrs.map(tag)] })),
      processID: `p${l.svc[i] + 1}`,
      warnings: null,
      flags: 1,
    };
    out.write((i === 0 ? '' : ',') + JSON.stringify(span));
  }
  out.write(']}],"total":1,"limit":0,"offset":0,"errors":null}\n');
}

/** Appends strings to a file in ~1 MB writes. */
class ChunkedFile {
  private readonly fd: number;
  private parts: string[] = [];
  private pending = 0;
  private bytes = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(s: string): void {
    this.parts.push(s);
    this.pending += s.length;
    if (this.pending >= 1 << 20) this.flush();
  }

  private flush(): void {
    const buf = Buffer.from(this.parts.join(''), 'utf8');
    writeSync(this.fd, buf);
    this.bytes += buf.length;
    this.parts = [];
    this.pending = 0;
  }

  /** Flushes, closes and returns the bytes written. */
  close(): number {
    this.flush();
    closeSync(this.fd);
    return this.bytes;
  }
}

/** "10k" → 10000, "1M" → 1000000, "2500" → 2500. */
export function parseCount(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim());
  if (!m) throw new Error(`not a span count: ${JSON.stringify(text)}`);
  const scale = m[2] === '' ? 1 : m[2].toLowerCase() === 'k' ? 1e3 : 1e6;
  return Math.round(Number(m[1]) * scale);
}

// Run directly: node --import tsx bench/generate-trace.ts --spans 100k --format otlp --out FILE [--seed S]
if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const get = (flag: string) => {
    const k = args.indexOf(flag);
    return k >= 0 ? args[k + 1] : undefined;
  };
  const out = get('--out');
  const format = (get('--format') ?? 'otlp') as GeneratedFormat;
  if (!out || (format !== 'otlp' && format !== 'jaeger')) {
    process.stderr.write('usage: generate-trace.ts --spans N[k|M] --format otlp|jaeger --out FILE [--seed S] [--services K] [--max-depth D]\n');
    process.exit(2);
  }
  const stats = generateTrace(out, {
    spans: parseCount(get('--spans') ?? '1000'),
    format,
    seed: Number(get('--seed') ?? 42),
    services: get('--services') ? Number(get('--services')) : undefined,
    maxDepth: get('--max-depth') ? Number(get('--max-depth')) : undefined,
  });
  process.stderr.write(`${JSON.stringify(stats)}\n`);
}
