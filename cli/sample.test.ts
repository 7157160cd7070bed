import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFERENCE_CONFIG } from '../src/core/sampling/reference-config.ts';
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE } from './cli-io.ts';
import { parseSampleArgs, type SampleResult } from './sample-lib.ts';
import { PROJECT_DIR, lines, makeTempDir, runCli } from './run-cli.ts';

const DEMO = (name: string) => join(PROJECT_DIR, 'fixtures/demo', `${name}.jsonl`);

function configFile(text: string): string {
  const file = join(makeTempDir(), 'collector.yaml');
  writeFileSync(file, text);
  return file;
}

describe('spanscope-sample (spawned)', () => {
  it('prints each trace\'s decision and the summary for the reference config behind a head sampler', () => {
    const run = runCli('sample', ['--config', configFile(REFERENCE_CONFIG), '--head', 'parentbased_traceidratio:0.1', DEMO('demo-orders'), DEMO('demo-async-restored')]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(EXIT_OK);
    const result = JSON.parse(run.stdout) as SampleResult;
    expect(result.traces).toHaveLength(7);
    // demo-orders: the failed payment is kept by errors-policy; demo-async-restored: three slow job traces.
    const kept = result.traces.filter((t) => t.decision === 'sampled');
    expect(kept.map((t) => t.policy).sort()).toEqual(['errors-policy', 'slow-traces-policy', 'slow-traces-policy', 'slow-traces-policy']);
    for (const t of result.traces) {
      expect(Object.keys(t)).toEqual(['traceId', 'file', 'decision', 'policy', 'head', 'kept', 'spans', 'late', 'bytes']);
      expect(t.head === 'sampled' || t.head === 'not_sampled').toBe(true);
      expect(t.kept).toBe(t.head === 'sampled' && t.decision === 'sampled');
    }
    expect(result.summary.tailAlone.kept.traces).toBe(4);
    expect(result.summary.head).toBe('parentbased_traceidratio:0.1');
    expect(result.summary.policies.map((p) => p.name)).toEqual(['errors-policy', 'slow-traces-policy', 'probabilistic-policy']);
  });

  it('a bad config exits 1 with one line naming the file, line, column and policy', () => {
    const file = configFile(REFERENCE_CONFIG.replace('type: latency', 'type: latensy'));
    const run = runCli('sample', ['--config', file, DEMO('demo-orders')]);
    expect(run.status).toBe(EXIT_BAD_INPUT);
    expect(run.stdout).toBe('');
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toContain(`spanscope-sample: ${file}:11:15: policy "slow-traces-policy": unknown policy type "latensy"`);
  });

  it('a bad field and bad YAML also exit 1 with their place', () => {
    const field = runCli('sample', ['--config', configFile(REFERENCE_CONFIG.replace('sampling_percentage', 'percentage')), DEMO('demo-orders')]);
    expect(field.status).toBe(EXIT_BAD_INPUT);
    expect(field.stderr).toMatch(/collector\.yaml:15:\d+: policy "probabilistic-policy": probabilistic: unknown field "percentage"/);
    const yaml = runCli('sample', ['--config', configFile('policies: [{name: a, type: always_sample}'), DEMO('demo-orders')]);
    expect(yaml.status).toBe(EXIT_BAD_INPUT);
    expect(lines(yaml.stderr)).toHaveLength(1);
    expect(yaml.stderr).toMatch(/collector\.yaml:1:\d+: invalid YAML: /);
  });

  it('a trace file that is not a trace exits 1 naming it', () => {
    const bad = join(makeTempDir(), 'notes.json');
    writeFileSync(bad, '{"hello": 1}');
    const run = runCli('sample', ['--config', configFile(REFERENCE_CONFIG), bad]);
    expect(run.status).toBe(EXIT_BAD_INPUT);
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toContain(`spanscope-sample: ${bad}: `);
  });
});

describe('parseSampleArgs', () => {
  it('reads the options and the files', () => {
    expect(parseSampleArgs(['--config', 'c.yaml', '--head', 'always_off', 'a.json', 'b.json'])).toEqual({ config: 'c.yaml', processor: undefined, head: { kind: 'always_off' }, files: ['a.json', 'b.json'] });
  });
  it('usage errors exit 2', () => {
    for (const args of [['a.json'], ['--config', 'c.yaml'], ['--config', 'c.yaml', '--head', 'maybe', 'a.json'], ['--config']]) {
      expect(() => parseSampleArgs(args)).toThrow(expect.objectContaining({ exitCode: EXIT_USAGE }));
    }
  });
});
