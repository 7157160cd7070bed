// payment-service: charges an order. Every 5th order is declined: the exception is recorded on the span and
// the span's status is ERROR. Exports OTLP/HTTP protobuf.
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { orderNumberOf, readJson, sendJson, serve, setHttpRoute, sleep } from './service-runtime.ts';

export interface ChargeRequest {
  readonly orderId: string;
  readonly amount: number;
  readonly customerTier: string;
}

class PaymentDeclinedError extends Error {
  override readonly name = 'PaymentDeclinedError';
}

const tracer = trace.getTracer('payment-service');

async function charge(request: ChargeRequest): Promise<string> {
  return tracer.startActiveSpan('payment.charge', {
    attributes: { 'order.id': request.orderId, 'order.total_amount': request.amount, 'customer.tier': request.customerTier },
  }, async (span) => {
    try {
      const orderNumber = orderNumberOf(request.orderId);
      await sleep(15 + (orderNumber % 4) * 5); // the card network
      if (orderNumber % 5 === 0) {
        throw new PaymentDeclinedError(`card declined for ${request.orderId}: insufficient funds`);
      }
      const paymentId = `pay-${request.orderId.slice(4)}`;
      span.setAttribute('payment.id', paymentId);
      return paymentId;
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

serve(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/charge') return sendJson(res, 404, { error: 'not found' });
  setHttpRoute('/charge');
  const request = await readJson<ChargeRequest>(req);
  try {
    sendJson(res, 200, { paymentId: await charge(request) });
  } catch (error) {
    if (!(error instanceof PaymentDeclinedError)) throw error;
    sendJson(res, 402, { error: error.message });
  }
});
