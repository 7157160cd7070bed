// One evaluator per policy type, each replaying the Collector's Evaluate (tailsamplingprocessor
// internal/sampling/<type>.go) over the spans that arrived before the decision. Stateful evaluators
// (rate_limiting, bytes_limiting, composite) keep their buckets in the evaluator object, created fresh
// for every evaluation run: nothing is shared between runs.
import { STATUS_CODES, STATUS_ERROR, type TraceModel } from '../model/trace-model.ts';
import { CollectorProbabilistic } from './collector-hash.ts';
import type { LeafPolicy, NamedPolicy } from './config.ts';
import { evaluateOttl, type OttlCondition, type OttlPath, type OttlValue } from './ottl.ts';
import { AttrReader, isOnTime, resourcesOf, TraceSizer, type SampledTrace } from './sampled-trace.ts';

/** The Collector's per-policy decisions; the inverted ones come from invert_match (deprecated there). */
export type PolicyDecision = 'sampled' | 'not_sampled' | 'inverted_sampled' | 'inverted_not_sampled' | 'dropped';

export interface PolicyEvaluator {
  evaluate(trace: SampledTrace): PolicyDecision;
}

/** @param sizer for bytes_limiting: one that already measured the traces' load saves a walk through it */
export function createEvaluator(policy: NamedPolicy, sizer = new TraceSizer()): PolicyEvaluator {
  const sub = (p: NamedPolicy) => createEvaluator(p, sizer);
  switch (policy.type) {
    case 'and': {
      const subs = policy.policies.map(sub);
      return {
        evaluate: (trace) => (subs.every((s) => isSampled(s.evaluate(trace))) ? 'sampled' : 'not_sampled'),
      };
    }
    case 'drop': {
      const subs = policy.policies.map(sub);
      return {
        evaluate: (trace) => (subs.every((s) => isSampled(s.evaluate(trace))) ? 'dropped' : 'not_sampled'),
      };
    }
    case 'composite':
      return new CompositeEvaluator(policy.maxTotalSpansPerSecond, policy.policies.map((p) => ({ evaluator: sub(p), allocated: policy.allocatedSpansPerSecond.get(p.name) ?? 0 })));
    default:
      return leafEvaluator(policy, sizer);
  }
}

/** and / drop / composite read a sub-policy's inverted decision as its plain one. */
function isSampled(d: PolicyDecision): boolean {
  return d === 'sampled' || d === 'inverted_sampled';
}

function leafEvaluator(policy: LeafPolicy, sizer: TraceSizer): PolicyEvaluator {
  switch (policy.type) {
    case 'always_sample':
      return { evaluate: () => 'sampled' };
    case 'latency':
      return { evaluate: (t) => decide(latencyMatches(t, policy.thresholdMs, policy.upperThresholdMs)) };
    case 'status_code': {
      const codes = new Set<number>(policy.statusCodes.map((c) => STATUS_CODES.indexOf(c)));
      // Most traces have no error span, and the model counts them: a policy on ERROR alone need not look.
      const errorOnly = codes.size === 1 && codes.has(STATUS_ERROR);
      return { evaluate: (t) => decide(!(errorOnly && t.model.errorCount === 0) && anySpan(t, (m, i) => codes.has(m.status[i]))) };
    }
    case 'probabilistic': {
      const hash = new CollectorProbabilistic(policy.samplingPercentage, policy.hashSalt);
      return { evaluate: (t) => decide(hash.sampled(t.model.traceId)) };
    }
    case 'span_count':
      return {
        evaluate: ({ onTimeSpans: n }) => decide((policy.maxSpans === 0 && n >= policy.minSpans) || (n >= policy.minSpans && n <= policy.maxSpans)),
      };
    case 'numeric_attribute': {
      const reader = new AttrReader(policy.key);
      const inRange = (v: number) => (policy.minValue === undefined || v >= policy.minValue) && (policy.maxValue === undefined || v <= policy.maxValue);
      return attributeEvaluator(reader, policy.invertMatch, (m, attr) => inRange(reader.intValue(m, attr)), (m, attr) => inRange(reader.intValue(m, attr)));
    }
    case 'string_attribute': {
      const reader = new AttrReader(policy.key);
      const matches = stringMatcher(policy.values, policy.enabledRegexMatching);
      return attributeEvaluator(
        reader,
        policy.invertMatch,
        (m, attr, span) => matches(reader.strValue(m, attr, span)),
        // A span attribute that is empty (or not a string) never matches.
        (m, attr, span) => {
          const value = reader.strValue(m, attr, span);
          return value !== '' && matches(value);
        },
      );
    }
    case 'boolean_attribute': {
      const reader = new AttrReader(policy.key);
      const matches = (m: TraceModel, attr: number) => reader.boolValue(m, attr) === policy.value;
      return attributeEvaluator(reader, policy.invertMatch, matches, matches);
    }
    case 'trace_state': {
      const values = new Set(policy.values.filter((v) => v !== '' && policy.key.length + v.length < 256));
      return { evaluate: (t) => decide(anySpan(t, (m, i) => values.has(traceStateValue(m.traceState.get(i) ?? '', policy.key) ?? ''))) };
    }
    case 'rate_limiting': {
      const bucket = new TokenBucket(policy.spansPerSecond, policy.spansPerSecond * 2);
      return { evaluate: (t) => decide(bucket.allow(t.decisionTimeSec, t.onTimeSpans)) };
    }
    case 'bytes_limiting': {
      const bucket = new TokenBucket(policy.bytesPerSecond, policy.burstCapacity);
      return { evaluate: (t) => decide(bucket.allow(t.decisionTimeSec, sizer.bytes(t.model, (i) => isOnTime(t, i)))) };
    }
    case 'ottl_condition':
      return { evaluate: (t) => decide(ottlMatches(t, policy.span, policy.spanEvent)) };
  }
}

