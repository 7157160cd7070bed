import { describe, expect, it } from 'vitest';
import { loadFixture } from '../import/fixture-test-helpers.ts';
import type { AttrValue } from '../model/attributes.ts';
import { generatedTrace } from '../model/test-traces.ts';
import { TraceModelBuilder } from '../model/trace-model-builder.ts';
import { spanName, type SpanKind, type TraceCollection, type TraceModel } from '../model/trace-model.ts';
import { NameIds } from './cross-trace-ids.ts';
import { OperationKeys, operationLabel, operationLabels, spanLabel, spanLabels, urlPath } from './span-label.ts';

/** One root span with these attributes; returns its label. */
function labelOf(attrs: Record<string, AttrValue>, name = 'span-name', kind: SpanKind = 'internal'): string {
  const b = new TraceModelBuilder('otlp-json');
  b.addSpan({ traceId: '1'.padStart(32, '0'), spanId: '1'.padStart(16, '0'), name, service: 'svc', kind, start: { ms: 1, nsOfMs: 0 }, durationNs: 1 });
  for (const [key, value] of Object.entries(attrs)) b.attr(key, value);
  const model = b.build().traces[0];
  const single = spanLabel(model, 0);
  expect(spanLabels(model).labels).toEqual([single]);
  return single;
}

/** Span name → distinct labels of spans with that name, over the whole file. */
function labelsByName(collection: TraceCollection): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const model of collection.traces) {
    const { labelId, labels } = spanLabels(model);
    for (let i = 0; i < model.spanCount; i++) {
      const name = spanName(model, i);
      const seen = out.get(name) ?? new Set<string>();
      out.set(name, seen.add(labels[labelId[i]]));
    }
  }
  return out;
}

/** Every label of the file; also checks spanLabels against spanLabel span by span. */
function allLabels(collection: TraceCollection): Set<string> {
  const out = new Set<string>();
  for (const model of collection.traces) {
    const { labelId, labels } = spanLabels(model);
    expect(new Set(labels).size).toBe(labels.length); // interned: each label once
    for (let i = 0; i < model.spanCount; i++) {
      expect(labels[labelId[i]]).toBe(spanLabel(model, i));
      out.add(labels[labelId[i]]);
    }
  }
  return out;
}

