import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizeTrace } from '../../core/analysis/trace-summary.ts';
import { loadBytes } from '../../core/import/index.ts';
import { filterTraces, groupByRoot, rootOf, sortGroups, sortTraces } from './trace-list-rows.ts';

// The OpenTelemetry demo's collector export (fixtures/real/PROVENANCE.md): 141 traces, most of them
// rooted at the load generator's GET.
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
    expect(filterTraces(all, '', 'loadgenerator GET')).toHaveLength(62);
  });

  it('groups by root, most traces first, with error and duration figures per root', async () => {
    const groups = groupByRoot(await traces());
    const byCount = sortGroups(groups, 'traces', true);
    expect(byCount.map((g) => [g.root, g.traceCount])).toEqual([
      ['loadgenerator GET', 62],
      ['frontend HTTP GET', 38],
      ['loadgenerator POST', 21],
      ['frontend HTTP POST', 15],
      ['flagd schema.v1.Service/EventStream', 2],
      ['flagd flagd.evaluation.v1.Service/EventStream', 1],
      ['flagd flagSync', 1],
      ['flagd schema.v1.Service/ResolveBoolean', 1],
    ]);
    const loadGet = byCount[0];
    expect(loadGet.services.slice(0, 3)).toEqual(['loadgenerator', 'frontend', 'frontend-proxy']);
    expect(loadGet.errorTraces).toBeGreaterThan(0);
    expect(loadGet.medianDurationNs).toBeLessThanOrEqual(loadGet.maxDurationNs);
  });

  it('sorts by span count and by services, both ways', async () => {
    const all = await traces();
    const bySpans = sortTraces(all, 'spans', true);
    expect(bySpans[0].spanCount).toBe(Math.max(...all.map((t) => t.spanCount)));
    expect(sortTraces(all, 'spans', false)[0].spanCount).toBe(Math.min(...all.map((t) => t.spanCount)));
    expect(sortTraces(all, 'services', true)[0].services.length).toBe(Math.max(...all.map((t) => t.services.length)));
    expect(rootOf(sortTraces(all, 'root', false)[0])).toBe('flagd flagd.evaluation.v1.Service/EventStream');
  });
});
