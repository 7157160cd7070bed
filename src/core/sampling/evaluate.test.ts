import { describe, expect, it } from 'vitest';
import { timeline } from '../analysis/analysis-test-helpers.ts';
import { loadFixture } from '../import/fixture-test-helpers.ts';
import { loadBytes } from '../import/index.ts';
import type { TraceCollection } from '../model/trace-model.ts';
import { parseSamplingConfig } from './config.ts';
import { evaluateSampling } from './evaluate.ts';
import { parseHeadSampler, type HeadSampler } from './head-sampler.ts';
import { REFERENCE_CONFIG } from './reference-config.ts';
import { buildSpans } from './sampling-test-helpers.ts';
import { TraceFacts } from './trace-facts.ts';

const config = (policies: string, extra = '') => parseSamplingConfig(`${extra}\npolicies: [${policies}]`);
const one = (c: TraceCollection, policies: string, extra = '') => evaluateSampling(c.traces, config(policies, extra));
const DROP_ERRORS = '{name: no-errors, type: drop, drop: {drop_sub_policy: [{name: e, type: status_code, status_code: {status_codes: [ERROR]}}]}}';
const ALL = '{name: all, type: always_sample}';
const INVERT_X = '{name: not-x, type: string_attribute, string_attribute: {key: k, values: [x], invert_match: true}}';
const NONE = '{name: none, type: span_count, span_count: {min_spans: 1000}}';

describe('the Collector\'s decision rule (processor.go makeDecision)', () => {
  const errorTrace = buildSpans([{ status: 'error' }]);
  const xTrace = buildSpans([{ attrs: { k: 'x' } }]);
  const yTrace = buildSpans([{ attrs: { k: 'y' } }]);

  it('a drop wins over any sample, whatever the order in the config; it stops the evaluation', () => {
    const e = one(errorTrace, `${ALL}, ${DROP_ERRORS}`);
    expect(e.decisions[0]).toMatchObject({ decision: 'not_sampled', policy: 'no-errors', droppedByPolicy: true });
    expect(e.policies).toEqual([
      { name: 'no-errors', type: 'drop', evaluated: 1, matched: 1, decided: 1 },
      { name: 'all', type: 'always_sample', evaluated: 0, matched: 0, decided: 0 },
    ]);
  });
  it('an inverted not-sampled beats a sample (the deprecated inverted semantics)', () => {
    expect(one(xTrace, `${ALL}, ${INVERT_X}`).decisions[0]).toMatchObject({ decision: 'not_sampled', policy: 'not-x' });
  });
  it('an inverted sample keeps the trace only when no policy said not sampled', () => {
    expect(one(yTrace, INVERT_X).decisions[0]).toMatchObject({ decision: 'sampled', policy: 'not-x' });
    expect(one(yTrace, `${INVERT_X}, ${NONE}`).decisions[0]).toMatchObject({ decision: 'not_sampled', policy: undefined });
  });
  it('any sample keeps the trace, credited to the first policy that sampled it', () => {
    const e = one(errorTrace, `${NONE}, {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}, ${ALL}`);
    expect(e.decisions[0]).toMatchObject({ decision: 'sampled', policy: 'errors' });
    expect(e.policies.map((p) => [p.name, p.matched, p.decided])).toEqual([['none', 0, 0], ['errors', 1, 1], ['all', 1, 0]]);
  });
  it('sample_on_first_match stops at the first sample', () => {
    const e = one(errorTrace, `{name: errors, type: status_code, status_code: {status_codes: [ERROR]}}, ${ALL}`, 'sample_on_first_match: true');
    expect(e.policies.map((p) => p.evaluated)).toEqual([1, 0]);
  });
});

describe('decision_wait: late spans', () => {
  //   root   [==]                 ends at 3 s: the trace arrives, decided at 3 s + decision_wait
  //     job    [============]     ends at 13 s, with an error
  const model = timeline('root   [=]\n  job    [=========] error', 1e9);
  const c: TraceCollection = { format: 'jaeger', traces: [model], warnings: [], linkTargets: new Map(), stores: model.stores };
  const errors = '{name: errors, type: status_code, status_code: {status_codes: [ERROR]}}';
  it('a span ending after the decision is late: the policies do not see it', () => {
    const e = one(c, errors, 'decision_wait: 5s');
    expect(e.decisions[0]).toMatchObject({ decision: 'not_sampled', lateSpans: 1, spans: 2 });
  });
  it('with a long enough wait the same span is seen', () => {
    expect(one(c, errors, 'decision_wait: 30s').decisions[0]).toMatchObject({ decision: 'sampled', lateSpans: 0 });
  });
});