function decide(match: boolean): PolicyDecision {
  return match ? 'sampled' : 'not_sampled';
}

function anySpan(trace: SampledTrace, test: (model: TraceModel, span: number) => boolean): boolean {
  const { model } = trace;
  for (let i = 0; i < model.spanCount; i++) if (isOnTime(trace, i) && test(model, i)) return true;
  return false;
}

/**
 * latency.go: a running earliest start and latest end, tested after each span, so with an upper
 * threshold a trace can match on a prefix of its spans (the Collector's order is arrival order; the lab
 * uses the trace's span order). Durations are whole milliseconds, truncated.
 */
function latencyMatches(trace: SampledTrace, thresholdMs: number, upperThresholdMs: number): boolean {
  let min = Infinity;
  let max = -Infinity;
  return anySpan(trace, (m, i) => {
    min = Math.min(min, m.startNs[i]);
    max = Math.max(max, m.startNs[i] + m.durationNs[i]);
    const ms = Math.trunc((max - min) / 1e6);
    return upperThresholdMs === 0 ? ms >= thresholdMs : thresholdMs < ms && ms <= upperThresholdMs;
  });
}

type AttrTest = (model: TraceModel, attr: number, span: number) => boolean;

/**
 * util.go's hasResourceOrSpanWithCondition: sampled when any resource or span attribute matches; with
 * invert_match, inverted-sampled unless any present attribute matches (a missing key counts as "not
 * matching", so such traces are kept).
 */
function attributeEvaluator(reader: AttrReader, invert: boolean, resourceTest: AttrTest, spanTest: AttrTest): PolicyEvaluator {
  return {
    evaluate(trace) {
      const { model } = trace;
      let found = false;
      for (const [resourceId, span] of resourcesOf(trace)) {
        const attr = reader.resource(model, resourceId);
        if (attr !== -1 && resourceTest(model, attr, span)) {
          found = true;
          break;
        }
      }
      found ||= anySpan(trace, (m, i) => {
        const attr = reader.span(m, i);
        return attr >= 0 && spanTest(m, attr, i);
      });
      if (invert) return found ? 'inverted_not_sampled' : 'inverted_sampled';
      return found ? 'sampled' : 'not_sampled';
    },
  };
}

function stringMatcher(values: readonly string[], regex: boolean): (value: string) => boolean {
  if (regex) {
    // Go's regexp.MatchString: unanchored, like RegExp.test. RE2-only syntax differences are not handled.
    const patterns = values.map((v) => new RegExp(v));
    return (value) => patterns.some((p) => p.test(value));
  }
  const set = new Set(values.filter((v) => v !== ''));
  return (value) => set.has(value);
}

