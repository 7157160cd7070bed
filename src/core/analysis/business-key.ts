// Joining traces that lost their context by a business key: an attribute such as order.id or job.id
// whose values recur in the separate traces of one piece of work (the API request, the publisher, the
// worker). suggestBusinessKeys ranks attribute keys that look like such keys; groupByBusinessKey gives
// the traces that share each value, with inferred links to draw dashed ("inferred by job.id").
import { knownEntry } from '../known-entry.ts';
import { compareEpoch } from '../model/time.ts';
import type { AttrValue } from '../model/attributes.ts';
import type { TraceModel } from '../model/trace-model.ts';
import type { InferredLink, SpanRef } from './span-ref.ts';

export interface BusinessKeySuggestion {
  readonly key: string;
  /** 0…1; see scoreKey. */
  readonly score: number;
  readonly tracesWithKey: number;
  readonly distinctValues: number;
  /** Values found in two or more traces. */
  readonly sharedValues: number;
  /** Why it ranks where it does, in a few words. */
  readonly reason: string;
}

/** Infrastructure namespaces and bookkeeping keys: shared across traces, but never the work's identity. */
const NOT_BUSINESS =
  /^(?:_dd\.|otel\.|otlp\.|telemetry\.|service\.|deployment\.|host\.|os\.|process\.|container\.|k8s\.|cloud\.|thread\.|code\.|network\.|net\.|server\.|client\.|peer\.|http\.|url\.|user_agent\.|db\.|rpc\.|span\.|exception\.|error)|^(?:runtime-id|process_id|component|language|env|version|resource\.name)$|(?:^|[._-])(?:trace|span|parent)[._-]?id$/i;
const LOOKS_LIKE_ID = /(?:^|[._-])(?:id|key|uuid|guid|ref|number)$|[a-z]Id$/;
/** Enough to rank keys; a key with more distinct values than this is ranked on the first ones. */
const MAX_VALUES_PER_KEY = 100_000;
const MAX_VALUE_CHARS = 256;

interface KeyStats {
  readonly values: Map<string, { lastTrace: number; traceCount: number }>;
  lastTrace: number;
  traceCount: number;
  sharedValues: number;
  /** Sum over shared values of the traces each is in. */
  sharedTraceSum: number;
}

/** Attribute keys of spans ranked by how well they join traces, best first; keys that join nothing are left out. */
export function suggestBusinessKeys(traces: readonly TraceModel[], limit = 10): BusinessKeySuggestion[] {
  const stats = new Map<string, KeyStats>();
  const ignored = new Set<string>();
  traces.forEach((model, t) => {
    const { attributes: attrs, strings } = model.stores;
    for (let i = 0; i < model.spanCount; i++) {
      for (let a = model.attrStart[i], end = a + model.attrCount[i]; a < end; a++) {
        const value = keyValue(attrs.values[a]);
        if (value === undefined) continue;
        const key = strings.get(attrs.keys[a]);
        let s = stats.get(key);
        if (!s) {
          if (ignored.has(key)) continue;
          if (NOT_BUSINESS.test(key)) {
            ignored.add(key);
            continue;
          }
          stats.set(key, (s = { values: new Map(), lastTrace: -1, traceCount: 0, sharedValues: 0, sharedTraceSum: 0 }));
        }
        if (s.lastTrace !== t) {
          s.lastTrace = t;
          s.traceCount++;
        }
        const v = s.values.get(value);
        if (!v) {
          if (s.values.size < MAX_VALUES_PER_KEY) s.values.set(value, { lastTrace: t, traceCount: 1 });
        } else if (v.lastTrace !== t) {
          v.lastTrace = t; // traces are visited in order, so this counts distinct traces per value
          v.traceCount++;
          if (v.traceCount === 2) s.sharedValues++;
          s.sharedTraceSum += v.traceCount === 2 ? 2 : 1;
        }
      }
    }
  });
  const out: BusinessKeySuggestion[] = [];
  for (const [key, s] of stats) {
    const suggestion = s.sharedValues > 0 ? scoreKey(key, s, traces.length) : undefined;
    if (suggestion && suggestion.score > 0) out.push(suggestion);
  }
  out.sort((a, b) => b.score - a.score || b.tracesWithKey - a.tracesWithKey || (a.key < b.key ? -1 : 1));
  return out.slice(0, limit);
}

/**
 * score = shared × cardinality × spread × coverage × name, each 0…1:
 * - shared: the fraction of its values that recur in another trace (a join key's values do);
 * - cardinality: 1 − 1/distinct values (a constant such as env=prod joins everything and means nothing);
 * - spread: 1 while a shared value is in at most 5 traces on average (request → publisher → worker …),
 *   falling as 5/mean beyond (a value in hundreds of traces is a category, not an identity);
 * - coverage: ½ + ½ × the fraction of traces carrying the key;
 * - name: 1 when the key is named like an id (order.id, job_id, messaging.message.id), else ½.
 */