describe('rate limits replayed at the traces\' own times', () => {
  // Three 2-span traces: at 0 s, 0.5 s and 3 s, listed out of order. 1 span/s, burst 2.
  // Head (Go rule, 0.5): a and c have a high lower half and are dropped, b is kept.
  const ids = ['a'.repeat(16) + 'f'.repeat(16), 'b'.repeat(16) + '0'.repeat(15) + '1', 'c'.repeat(16) + 'f'.repeat(16)];
  const c = buildSpans([
    { traceId: ids[2], startMs: 3000 },
    { traceId: ids[2], startMs: 3000 },
    { traceId: ids[0], startMs: 0 },
    { traceId: ids[0], startMs: 0 },
    { traceId: ids[1], startMs: 500 },
    { traceId: ids[1], startMs: 500 },
  ]);
  it('decides in decision-time order: the second trace finds the bucket empty, the third finds it refilled', () => {
    const e = one(c, '{name: rl, type: rate_limiting, rate_limiting: {spans_per_second: 1}}', 'decision_wait: 1s');
    expect(Object.fromEntries(e.decisions.map((d) => [d.traceId[0], d.decision]))).toEqual({ a: 'sampled', b: 'not_sampled', c: 'sampled' });
  });
  it('behind a head sampler the tail sees only what the head kept', () => {
    const head = parseHeadSampler('traceidratio:0.5') as HeadSampler;
    const e = evaluateSampling(c.traces, config('{name: rl, type: rate_limiting, rate_limiting: {spans_per_second: 1}}', 'decision_wait: 1s'), head);
    // The head drops trace a, so behind it trace b finds the bucket full and is kept.
    expect(e.decisions.map((d) => [d.traceId[0], d.head, d.decision, d.kept])).toEqual([
      ['a', false, 'sampled', false],
      ['b', true, 'not_sampled', true],
      ['c', false, 'sampled', false],
    ]);
  });
});

/** The reference policy decided independently: FNV-1a in BigInt and the plain definitions. */
function expectedTail(c: TraceCollection) {
  const threshold = (2n ** 64n - 1n) / 10n;
  const salted = (id: string) => {
    let h = 0xcbf29ce484222325n;
    const bytes = [...new TextEncoder().encode('default-hash-seed'), ...(id.padStart(32, '0').match(/../g) ?? []).map((b) => parseInt(b, 16))];
    for (const b of bytes) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
    return h;
  };
  return c.traces.map((m) => {
    let error = false;
    for (let i = 0; i < m.spanCount; i++) error ||= m.status[i] === 2;
    return error || Math.trunc(m.traceDurationNs / 1e6) >= 1000 || salted(m.traceId) <= threshold;
  });
}

describe('the reference config over the demo traces', () => {
  const files = ['demo-orders', 'demo-batch-links', 'demo-async-restored', 'demo-async-lost'];
  it.each(files)('%s: kept and dropped as computed independently', async (file) => {
    const c = await loadFixture(`demo/${file}.jsonl`);
    const e = evaluateSampling(c.traces, parseSamplingConfig(REFERENCE_CONFIG));
    expect(e.decisions.map((d) => d.decision === 'sampled')).toEqual(expectedTail(c));
  });
  it('all four files decided together (several loads): 5 of 23 traces kept, no late spans at decision_wait 10s', async () => {
    const models = (await Promise.all(files.map((f) => loadFixture(`demo/${f}.jsonl`)))).flatMap((c) => c.traces);
    const e = evaluateSampling(models, parseSamplingConfig(REFERENCE_CONFIG));
    const kept = e.decisions.filter((d) => d.decision === 'sampled').length;
    const late = e.decisions.reduce((n, d) => n + d.lateSpans, 0);
    expect([kept, e.decisions.length, late]).toEqual([5, 23, 0]);
  });
  it('with parentbased_traceidratio 0.1 in front (Go rule, computed independently)', async () => {
    const head = parseHeadSampler('parentbased_traceidratio:0.1') as HeadSampler;
    for (const file of files) {
      const c = await loadFixture(`demo/${file}.jsonl`);
      const e = evaluateSampling(c.traces, parseSamplingConfig(REFERENCE_CONFIG), head);
      const tail = expectedTail(c);
      e.decisions.forEach((d, i) => {
        const m = c.traces[i];
        const orphanRoot = m.parentSpanIds[m.roots[0]] !== '';
        const headKept = orphanRoot || BigInt(`0x${m.traceId.padStart(32, '0').slice(16)}`) >> 1n < BigInt(Math.trunc(0.1 * 2 ** 63));
        expect([d.head, d.kept]).toEqual([headKept, headKept && tail[i]]);
      });
    }
  });
});