/** W3C tracestate "k1=v1,k2=v2": the value of `key`, or undefined (also when the list is malformed). */
export function traceStateValue(traceState: string, key: string): string | undefined {
  if (traceState === '') return undefined;
  let found: string | undefined;
  for (const member of traceState.split(',')) {
    const text = member.trim();
    if (text === '') continue;
    const eq = text.indexOf('=');
    if (eq <= 0) return undefined;
    if (text.slice(0, eq) === key) found ??= text.slice(eq + 1);
  }
  return found;
}

function ottlMatches(trace: SampledTrace, span: readonly OttlCondition[], spanEvent: readonly OttlCondition[]): boolean {
  const { model } = trace;
  const { strings, attributes, events, resources, scopes } = model.stores;
  const resourceAttr = (i: number, key: string): OttlValue => {
    const r = model.resourceId[i];
    const found = r >= 0 ? attributes.find(resources[r].attrStart, resources[r].attrCount, key) : undefined;
    return found ?? (key === 'service.name' ? strings.get(model.serviceId[i]) : undefined);
  };
  return anySpan(trace, (m, i) => {
    const readSpan = (path: OttlPath): OttlValue => {
      switch (path.kind) {
        case 'name':
        case 'span.name':
          return strings.get(m.nameId[i]);
        case 'kind':
          return m.kind[i];
        case 'status.code':
          return m.status[i];
        case 'status.message':
          return m.statusMessage.get(i) ?? '';
        case 'instrumentation_scope.name':
          return m.scopeId[i] >= 0 ? scopes[m.scopeId[i]].name : '';
        case 'attribute':
          return attributes.find(m.attrStart[i], m.attrCount[i], path.key);
        case 'resource.attribute':
          return resourceAttr(i, path.key);
      }
    };
    if (span.some((c) => evaluateOttl(c, readSpan))) return true;
    for (let e = m.eventStart[i]; e < m.eventStart[i] + m.eventCount[i]; e++) {
      const readEvent = (path: OttlPath): OttlValue => {
        if (path.kind === 'name') return strings.get(events.nameId[e]);
        if (path.kind === 'attribute') return attributes.find(events.attrStart[e], events.attrCount[e], path.key);
        return readSpan(path);
      };
      if (spanEvent.some((c) => evaluateOttl(c, readEvent))) return true;
    }
    return false;
  });
}

/**
 * golang.org/x/time/rate's Limiter.AllowN, replayed at the traces' own times: tokens refill at `rate`
 * per second up to `burst` (full at the start); a request larger than what is there is refused and
 * takes nothing.
 */
export class TokenBucket {
  private tokens: number;
  private last: number | undefined;

  constructor(
    private readonly rate: number,
    private burst: number,
  ) {
    this.tokens = burst;
  }

  allow(timeSec: number, n: number): boolean {
    if (this.rate === 0) {
      // rate.Limiter with a zero limit spends the burst once, then refuses.
      if (this.burst < n) return false;
      this.burst -= n;
      return true;
    }
    const last = this.last === undefined || timeSec < this.last ? timeSec : this.last;
    const tokens = Math.min(this.burst, this.tokens + (timeSec - last) * this.rate) - n;
    if (n > this.burst || tokens < 0) return false;
    this.last = timeSec;
    this.tokens = tokens;
    return true;
  }
}

/**
 * composite.go: sub-policies in their listed order; the first that samples decides, within its
 * allocated spans per second and the total, counted per whole second of the decision time.
 */
class CompositeEvaluator implements PolicyEvaluator {
  private second = Number.NaN;
  private readonly used: number[];

  constructor(
    private readonly maxTotal: number,
    private readonly subs: readonly { readonly evaluator: PolicyEvaluator; readonly allocated: number }[],
  ) {
    this.used = subs.map(() => 0);
  }

  evaluate(trace: SampledTrace): PolicyDecision {
    const second = Math.floor(trace.decisionTimeSec);
    if (second !== this.second) {
      this.second = second;
      this.used.fill(0);
    }
    for (let s = 0; s < this.subs.length; s++) {
      if (!isSampled(this.subs[s].evaluator.evaluate(trace))) continue;
      const ifSampled = this.used[s] + trace.onTimeSpans;
      if (ifSampled <= this.subs[s].allocated && ifSampled <= this.maxTotal) {
        this.used[s] = ifSampled;
        return 'sampled';
      }
      return 'not_sampled';
    }
    return 'not_sampled';
  }
}
