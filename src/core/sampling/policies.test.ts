// One block per policy type. Cases marked "Collector:" repeat a vector of the Collector's own tests in
// opentelemetry-collector-contrib processor/tailsamplingprocessor/internal/sampling/<file>_test.go.
import { describe, expect, it } from 'vitest';
import { timeline } from '../analysis/analysis-test-helpers.ts';
import { TokenBucket } from './policies.ts';
import { traceBytes } from './sampled-trace.ts';
import { decide, policyFrom, traceOf } from './sampling-test-helpers.ts';

describe('always_sample', () => {
  it('samples every trace', () => {
    expect(decide('{name: p, type: always_sample}', traceOf({}))).toBe('sampled');
  });
});

describe('latency (latency_test.go)', () => {
  const p = '{name: p, type: latency, latency: {threshold_ms: 5000}}';
  // One column = 500 ms.
  it('Collector: trace duration shorter than threshold → not sampled', () => {
    //   a [=======]           9 columns: 4.5 s
    expect(decide(p, timeline('a [=======]', 500e6))).toBe('not_sampled');
  });
  it('Collector: trace duration equal to threshold → sampled', () => {
    //   a [========]          10 columns: 5 s
    expect(decide(p, timeline('a [========]', 500e6))).toBe('sampled');
  });
  it('Collector: total duration over the threshold while every span is shorter → sampled', () => {
    //   a [====]              0 – 3 s
    //   b      [====]         2.5 – 5.5 s (a second root)
    expect(decide(p, timeline('a [====]\nb      [====]', 500e6))).toBe('sampled');
  });
  it('upper_threshold_ms: inside (threshold, upper] is sampled, beyond it is not', () => {
    const upper = '{name: p, type: latency, latency: {threshold_ms: 1000, upper_threshold_ms: 2000}}';
    expect(decide(upper, timeline('a [==]', 500e6))).toBe('sampled'); // 2 s
    expect(decide(upper, timeline('a []', 500e6))).toBe('not_sampled'); // 1 s: not above the threshold
    expect(decide(upper, timeline('a [====]', 500e6))).toBe('not_sampled'); // 3 s
  });
  it('upper_threshold_ms is checked on the running duration, so a prefix of the spans can match', () => {
    //   a [==]                2 s: the first span alone is in (1 s, 2 s]
    //     b [===]             then the trace grows to 3.5 s
    const upper = '{name: p, type: latency, latency: {threshold_ms: 1000, upper_threshold_ms: 2000}}';
    expect(decide(upper, timeline('a [==]\n  b [===]', 500e6))).toBe('sampled');
  });
});

describe('status_code', () => {
  const p = '{name: p, type: status_code, status_code: {status_codes: [ERROR]}}';
  it('samples a trace with an error span', () => {
    expect(decide(p, timeline('a [====]\n  b [=] error'))).toBe('sampled');
    expect(decide(p, timeline('a [====]\n  b [=]'))).toBe('not_sampled');
  });
  it('matches UNSET and OK too', () => {
    expect(decide('{name: p, type: status_code, status_code: {status_codes: [OK, UNSET]}}', timeline('a [==]'))).toBe('sampled');
  });
});

describe('numeric_attribute (numeric_tag_filter_test.go)', () => {
  const p = '{name: p, type: numeric_attribute, numeric_attribute: {key: example, min_value: 100, max_value: 200}}';
  const inv = '{name: p, type: numeric_attribute, numeric_attribute: {key: example, min_value: 100, max_value: 200, invert_match: true}}';
  const withValue = (v: number) => traceOf({ attrs: { example: [v, 'int'] } });
  it('Collector: on min, on max and inside are sampled; below min and above max are not', () => {
    expect(decide(p, withValue(100))).toBe('sampled');
    expect(decide(p, withValue(200))).toBe('sampled');
    expect(decide(p, withValue(150))).toBe('sampled');
    expect(decide(p, withValue(99))).toBe('not_sampled');
    expect(decide(p, withValue(201))).toBe('not_sampled');
  });
  it('Collector: with invert_match the decisions are the inverted ones', () => {
    expect(decide(inv, withValue(150))).toBe('inverted_not_sampled');
    expect(decide(inv, withValue(99))).toBe('inverted_sampled');
    expect(decide(inv, traceOf({}))).toBe('inverted_sampled');
  });
  it('reads resource attributes, and a non-int value as 0 (pdata Int())', () => {
    expect(decide(p, traceOf({ resource: { example: [120, 'int'] } }))).toBe('sampled');
    expect(decide(p, traceOf({ attrs: { example: [150.5, 'double'] } }))).toBe('not_sampled');
    expect(decide('{name: p, type: numeric_attribute, numeric_attribute: {key: example, max_value: 10}}', traceOf({ attrs: { example: 'x' } }))).toBe('sampled');
  });
  it('a 0 bound is no bound, as the Collector builds the policy', () => {
    expect(decide('{name: p, type: numeric_attribute, numeric_attribute: {key: example, min_value: 400}}', withValue(10_000))).toBe('sampled');
  });
});

