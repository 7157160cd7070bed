import { describe, expect, it } from 'vitest';
import { AGGREGATE_VIEWS, TRACE_VIEWS, traceViewOf } from './trace-views.ts';

describe('the trace views', () => {
  it('keep the tab ids old links name, in their order', () => {
    expect(TRACE_VIEWS.map((v) => v.id)).toEqual(['waterfall', 'spans', 'services', 'operations', 'stats', 'flame', 'compare', 'links', 'sampling']);
  });

  it('open the waterfall for no tab or one no longer known', () => {
    expect(traceViewOf(undefined).id).toBe('waterfall');
    expect(traceViewOf('timeline').id).toBe('waterfall');
    expect(traceViewOf('flame').label).toBe('Flamegraph');
  });

  it('share no URL key but the analysis scope', () => {
    const owners = new Map<string, string[]>();
    for (const v of TRACE_VIEWS) for (const key of v.urlKeys) owners.set(key, [...(owners.get(key) ?? []), v.id]);
    const shared = [...owners].filter(([, ids]) => ids.length > 1).map(([key]) => key);
    expect(shared).toEqual(['scope']);
  });

  it('offer the graphs, the statistics and the sampling lab over every trace of a multi-trace file', () => {
    expect(AGGREGATE_VIEWS).toEqual([
      { id: 'services', label: 'Service graph' },
      { id: 'operations', label: 'Operations' },
      { id: 'stats', label: 'Statistics' },
      { id: 'sampling', label: 'Sampling' },
    ]);
  });
});
