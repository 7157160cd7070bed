// order-service: places an order. Saves it to PostgreSQL (pg, auto-instrumented), reserves stock in
// inventory-service, charges payment-service, then records the outcome. Exports OTLP/HTTP protobuf.
import { SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import pg from 'pg';
import type { ChargeRequest } from './payment-service.ts';
import type { ReserveRequest } from './inventory-service.ts';
import { postJson, readJson, requireEnv, sendJson, serve, setHttpRoute } from './service-runtime.ts';

export interface OrderRequest {
  readonly customerTier: 'gold' | 'silver' | 'bronze';
  readonly items: readonly { readonly sku: string; readonly quantity: number; readonly unitPrice: number }[];
}

export interface OrderResponse {
  readonly orderId: string;
  readonly orderNumber: number;
  readonly status: 'paid' | 'payment_failed' | 'out_of_stock';
  readonly totalAmount: number;
  readonly error?: string;
}

const inventoryUrl = requireEnv('INVENTORY_URL');
const paymentUrl = requireEnv('PAYMENT_URL');
const pool = new pg.Pool({ connectionString: requireEnv('DATABASE_URL'), max: 4 });
const tracer = trace.getTracer('order-service');

async function setStatus(orderId: string, status: OrderResponse['status']): Promise<void> {
  await pool.query('UPDATE orders SET status = $2 WHERE id = $1', [orderId, status]);
}

/** `serverSpan` (the HTTP server span) gets the business attributes too, so searches find the request. */
async function placeOrder(request: OrderRequest, serverSpan: Span | undefined): Promise<OrderResponse> {
  return tracer.startActiveSpan('order.place', async (span): Promise<OrderResponse> => {
    try {
      const { rows } = await pool.query<{ n: string }>("SELECT nextval('order_numbers') AS n");
      const orderNumber = Number(rows[0].n);
      const orderId = `ord-${String(orderNumber).padStart(4, '0')}`;
      const totalAmount = request.items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
      const business = {
        'order.id': orderId, 'customer.tier': request.customerTier,
        'order.item_count': request.items.length, 'order.total_amount': totalAmount,
      };
      span.setAttributes(business);
      serverSpan?.setAttributes(business);
      await pool.query(
        'INSERT INTO orders (id, order_number, customer_tier, item_count, total_amount, status) VALUES ($1, $2, $3, $4, $5, $6)',
        [orderId, orderNumber, request.customerTier, request.items.length, totalAmount, 'pending'],
      );
      const order = { orderId, orderNumber, totalAmount };
      const reservation = await postJson(`${inventoryUrl}/reserve`, { orderId, items: request.items } satisfies ReserveRequest);
      if (reservation.status !== 200) {
        await setStatus(orderId, 'out_of_stock');
        return { ...order, status: 'out_of_stock' };
      }
      const payment = await postJson<{ error?: string }>(`${paymentUrl}/charge`, {
        orderId, amount: totalAmount, customerTier: request.customerTier,
      } satisfies ChargeRequest);
      if (payment.status !== 200) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: `payment failed: ${payment.body.error}` });
        await setStatus(orderId, 'payment_failed');
        return { ...order, status: 'payment_failed', error: payment.body.error };
      }
      await setStatus(orderId, 'paid');
      return { ...order, status: 'paid' };
    } finally {
      span.end();
    }
  });
}

serve(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/orders') return sendJson(res, 404, { error: 'not found' });
  setHttpRoute('/orders');
  const order = await placeOrder(await readJson<OrderRequest>(req), trace.getActiveSpan());
  sendJson(res, order.status === 'paid' ? 201 : order.status === 'payment_failed' ? 402 : 409, order);
}, () => pool.end());
