import { describe, expect, it } from 'vitest';
import { loadFixture } from '../core/import/fixture-test-helpers.ts';
import { REFERENCE_CONFIG } from '../core/sampling/reference-config.ts';
import { replaySampling } from './sampling-lab.ts';

describe('replaySampling', () => {
  it('demo orders, reference config without a head sampler: 1 of 3 kept, by errors-policy, with the root named', async () => {
    const c = await loadFixture('demo/demo-orders.jsonl');
    const answer = replaySampling(c.traces, REFERENCE_CONFIG, '');
    if (answer.kind !== 'evaluated') throw new Error(answer.kind);
    expect(answer.summary.tailAlone.kept.traces).toBe(1);
    const kept = answer.traces.filter((t) => t.kept);
    expect(kept.map((t) => [t.policy, t.errorCount > 0, t.head])).toEqual([['errors-policy', true, null]]);
    expect(kept[0].rootService).not.toBe('');
  });
  it('a bad field is an answer naming line, column and policy', async () => {
    const c = await loadFixture('demo/demo-orders.jsonl');
    const config = REFERENCE_CONFIG.replace('threshold_ms: 1000', 'threshold_msec: 1000');
    const answer = replaySampling(c.traces, config, '');
    expect(answer.kind).toBe('config-error');
    if (answer.kind === 'config-error') expect([answer.error.line, answer.error.policy]).toEqual([12, 'slow-traces-policy']);
  });
  it('a bad head sampler is an answer', async () => {
    const c = await loadFixture('demo/demo-orders.jsonl');
    expect(replaySampling(c.traces, REFERENCE_CONFIG, 'traceidratio:2').kind).toBe('head-error');
  });
});
