// The microservices demo: starts PostgreSQL, Redis and the services on loopback, drives a fixed amount of
// traffic, flushes every tracer, prints (and with --summary FILE writes) the trace ids it produced, stops
// everything and exits. --keep-running keeps traffic flowing every few seconds until Ctrl-C.
//
//   node --import tsx demo/run-demo.ts [--summary FILE] [--keep-running]
//
// Where the traces go (the defaults are Spanscope's receivers):
//   OTEL_EXPORTER_OTLP_ENDPOINT    http://127.0.0.1:4318 (…/v1/traces, protobuf)
//   OTEL_EXPORTER_ZIPKIN_ENDPOINT  http://127.0.0.1:9411/api/v2/spans
//   DD_TRACE_AGENT_URL             http://127.0.0.1:8126 (…/v0.4/traces)
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startInfra } from './infra.ts';
import { exitUnlessPrerequisites } from './prerequisites.ts';
import { startService, stopService, type DemoProcess, type Tracing } from './processes.ts';
import { runAsyncPipeline, runBatch, sendOrders, type OrderSent } from './scenarios.ts';

const ORDER_COUNT = 20;
const BATCH_SIZE = 8;
const KEEP_RUNNING_INTERVAL_MS = 5_000;

const { values: options } = parseArgs({
  options: { summary: { type: 'string' }, 'keep-running': { type: 'boolean', default: false } },
});

process.env.OTEL_EXPORTER_OTLP_ENDPOINT ??= 'http://127.0.0.1:4318';
process.env.OTEL_EXPORTER_ZIPKIN_ENDPOINT ??= 'http://127.0.0.1:9411/api/v2/spans';
process.env.DD_TRACE_AGENT_URL ??= 'http://127.0.0.1:8126';
process.env.OTEL_BSP_SCHEDULE_DELAY ??= '500'; // spans show up live rather than every 5 s

/** Which tracer each service uses: every receiver gets real traffic. */
const SERVICE_TRACING: Record<string, Tracing> = {
  'api-gateway': 'otlp', 'order-service': 'otlp', 'inventory-service': 'zipkin', 'payment-service': 'otlp',
  'order-batch': 'otlp', 'jobs-api': 'datadog', 'outbox-publisher': 'otlp', 'job-worker': 'otlp',
};

function pick(orders: readonly OrderSent[], test: (order: OrderSent) => boolean, what: string): OrderSent {
  const found = orders.find(test);
  if (!found) throw new Error(`no ${what} among the orders sent`);
  return found;
}

exitUnlessPrerequisites('demo');
const startedAt = Date.now();
// startInfra removes its temp dir itself when it fails; the reason is one message, not a stack trace.
const infra = await startInfra().catch((error: unknown) => {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
const services: DemoProcess[] = [];
const start = async (name: string, env: Record<string, string>) => {
  const service = await startService(name, SERVICE_TRACING[name], env);
  services.push(service);
  return service;
};
let stopping = false;
process.once('SIGINT', () => { stopping = true; });

try {
  const db = { DATABASE_URL: infra.databaseUrl };
  const queue = { ...db, REDIS_URL: infra.redisUrl };
  const [payment, inventory, jobsApi, worker] = await Promise.all([
    start('payment-service', {}), start('inventory-service', {}), start('jobs-api', db), start('job-worker', queue),
  ]);
  const orderService = await start('order-service', { ...db, INVENTORY_URL: inventory.url, PAYMENT_URL: payment.url });
  const gateway = await start('api-gateway', { ORDER_SERVICE_URL: orderService.url });
  console.log(`demo: ${services.length} services up in ${Date.now() - startedAt} ms`);

  const orders = await sendOrders(gateway, ORDER_COUNT);
  const batch = await runBatch(orderService, BATCH_SIZE, {});
  const asyncWithContext = await runAsyncPipeline(jobsApi, worker, true, queue);
  const asyncWithoutContext = await runAsyncPipeline(jobsApi, worker, false, queue);

  const summary = {
    endpoints: {
      otlp: `${process.env.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces`,
      zipkin: process.env.OTEL_EXPORTER_ZIPKIN_ENDPOINT,
      datadog: `${process.env.DD_TRACE_AGENT_URL}/v0.4/traces`,
    },
    services: SERVICE_TRACING,
    successfulOrder: pick(orders, (order) => order.status === 'paid' && order.orderNumber % 7 !== 0, 'successful order'),
    failedPayment: pick(orders, (order) => order.status === 'payment_failed', 'failed payment'),
    slowInventory: pick(orders, (order) => order.orderNumber % 7 === 0, 'slow inventory reservation'),
    orders,
    batch: { size: BATCH_SIZE, ...batch },
    asyncWithContext,
    asyncWithoutContext,
  };
  console.log([
    `demo: sent ${orders.length} orders, a batch of ${BATCH_SIZE} and the async pipeline twice`,
    `  successful order   ${summary.successfulOrder.orderId}  trace ${summary.successfulOrder.traceId}`,
    `  failed payment     ${summary.failedPayment.orderId}  trace ${summary.failedPayment.traceId}`,
    `  slow inventory     ${summary.slowInventory.orderId}  trace ${summary.slowInventory.traceId}`,
    `  batch              trace ${batch.traceId} (span ${batch.spanId}, ${batch.orders.length} linked order traces)`,
    `  async, restored    api trace ${asyncWithContext.jobs[0].apiTraceId} (x-datadog-trace-id ${asyncWithContext.jobs[0].datadog.traceId}), publisher batch ${asyncWithContext.publisherTraceId}`,
    `  async, not restored api ${asyncWithoutContext.jobs[0].apiTraceId}, publisher ${asyncWithoutContext.publisherTraceId}, worker ${asyncWithoutContext.jobs[0].workerTraceId}`,
  ].join('\n'));
  if (options.summary) writeFileSync(options.summary, `${JSON.stringify(summary, null, 2)}\n`);

  if (options['keep-running']) console.log('demo: keeps sending traffic every few seconds; Ctrl-C stops it');
  for (let round = 1; options['keep-running'] && !stopping; round++) {
    await new Promise((resolve) => setTimeout(resolve, KEEP_RUNNING_INTERVAL_MS));
    await sendOrders(gateway, 5);
    if (round % 4 === 0) await Promise.all([runBatch(orderService, BATCH_SIZE, {}), runAsyncPipeline(jobsApi, worker, true, queue)]);
  }
} finally {
  // Front to back, so no service loses a request in flight; each flushes its tracer as it exits.
  const stopped = [];
  for (const service of services.reverse()) stopped.push(`${service.name}: ${await stopService(service)}`);
  await infra.stop();
  console.log(`demo: stopped (${stopped.join(', ')}) after ${Date.now() - startedAt} ms`);
}
