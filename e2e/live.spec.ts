// Receiving traces live: spans from the real OpenTelemetry SDK, serialized by the real OTLP exporter
// code, arrive in several requests; the trace list and the open trace update without a refresh, and the
// trace is marked as still receiving until it has been quiet (4 s in the e2e server's config).
import { context, trace, type Span } from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { expect, test, type APIRequestContext } from '@playwright/test';

/** Runs `work` with a real SDK tracer; returns the finished spans as the OTLP/HTTP JSON body. */
async function otlpJsonBody(service: string, work: (tracer: ReturnType<BasicTracerProvider['getTracer']>) => void): Promise<Uint8Array> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': service }), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  work(provider.getTracer('e2e-live'));
  await provider.forceFlush();
  const body = JsonTraceSerializer.serializeRequest(exporter.getFinishedSpans());
  await provider.shutdown();
  if (!body) throw new Error(`the OTLP JSON serializer returned nothing for ${service}'s spans`);
  return body;
}

async function post(request: APIRequestContext, body: Uint8Array) {
  const res = await request.post('/v1/traces', { data: Buffer.from(body), headers: { 'content-type': 'application/json' } });
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({});
}

test('spans arriving in several requests make one trace that updates live and says it is still receiving', async ({ page, request }) => {
  let root!: Span;
  let traceId = '';
  // Request 1: the checkout service's root span and one child (the root ends last, so it is sent first here).
  const first = await otlpJsonBody('checkout', (tracer) => {
    root = tracer.startSpan('POST /checkout', { attributes: { 'http.request.method': 'POST', 'order.id': 'live-42' } });
    traceId = root.spanContext().traceId;
    tracer.startSpan('validate cart', {}, trace.setSpan(context.active(), root)).end();
    root.end();
  });
  await post(request, first);

  await page.goto('/?page=search&tags=order.id%3Dlive-42');
  const rowOfTrace = page.getByTestId('trace-row').filter({ hasText: traceId });
  await expect(rowOfTrace).toBeVisible({ timeout: 10_000 });
  await expect(rowOfTrace.getByTestId('trace-row-receiving')).toBeVisible();
  await rowOfTrace.click();
  await expect(page.getByTestId('waterfall-row')).toHaveCount(2);
  await expect(page.getByTestId('trace-receiving')).toBeVisible();

  // Request 2, from another service: a child of the root arrives later; the open trace grows by itself.
  const second = await otlpJsonBody('payments', (tracer) => {
    tracer.startSpan('charge card', { attributes: { 'payment.amount': 99.5 } }, trace.setSpan(context.active(), root)).end();
  });
  await post(request, second);
  await expect(page.getByTestId('waterfall-row')).toHaveCount(3, { timeout: 10_000 });
  await expect(page.getByTestId('waterfall-row').filter({ hasText: 'charge card' })).toContainText('payments');

  // Quiet for longer than the server's quiet period: the marker goes.
  await expect(page.getByTestId('trace-receiving')).toHaveCount(0, { timeout: 12_000 });
});

test('a bad OTLP payload gets 400 with a google.rpc.Status body, an empty one 200', async ({ request }) => {
  const bad = await request.post('/v1/traces', { data: '{"resourceSpans": [ {"scopeSpans": "nope"} ]', headers: { 'content-type': 'application/json' } });
  expect(bad.status()).toBe(400);
  const status = await bad.json();
  expect(status.code).toBe(3);
  expect(status.message).toMatch(/JSON/);
  const empty = await request.post('/v1/traces', { data: '{"resourceSpans":[]}', headers: { 'content-type': 'application/json' } });
  expect(empty.status()).toBe(200);
  const unsupported = await request.post('/v1/traces', { data: 'x', headers: { 'content-type': 'text/plain' } });
  expect(unsupported.status()).toBe(415);
});
