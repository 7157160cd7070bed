// api-gateway: the public entry of the order flow. Forwards POST /api/orders to order-service and answers
// with the order and the trace id (so run-demo.ts can name the traces it produced). Exports OTLP/HTTP protobuf.
import { trace } from '@opentelemetry/api';
import type { OrderRequest, OrderResponse } from './order-service.ts';
import { activeTraceId, postJson, readJson, requireEnv, sendJson, serve, setHttpRoute } from './service-runtime.ts';

export interface GatewayOrderResponse {
  readonly order: OrderResponse;
  readonly traceId: string;
}

const orderServiceUrl = requireEnv('ORDER_SERVICE_URL');

serve(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/api/orders') return sendJson(res, 404, { error: 'not found' });
  setHttpRoute('/api/orders');
  const request = await readJson<OrderRequest>(req);
  trace.getActiveSpan()?.setAttributes({ 'customer.tier': request.customerTier, 'order.item_count': request.items.length });
  const { status, body: order } = await postJson<OrderResponse>(`${orderServiceUrl}/orders`, request);
  trace.getActiveSpan()?.setAttributes({ 'order.id': order.orderId, 'order.total_amount': order.totalAmount });
  sendJson(res, status, { order, traceId: activeTraceId() } satisfies GatewayOrderResponse);
});
