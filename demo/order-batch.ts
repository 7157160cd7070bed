// order-batch: a one-shot batch job that imports BATCH_SIZE orders into order-service in parallel. Each
// per-order span starts a trace of its own and is linked to the batch span (span links, not parent/child);
// the batch span links back to each of them. Exports OTLP/HTTP protobuf.
import { SpanKind, trace } from '@opentelemetry/api';
import type { OrderRequest, OrderResponse } from './order-service.ts';
import { postJson, requireEnv, tellParent } from './service-runtime.ts';

export interface BatchResult {
  readonly traceId: string;
  readonly spanId: string;
  readonly orders: readonly { readonly orderId: string; readonly status: string; readonly traceId: string }[];
}

const orderServiceUrl = requireEnv('ORDER_SERVICE_URL');
const batchSize = Number(requireEnv('BATCH_SIZE'));
const tracer = trace.getTracer('order-batch');

function importedOrder(index: number): OrderRequest {
  return {
    customerTier: index % 3 === 0 ? 'gold' : 'silver',
    items: [{ sku: `SKU-${100 + index}`, quantity: 1 + (index % 3), unitPrice: 12.5 }, { sku: 'SKU-GIFT', quantity: 1, unitPrice: 0 }],
  };
}

const result = await tracer.startActiveSpan('order-batch import', {
  root: true, kind: SpanKind.INTERNAL, attributes: { 'batch.size': batchSize, 'batch.source': 'partner-feed' },
}, async (batchSpan): Promise<BatchResult> => {
  const batchLink = { context: batchSpan.spanContext(), attributes: { 'link.reason': 'batch' } };
  const orders = await Promise.all(Array.from({ length: batchSize }, (_, index) =>
    tracer.startActiveSpan('order-batch process-order', {
      root: true, links: [batchLink], attributes: { 'batch.index': index },
    }, async (span) => {
      batchSpan.addLink({ context: span.spanContext(), attributes: { 'link.reason': 'batch item' } });
      const { body: order } = await postJson<OrderResponse>(`${orderServiceUrl}/orders`, importedOrder(index));
      span.setAttributes({ 'order.id': order.orderId, 'order.status': order.status });
      span.end();
      return { orderId: order.orderId, status: order.status, traceId: span.spanContext().traceId };
    })));
  batchSpan.end();
  return { traceId: batchSpan.spanContext().traceId, spanId: batchSpan.spanContext().spanId, orders };
});

tellParent({ type: 'result', result });
process.disconnect?.();
