import { describe, expect, it } from 'vitest';
import { loadFixture } from '../import/fixture-test-helpers.ts';
import { spanName, spanService } from '../model/trace-model.ts';
import { computeSelfTime } from './self-time.ts';
import { spanLabels } from './span-label.ts';
import { spanTableOrder, type SpanTableQuery } from './span-table.ts';

// The demo's first order trace (fixtures/demo/demo-orders.jsonl, 17 spans): api-gateway → order-service
// → inventory-service and payment-service, with PostgreSQL calls; no errors.
async function ordersTrace(traceId = '320e6cb90966e2713a411202058dd86d') {
  const model = (await loadFixture('demo/demo-orders.jsonl')).traces.find((t) => t.traceId === traceId);
  if (!model) throw new Error('the demo trace is missing');
  return model;
}

const ALL: SpanTableQuery = { sort: 'duration', descending: true, filter: '', errorsOnly: false };

describe('spanTableOrder', () => {
  it('sorts every span by duration, longest first, and back', async () => {
    const model = await ordersTrace();
    const order = spanTableOrder(model, spanLabels(model), computeSelfTime(model), ALL);
    expect(order.length).toBe(17);
    expect(Array.from(order.subarray(0, 3), (i) => `${spanService(model, i)} ${spanName(model, i)}`)).toEqual(['api-gateway POST /api/orders', 'api-gateway POST', 'order-service POST /orders']);
    for (let k = 1; k < order.length; k++) expect(model.durationNs[order[k - 1]]).toBeGreaterThanOrEqual(model.durationNs[order[k]]);
    const ascending = spanTableOrder(model, spanLabels(model), computeSelfTime(model), { ...ALL, descending: false });
    expect(spanName(model, ascending[0])).toBe('pg-pool.connect');
  });

  it('keeps the spans whose service or name holds the filter text, whatever its case', async () => {
    const model = await ordersTrace();
    const order = spanTableOrder(model, spanLabels(model), computeSelfTime(model), { ...ALL, filter: 'PAYMENT' });
    // POST /charge took 21.6 ms, payment.charge inside it 20.9 ms.
    expect(Array.from(order, (i) => spanName(model, i))).toEqual(['POST /charge', 'payment.charge']);
    expect(Array.from(order, (i) => spanService(model, i))).toEqual(['payment-service', 'payment-service']);
    const queries = spanTableOrder(model, spanLabels(model), computeSelfTime(model), { ...ALL, filter: 'pg.query', sort: 'start', descending: false });
    expect(queries.length).toBe(3);
    expect(Array.from(queries)).toEqual([...queries].sort((a, b) => model.startNs[a] - model.startNs[b]));
  });

  it('sorts by service name, ties in tree order; errors only keeps none of a trace without errors', async () => {
    const model = await ordersTrace();
    const order = spanTableOrder(model, spanLabels(model), computeSelfTime(model), { ...ALL, sort: 'service', descending: false });
    const services = Array.from(order, (i) => spanService(model, i));
    expect([...new Set(services)]).toEqual(['api-gateway', 'inventory-service', 'order-service', 'payment-service']);
    expect(Array.from(order.subarray(0, 2))).toEqual([0, 1]);
    expect(spanTableOrder(model, spanLabels(model), computeSelfTime(model), { ...ALL, errorsOnly: true }).length).toBe(0);
  });

  it('errors only: the failed payment trace has four error spans, the longest first', async () => {
    const model = await ordersTrace('9211727aec4d3980e464b134425b6294');
    const order = spanTableOrder(model, spanLabels(model), computeSelfTime(model), { ...ALL, errorsOnly: true });
    expect(Array.from(order, (i) => `${spanService(model, i)} ${spanName(model, i)}`)).toEqual(['api-gateway POST', 'order-service order.place', 'order-service POST', 'payment-service payment.charge']);
  });
});