describe('spanLabel from semantic conventions', () => {
  it('http: method, route or path, status; current and old names', () => {
    expect(labelOf({ 'http.request.method': 'POST', 'http.route': '/api/orders', 'http.response.status_code': 201 })).toBe('POST /api/orders → 201');
    // A name that says no more than the method: the request's path stands in for a route.
    expect(labelOf({ 'http.method': 'GET', 'http.target': '/api/cart?user=7', 'http.status_code': 500 }, 'GET')).toBe('GET /api/cart → 500');
    // The route wins over the concrete path: fewer distinct labels, and it reads as the endpoint.
    expect(labelOf({ 'http.request.method': 'GET', 'url.path': '/orders/42', 'http.route': '/orders/{id}' })).toBe('GET /orders/{id}');
    expect(labelOf({ 'http.request.method': 'GET', 'url.full': 'https://shop.example.com:8443/checkout?step=2#top' }, 'HTTP GET')).toBe('GET /checkout');
    expect(labelOf({ 'http.method': 'DELETE', 'http.url': 'http://cart/items/3', 'http.status_code': '204' }, 'http.request')).toBe('DELETE /items/3 → 204');
    expect(labelOf({ 'http.method': 'DELETE', 'http.url': 'http://cart/items/3' }, '')).toBe('DELETE /items/3');
    // Envoy names a span by its direction (the OpenTelemetry demo's proxy) or by the URL it called
    // (Istio): the request's path, as for "GET".
    expect(labelOf({ 'http.method': 'POST', 'http.url': 'http://frontend-proxy:8080/api/cart' }, 'ingress')).toBe('POST /api/cart');
    expect(labelOf({ 'http.method': 'GET', 'http.url': 'http://reviews:9080/reviews/0', 'http.status_code': '200' }, 'reviews.default.svc.cluster.local:9080/*')).toBe('GET /reviews/0 → 200');
    expect(labelOf({ 'http.method': 'GET', 'http.url': 'http://a/b?c' }, 'https://a.example/b')).toBe('GET /b');
    // A name of its own is the operation (as in Jaeger and Tempo), not one label per request path.
    expect(labelOf({ 'http.request.method': 'PUT', 'url.path': '/api/v1/items/55091', 'http.response.status_code': 200 }, 'email.validate')).toBe('email.validate');
    expect(labelOf({ 'http.request.method': 'GET', 'url.full': 'http://a/b/c', 'resource.name': 'GET /b/{x}', 'http.status_code': 200 }, 'servlet.request')).toBe('GET /b/{x} → 200');
    // Zipkin: the method only in the span name, the path in http.path.
    expect(labelOf({ 'http.path': '/oauth/authorize', 'http.status_code': '302' }, 'get /oauth/authorize')).toBe('GET /oauth/authorize → 302');
  });

  it('url paths from full urls, host:port urls and bare paths', () => {
    expect(urlPath('http://frontend-proxy:8080/api/data/?contextKeys=a')).toBe('/api/data/');
    expect(urlPath('frontend-proxy:8080/api/cart')).toBe('/api/cart');
    expect(urlPath('/a/b#frag')).toBe('/a/b');
    expect(urlPath('https://example.com')).toBe('/');
    expect(urlPath('')).toBe('');
  });

  it('databases: system + operation + table, else the first words of the statement', () => {
    expect(labelOf({ 'db.system': 'postgresql', 'db.operation': 'SELECT', 'db.sql.table': 'orders' })).toBe('postgresql SELECT orders');
    expect(labelOf({ 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT', 'db.collection.name': 'orders' })).toBe('postgresql SELECT orders');
    expect(labelOf({ 'db.system': 'mongodb', 'db.operation': 'find', 'db.mongodb.collection': 'users' })).toBe('mongodb find users');
    const sql = `SELECT o.id, o.total, c.name
                 FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.status = $1`;
    const label = labelOf({ 'db.system': 'mysql', 'db.statement': sql });
    expect(label).toBe('mysql SELECT o.id, o.total, c.name FROM orders o JOIN customers c…');
    expect(labelOf({ 'db.system.name': 'sqlite', 'db.query.text': 'PRAGMA user_version' })).toBe('sqlite PRAGMA user_version');
    // JDBC instrumentations name the system only in the connection URL.
    expect(labelOf({ 'db.connection_string': 'jdbc:postgresql://db:5432/shop', 'db.statement': 'select 1' })).toBe('postgresql select 1');
  });

  it('redis commands', () => {
    expect(labelOf({ 'db.system': 'redis', 'db.statement': 'HGET cart:42 items' })).toBe('redis HGET cart:42 items');
    expect(labelOf({ 'db.system': 'redis', 'db.operation': 'HGET' })).toBe('redis HGET');
    expect(labelOf({ 'db.system.name': 'redis', 'db.query.text': 'SET session:9 ?' })).toBe('redis SET session:9 ?');
  });

  it('messaging: system + operation + destination; the operation from the kind when missing', () => {
    expect(labelOf({ 'messaging.system': 'kafka', 'messaging.operation': 'publish', 'messaging.destination': 'order-events' })).toBe('kafka publish order-events');
    expect(labelOf({ 'messaging.system': 'rabbitmq', 'messaging.operation.type': 'process', 'messaging.destination.name': 'jobs' })).toBe('rabbitmq process jobs');
    expect(labelOf({ 'messaging.system': 'kafka', 'messaging.destination.name': 'orders' }, 'x', 'producer')).toBe('kafka publish orders');
    expect(labelOf({ 'messaging.system': 'kafka', 'messaging.destination.name': 'orders' }, 'x', 'consumer')).toBe('kafka receive orders');
    // SQS through the AWS SDK is also an rpc call: the messaging view says more.
    expect(labelOf({ 'rpc.system': 'aws-api', 'rpc.service': 'SQS', 'rpc.method': 'SendMessage', 'messaging.system': 'aws_sqs', 'messaging.destination.name': 'q' }, 'x', 'producer')).toBe('aws_sqs publish q');
  });

  it('rpc: system, service/method and the gRPC status by name', () => {
    expect(labelOf({ 'rpc.system': 'grpc', 'rpc.service': 'payment.Payment', 'rpc.method': 'Charge', 'rpc.grpc.status_code': 0 })).toBe('grpc payment.Payment/Charge OK');
    expect(labelOf({ 'rpc.system': 'grpc', 'rpc.service': 'cart.Cart', 'rpc.method': 'Get', 'rpc.grpc.status_code': 14 })).toBe('grpc cart.Cart/Get UNAVAILABLE');
    expect(labelOf({ 'rpc.system': 'grpc', 'rpc.method': 'Get', 'rpc.service': 's.S', 'rpc.grpc.status_code': '5' })).toBe('grpc s.S/Get NOT_FOUND');
    expect(labelOf({ 'rpc.system': 'grpc', 'rpc.method': 'Get', 'rpc.service': 's.S', 'rpc.grpc.status_code': 99 })).toBe('grpc s.S/Get 99');
    expect(labelOf({ 'rpc.system.name': 'grpc', 'rpc.method': 'pkg.Svc/Do', 'rpc.response.status_code': 'DEADLINE_EXCEEDED' })).toBe('grpc pkg.Svc/Do DEADLINE_EXCEEDED');
    // gRPC runs over HTTP/2: the rpc view wins over the http attributes.
    expect(labelOf({ 'rpc.system': 'grpc', 'rpc.service': 'a.B', 'rpc.method': 'C', 'http.method': 'POST', 'url.path': '/a.B/C' })).toBe('grpc a.B/C');
    expect(labelOf({ 'rpc.system': 'grpc' }, 'a.B/C')).toBe('grpc a.B/C');
  });

  it('Datadog resource.name, then the span name', () => {
    expect(labelOf({ 'resource.name': 'GET /coffees' }, 'http.request')).toBe('GET /coffees');
    expect(labelOf({ 'db.type': 'h2', 'resource.name': 'SELECT 1' }, 'h2.query')).toBe('h2 SELECT 1');
    expect(labelOf({ 'component': 'trace', 'thread.id': 36 }, 'CoffeeHouse.getOrder')).toBe('CoffeeHouse.getOrder');
    // Empty values count as absent.
    expect(labelOf({ 'http.method': '', 'resource.name': ' ' }, 'plain')).toBe('plain');
  });
});

describe('operationLabel: the span label without the call\'s status', () => {
  function both(attrs: Record<string, AttrValue>, name = 'span-name'): [string, string] {
    const b = new TraceModelBuilder('otlp-json');
    b.addSpan({ traceId: '1'.padStart(32, '0'), spanId: '1'.padStart(16, '0'), name, service: 'svc', kind: 'server', start: { ms: 1, nsOfMs: 0 }, durationNs: 1 });
    for (const [key, value] of Object.entries(attrs)) b.attr(key, value);
    const model = b.build().traces[0];
    expect(operationLabels(model).labels).toEqual([operationLabel(model, 0)]);
    return [spanLabel(model, 0), operationLabel(model, 0)];
  }

  it('drops the HTTP and gRPC status, keeps everything else', () => {
    expect(both({ 'http.request.method': 'POST', 'http.route': '/charge', 'http.response.status_code': 402 }, 'POST')).toEqual(['POST /charge → 402', 'POST /charge']);
    expect(both({ 'rpc.system': 'grpc', 'rpc.service': 'a.B', 'rpc.method': 'C', 'rpc.grpc.status_code': 5 })).toEqual(['grpc a.B/C NOT_FOUND', 'grpc a.B/C']);
    expect(both({ 'db.system': 'postgresql', 'db.operation': 'SELECT', 'db.sql.table': 'orders' })).toEqual(['postgresql SELECT orders', 'postgresql SELECT orders']);
    expect(both({})).toEqual(['span-name', 'span-name']);
  });

  it('without http.route, a span name that is a route wins over the request path', () => {
    expect(both({ 'http.method': 'GET', 'http.target': '/users/42?x=1' }, '/users/{id}')).toEqual(['GET /users/{id}', 'GET /users/{id}']);
    expect(both({ 'http.target': '/users/42', 'http.status_code': 200 }, 'get /users/:id')).toEqual(['GET /users/:id → 200', 'GET /users/:id']);
    expect(both({ 'http.method': 'GET', 'http.target': '/users/42' }, 'HTTP GET')).toEqual(['GET /users/42', 'GET /users/42']);
  });
});

describe('spanLabel on real files', () => {
  it('OTel demo: http and rpc spans (this export has no db spans)', async () => {
    const collection = await loadFixture('real/otlp/otel-tui__otel-demo-collector-file-export.jsonl');
    const labels = allLabels(collection);
    for (const label of [
      'GET / → 200',
      'POST /api/cart → 500',
      'GET /api/data → 500', // "HTTP GET" spans: http.target without its query
      'GET /api/recommendations → 200',
      'grpc oteldemo.CartService/AddItem UNAVAILABLE',
      'grpc oteldemo.CheckoutService/PlaceOrder INTERNAL',
      'grpc oteldemo.ProductCatalogService/GetProduct OK',
      'connect_rpc schema.v1.Service/EventStream', // connect_rpc has no status attribute here
    ]) {
      expect(labels).toContain(label);
    }
    const byName = labelsByName(collection);
    expect(byName.get('router frontend egress')).toEqual(new Set(['router frontend egress'])); // status alone is not a request
    expect(byName.get('getAdsByCategory')).toEqual(new Set(['getAdsByCategory']));
    // Interned: far fewer labels than spans.
    const model = collection.traces.reduce((a, b) => (b.spanCount > a.spanCount ? b : a));
    const { labelId, labels: distinct } = spanLabels(model);
    expect(labelId.length).toBe(model.spanCount);
    expect(Math.max(...labelId)).toBe(distinct.length - 1);
  });

  it('Datadog django: http on the request span, resource.name on the middleware', async () => {
    const byName = labelsByName(await loadFixture('real/datadog/dd-trace-py__django-asgi_500.json'));
    expect(byName.get('django.request')).toEqual(new Set(['GET ^error-500/$ → 500']));
    expect(byName.get('django.view')).toEqual(new Set(['tests.contrib.django.views.error_500']));
    expect(byName.get('django.middleware')).toContain('django.middleware.csrf.CsrfViewMiddleware.process_view');
  });

  it('Datadog Java agent: servlet, jdbc, mongo and http client spans', async () => {
    const byName = labelsByName(await loadFixture('real/datadog/datadog-agent__trace_without_rates.json'));
    expect(byName.get('servlet.request')).toEqual(new Set(['GET /coffeehouse → 200']));
    expect(byName.get('h2.query')).toContain('h2 SELECT 1');
    expect(byName.get('http.request')).toEqual(new Set(['GET /coffees → 200', 'GET /beanserver → 200']));
    expect(byName.get('mongo.query')).toEqual(new Set(['mongo { "$eval" : "?", "find" : { "group" : "?" } }']));
  });

  it('Datadog aiokafka: messaging spans', async () => {
    const byName = labelsByName(await loadFixture('real/datadog/dd-trace-py__aiokafka-span-links.json'));
    expect(byName.get('kafka.produce')).toEqual(new Set(['kafka publish getmany_distributed_tracing', 'kafka publish getmany_distributed_tracing_2']));
    expect(byName.get('kafka.consume')).toEqual(new Set(['kafka receive getmany_distributed_tracing_2']));
  });

  it('Jaeger petclinic: http spans keep their names, jdbc spans show the statement', async () => {
    const collection = await loadFixture('real/jaeger/jaeger-ui__petclinic__spanAmongEachOtherGroupedAndSpans.json');
    const byName = labelsByName(collection);
    expect(byName.get('GET /api/customer/owners')).toEqual(new Set(['GET /api/customer/owners']));
    expect(byName.get('HikariProxyPreparedStatement.executeQuery')).toEqual(new Set(['hsqldb select * from test', 'hsqldb select * from test2']));
    allLabels(collection);
  });

  it('every fixture: spanLabels agrees with spanLabel and never returns an empty label for a named span', async () => {
    for (const file of [
      'real/zipkin/zipkin__smartthings-oauth-authorization.json',
      'real/tempo/kiali__tempo-responseTrace.json',
      'real/datadog/dd-trace-py__ray-serve-grpc-context-propagation.json',
      'real/otlp/opentelemetry-proto__examples-trace.json',
    ]) {
      const collection = await loadFixture(file);
      allLabels(collection);
      for (const model of collection.traces) {
        for (let i = 0; i < model.spanCount; i++) if (spanName(model, i) !== '') expect(spanLabel(model, i)).not.toBe('');
      }
    }
    const zipkin = labelsByName(await loadFixture('real/zipkin/zipkin__smartthings-oauth-authorization.json'));
    expect(zipkin.get('post /sso/authenticate')).toEqual(new Set(['POST /sso/authenticate → 401']));
  });
});

describe('OperationKeys', () => {
  it('keys every span of every fixture by exactly its operation label, routes in span names included', async () => {
    const b = new TraceModelBuilder('otlp-json');
    const resource = b.addResource('shop');
    const span = (spanId: string, name: string, attrs: Record<string, string | number>) => {
      b.addSpan({ traceId: 't1', spanId, parentSpanId: '', name, service: 'shop', resource, start: { ms: 1, nsOfMs: 0 }, durationNs: 1e6, status: 'unset' });
      for (const [key, value] of Object.entries(attrs)) b.attr(key, value, typeof value === 'number' ? 'int' : 'string');
    };
    // Named by route: the method attribute wins over the name's; a name without one gives its own.
    span('a', 'GET /orders/{id}', { 'http.request.method': 'GET', 'url.path': '/orders/1', 'http.response.status_code': 200 });
    span('b', 'GET /orders/{id}', { 'http.request.method': 'HEAD', 'url.path': '/orders/2' });
    span('c', 'get /orders/{id}', { 'url.path': '/orders/3' });
    span('d', 'handle', { 'http.request.method': 'POST', 'url.path': '/orders/4' }); // a name of its own
    span('d2', 'HTTP POST', { 'http.request.method': 'POST', 'url.path': '/orders/4' }); // says only "HTTP"
    span('e', '/health', { 'http.response.status_code': 200 });
    // An http.route attribute: before the name and the path; the method from the attribute, else the name;
    // a blank route is no route; a db attribute makes it a db span.
    span('f', 'op-1', { 'http.route': '/items/{id}', 'url.path': '/items/7' });
    span('g', 'PUT handler', { 'http.route': '/items/{id}' });
    span('h', 'GET /x', { 'http.route': '/items/{id}', 'http.method': 'DELETE', 'http.status_code': 204 });
    span('i', 'GET', { 'http.route': '  ', 'url.path': '/items/8' });
    span('j', 'query', { 'http.route': '/items/{id}', 'db.system': 'redis', 'db.operation': 'GET' });
    const built = b.build();
    const collections = [built];
    for (const file of ['real/zipkin/zipkin__smartthings-oauth-authorization.json', 'real/tempo/kiali__tempo-responseTrace.json', 'real/otlp/otel-tui__otel-demo-collector-file-export.jsonl', 'real/datadog/dd-trace-py__ray-serve-grpc-context-propagation.json']) {
      collections.push(await loadFixture(file));
    }
    const names = new NameIds();
    const keys = new OperationKeys(names);
    for (const collection of collections) {
      for (const model of collection.traces) {
        const { operationOf } = keys.of(model);
        for (let i = 0; i < model.spanCount; i++) expect(names.names[operationOf[i]]).toBe(operationLabel(model, i));
      }
    }
    const { operationOf } = keys.of(built.traces[0]);
    expect([...operationOf].map((k) => names.names[k])).toEqual([
      'GET /orders/{id}',
      'HEAD /orders/{id}',
      'GET /orders/{id}',
      'handle',
      'POST /orders/4',
      '/health',
      '/items/{id}',
      'PUT /items/{id}',
      'DELETE /items/{id}',
      'GET /items/8',
      'redis GET',
    ]);
  });
});

describe('spanLabels at scale', () => {
  it('labels a generated 200k-span trace with a few interned labels', () => {
    const model: TraceModel = generatedTrace(200_000, 3);
    const { labelId, labels } = spanLabels(model);
    expect(labelId.length).toBe(200_000);
    // No semantic attributes in this trace: the labels are its 50 operation names.
    expect(labels.length).toBe(50);
    expect(new Set(labels)).toEqual(new Set(Array.from({ length: 50 }, (_, k) => `op${k}`)));
    for (let i = 0; i < model.spanCount; i += 997) expect(labels[labelId[i]]).toBe(spanName(model, i));
  });
});