describe('string_attribute (string_tag_filter_test.go)', () => {
  const exact = '{name: p, type: string_attribute, string_attribute: {key: example, values: [value, other]}}';
  it('Collector: exact values match span and resource attributes', () => {
    expect(decide(exact, traceOf({ attrs: { example: 'value' } }))).toBe('sampled');
    expect(decide(exact, traceOf({ resource: { example: 'other' } }))).toBe('sampled');
    expect(decide(exact, traceOf({ attrs: { example: 'valu' } }))).toBe('not_sampled');
    expect(decide(exact, traceOf({ attrs: { other: 'value' } }))).toBe('not_sampled');
  });
  it('Collector: regex values match anywhere in the string (unanchored, like Go regexp)', () => {
    const regex = '{name: p, type: string_attribute, string_attribute: {key: url.path, values: ["/health", "^/api/v[0-9]+$"], enabled_regex_matching: true}}';
    expect(decide(regex, traceOf({ attrs: { 'url.path': '/x/health/live' } }))).toBe('sampled');
    expect(decide(regex, traceOf({ attrs: { 'url.path': '/api/v2' } }))).toBe('sampled');
    expect(decide(regex, traceOf({ attrs: { 'url.path': '/api/v2/x' } }))).toBe('not_sampled');
  });
  it('Collector: invert_match samples (inverted) unless some attribute matches; a missing key is kept', () => {
    const inv = '{name: p, type: string_attribute, string_attribute: {key: example, values: [value], invert_match: true}}';
    expect(decide(inv, traceOf({ attrs: { example: 'value' } }))).toBe('inverted_not_sampled');
    expect(decide(inv, traceOf({ attrs: { example: 'else' } }))).toBe('inverted_sampled');
    expect(decide(inv, traceOf({}))).toBe('inverted_sampled');
  });
  it('an empty span value never matches, even a regex that accepts ""', () => {
    const any = '{name: p, type: string_attribute, string_attribute: {key: example, values: [".*"], enabled_regex_matching: true}}';
    expect(decide(any, traceOf({ attrs: { example: '' } }))).toBe('not_sampled');
    expect(decide(any, traceOf({ attrs: { example: [5, 'int'] } }))).toBe('not_sampled');
  });
  it('service.name matches the resource service even when the file kept no such attribute', () => {
    expect(decide('{name: p, type: string_attribute, string_attribute: {key: service.name, values: [checkout]}}', traceOf({ service: 'checkout' }))).toBe('sampled');
  });
});

describe('boolean_attribute (boolean_tag_filter_test.go)', () => {
  const p = '{name: p, type: boolean_attribute, boolean_attribute: {key: example, value: true}}';
  it('Collector: matches the value, not a missing or other-typed attribute', () => {
    expect(decide(p, traceOf({ attrs: { example: true } }))).toBe('sampled');
    expect(decide(p, traceOf({ attrs: { example: false } }))).toBe('not_sampled');
    expect(decide(p, traceOf({ resource: { example: true } }))).toBe('sampled');
    expect(decide(p, traceOf({ attrs: { example: 'true' } }))).toBe('not_sampled');
    expect(decide(p, traceOf({}))).toBe('not_sampled');
  });
  it('invert_match', () => {
    const inv = '{name: p, type: boolean_attribute, boolean_attribute: {key: example, value: true, invert_match: true}}';
    expect(decide(inv, traceOf({ attrs: { example: true } }))).toBe('inverted_not_sampled');
    expect(decide(inv, traceOf({ attrs: { example: false } }))).toBe('inverted_sampled');
  });
});

