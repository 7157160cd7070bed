import { describe, expect, it } from 'vitest';
import { BIG_INT, OTHER_TRACE, T1, T2, buildTestCollection } from '../export/test-collection.ts';
import { getSpanDetails, spanStart } from './span-details.ts';
import { epochToNanosString } from './time.ts';

function setup() {
  const c = buildTestCollection();
  const t1 = c.traces.findIndex((t) => t.traceId === T1);
  const t2 = c.traces.findIndex((t) => t.traceId === T2);
  const m = c.traces[t1];
  return { c, t1, t2, m, idx: (id: string) => m.spanIds.indexOf(id) };
}

describe('getSpanDetails', () => {
  it('returns ids, names, kind, status, times and attributes with their types', () => {
    const { m, idx } = setup();
    const d = getSpanDetails(m, idx('a000000000000001'));
    expect(d).toMatchObject({
      traceId: T1,
      spanId: 'a000000000000001',
      parentSpanId: '',
      parentIndex: -1,
      service: 'checkout',
      name: 'GET /cart',
      kind: 'server',
      status: 'error',
      statusMessage: 'boom',
      traceState: 'congo=t61rcWkgMzE',
      startNs: 0,
      durationNs: 5_000_001,
      depth: 0,
      childCount: 2,
      warnings: [],
    });
    expect(epochToNanosString(d.start)).toBe('1700000000123456789');
    expect(d.attributes.find((a) => a.key === 'big')).toEqual({ key: 'big', type: 'int', value: BIG_INT });
    expect(d.attributes.find((a) => a.key === 'payload')?.type).toBe('bytes');
  });

  it('gives a child its absolute start exactly across a millisecond boundary', () => {
    const { m, idx } = setup();
    const d = getSpanDetails(m, idx('a000000000000002'));
    expect(d.startNs).toBe(999_999);
    expect(epochToNanosString(d.start)).toBe('1700000000124456788');
    expect(epochToNanosString(spanStart(m, idx('a000000000000002')))).toBe('1700000000124456788');
    expect(d.parentSpanId).toBe('a000000000000001');
    expect(d.parentIndex).toBe(idx('a000000000000001'));
  });

  it('returns the resource and the scope with their attributes', () => {
    const { m, idx } = setup();
    const d = getSpanDetails(m, idx('a000000000000001'));
    expect(d.resource).toEqual({
      index: 0,
      service: 'checkout',
      attributes: [
        { key: 'service.name', type: 'string', value: 'checkout' },
        { key: 'host.name', type: 'string', value: 'h1' },
      ],
    });
    expect(d.scope).toEqual({ index: 0, name: 'io.opentelemetry.http', version: '1.2.3', attributes: [{ key: 'scope.attr', type: 'string', value: 'x' }] });
  });

  it('returns events with absolute time, offset from the span and from the trace start', () => {
    const { c, t2, m, idx } = setup();
    const [ev] = getSpanDetails(m, idx('a000000000000001')).events;
    expect(ev.name).toBe('exception');
    expect(ev.time && epochToNanosString(ev.time)).toBe('1700000000123457789');
    expect(ev.offsetNs).toBe(1000);
    expect(ev.relativeNs).toBe(1000);
    expect(ev.attributes).toEqual([{ key: 'exception.message', type: 'string', value: 'boom' }]);
    const [tick] = getSpanDetails(c.traces[t2], 0).events;
    expect(tick).toMatchObject({ name: 'tick', time: undefined, offsetNs: undefined, relativeNs: undefined });
  });

  it('resolves link targets across traces with the collection, and in the same trace without it', () => {
    const { c, t1, t2, m, idx } = setup();
    const [toOther] = getSpanDetails(m, idx('a000000000000002'), c.linkTargets).links;
    expect(toOther).toMatchObject({ kind: 'link', traceId: T2, spanId: 'b000000000000001', traceState: 'x=1', target: { trace: t2, span: 0 } });
    expect(toOther.attributes).toEqual([{ key: 'link.attr', type: 'int', value: 1 }]);
    expect(getSpanDetails(m, idx('a000000000000002')).links[0].target).toBeUndefined();

    const withCollection = getSpanDetails(m, idx('a000000000000003'), c.linkTargets).links;
    expect(withCollection.map((l) => [l.kind, l.target])).toEqual([
      ['follows_from', { trace: t1, span: idx('a000000000000001') }],
      ['child_of', undefined],
    ]);
    expect(withCollection[1].traceId).toBe(OTHER_TRACE);
    const alone = getSpanDetails(m, idx('a000000000000003')).links;
    expect(alone[0].target).toEqual({ trace: undefined, span: idx('a000000000000001') });
  });

  it('lists inbound links and span warnings', () => {
    const { c, t2, m, idx } = setup();
    const root = getSpanDetails(m, idx('a000000000000001'));
    expect(root.inboundLinks).toHaveLength(1);
    expect(c.stores.links.spanId[root.inboundLinks[0]]).toBe('a000000000000001');
    expect(getSpanDetails(c.traces[t2], 0).inboundLinks).toHaveLength(1);
    // A span without resource or scope.
    expect(getSpanDetails(c.traces[t2], 0)).toMatchObject({ resource: undefined, scope: undefined, service: 'legacy' });
  });
});
