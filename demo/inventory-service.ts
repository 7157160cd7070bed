// inventory-service: reserves stock. Every 7th order waits on a slow warehouse lock (the bottleneck to find).
// Exports with the OpenTelemetry Zipkin exporter, so the Zipkin receiver gets real traffic.
import { trace } from '@opentelemetry/api';
import { orderNumberOf, readJson, sendJson, serve, setHttpRoute, sleep } from './service-runtime.ts';

export interface ReserveRequest {
  readonly orderId: string;
  readonly items: readonly { readonly sku: string; readonly quantity: number }[];
}

const SLOW_LOCK_MS = 900;
const tracer = trace.getTracer('inventory-service');

async function reserve(request: ReserveRequest): Promise<string> {
  return tracer.startActiveSpan('inventory.reserve', {
    attributes: { 'order.id': request.orderId, 'order.item_count': request.items.length },
  }, async (span) => {
    const slow = orderNumberOf(request.orderId) % 7 === 0;
    span.setAttribute('inventory.warehouse', slow ? 'warehouse-b' : 'warehouse-a');
    if (slow) span.addEvent('waiting for warehouse lock', { 'inventory.lock_wait_ms': SLOW_LOCK_MS });
    await sleep(slow ? SLOW_LOCK_MS : 8 + request.items.length * 2);
    span.end();
    return `res-${request.orderId.slice(4)}`;
  });
}

serve(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/reserve') return sendJson(res, 404, { error: 'not found' });
  setHttpRoute('/reserve');
  sendJson(res, 200, { reservationId: await reserve(await readJson<ReserveRequest>(req)) });
});
