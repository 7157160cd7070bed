import { TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { makeRng } from '../rng.ts';
import { formatHeadSampler, headDecision, headVerdict, parseHeadSampler, upstreamThreshold, type HeadSampler } from './head-sampler.ts';

const ids = (() => {
  const rand = makeRng(9);
  const word = () => Math.floor(rand() * 2 ** 32).toString(16).padStart(8, '0');
  return Array.from({ length: 5000 }, () => word() + word() + word() + word());
})();
const root = (traceId: string, rootTraceState = '', rootIsOrphan = false, rootTraceFlags?: number) => ({ traceId, rootTraceState, rootIsOrphan, rootTraceFlags });
const sampler = (text: string): HeadSampler => {
  const s = parseHeadSampler(text);
  if ('error' in s) throw new Error(s.error);
  return s;
};

describe('parseHeadSampler', () => {
  it('reads the OTEL_TRACES_SAMPLER names with the ratio and an optional rule', () => {
    expect(sampler('parentbased_traceidratio:0.1')).toEqual({ kind: 'parentbased', root: { kind: 'traceidratio', ratio: 0.1, rule: 'go' } });
    expect(sampler('traceidratio:0.25:js')).toEqual({ kind: 'traceidratio', ratio: 0.25, rule: 'js' });
    expect(sampler('always_off')).toEqual({ kind: 'always_off' });
    expect(formatHeadSampler(sampler('parentbased_traceidratio:0.1:consistent'))).toBe('parentbased_traceidratio:0.1:consistent');
  });
  it('names what is wrong', () => {
    expect(parseHeadSampler('sometimes')).toEqual({ error: expect.stringContaining('unknown head sampler "sometimes"') });
    expect(parseHeadSampler('traceidratio:2')).toEqual({ error: expect.stringContaining('from 0 to 1') });
    expect(parseHeadSampler('traceidratio:0.1:python')).toEqual({ error: expect.stringContaining('unknown traceidratio rule "python"') });
    expect(parseHeadSampler('always_on:1')).toEqual({ error: 'head sampler always_on takes no argument' });
  });
});

describe('traceidratio rules', () => {
  it('go: the lower 8 bytes shifted right by one, below ratio × 2^63', () => {
    const half = sampler('traceidratio:0.5');
    // Lower 8 bytes 0x7fff… >> 1 < 2^62: sampled; 0x8000… >> 1 = 2^62: not.
    expect(headDecision(half, root('ffffffffffffffff7fffffffffffffff'))).toBe(true);
    expect(headDecision(half, root('00000000000000008000000000000000'))).toBe(false);
    expect(headDecision(sampler('traceidratio:1'), root('ffffffffffffffffffffffffffffffff'))).toBe(true);
    expect(headDecision(sampler('traceidratio:0'), root('00000000000000000000000000000001'))).toBe(false);
  });
  it('js: the same decisions as @opentelemetry/sdk-trace-base 2.12 TraceIdRatioBasedSampler', () => {
    for (const ratio of [0.1, 0.5, 0.9]) {
      const sdk = new TraceIdRatioBasedSampler(ratio);
      const ours = sampler(`traceidratio:${ratio}:js`);
      for (const id of ids) {
        const expected = sdk.shouldSample(ROOT_CONTEXT, id).decision === 2;
        expect(headDecision(ours, root(id))).toBe(expected);
      }
    }
  });
  it('go and js disagree on some traces: the rule matters', () => {
    const go = sampler('traceidratio:0.5');
    const js = sampler('traceidratio:0.5:js');
    expect(ids.some((id) => headDecision(go, root(id)) !== headDecision(js, root(id)))).toBe(true);
  });
  it('consistent: randomness from ot=rv when the tracestate has it, else the lower 56 bits', () => {
    const tenth = sampler('traceidratio:0.1:consistent');
    // T = 2^56 − round(0.1 × 2^56) = 0xe6666666666666; sampled when R ≥ T.
    expect(headDecision(tenth, root('ffffffffffffffff00e6666666666666'))).toBe(true);
    expect(headDecision(tenth, root('ffffffffffffffff00e6666666666665'))).toBe(false);
    expect(headDecision(tenth, root('ffffffffffffffff00e6666666666665', 'ot=th:0;rv:ffffffffffffff'))).toBe(true);
    expect(headDecision(tenth, root('ffffffffffffffff00ffffffffffffff', 'vendor=1,ot=rv:00000000000000'))).toBe(false);
  });
  it('consistent: the id\'s bits are trusted when the W3C random flag says so, and reported as assumed when nothing does', () => {
    const tenth = sampler('traceidratio:0.1:consistent');
    const id = 'ffffffffffffffff00e6666666666666'; // lower 56 bits = T: sampled
    // OTLP Span.flags 0x303: sampled (0x01), random (0x02), has-is-remote and is-remote (0x300).
    expect(headVerdict(tenth, root(id, '', false, 0x303))).toEqual({ kept: true, randomness: 'random-flag' });
    // 0x301 and 0x100 (values the Collector demo's real export carries): no random flag.
    expect(headVerdict(tenth, root(id, '', false, 0x301))).toEqual({ kept: true, randomness: 'assumed' });
    expect(headVerdict(tenth, root('ffffffffffffffff00e6666666666665', '', false, 0x100))).toEqual({ kept: false, randomness: 'assumed' });
    // No flags in the file (Jaeger, Zipkin): assumed too.
    expect(headVerdict(tenth, root(id))).toEqual({ kept: true, randomness: 'assumed' });
    // ot=rv wins over the flag; an upstream th that decides alone uses no randomness.
    expect(headVerdict(tenth, root(id, 'ot=rv:00000000000000', false, 0x03))).toEqual({ kept: false, randomness: 'rv' });
    expect(headVerdict(tenth, root(id, 'ot=th:f', false, 0x01))).toEqual({ kept: true });
    // Other rules and an orphan root do not read the randomness.
    expect(headVerdict(sampler('traceidratio:0.1'), root(id))).toEqual({ kept: true });
    expect(headVerdict(sampler('parentbased_traceidratio:0.1:consistent'), root(id, '', true))).toEqual({ kept: true });
  });
  it('consistent: an upstream ot=th at or above the replayed threshold proves the randomness clears it', () => {
    const tenth = sampler('traceidratio:0.1:consistent'); // T = 0xe6666666666666
    const lowRandomness = 'ffffffffffffffff0000000000000001';
    // Kept upstream at 1/16 (th:f = 0xf0000000000000 ≥ T): R ≥ th ≥ T, whatever the id's bits say.
    expect(headDecision(tenth, root(lowRandomness, 'ot=th:f'))).toBe(true);
    // Kept upstream at 1/2 (th:8 < T): the threshold proves nothing, the randomness decides.
    expect(headDecision(tenth, root(lowRandomness, 'ot=th:8'))).toBe(false);
    expect(upstreamThreshold('ot=th:c;rv:01')).toBe(0xc0000000000000n);
    expect(upstreamThreshold('ot=th:zz')).toBeUndefined();
  });
  it('parentbased: the root decides; an orphan root had a sampled parent elsewhere', () => {
    const pb = sampler('parentbased_traceidratio:0');
    expect(headDecision(pb, root(ids[0]))).toBe(false);
    expect(headDecision(pb, root(ids[0], '', true))).toBe(true);
  });
});