function scoreKey(key: string, s: KeyStats, traceCount: number): BusinessKeySuggestion {
  const distinct = s.values.size;
  const meanTraces = s.sharedTraceSum / s.sharedValues;
  const shared = s.sharedValues / distinct;
  const cardinality = 1 - 1 / distinct;
  const spread = Math.min(1, 5 / meanTraces);
  const coverage = 0.5 + (0.5 * s.traceCount) / traceCount;
  const namedLikeId = LOOKS_LIKE_ID.test(key);
  const score = shared * cardinality * spread * coverage * (namedLikeId ? 1 : 0.5);
  const reason =
    `${s.sharedValues} of ${distinct} values recur across traces (${meanTraces.toFixed(1)} traces each on average), ` +
    `in ${s.traceCount} of ${traceCount} traces${namedLikeId ? '; named like an id' : ''}`;
  return { key, score, tracesWithKey: s.traceCount, distinctValues: distinct, sharedValues: s.sharedValues, reason };
}

/** Strings and integers, as text (so 4 and "4" join); nothing for flags, fractions, lists, long text. */
function keyValue(value: AttrValue): string | undefined {
  if (typeof value === 'string') return value !== '' && value.length <= MAX_VALUE_CHARS ? value : undefined;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : undefined;
  return undefined;
}

/** The values of `key` on the spans of one trace, as groupByBusinessKey compares them. */
export function businessKeyValues(model: TraceModel, key: string): string[] {
  const { attributes: attrs, strings } = model.stores;
  const keyId = strings.idOf(key);
  const values = new Set<string>();
  if (keyId === undefined) return [];
  for (let i = 0; i < model.spanCount; i++) {
    for (let a = model.attrStart[i], end = a + model.attrCount[i]; a < end; a++) {
      const value = attrs.keys[a] === keyId ? keyValue(attrs.values[a]) : undefined;
      if (value !== undefined) values.add(value);
    }
  }
  return [...values];
}

export interface BusinessKeyGroup {
  readonly value: string;
  /** Trace indices sharing the value, in start-time order. */
  readonly traces: readonly number[];
  /** Every span carrying the value, by trace (in the order above), then span. */
  readonly spans: readonly SpanRef[];
  /**
   * One inferred link per consecutive pair of traces that start within the window of each other: from
   * the first carrying span of the later trace to the first carrying span of the earlier one (the way a
   * consumer links to its producer). A pair further apart is not chained: a job id reused weeks later is
   * another job.
   */
  readonly links: readonly InferredLink[];
}

/**
 * Traces sharing a value of `key` (only values in two or more traces), ordered by their first trace's start.
 * `windowMs`: the largest gap between the starts of two traces chained by one value.
 */
export function groupByBusinessKey(traces: readonly TraceModel[], key: string, windowMs = Infinity): BusinessKeyGroup[] {
  const byValue = new Map<string, SpanRef[]>();
  traces.forEach((model, t) => {
    const { attributes: attrs, strings } = model.stores;
    const keyId = strings.idOf(key);
    if (keyId === undefined) return; // the key does not occur in this load at all
    for (let i = 0; i < model.spanCount; i++) {
      for (let a = model.attrStart[i], end = a + model.attrCount[i]; a < end; a++) {
        if (attrs.keys[a] !== keyId) continue;
        const value = keyValue(attrs.values[a]);
        if (value === undefined) continue;
        const spans = byValue.get(value);
        if (spans) spans.push({ trace: t, span: i });
        else byValue.set(value, [{ trace: t, span: i }]);
      }
    }
  });

  const byStart = (a: number, b: number) => compareEpoch(traces[a].traceStart, traces[b].traceStart) || a - b;
  const groups: BusinessKeyGroup[] = [];
  for (const [value, carriers] of byValue) {
    const firstSpan = new Map<number, SpanRef>();
    for (const ref of carriers) {
      const seen = firstSpan.get(ref.trace);
      if (!seen || traces[ref.trace].startNs[ref.span] < traces[seen.trace].startNs[seen.span]) firstSpan.set(ref.trace, ref);
    }
    if (firstSpan.size < 2) continue;
    const firsts = [...firstSpan.values()].sort((a, b) => byStart(a.trace, b.trace));
    const order = firsts.map((ref) => ref.trace);
    const rank = new Map(order.map((t, k) => [t, k]));
    const links = firsts.slice(1).flatMap((from, k): InferredLink[] => {
      const to = firsts[k];
      const target = traces[to.trace];
      if (Math.abs(traces[from.trace].traceStart.ms - target.traceStart.ms) > windowMs) return [];
      return [{ from, to, traceId: target.traceId, spanId: target.spanIds[to.span], via: { kind: 'business-key', key, value } }];
    });
    const spans = carriers.slice().sort((a, b) => knownEntry(rank, a.trace) - knownEntry(rank, b.trace) || a.span - b.span);
    groups.push({ value, traces: order, spans, links });
  }
  return groups.sort((a, b) => byStart(a.traces[0], b.traces[0]));
}
