import { describe, expect, it } from 'vitest';
import { summarizeTrace } from '../analysis/trace-summary.ts';
import { checkFixtureSnapshot } from './fixture-test-helpers.ts';

describe('Jaeger JSON fixtures', () => {
  it('loads the query-API envelope from jaeger-query itself', async () => {
    const c = await checkFixtureSnapshot('real/jaeger/jaeger-analytics-java__ui-trace.json', 'jaeger');
    const s = summarizeTrace(c.traces[0]);
    expect(s.traceId).toBe('00000000000000002db17286b3e6b148');
    expect(s.spanCount).toBe(2);
    expect(s.rootService).toBe('jaeger-query');
    // The root's operation label: its span name is the route, its method from http.method.
    expect(s.rootName).toBe('GET /api/services/{service}/operations');
  });

  it('keeps a FOLLOWS_FROM-only child under its parent and as a follows_from link', async () => {
    const c = await checkFixtureSnapshot('real/jaeger/jaeger-ui__issue115-follows-from__2992f2a5b5d037a8aabffd08ef384237.json', 'jaeger');
    const m = c.traces[0];
    expect(m.parent[1]).toBe(0);
    expect(m.linkCount[1]).toBe(1);
    expect(m.stores.links.kind[m.linkStart[1]]).toBe(1);
  });

  it('reads a bare trace object with a 31-char trace id', async () => {
    const c = await checkFixtureSnapshot('real/jaeger/jaeger-ui__petclinic__spanAmongEachOtherGroupedAndSpans.json', 'jaeger');
    expect(c.traces[0].traceId).toHaveLength(32);
    expect(summarizeTrace(c.traces[0]).services).toEqual(['api-gateway', 'customers-service']);
  });

  it('reads the anonymizer span array with inline processes and string booleans', async () => {
    const c = await checkFixtureSnapshot('real/jaeger/jaeger__anonymizer-uiconv__trace_success.json', 'jaeger');
    expect(c.traces[0].errorCount).toBe(1);
  });

  it('keeps duplicate ids, all tag types and int64 beyond 2^53 from the converter fixture', async () => {
    const c = await checkFixtureSnapshot('real/jaeger/jaeger__ui_01.json', 'jaeger');
    const m = c.traces[0];
    expect(m.spanCount).toBe(5);
    expect(m.warnings.join(' ')).toMatch(/same id/);
    const all = m.stores.attributes.values;
    expect(all.some((v) => typeof v === 'bigint')).toBe(true);
  });
});
