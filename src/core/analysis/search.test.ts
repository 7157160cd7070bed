import { describe, expect, it } from 'vitest';
import { loadFixture } from '../import/fixture-test-helpers.ts';
import { attrValueToString, type AttrValue } from '../model/attributes.ts';
import { chainTrace } from '../model/test-traces.ts';
import { TraceModelBuilder } from '../model/trace-model-builder.ts';
import { SPAN_KINDS, spanName, spanService, type SpanKind, type TraceCollection, type TraceModel } from '../model/trace-model.ts';
import { makeRng } from '../rng.ts';
import { spanNamed, timeline } from './analysis-test-helpers.ts';
import { matchSpans, parseSearchQuery, withAncestors, type SearchLabels, type SearchQuery, type SearchTerm } from './search.ts';
import { parseDurationNs } from './search-syntax.ts';
import { operationLabels, spanLabels } from './span-label.ts';

function parse(text: string): SearchQuery {
  const r = parseSearchQuery(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  return r.query;
}

/** The terms without their ranges. */
function terms(text: string): Omit<SearchTerm, 'start' | 'end'>[] {
  return parse(text).terms.map(({ start: _s, end: _e, ...rest }) => rest);
}

/** The error message, and the part of the text it points at. */
function error(text: string): { message: string; at: string } {
  const r = parseSearchQuery(text);
  if (r.ok) throw new Error(`${text} parsed`);
  return { message: r.error.message, at: text.slice(r.error.start, r.error.end) };
}

describe('parseSearchQuery', () => {
  it('free text words and quoted phrases, with their ranges', () => {
    expect(parse('  checkout "order created"  x\\y ').terms).toEqual([
      { type: 'text', text: 'checkout', start: 2, end: 10 },
      { type: 'text', text: 'order created', start: 11, end: 26 },
      { type: 'text', text: 'x\\y', start: 28, end: 31 },
    ]);
    expect(terms('"say \\"hi\\" \\\\ bye"')).toEqual([{ type: 'text', text: 'say "hi" \\ bye' }]);
    // Words that merely contain field-like characters stay text.
    expect(terms('http://x/a?b=c order-service GET /api service')).toEqual(
      ['http://x/a?b=c', 'order-service', 'GET', '/api', 'service'].map((text) => ({ type: 'text', text })),
    );
    expect(parse('   ').terms).toEqual([]);
  });

  it('fields: service, operation (and name), kind, status, error, quoted values, spaces around the operator', () => {
    expect(terms('service=order-service operation=order.create name!="GET /api" kind=server status!=ok error=true')).toEqual([
      { type: 'service', op: '=', value: 'order-service' },
      { type: 'operation', op: '=', value: 'order.create' },
      { type: 'operation', op: '!=', value: 'GET /api' },
      { type: 'kind', op: '=', value: 'server' },
      { type: 'status', op: '!=', value: 'ok' },
      { type: 'error', value: true },
    ]);
    expect(terms('service="my svc" Service = frontend KIND=Client')).toEqual([
      { type: 'service', op: '=', value: 'my svc' },
      { type: 'service', op: '=', value: 'frontend' },
      { type: 'kind', op: '=', value: 'client' },
    ]);
    expect(terms('error=false error!=true error!=FALSE')).toEqual([
      { type: 'error', value: false },
      { type: 'error', value: false },
      { type: 'error', value: true },
    ]);
    const [term] = parse('a service = "x y" b').terms;
    expect(parse('a service = "x y" b').terms[1]).toMatchObject({ start: 2, end: 17 });
    expect(term).toMatchObject({ type: 'text', start: 0, end: 1 });
  });

  it('durations: min/max/duration with every unit', () => {
    expect(terms('minDuration=100ms maxDuration=2s duration>1.5s duration<=250us duration<7µs duration!=3ns duration>=2m duration=1h')).toEqual([
      { type: 'duration', op: '>=', ns: 100e6 },
      { type: 'duration', op: '<=', ns: 2e9 },
      { type: 'duration', op: '>', ns: 1.5e9 },
      { type: 'duration', op: '<=', ns: 250e3 },
      { type: 'duration', op: '<', ns: 7e3 },
      { type: 'duration', op: '!=', ns: 3 },
      { type: 'duration', op: '>=', ns: 120e9 },
      { type: 'duration', op: '=', ns: 3600e9 },
    ]);
    expect(parseDurationNs('1m30s')).toBe(90e9);
    expect(parseDurationNs('.5ms')).toBe(500e3);
    expect(parseDurationNs('2μs')).toBe(2e3); // Greek mu as well as the micro sign
    for (const bad of ['', '100', 'ms', '1mo', '-1s', '1 s', '1.2.3s']) expect(parseDurationNs(bad)).toBeUndefined();
  });

  it('attributes: attr.KEY, dotted keys, every operator, presence', () => {
    expect(terms('attr.order.id=123 http.status_code>=500 a.b!=x a.b>1 a.b<1 a.b<=1 attr.guid:x-request-id="3f8 2" attr.retries attr.tier=""')).toEqual([
      { type: 'attribute', key: 'order.id', op: '=', value: '123' },
      { type: 'attribute', key: 'http.status_code', op: '>=', value: '500' },
      { type: 'attribute', key: 'a.b', op: '!=', value: 'x' },
      { type: 'attribute', key: 'a.b', op: '>', value: '1' },
      { type: 'attribute', key: 'a.b', op: '<', value: '1' },
      { type: 'attribute', key: 'a.b', op: '<=', value: '1' },
      { type: 'attribute', key: 'guid:x-request-id', op: '=', value: '3f8 2' },
      { type: 'hasAttribute', key: 'retries' },
      { type: 'attribute', key: 'tier', op: '=', value: '' },
    ]);
    // attr. also reaches keys that look like fields.
    expect(terms('attr.service=x attr.error=1')).toEqual([
      { type: 'attribute', key: 'service', op: '=', value: 'x' },
      { type: 'attribute', key: 'error', op: '=', value: '1' },
    ]);
  });

  it('ids: hex of any case and length, and Datadog decimal ids', () => {
    expect(terms('traceId=0AF7651916CD43DD8448EB211C80319C spanId=a1')).toEqual([
      { type: 'traceId', op: '=', ids: ['0af7651916cd43dd8448eb211c80319c'] },
      { type: 'spanId', op: '=', ids: ['00000000000000a1'] },
    ]);
    // Jaeger ids that are not hex are kept as written, and looked for as written.
    expect(terms('traceId=trace-123 spanId=span-1')).toEqual([
      { type: 'traceId', op: '=', ids: ['trace-123'] },
      { type: 'spanId', op: '=', ids: ['span-1'] },
    ]);
    expect(terms('spanId!=1234')).toEqual([{ type: 'spanId', op: '!=', ids: ['0000000000001234', '00000000000004d2'] }]);
  });

  it('explains what is wrong, pointing at the offending part', () => {
    expect(error('service=a minDuration=abc')).toEqual({ message: "minDuration needs a duration like 100ms, got 'abc' (units: ns, us, ms, s, m, h)", at: 'abc' });
    expect(error('minDuration=100')).toMatchObject({ at: '100' });
    expect(error('kind=foo')).toEqual({ message: "unknown kind 'foo' (server, client, producer, consumer, internal)", at: 'foo' });
    expect(error('x error=maybe')).toEqual({ message: "error= takes true or false, got 'maybe'", at: 'maybe' });
    expect(error('status=bad')).toEqual({ message: "unknown status 'bad' (ok, error, unset)", at: 'bad' });
    expect(error('a service="my svc')).toEqual({ message: 'unterminated quote: add a closing "', at: '"my svc' });
    expect(error('"open phrase')).toEqual({ message: 'unterminated quote: add a closing "', at: '"open phrase' });
    expect(error('service="a"b c')).toEqual({ message: 'put a space after the closing quote', at: 'b' });
    expect(error('service>x')).toEqual({ message: 'service takes = or !=, not >', at: '>' });
    expect(error('minDuration>1s')).toEqual({ message: 'minDuration takes = (or use duration>), not >', at: '>' });
    expect(error('error<true')).toMatchObject({ at: '<' });
    expect(error('a service=')).toEqual({ message: 'service= needs a value', at: 'service=' });
    expect(error('http.route=')).toMatchObject({ message: 'http.route= needs a value (write "" for an empty one)', at: 'http.route=' });
    expect(error('attr.=x')).toMatchObject({ at: 'attr.' });
  });
});

// ---- matching

interface TestSpan {
  readonly name: string;
  readonly parent?: number;
  readonly service?: string;
  readonly kind?: SpanKind;
  readonly durationNs?: number;
  readonly error?: boolean;
  readonly attrs?: Record<string, AttrValue>;
  readonly resource?: number;
  readonly scope?: number;
}

/** A trace from a list of spans (parents by list index) with resources and scopes. */
function build(spans: readonly TestSpan[], resources: Record<string, AttrValue>[] = [], scopes: Record<string, AttrValue>[] = []): TraceModel {
  const b = new TraceModelBuilder('otlp-json');
  const resourceIds = resources.map((attrs, k) => {
    const id = b.addResource(`resource-${k}`);
    for (const [key, value] of Object.entries(attrs)) b.attr(key, value);
    return id;
  });
  const scopeIds = scopes.map((attrs, k) => {
    const id = b.addScope(`scope-${k}`);
    for (const [key, value] of Object.entries(attrs)) b.attr(key, value);
    return id;
  });
  spans.forEach((s, i) => {
    b.addSpan({
      traceId: 'f'.repeat(32),
      spanId: (i + 1).toString(16).padStart(16, '0'),
      parentSpanId: s.parent === undefined ? '' : (s.parent + 1).toString(16).padStart(16, '0'),
      name: s.name,
      service: s.service ?? 'svc',
      kind: s.kind,
      resource: s.resource === undefined ? undefined : resourceIds[s.resource],
      scope: s.scope === undefined ? undefined : scopeIds[s.scope],
      start: { ms: 1_700_000_000_000, nsOfMs: i },
      durationNs: s.durationNs ?? 1000,
      status: s.error ? 'error' : 'unset',
    });
    for (const [key, value] of Object.entries(s.attrs ?? {})) b.attr(key, value);
  });
  return b.build().traces[0];
}

function labelsOf(model: TraceModel): SearchLabels {
  return { spans: spanLabels(model), operations: operationLabels(model) };
}

/** Names of the matching spans. */
function names(model: TraceModel, text: string, labels = labelsOf(model)): string[] {
  return Array.from(matchSpans(model, parse(text), labels), (i) => spanName(model, i));
}

describe('matchSpans on drawn cases', () => {
  //   root (api, prod resource, scope flag=on)  http.status_code=503  order.id="123"  big=2^53+1
  //     charge (payments, staging resource)      http.status_code="404" (a string, as Zipkin writes it)
  //                                              deployment.environment=prod on the span itself
  //     query (db, no resource)                  db.statement="SELECT * FROM orders"  version="10.2"
  const big = 9007199254740993n;
  const model = build(
    [
      { name: 'root', service: 'api', kind: 'server', durationNs: 5e9, resource: 0, scope: 0, attrs: { 'http.status_code': 503, 'order.id': '123', big } },
      { name: 'charge', parent: 0, service: 'payments', kind: 'client', durationNs: 2e6, error: true, resource: 1, attrs: { 'http.status_code': '404', 'deployment.environment': 'prod' } },
      { name: 'query', parent: 0, service: 'db', durationNs: 150e6, attrs: { 'db.statement': 'SELECT * FROM orders', version: '10.2' } },
    ],
    [{ 'deployment.environment': 'prod', 'service.name': 'api' }, { 'deployment.environment': 'staging' }],
    [{ 'lib.flag': 'on' }],
  );

  it('fields', () => {
    expect(names(model, '')).toEqual(['root', 'charge', 'query']);
    expect(names(model, 'service=PAYMENTS')).toEqual(['charge']);
    expect(names(model, 'service!=payments')).toEqual(['root', 'query']);
    expect(names(model, 'name=query')).toEqual(['query']);
    expect(names(model, 'minDuration=100ms maxDuration=2s')).toEqual(['query']);
    expect(names(model, 'duration<=2ms')).toEqual(['charge']);
    expect(names(model, 'error=true')).toEqual(['charge']);
    expect(names(model, 'error=false kind!=server')).toEqual(['query']);
    expect(names(model, 'status=error')).toEqual(['charge']);
    expect(names(model, `traceId=${'F'.repeat(32)} spanId=2`)).toEqual(['charge']);
    expect(names(model, 'traceId=1')).toEqual([]);
  });

  it('attributes: numbers compare as numbers, also from strings; != needs the attribute', () => {
    expect(names(model, 'http.status_code>=500')).toEqual(['root']);
    expect(names(model, 'http.status_code>=400')).toEqual(['root', 'charge']);
    expect(names(model, 'http.status_code<500')).toEqual(['charge']);
    expect(names(model, 'http.status_code=404.0')).toEqual(['charge']);
    expect(names(model, 'http.status_code!=404')).toEqual(['root']); // query has no status code
    expect(names(model, 'attr.order.id=123')).toEqual(['root']);
    expect(names(model, `attr.big=${big}`)).toEqual(['root']); // exact beyond 2^53
    expect(names(model, `attr.big=${big - 1n}`)).toEqual([]);
    expect(names(model, 'attr.version>9')).toEqual(['query']); // 10.2 > 9 as numbers, not as text
    expect(names(model, 'attr.version>"1"')).toEqual(['query']);
    expect(names(model, 'db.statement="select * from orders"')).toEqual(['query']); // text: case-insensitive
    expect(names(model, 'db.statement>s')).toEqual(['query']); // text order: "select…" sorts after "s"
    expect(names(model, 'db.statement<s')).toEqual([]);
    expect(names(model, 'attr.nope=1 root')).toEqual([]);
    expect(names(model, 'attr.version')).toEqual(['query']);
  });

  it('resource and scope attributes; the span attribute wins over its resource', () => {
    expect(names(model, 'deployment.environment=prod')).toEqual(['root', 'charge']);
    expect(names(model, 'deployment.environment=staging')).toEqual([]);
    expect(names(model, 'service.name=api')).toEqual(['root']);
    expect(names(model, 'attr.lib.flag=on')).toEqual(['root']);
    expect(names(model, 'attr.deployment.environment')).toEqual(['root', 'charge']);
  });

  it('free text: service, operation, span id, attribute values and labels; case-insensitive; all terms AND-ed', () => {
    expect(names(model, 'PAY')).toEqual(['charge']);
    expect(names(model, 'orders')).toEqual(['query']);
    expect(names(model, '0000003')).toEqual(['query']); // span id
    expect(names(model, 'staging')).toEqual([]); // resource values are for attr.KEY, not free text
    expect(names(model, '"from orders"')).toEqual(['query']);
    expect(names(model, 'o error=true')).toEqual(['charge']);
    expect(names(model, '503 404')).toEqual([]);
    expect(names(model, '.*')).toEqual([]); // regex characters are literal
    expect(names(model, '"* from"')).toEqual(['query']);
  });
});

describe('withAncestors', () => {
  //   root     [==============================]
  //     a      [==========]
  //       a1   [===]
  //       a2        [====]
  //     b                  [==========]
  //       b1               [===]
  //         b11            [=]
  //     c                              [====]
  const drawn = timeline(`
    root     [==============================]
      a      [==========]
        a1   [===]
        a2        [====]
      b                  [==========]
        b1               [===]
          b11            [=]
      c                              [====]
  `);
  const mask = (spans: string[]) => {
    const m = withAncestors(drawn, Uint32Array.from(spans, (s) => spanNamed(drawn, s)));
    return Object.fromEntries(Array.from(m, (v, i) => [spanName(drawn, i), v]));
  };

  it('marks matches 1 and their ancestors 2, in any order of matches', () => {
    expect(mask(['a2', 'b11'])).toEqual({ root: 2, a: 2, a1: 0, a2: 1, b: 2, b1: 2, b11: 1, c: 0 });
    expect(mask(['b11', 'a', 'a2'])).toEqual({ root: 2, a: 1, a1: 0, a2: 1, b: 2, b1: 2, b11: 1, c: 0 });
    expect(mask(['root'])).toEqual({ root: 1, a: 0, a1: 0, a2: 0, b: 0, b1: 0, b11: 0, c: 0 });
    expect(mask([])).toEqual({ root: 0, a: 0, a1: 0, a2: 0, b: 0, b1: 0, b11: 0, c: 0 });
  });

  it('walks a 100,000-deep chain without recursion', () => {
    const chain = chainTrace(100_000);
    expect(chain.maxDepth).toBe(99_999);
    const m = withAncestors(chain, matchSpans(chain, parse('name=s99999')));
    expect(m[99_999]).toBe(1);
    expect(m.subarray(0, 99_999).every((v) => v === 2)).toBe(true);
  });
});

// ---- real files, checked against counts read from the raw JSON and against a plain scan

/** Spans of every trace that satisfy `predicate`, as "traceIndex:spanIndex". */
function scan(c: TraceCollection, predicate: (m: TraceModel, i: number) => boolean): string[] {
  return c.traces.flatMap((m, t) => Array.from({ length: m.spanCount }, (_, i) => i).filter((i) => predicate(m, i)).map((i) => `${t}:${i}`));
}
function search(c: TraceCollection, text: string, withLabels = true): string[] {
  const q = parse(text);
  return c.traces.flatMap((m, t) => Array.from(matchSpans(m, q, withLabels ? labelsOf(m) : undefined), (i) => `${t}:${i}`));
}
const attr = (m: TraceModel, i: number, key: string) => m.stores.attributes.find(m.attrStart[i], m.attrCount[i], key);

const demo = await loadFixture('real/otlp/otel-tui__otel-demo-collector-file-export.jsonl');

describe('matchSpans on the OTel demo export', () => {

  it('http.status_code>=500: the 100 spans the file has', () => {
    const found = search(demo, 'http.status_code>=500');
    expect(found).toHaveLength(100);
    expect(found).toEqual(scan(demo, (m, i) => Number(attr(m, i, 'http.status_code')) >= 500));
  });

  it('service=frontend error=true: its 60 error spans', () => {
    const found = search(demo, 'service=frontend error=true');
    expect(found).toHaveLength(60);
    expect(found).toEqual(scan(demo, (m, i) => spanService(m, i) === 'frontend' && m.status[i] === 2));
  });

  it('attribute values taken from the file', () => {
    expect(search(demo, 'app.product.id=1YMWWN1N4O')).toHaveLength(5);
    expect(search(demo, 'attr.app.user.currency=usd')).toHaveLength(4);
    expect(search(demo, 'rpc.grpc.status_code=14')).toHaveLength(20);
    expect(search(demo, 'attr.guid:x-request-id=3f826012-d791-9cd8-9ed0-6901b0c8fd6e')).toHaveLength(1);
    // Resource attributes: the SDK language of each service.
    expect(search(demo, 'telemetry.sdk.language=python')).toHaveLength(99);
    const language = (m: TraceModel, i: number) => {
      const r = m.stores.resources[m.resourceId[i]];
      return r && m.stores.attributes.find(r.attrStart, r.attrCount, 'telemetry.sdk.language');
    };
    const javaServers = search(demo, 'telemetry.sdk.language=java kind=server');
    expect(javaServers.length).toBeGreaterThan(0);
    expect(javaServers).toEqual(scan(demo, (m, i) => language(m, i) === 'java' && m.kind[i] === SPAN_KINDS.indexOf('server')));
    const slow = search(demo, 'minDuration=100ms service!=loadgenerator');
    expect(slow.length).toBeGreaterThan(0);
    expect(slow).toEqual(scan(demo, (m, i) => m.durationNs[i] >= 100e6 && spanService(m, i) !== 'loadgenerator'));
  });

  it('free text over attribute values, names and labels', () => {
    const product = search(demo, '1ymwwn1n4o');
    expect(product).toEqual(
      scan(demo, (m, i) => m.stores.attributes.read(m.attrStart[i], m.attrCount[i]).some((a) => attrValueToString(a.value).toLowerCase().includes('1ymwwn1n4o'))),
    );
    // "→ 500" is only in labels ("GET /api/cart → 500").
    expect(search(demo, '"→ 500"', false)).toEqual([]);
    const viaLabel = search(demo, '"→ 500"');
    expect(viaLabel.length).toBeGreaterThan(0);
    expect(viaLabel.length).toBeLessThanOrEqual(100);
  });

  it('ids: the trace id matches its whole trace, a span id its span', () => {
    const m = demo.traces[3];
    const all = matchSpans(m, parse(`traceId=${m.traceId.toUpperCase()}`));
    expect(all.length).toBe(m.spanCount);
    expect(Array.from(matchSpans(m, parse(`spanId=${m.spanIds[m.spanCount - 1]}`)))).toEqual([m.spanCount - 1]);
    expect(matchSpans(demo.traces[4], parse(`traceId=${m.traceId}`))).toHaveLength(0);
  });
});

// ---- a generated 200k-span trace with attributes: results agree with a plain scan

function generatedWithAttributes(spanCount: number): TraceModel {
  const rand = makeRng(11);
  const b = new TraceModelBuilder('otlp-json');
  const resources = Array.from({ length: 8 }, (_, k) => {
    const id = b.addResource(`svc-${k}`);
    b.attr('deployment.environment', k % 2 === 0 ? 'prod' : 'staging');
    return id;
  });
  const durations = new Float64Array(spanCount);
  for (let i = 0; i < spanCount; i++) {
    const parent = i === 0 ? -1 : rand() < 0.5 ? i - 1 : Math.floor(rand() * i);
    const svc = Math.floor(rand() * 8);
    durations[i] = i === 0 ? 1e12 : Math.floor(rand() * durations[parent]);
    b.addSpan({
      traceId: 'a'.repeat(32),
      spanId: (i + 1).toString(16).padStart(16, '0'),
      parentSpanId: parent < 0 ? '' : (parent + 1).toString(16).padStart(16, '0'),
      name: `op-${i % 40}`,
      service: `svc-${svc}`,
      resource: resources[svc],
      kind: rand() < 0.5 ? 'server' : 'client',
      start: { ms: 1_700_000_000_000 + i, nsOfMs: 0 },
      durationNs: durations[i],
      status: rand() < 0.03 ? 'error' : 'unset',
    });
    const r = rand();
    if (r < 0.5) {
      b.attr('http.request.method', r < 0.25 ? 'GET' : 'POST');
      b.attr('http.route', `/api/items/${i % 30}`);
      b.attr('http.response.status_code', [200, 201, 404, 500, 503][i % 5]);
    } else if (r < 0.7) {
      b.attr('db.system', 'postgresql');
      b.attr('db.statement', `SELECT * FROM t${i % 20} WHERE id = $1`);
    }
    b.attr('order.id', String(i % 1000));
  }
  return b.build().traces[0];
}

describe('matchSpans on a generated 200k-span trace', () => {
  const model = generatedWithAttributes(200_000);
  const labels = labelsOf(model);
  const all = (predicate: (i: number) => boolean) => Array.from({ length: model.spanCount }, (_, i) => i).filter(predicate);
  const run = (text: string) => Array.from(matchSpans(model, parse(text), labels));

  it('agrees with a plain scan', () => {
    expect(labels.spans.labels.length).toBeLessThan(200);
    const status = (i: number) => attr(model, i, 'http.response.status_code') as number | undefined;
    // Only the stable name is on these spans: the old one finds it (semconv-keys.ts).
    const serverErrors = run('http.response.status_code>=500 error=true service=svc-3');
    expect(serverErrors.length).toBeGreaterThan(0);
    expect(serverErrors).toEqual(all((i) => (status(i) ?? 0) >= 500 && model.status[i] === 2 && spanService(model, i) === 'svc-3'));
    expect(run('http.status_code>=500 error=true service=svc-3')).toEqual(serverErrors);
    expect(run('deployment.environment=prod minDuration=1s')).toEqual(
      all((i) => Number(spanService(model, i).slice(4)) % 2 === 0 && model.durationNs[i] >= 1e9),
    );
    expect(run('order.id=7 t7')).toEqual(all((i) => attr(model, i, 'order.id') === '7' && String(attr(model, i, 'db.statement') ?? '').includes('t7')));
    // "→ 404" only in labels, which free text searches.
    expect(run('"→ 404" POST')).toEqual(all((i) => status(i) === 404 && attr(model, i, 'http.request.method') === 'POST'));
  });

  it('the ancestor mask covers the matches and exactly their ancestors', () => {
    const matches = matchSpans(model, parse('error=true kind=client'), labels);
    const mask = withAncestors(model, matches);
    const expected = new Uint8Array(model.spanCount);
    for (const m of matches) for (let p = model.parent[m]; p >= 0; p = model.parent[p]) expected[p] = 2;
    for (const m of matches) expected[m] = 1;
    expect(mask).toEqual(expected);
  });
});
