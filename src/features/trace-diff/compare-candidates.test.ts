import { describe, expect, it } from 'vitest';
import { summarizeTrace } from '../../core/analysis/trace-summary.ts';
import { loadFixture } from '../../core/import/fixture-test-helpers.ts';
import { compareCandidates, type CandidateTrace } from './compare-candidates.ts';

const trace = (traceId: string, durationMs: number, rootName = 'POST /api/orders', rootService = 'api-gateway'): CandidateTrace => ({
  traceId,
  rootService,
  rootName,
  durationNs: durationMs * 1e6,
  spanCount: 16,
  errorCount: 0,
});

describe('compareCandidates', () => {
  it('the demo orders: the other two requests of the endpoint, fastest first; suggestions ranked with A, never A', async () => {
    const traces = (await loadFixture('demo/demo-orders.jsonl')).traces.map(summarizeTrace);
    const byId = (id: string) => {
      const found = traces.find((t) => t.traceId === id);
      if (!found) throw new Error(`the demo orders have no trace ${id}`);
      return found;
    };
    const [failed, paid, slow] = ['9211727aec4d3980e464b134425b6294', '320e6cb90966e2713a411202058dd86d', 'fe2e6ba3dc66e7bf8758db4ab70077d8'].map(byId);
    const c = compareCandidates(traces, failed);
    expect(c.sameEndpoint.map((t) => [t.traceId, t.durationNs])).toEqual([
      [paid.traceId, 140_749_746],
      [slow.traceId, 958_093_750],
    ]);
    expect(c.others).toEqual([]);
    // 66ms (A) · 141ms · 958ms: A is the fastest, so no "fastest".
    const suggested = (a: CandidateTrace) => compareCandidates(traces, a).suggestions.map((s) => [s.kinds.join('+'), s.trace.durationNs]);
    expect(suggested(failed)).toEqual([
      ['slowest', 958_093_750],
      ['median', 140_749_746],
    ]);
    expect(suggested(slow)).toEqual([
      ['median', 140_749_746],
      ['fastest', 66_463_800],
    ]);
    expect(suggested(paid)).toEqual([
      ['slowest', 958_093_750],
      ['fastest', 66_463_800],
    ]);
  });

  it('other endpoints come after, and are suggested only when A is the only request to its endpoint', () => {
    const a = trace('a', 120);
    const traces = [trace('x', 900, 'GET /health'), trace('b', 300), a, trace('c', 80), trace('d', 95), trace('y', 5, 'GET /health')];
    const c = compareCandidates(traces, a);
    expect(c.sameEndpoint.map((t) => t.traceId)).toEqual(['c', 'd', 'b']);
    expect(c.others.map((t) => t.traceId)).toEqual(['y', 'x']);
    expect(c.suggestions.map((s) => `${s.kinds.join('+')}:${s.trace.traceId}`)).toEqual(['slowest:b', 'median:d', 'fastest:c']);

    // Everything, ranked with z: y 5 · z 50 · c 80 · d 95 · a 120 · b 300 · x 900; the median is d.
    const lonely = trace('z', 50, 'DELETE /cart');
    expect(compareCandidates([...traces, lonely], lonely).suggestions.map((s) => `${s.kinds.join('+')}:${s.trace.traceId}`)).toEqual(['slowest:x', 'median:d', 'fastest:y']);
  });

  it('a file of one trace has nothing to offer; equal durations order by id', () => {
    const a = trace('a', 10);
    expect(compareCandidates([a], a)).toEqual({ sameEndpoint: [], others: [], suggestions: [] });
    expect(compareCandidates([trace('q', 7), trace('p', 7), a], a).sameEndpoint.map((t) => t.traceId)).toEqual(['p', 'q']);
    // Two requests, A the slower: the other one is the (lower) median and the fastest at once, offered once.
    expect(compareCandidates([trace('b', 5), a], a).suggestions.map((s) => [s.kinds, s.trace.traceId])).toEqual([[['median', 'fastest'], 'b']]);
  });
});
