// Trace contexts stored in span data: when an async hop loses the context (an outbox row, a queue
// message), the producer's traceparent often survives as data — a header recorded as an attribute
// (`messaging.header.traceparent`), a row's stored headers as JSON, Datadog ids in event fields.
// Each one found is an inferred link from the span that carries it to the span it names.
//
// What is read, in span attributes and event attributes:
// - a key whose last part names a header (`…traceparent`, `…b3`, `…uber-trace-id`, `…x-b3-traceid` with
//   its `…x-b3-spanid`, `…x-datadog-trace-id` with `…x-datadog-parent-id` and `…x-datadog-tags`;
//   `_` for `-` and any case): its value is read as that header (strings, string arrays, numbers);
// - any other string value shaped exactly like a traceparent, a b3 value with full-width ids, or an
//   uber-trace-id with a 15–32 digit trace id (looser shapes would match times and version strings);
// - JSON objects (map attributes, or strings holding `{…}`), two levels deep, read the same way.
// Skipped as trivial: a context naming the span itself (a producer recording what it injected) or its
// own parent (a server recording the traceparent it received): the tree already shows both.
import { attrValueToString, type AttrValue } from '../model/attributes.ts';
import type { TraceModel } from '../model/trace-model.ts';
import { parseTraceReference } from '../propagation/trace-context.ts';
import { SpanLocator, type InferredLink, type SpanRef } from './span-ref.ts';

/** Header names whose value alone carries a context, and the multi-header ones with their companions. */
const SINGLE_HEADERS = ['traceparent', 'uber-trace-id', 'b3'] as const;
const MULTI_HEADERS: Readonly<Record<string, readonly string[]>> = {
  'x-datadog-trace-id': ['x-datadog-parent-id', 'x-datadog-tags'],
  'x-b3-traceid': ['x-b3-spanid', 'x-b3-sampled'],
};
const COMPANIONS = new Set(Object.values(MULTI_HEADERS).flat());
const HEADER_NAMES = [...SINGLE_HEADERS, ...Object.keys(MULTI_HEADERS), ...COMPANIONS];

const TRACEPARENT_SHAPE = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/i;
const B3_SHAPE = /^(?:[0-9a-f]{16}|[0-9a-f]{32})-[0-9a-f]{16}(?:-[01d](?:-[0-9a-f]{16})?)?$/i;
const UBER_SHAPE = /^[0-9a-f]{15,32}(?::|%3a)[0-9a-f]{1,16}(?::|%3a)[0-9a-f]{1,16}(?::|%3a)[0-9a-f]{1,2}$/i;
const JSON_HINT = /traceparent|b3|uber-trace-id|datadog/i;
const MAX_JSON_CHARS = 65_536;
const MAX_JSON_DEPTH = 2;

type Pair = readonly [key: string, value: AttrValue];

interface FoundContext {
  readonly traceId: string;
  readonly spanId: string;
  readonly header: string;
  readonly where: string;
}