describe('trace_state (trace_state_filter_test.go)', () => {
  const p = '{name: p, type: trace_state, trace_state: {key: example, values: [value]}}';
  it('Collector: matches the key\'s value in any span\'s tracestate', () => {
    expect(decide(p, traceOf({ traceState: 'example=value' }))).toBe('sampled');
    expect(decide(p, traceOf({ traceState: 'other=1,example=value' }))).toBe('sampled');
    expect(decide(p, traceOf({ traceState: 'example=non_value' }))).toBe('not_sampled');
    expect(decide(p, traceOf({ traceState: 'example' }))).toBe('not_sampled'); // malformed
    expect(decide(p, traceOf({}))).toBe('not_sampled');
  });
});

describe('span_count (span_count_sampler_test.go)', () => {
  const spans = (n: number) => traceOf(...Array.from({ length: n }, () => ({})));
  it('Collector: inclusive min and max; max 0 means no maximum', () => {
    const p = '{name: p, type: span_count, span_count: {min_spans: 2, max_spans: 3}}';
    expect(decide(p, spans(1))).toBe('not_sampled');
    expect(decide(p, spans(2))).toBe('sampled');
    expect(decide(p, spans(3))).toBe('sampled');
    expect(decide(p, spans(4))).toBe('not_sampled');
    expect(decide('{name: p, type: span_count, span_count: {min_spans: 2}}', spans(50))).toBe('sampled');
  });
  it('counts only the spans that arrived before the decision', () => {
    //   a [=]                 ends at 1 s: the trace arrives
    //     b [==========]      ends at 11 s > 1 s + decision_wait 5 s: late
    const p = '{name: p, type: span_count, span_count: {min_spans: 2}}';
    const model = timeline('a [=]\n  b [==========]', 1e9);
    expect(decide(p, model, 5e9)).toBe('not_sampled');
    expect(decide(p, model, 20e9)).toBe('sampled');
  });
});

describe('and / drop (and_test.go, drop_test.go)', () => {
  const sub = '[{name: err, type: status_code, status_code: {status_codes: [ERROR]}}, {name: big, type: span_count, span_count: {min_spans: 2}}]';
  const and = `{name: p, type: and, and: {and_sub_policy: ${sub}}}`;
  const drop = `{name: p, type: drop, drop: {drop_sub_policy: ${sub}}}`;
  it('Collector: and samples only when every sub-policy samples', () => {
    expect(decide(and, traceOf({ status: 'error' }, {}))).toBe('sampled');
    expect(decide(and, traceOf({ status: 'error' }))).toBe('not_sampled');
  });
  it('Collector: drop drops when every sub-policy samples', () => {
    expect(decide(drop, traceOf({ status: 'error' }, {}))).toBe('dropped');
    expect(decide(drop, traceOf({}, {}))).toBe('not_sampled');
  });
  it('an inverted sub-decision counts as its plain one inside and', () => {
    const p = '{name: p, type: and, and: {and_sub_policy: [{name: s, type: string_attribute, string_attribute: {key: k, values: [x], invert_match: true}}]}}';
    expect(decide(p, traceOf({ attrs: { k: 'y' } }))).toBe('sampled');
    expect(decide(p, traceOf({ attrs: { k: 'x' } }))).toBe('not_sampled');
  });
});

