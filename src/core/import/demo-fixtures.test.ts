// The traces of the project's own microservices demo (fixtures/demo, see its PROVENANCE.md): what the
// receivers assembled from the real OpenTelemetry SDK, the Zipkin exporter and dd-trace.
import { assert, describe, expect, it } from 'vitest';
import { summarizeTrace } from '../analysis/trace-summary.ts';
import { spanName, spanService, type TraceModel } from '../model/trace-model.ts';
import { eventNames, loadFixture, spanAttrs } from './fixture-test-helpers.ts';

const services = (m: TraceModel) => summarizeTrace(m).services;
const spansOf = (m: TraceModel, service: string) => Array.from({ length: m.spanCount }, (_, i) => i).filter((i) => spanService(m, i) === service);

describe('demo fixtures', () => {
  it('orders: one tree per request across the four services, the failed payment with its exception', async () => {
    const c = await loadFixture('demo/demo-orders.jsonl');
    expect(c.format).toBe('otlp-json');
    expect(c.traces).toHaveLength(3);
    for (const m of c.traces) {
      expect(services(m)).toEqual(['api-gateway', 'inventory-service', 'order-service', 'payment-service']);
      expect([m.roots.length, m.orphanCount]).toEqual([1, 0]);
      expect(spanName(m, 0)).toBe('POST /api/orders');
      // inventory (sent through Zipkin) sits under order-service (OTLP): the W3C context crossed exporters.
      const inventory = spansOf(m, 'inventory-service')[0];
      expect(spanService(m, m.parent[inventory])).toBe('order-service');
      const place = spansOf(m, 'order-service').find((i) => spanName(m, i) === 'order.place');
    assert(place !== undefined);
    expect(spanAttrs(m, place)).toMatchObject({ 'customer.tier': expect.any(String) });
    }
    const failed = c.traces.filter((m) => m.errorCount > 0);
    expect(failed).toHaveLength(1);
    const charge = spansOf(failed[0], 'payment-service').find((i) => eventNames(failed[0], i).includes('exception'));
    expect(charge).toBeDefined();
  });

  it('batch: the batch span links to every per-order trace, and each order links back', async () => {
    const c = await loadFixture('demo/demo-batch-links.jsonl');
    const batch = c.traces.find((m) => spanName(m, 0) === 'order-batch import');
    assert(batch);
    expect(batch.linkCount[0]).toBe(8);
    const orders = c.traces.filter((m) => m !== batch);
    expect(orders).toHaveLength(8);
    for (let l = batch.linkStart[0]; l < batch.linkStart[0] + 8; l++) expect(c.linkTargets.get(l)).toBeDefined();
    for (const m of orders) {
      expect(m.linkCount[0]).toBe(1);
      expect(c.stores.links.traceId[m.linkStart[0]]).toBe(batch.traceId);
    }
  });

  it('async pipeline: joined when the stored context is restored, apart when it is not', async () => {
    const restored = await loadFixture('demo/demo-async-restored.jsonl');
    const joined = restored.traces.filter((m) => services(m).includes('jobs-api') && services(m).includes('job-worker'));
    expect(joined.length).toBeGreaterThan(0);
    const lost = await loadFixture('demo/demo-async-lost.jsonl');
    expect(lost.traces.some((m) => services(m).includes('jobs-api') && services(m).includes('job-worker'))).toBe(false);
    expect(lost.traces.filter((m) => services(m).includes('job-worker')).length).toBeGreaterThan(0);
  });
});