export function findStoredContexts(traces: readonly TraceModel[]): InferredLink[] {
  const locator = new SpanLocator(traces);
  const out: InferredLink[] = [];
  const headerOfKey = new Map<string, { header: string; prefix: string } | null>();
  const classify = (key: string) => {
    let known = headerOfKey.get(key);
    if (known === undefined) headerOfKey.set(key, (known = keyHeader(key)));
    return known;
  };

  traces.forEach((model, t) => {
    const { attributes: attrs, strings, events } = model.stores;
    const scanRange = (start: number, count: number, where: string, from: SpanRef, seen: Set<string>) => {
      // Most attributes hold nothing of the kind: look before building anything.
      let interesting = false;
      for (let a = start; a < start + count && !interesting; a++) {
        const value = attrs.values[a];
        interesting = classify(strings.get(attrs.keys[a])) !== null || typeof value === 'object' || (typeof value === 'string' && mayHoldContext(value));
      }
      if (!interesting) return;
      const pairs: Pair[] = [];
      for (let a = start; a < start + count; a++) pairs.push([strings.get(attrs.keys[a]), attrs.values[a]]);
      for (const found of scanPairs(pairs, where, classify, 0)) addLink(found, from, seen);
    };
    const addLink = (found: FoundContext, from: SpanRef, seen: Set<string>) => {
      const { span } = from;
      const ownTrace = found.traceId === model.traceId;
      if (ownTrace && (found.spanId === model.spanIds[span] || found.spanId === model.parentSpanIds[span])) return;
      const { to, traceId, matchedLower64 } = resolve(locator, traces, found);
      if (to && to.trace === t && (to.span === span || to.span === model.parent[span])) return;
      const key = to ? `${to.trace}:${to.span}` : `${traceId}:${found.spanId}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push({ from, to, traceId, spanId: found.spanId, via: { kind: 'stored-context', header: found.header, where: found.where, lower64: matchedLower64 } });
    };

    for (let i = 0; i < model.spanCount; i++) {
      const from = { trace: t, span: i };
      const seen = new Set<string>();
      scanRange(model.attrStart[i], model.attrCount[i], 'attribute', from, seen);
      for (let e = model.eventStart[i]; e < model.eventStart[i] + model.eventCount[i]; e++) {
        scanRange(events.attrStart[e], events.attrCount[e], `event "${strings.get(events.nameId[e])}" field`, from, seen);
      }
    }
  });
  return out;
}

/** The header a key names, and the key's text before it (to find a multi-header's companions). */
function keyHeader(key: string): { header: string; prefix: string } | null {
  const normalized = key.toLowerCase().replaceAll('_', '-');
  for (const header of HEADER_NAMES) {
    if (!normalized.endsWith(header)) continue;
    const prefix = normalized.slice(0, normalized.length - header.length);
    if (prefix === '' || /[.\-/:]$/.test(prefix)) return { header, prefix };
  }
  return null;
}

function mayHoldContext(value: string): boolean {
  if (value.length < 19 || value.length > MAX_JSON_CHARS) return false;
  if (value.charCodeAt(0) === 0x7b /* { */) return JSON_HINT.test(value);
  return value.length <= 100 && (TRACEPARENT_SHAPE.test(value) || B3_SHAPE.test(value) || UBER_SHAPE.test(value));
}

/** Contexts in one attribute list (or one JSON object's entries). `where` names the owner, for the link's `via`. */
function scanPairs(
  pairs: readonly Pair[],
  where: string,
  classify: (key: string) => { header: string; prefix: string } | null,
  depth: number,
): FoundContext[] {
  const found: FoundContext[] = [];
  const add = (header: string, text: string, foundIn: string) => {
    const ref = parseTraceReference(text);
    if ('error' in ref || ref.spanId === undefined) return;
    found.push({ traceId: ref.traceId.padStart(32, '0'), spanId: ref.spanId, header, where: foundIn });
  };
  for (const [key, value] of pairs) {
    const named = classify(key);
    const place = `${where} ${key}`;
    if (named && COMPANIONS.has(named.header)) continue; // read with the header it accompanies
    if (named && named.header in MULTI_HEADERS) {
      const lines = [`${named.header}: ${texts(value)[0] ?? ''}`];
      for (const companion of MULTI_HEADERS[named.header]) {
        const pair = pairs.find(([k]) => classify(k)?.header === companion && classify(k)?.prefix === named.prefix);
        if (pair) lines.push(`${companion}: ${texts(pair[1])[0] ?? ''}`);
      }
      add(named.header.startsWith('x-datadog') ? 'x-datadog-* ids' : 'x-b3-* headers', lines.join('\n'), `in ${place}`);
    } else if (named) {
      for (const text of texts(value)) add(named.header, `${named.header}: ${text}`, `in ${place}`);
    } else if (typeof value === 'string' && mayHoldContext(value)) {
      if (value.startsWith('{')) {
        if (depth < MAX_JSON_DEPTH) found.push(...scanJson(value, `JSON of ${place}, key`, classify, depth + 1));
      } else {
        add(TRACEPARENT_SHAPE.test(value) ? 'traceparent' : B3_SHAPE.test(value) ? 'b3' : 'uber-trace-id', value, `value in ${place}`);
      }
    } else if (isObject(value) && depth < MAX_JSON_DEPTH) {
      found.push(...scanPairs(Object.entries(value), `${place}, key`, classify, depth + 1));
    }
  }
  return found;
}

function scanJson(text: string, where: string, classify: Parameters<typeof scanPairs>[2], depth: number): FoundContext[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return []; // not JSON after all: plain text that starts with '{'
  }
  return isObject(parsed) ? scanPairs(Object.entries(parsed), where, classify, depth) : [];
}

/** Header values as text: a string, each string of an array (OTel `http.request.header.*`), a number. */
function texts(value: AttrValue): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'object' ? [] : [attrValueToString(value)];
}

function isObject(value: unknown): value is Readonly<Record<string, AttrValue>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The span a context names. A 64-bit trace id (Datadog without `_dd.p.tid`, a 64-bit b3 id) that is
 * not loaded as such may name a 128-bit trace by its lower half.
 */
function resolve(locator: SpanLocator, traces: readonly TraceModel[], found: FoundContext): { to: SpanRef | undefined; traceId: string; matchedLower64: boolean } {
  const to = locator.find(found.traceId, found.spanId);
  if (to || !found.traceId.startsWith('0000000000000000')) return { to, traceId: found.traceId, matchedLower64: false };
  for (const trace of locator.tracesWithLower64(found.traceId.slice(16))) {
    const span = locator.spanIndex(trace, found.spanId);
    if (span !== undefined) return { to: { trace, span }, traceId: traces[trace].traceId, matchedLower64: true };
  }
  return { to: undefined, traceId: found.traceId, matchedLower64: false };
}