describe('rate_limiting and bytes_limiting: token buckets at the traces\' own times', () => {
  it('x/time/rate AllowN: starts full at burst, refills at the rate, refuses without spending', () => {
    const bucket = new TokenBucket(5, 10);
    expect([bucket.allow(0, 4), bucket.allow(0, 4), bucket.allow(0, 4)]).toEqual([true, true, false]);
    expect(bucket.allow(1, 7)).toBe(true); // 2 left + 5 refilled
    expect(bucket.allow(1, 11)).toBe(false); // more than the burst, ever
  });
  it('rate_limiting spends the trace\'s span count with a burst of twice the rate', () => {
    const p = policyFrom('{name: p, type: rate_limiting, rate_limiting: {spans_per_second: 2}}');
    const four = traceOf({}, {}, {}, {});
    expect(decide(p, four)).toBe('sampled');
    expect(decide(p, traceOf({}, {}, {}, {}, {}))).toBe('not_sampled');
  });
  it('bytes_limiting weighs the trace with the Collector\'s size estimate', () => {
    // 68 fixed + "abc" 3 + attribute "k" 1 + 8 (int) per span, + 4 for its resource.
    const model = traceOf({ name: 'abc', attrs: { k: [1, 'int'] } });
    expect(traceBytes(model)).toBe(68 + 3 + 1 + 8 + 4);
    expect(decide('{name: p, type: bytes_limiting, bytes_limiting: {bytes_per_second: 40, burst_capacity: 84}}', model)).toBe('sampled');
    expect(decide('{name: p, type: bytes_limiting, bytes_limiting: {bytes_per_second: 40, burst_capacity: 83}}', model)).toBe('not_sampled');
  });
});

describe('ottl_condition (supported subset)', () => {
  const p = (span: string, spanevent = '[]') => `{name: p, type: ottl_condition, ottl_condition: {span: ${span}, spanevent: ${spanevent}}}`;
  it('span conditions on name, attributes, resource attributes, status and kind', () => {
    const model = traceOf({ name: 'GET /x', attrs: { 'http.status_code': [503, 'int'] }, resource: { env: 'prod' }, status: 'error' });
    expect(decide(p(`['name == "GET /x"']`), model)).toBe('sampled');
    expect(decide(p(`['attributes["http.status_code"] >= 500 and resource.attributes["env"] == "prod"']`), model)).toBe('sampled');
    expect(decide(p(`['status.code == STATUS_CODE_ERROR']`), model)).toBe('sampled');
    expect(decide(p(`['attributes["missing"] != nil']`), model)).toBe('not_sampled');
    expect(decide(p(`['name == "other" or attributes["http.status_code"] < 400']`), model)).toBe('not_sampled');
  });
  it('span event conditions', () => {
    const model = traceOf({ events: [{ name: 'exception', attrs: { 'exception.type': 'Timeout' } }] });
    expect(decide(p('[]', `['name == "exception" and attributes["exception.type"] == "Timeout"']`), model)).toBe('sampled');
    expect(decide(p('[]', `['name == "retry"']`), model)).toBe('not_sampled');
  });
});

describe('composite (composite_test.go)', () => {
  const p = `{name: p, type: composite, composite: {max_total_spans_per_second: 10,
    policy_order: [errors, all],
    composite_sub_policy: [{name: errors, type: status_code, status_code: {status_codes: [ERROR]}}, {name: all, type: always_sample}],
    rate_allocation: [{policy: errors, percent: 50}, {policy: all, percent: 30}]}}`;
  it('Collector: the first sub-policy that samples decides within its share of the spans per second', async () => {
    const { createEvaluator } = await import('./policies.ts');
    const { sampledTrace } = await import('./sampled-trace.ts');
    const evaluator = createEvaluator(policyFrom(p));
    const at = (model: ReturnType<typeof traceOf>) => evaluator.evaluate(sampledTrace(model, 0, 0));
    const twoSpans = traceOf({}, {});
    const twoErrorSpans = traceOf({ status: 'error' }, {});
    // Same second: "all" has 3 spans/s (30 % of 10), "errors" 5.
    expect([at(twoSpans), at(twoSpans)]).toEqual(['sampled', 'not_sampled']);
    expect([at(twoErrorSpans), at(twoErrorSpans), at(twoErrorSpans)]).toEqual(['sampled', 'sampled', 'not_sampled']);
  });
  it('a sub-policy without a rate allocation gets nothing', () => {
    const noShare = `{name: p, type: composite, composite: {max_total_spans_per_second: 10, composite_sub_policy: [{name: all, type: always_sample}]}}`;
    expect(decide(noShare, traceOf({}))).toBe('not_sampled');
  });
});