describe('the consistent head sampler\'s randomness (W3C random flag, ot=rv)', () => {
  // Three OTLP roots; T(0.1) = 0xe6666666666666, so ids ending in 00e6666666666666 clear it.
  const otlpRoot = (traceId: string, flags: number | undefined, traceState = '') => ({
    traceId,
    spanId: traceId.slice(0, 16),
    name: 'GET /',
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000001000000',
    ...(flags === undefined ? {} : { flags }),
    ...(traceState ? { traceState } : {}),
  });
  const file = JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'web' } }] },
        scopeSpans: [
          {
            spans: [
              otlpRoot('1111111111111111' + '00e6666666666666', 0x303), // sampled + random (+ is-remote bits)
              otlpRoot('2222222222222222' + '00e6666666666665', 0x301), // no random flag: assumed
              otlpRoot('3333333333333333' + '0000000000000000', 0x301, 'ot=rv:ffffffffffffff'), // rv decides
            ],
          },
        ],
      },
    ],
  });

  it('counts the decisions by randomness source and decides each from it', async () => {
    const c = await loadBytes(new TextEncoder().encode(file), { fileName: 'roots.json' });
    const e = evaluateSampling(c.traces, config(ALL), parseHeadSampler('traceidratio:0.1:consistent') as HeadSampler);
    expect(e.headRandomness).toEqual({ rv: 1, 'random-flag': 1, assumed: 1 });
    expect(e.decisions.map((d) => [d.traceId.slice(0, 4), d.head])).toEqual([
      ['1111', true],
      ['2222', false],
      ['3333', true],
    ]);
  });
  it('the OpenTelemetry demo\'s Collector export carries no random flag (Span.flags 0x100, 0x300, 0x1): every root is assumed', async () => {
    const c = await loadFixture('real/otlp/otel-tui__otel-demo-collector-file-export.jsonl');
    const e = evaluateSampling(c.traces, config(ALL), parseHeadSampler('traceidratio:0.5:consistent') as HeadSampler);
    expect(e.headRandomness).toEqual({ rv: 0, 'random-flag': 0, assumed: c.traces.length });
    // A parent-based head decides no orphan root by randomness; go and js rules never read it.
    expect(evaluateSampling(c.traces, config(ALL), parseHeadSampler('traceidratio:0.5') as HeadSampler).headRandomness).toBeUndefined();
  });
});

describe('bytes_limiting with the facts the lab keeps', () => {
  it('weighs traces with the kept sizer exactly as with a fresh one, edit after edit', async () => {
    const c = await loadFixture('real/otlp/otel-tui__otel-demo-collector-file-export.jsonl');
    const limit = config('{name: bytes, type: bytes_limiting, bytes_limiting: {bytes_per_second: 2000, burst_capacity: 8000}}');
    const fresh = evaluateSampling(c.traces, limit).decisions.map((d) => [d.traceId, d.decision, d.bytes]);
    const facts = new TraceFacts();
    evaluateSampling(c.traces, config(ALL), undefined, facts);
    const first = evaluateSampling(c.traces, limit, undefined, facts).decisions.map((d) => [d.traceId, d.decision, d.bytes]);
    const again = evaluateSampling(c.traces, limit, undefined, facts).decisions.map((d) => [d.traceId, d.decision, d.bytes]);
    expect([first, again]).toEqual([fresh, fresh]);
    const kept = fresh.filter(([, decision]) => decision === 'sampled').length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(c.traces.length);
  });
});
