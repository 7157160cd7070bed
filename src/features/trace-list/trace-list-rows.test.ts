import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizeTrace } from '../../core/analysis/trace-summary.ts';
import { loadBytes } from '../../core/import/index.ts';
import { filterTraces, groupByRoot, rootOf, sortGroups, sortTraces } from './trace-list-rows.ts';

// The OpenTelemetry demo's collector export (fixtures/real/PROVENANCE.md): 141 traces, most of them
// rooted at the load generator's HTTP calls (span name "GET" or "POST"; the list names them by the
// operation label, with the path called: "loadgenerator GET /api/cart").
const FILE = 'otel-tui__otel-demo-collector-file-export.jsonl';

async function traces() {
  const bytes = readFileSync(join(import.meta.dirname, '../../../fixtures/real/otlp', FILE));
  return (await loadBytes(bytes, { fileName: FILE })).traces.map(summarizeTrace);
}

describe('the trace list of the OpenTelemetry demo export', () => {
  it('narrows 141 traces by root words, by a service and to the traces with errors', async () => {
    const all = await traces();
    expect(all).toHaveLength(141);
    expect(filterTraces(all, 'loadgenerator GET', undefined)).toHaveLength(62);
    expect(filterTraces(all, 'checkoutservice', undefined)).toHaveLength(4);
    const failing = filterTraces(all, 'error', undefined);
    expect(failing).toHaveLength(59);
    expect(failing.every((t) => t.errorCount > 0)).toBe(true);
    expect(filterTraces(all, '', 'loadgenerator GET /api/data/')).toHaveLength(12);
  });

  it('groups by root, most traces first, with error and duration figures per root', async () => {
    const groups = groupByRoot(await traces());
    const byCount = sortGroups(groups, 'traces', true);
    expect(byCount).toHaveLength(34);
    expect(byCount.slice(0, 5).map((g) => [g.root, g.traceCount, g.errorTraces])).toEqual([
      ['loadgenerator POST /api/cart', 15, 15],
      ['loadgenerator GET /', 12, 1],
      ['loadgenerator GET /api/data/', 12, 3],
      ['frontend GET /api/data', 11, 2],
      ['frontend POST /api/cart', 11, 11],
    ]);
    expect(byCount.reduce((n, g) => n + g.traceCount, 0)).toBe(141);
    const cart = byCount[0];
    expect(cart.services.slice(0, 3)).toEqual(['loadgenerator', 'frontend', 'frontend-proxy']);
    expect(cart.medianDurationNs).toBeLessThanOrEqual(cart.maxDurationNs);
  });

  it('sorts by span count and by services, both ways', async () => {
    const all = await traces();
    const bySpans = sortTraces(all, 'spans', true);
    expect(bySpans[0].spanCount).toBe(Math.max(...all.map((t) => t.spanCount)));
    expect(sortTraces(all, 'spans', false)[0].spanCount).toBe(Math.min(...all.map((t) => t.spanCount)));
    expect(sortTraces(all, 'services', true)[0].services.length).toBe(Math.max(...all.map((t) => t.services.length)));
    expect(rootOf(sortTraces(all, 'root', false)[0])).toBe('flagd connect_rpc schema.v1.Service/EventStream');
  });
});
