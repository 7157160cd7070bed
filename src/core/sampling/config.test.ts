import { describe, expect, it } from 'vitest';
import { parseSamplingConfig } from './config.ts';
import { ConfigError, parseGoDurationNs } from './config-yaml.ts';
import { REFERENCE_CONFIG } from './reference-config.ts';


function errorOf(text: string): ConfigError['info'] {
  try {
    parseSamplingConfig(text);
  } catch (err) {
    if (err instanceof ConfigError) return err.info;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseSamplingConfig', () => {
  it('reads the reference config from a whole Collector config', () => {
    const config = parseSamplingConfig(REFERENCE_CONFIG);
    expect(config.decisionWaitNs).toBe(10e9);
    expect(config.processor).toBe('tail_sampling');
    expect(config.policies).toEqual([
      { name: 'errors-policy', type: 'status_code', statusCodes: ['error'] },
      { name: 'slow-traces-policy', type: 'latency', thresholdMs: 1000, upperThresholdMs: 0 },
      { name: 'probabilistic-policy', type: 'probabilistic', samplingPercentage: 10, hashSalt: '' },
    ]);
  });
  it('reads the processor block alone, a tail_sampling: block, and a named processor', () => {
    const block = 'decision_wait: 2s\npolicies: [{name: a, type: always_sample}]';
    expect(parseSamplingConfig(block).decisionWaitNs).toBe(2e9);
    expect(parseSamplingConfig(`tail_sampling:\n  policies: [{name: a, type: always_sample}]`).policies).toHaveLength(1);
    const two = `processors:\n  batch: {}\n  tail_sampling/errors:\n    policies: [{name: a, type: always_sample}]\n  tail_sampling/slow:\n    policies: [{name: b, type: always_sample}]\n`;
    expect(parseSamplingConfig(two, 'tail_sampling/slow').policies[0].name).toBe('b');
    expect(() => parseSamplingConfig(two)).toThrow('several tail_sampling processors (tail_sampling/errors, tail_sampling/slow): choose one');
  });
  it('defaults decision_wait to the Collector\'s 30 s', () => {
    expect(parseSamplingConfig('policies: [{name: a, type: always_sample}]').decisionWaitNs).toBe(30e9);
  });
  it('reads composite rate allocations as the Collector computes them', () => {
    const config = parseSamplingConfig(`policies:
  - name: c
    type: composite
    composite:
      max_total_spans_per_second: 1000
      policy_order: [a, b, c]
      composite_sub_policy:
        - {name: a, type: numeric_attribute, numeric_attribute: {key: key1, min_value: 50}}
        - {name: b, type: string_attribute, string_attribute: {key: key2, values: [value1]}}
        - {name: c, type: always_sample}
      rate_allocation: [{policy: a, percent: 50}, {policy: b, percent: 0}]
`);
    const c = config.policies[0];
    expect(c.type === 'composite' && Object.fromEntries(c.allocatedSpansPerSecond)).toEqual({ a: 500, b: 1000 / 3 });
  });
});

describe('config errors name the line, column and policy', () => {
  it('bad YAML', () => {
    expect(errorOf('policies:\n  - name: a\n    type: [always_sample\n')).toMatchObject({ message: expect.stringMatching(/^invalid YAML: /), line: expect.any(Number), column: expect.any(Number) });
  });
  it('an unknown policy type', () => {
    expect(errorOf(REFERENCE_CONFIG.replace('type: latency', 'type: latensy'))).toEqual({
      message: expect.stringContaining('unknown policy type "latensy" (known: always_sample, latency,'),
      line: 11,
      column: 15,
      policy: 'slow-traces-policy',
    });
  });
  it('an unknown field in a policy block', () => {
    expect(errorOf(REFERENCE_CONFIG.replace('{ threshold_ms: 1000 }', '{ threshold_ms: 1000, treshold: 2 }'))).toEqual({
      message: 'latency: unknown field "treshold" (known: threshold_ms, upper_threshold_ms)',
      line: 12,
      column: 40,
      policy: 'slow-traces-policy',
    });
  });
  it('a field of the wrong type', () => {
    expect(errorOf(REFERENCE_CONFIG.replace('threshold_ms: 1000', 'threshold_ms: slow'))).toMatchObject({ message: 'latency.threshold_ms must be an integer (got "slow")', line: 12, policy: 'slow-traces-policy' });
  });
  it('a block of another type on a policy, which the Collector would ignore', () => {
    const text = 'policies:\n  - name: p\n    type: always_sample\n    latency: {threshold_ms: 5}\n';
    expect(errorOf(text)).toEqual({ message: 'policy: unknown field "latency" (known: name, type)', line: 4, column: 5, policy: 'p' });
  });
  it('an unknown top-level setting', () => {
    expect(errorOf('decision_weight: 1s\npolicies: [{name: a, type: always_sample}]')).toMatchObject({ message: expect.stringContaining('unknown field "decision_weight"'), line: 1, column: 1 });
  });
  it('a sub-policy error names the outer and inner policy', () => {
    const text = 'policies:\n  - name: outer\n    type: and\n    and:\n      and_sub_policy:\n        - name: inner\n          type: status_code\n          status_code: {status_codes: [FAILED]}\n';
    expect(errorOf(text)).toMatchObject({ message: 'unknown status code "FAILED", supported: OK, ERROR, UNSET', line: 8, policy: 'outer > inner' });
  });
  it('a type the lab does not replay is "not supported", an OTTL condition outside the subset too', () => {
    expect(errorOf('policies: [{name: f, type: trace_flags}]').message).toMatch(/^policy type "trace_flags" is not supported by the lab/);
    const ottl = 'policies:\n  - name: o\n    type: ottl_condition\n    ottl_condition:\n      span: [\'IsMatch(name, "GET.*")\']\n';
    expect(errorOf(ottl)).toMatchObject({ message: expect.stringContaining('not supported by the lab'), line: 5, policy: 'o' });
  });
  it('missing names, duplicate names, a missing block and an invalid regex', () => {
    expect(errorOf('policies: [{type: always_sample}]').message).toBe('policies[0]: every policy needs a "name"');
    expect(errorOf('policies: [{name: a, type: always_sample}, {name: a, type: always_sample}]').message).toBe('duplicate policy name "a"');
    expect(errorOf('policies: [{name: a, type: latency}]')).toMatchObject({ message: 'a "latency" policy needs its "latency:" block', policy: 'a' });
    expect(errorOf('policies: [{name: r, type: string_attribute, string_attribute: {key: k, values: ["("], enabled_regex_matching: true}}]').message).toMatch(/^values: "\(" is not a valid regular expression/);
  });
});

describe('parseGoDurationNs', () => {
  it('reads Go durations', () => {
    expect(parseGoDurationNs('10s')).toBe(10e9);
    expect(parseGoDurationNs('1m30s')).toBe(90e9);
    expect(parseGoDurationNs('1.5h')).toBe(5400e9);
    expect(parseGoDurationNs('250ms')).toBe(250e6);
    expect(parseGoDurationNs('10')).toBeUndefined();
    expect(parseGoDurationNs('ten seconds')).toBeUndefined();
  });
});
