// The one search language: the waterfall search box, the flame graph's and the Search page's tag field
// (parseTagFilters, for the store and the backends) read it with parseSearchQuery. Terms are separated by
// spaces and all must hold:
//   free text            words or "quoted phrases": case-insensitive substring of the service, operation,
//                        span id, span label (when given) or any span attribute value
//   service=x  operation=x (alias name=x)  kind=server  status=error  error=true  traceId=…  spanId=…
//   minDuration=100ms  maxDuration=2s  duration>=1.5s          units ns us µs ms s m h, also "1m30s"
//   attr.KEY op VALUE    span, resource or scope attribute (span wins, then resource, then scope);
//   a.dotted.key op VALUE  the same, and any other key that is not a field (Jaeger's tags: `component=x`);
//                        `attr.KEY` alone: the attribute is present. A key renamed by the semantic
//                        conventions finds its other name too (semconv-keys.ts: http.status_code ⇄
//                        http.response.status_code)
// Operators = != > >= < <=. Attribute values compare as numbers when both sides are numbers, otherwise as
// case-insensitive text; like TraceQL, a comparison never matches a span that lacks the attribute.
import { attrValueToString, type AttrValue } from '../model/attributes.ts';
import { decimalToHex16, normalizeSpanId, normalizeTraceId, verbatimId } from '../model/ids.ts';
import { SPAN_KINDS, STATUS_CODES, STATUS_ERROR, type SpanKind, type StatusCode, type TraceModel } from '../model/trace-model.ts';
import type { SpanLabels } from './span-label.ts';
import { parseDurationNs, readTerms } from './search-syntax.ts';
import { equivalentKeys } from './semconv-keys.ts';

export type CompareOp = '=' | '!=' | '>' | '>=' | '<' | '<=';
export type EqualityOp = '=' | '!=';

/** Where the term is in the query text: [start, end). */
interface TermRange {
  readonly start: number;
  readonly end: number;
}

export type SearchTerm = TermRange &
  (
    | { readonly type: 'text'; readonly text: string }
    | { readonly type: 'service' | 'operation'; readonly op: EqualityOp; readonly value: string }
    | { readonly type: 'duration'; readonly op: CompareOp; readonly ns: number }
    | { readonly type: 'error'; readonly value: boolean }
    | { readonly type: 'kind'; readonly op: EqualityOp; readonly value: SpanKind }
    | { readonly type: 'status'; readonly op: EqualityOp; readonly value: StatusCode }
    /** `ids`: the value read as hex and, for digits, as a Datadog decimal id too. */
    | { readonly type: 'traceId' | 'spanId'; readonly op: EqualityOp; readonly ids: readonly string[] }
    | { readonly type: 'attribute'; readonly key: string; readonly op: CompareOp; readonly value: string }
    | { readonly type: 'hasAttribute'; readonly key: string }
  );

export interface SearchQuery {
  readonly terms: readonly SearchTerm[];
}

export interface SearchError {
  readonly message: string;
  /** The offending part of the query text: [start, end). */
  readonly start: number;
  readonly end: number;
}

export type ParseSearchResult = { readonly ok: true; readonly query: SearchQuery } | { readonly ok: false; readonly error: SearchError };

type Field = 'service' | 'operation' | 'minDuration' | 'maxDuration' | 'duration' | 'error' | 'kind' | 'status' | 'traceId' | 'spanId';
/** Lowercased field name → field (field names are case-insensitive). */
const FIELDS: ReadonlyMap<string, Field> = new Map([
  ['service', 'service'],
  ['operation', 'operation'],
  ['name', 'operation'],
  ['minduration', 'minDuration'],
  ['maxduration', 'maxDuration'],
  ['duration', 'duration'],
  ['error', 'error'],
  ['kind', 'kind'],
  ['status', 'status'],
  ['traceid', 'traceId'],
  ['spanid', 'spanId'],
]);
const KIND_LIST = 'server, client, producer, consumer, internal';

export function parseSearchQuery(text: string): ParseSearchResult {
  const read = readTerms(text);
  if (!read.ok) return read;
  const terms: SearchTerm[] = [];
  for (const raw of read.terms) {
    const range = { start: raw.start, end: raw.end };
    const fail = (message: string, start = raw.start, end = raw.end): ParseSearchResult => ({ ok: false, error: { message, start, end } });
    if (raw.kind === 'text') {
      terms.push({ ...range, type: 'text', text: raw.text });
      continue;
    }
    const { key, op, value } = raw;
    const lower = key.toLowerCase();
    const field = FIELDS.get(lower);
    if (lower.startsWith('attr.') || field === undefined) {
      const attrKey = lower.startsWith('attr.') ? key.slice(5) : key;
      if (attrKey === '') return fail('attr. needs an attribute name, as in attr.http.route=/cart', raw.keyStart, raw.keyEnd);
      if (op === undefined) terms.push({ ...range, type: 'hasAttribute', key: attrKey });
      else if (value === undefined) return fail(`${key}${op} needs a value (write "" for an empty one)`);
      else terms.push({ ...range, type: 'attribute', key: attrKey, op, value });
      continue;
    }
    if (op === undefined || value === undefined) return fail(`${key}${op ?? '='} needs a value`);
    const badOp = (allowed: string) => fail(`${key} takes ${allowed}, not ${op}`, raw.opStart, raw.opEnd);
    const badValue = (message: string) => fail(message, raw.valueStart, raw.end);
    const isEquality = op === '=' || op === '!=';
    switch (field) {
      case 'service':
      case 'operation':
        if (!isEquality) return badOp('= or !=');
        terms.push({ ...range, type: field, op, value });
        break;
      case 'minDuration':
      case 'maxDuration':
      case 'duration': {
        if (field !== 'duration' && op !== '=') return badOp(`= (or use duration${op})`);
        const ns = parseDurationNs(value);
        if (ns === undefined) return badValue(`${key} needs a duration like 100ms, got '${value}' (units: ns, us, ms, s, m, h)`);
        const durationOp = field === 'minDuration' ? '>=' : field === 'maxDuration' ? '<=' : op;
        terms.push({ ...range, type: 'duration', op: durationOp, ns });
        break;
      }
      case 'error': {
        if (!isEquality) return badOp('= or !=');
        const v = value.toLowerCase();
        if (v !== 'true' && v !== 'false') return badValue(`error= takes true or false, got '${value}'`);
        terms.push({ ...range, type: 'error', value: (v === 'true') === (op === '=') });
        break;
      }
      case 'kind': {
        if (!isEquality) return badOp('= or !=');
        const kind = SPAN_KINDS.find((k) => k === value.toLowerCase());
        if (!kind) return badValue(`unknown kind '${value}' (${KIND_LIST})`);
        terms.push({ ...range, type: 'kind', op, value: kind });
        break;
      }
      case 'status': {
        if (!isEquality) return badOp('= or !=');
        const status = STATUS_CODES.find((s) => s === value.toLowerCase());
        if (!status) return badValue(`unknown status '${value}' (ok, error, unset)`);
        terms.push({ ...range, type: 'status', op, value: status });
        break;
      }
      case 'traceId':
      case 'spanId': {
        if (!isEquality) return badOp('= or !=');
        const ids = idCandidates(field, value);
        if (ids.length === 0) return badValue(`${key} needs an id, got '${value}'`);
        terms.push({ ...range, type: field, op, ids });
        break;
      }
    }
  }
  return { ok: true, query: { terms } };
}

function idCandidates(field: 'traceId' | 'spanId', value: string): string[] {
  const hex = field === 'traceId' ? normalizeTraceId(value) : normalizeSpanId(value);
  // An id that is not hex is looked for as written (Jaeger keeps `span-1` as it is).
  const asWritten = hex === undefined ? verbatimId(value) : undefined;
  const ids = hex ? [hex] : asWritten ? [asWritten] : [];
  // Datadog shows ids as decimal uint64; 64-bit trace ids are kept as 32 hex with leading zeros.
  const fromDecimal = /^\d+$/.test(value) ? decimalToHex16(value) : undefined;
  const decimalId = fromDecimal && (field === 'traceId' ? fromDecimal.padStart(32, '0') : fromDecimal);
  if (decimalId && !/^0+$/.test(decimalId) && !ids.includes(decimalId)) ids.push(decimalId);
  return ids;
}

/** A compiled term: does span i satisfy it? */
type SpanTest = (i: number) => boolean;

/** The labels a search may match besides the raw names (span-label.ts). */
export interface SearchLabels {
  /** Free text also matches the span label. */
  readonly spans: SpanLabels;
  /** operation= also matches the operation label (computed only for a query with operation=). */
  readonly operations: SpanLabels | undefined;
}

/**
 * Indices of the spans that match every term, in pre-order. An empty query matches every span.
 */
export function matchSpans(model: TraceModel, query: SearchQuery, labels?: SearchLabels): Uint32Array {
  const tests: { readonly cost: number; readonly test: SpanTest }[] = [];
  for (const term of query.terms) {
    const compiled = compileTerm(model, term, labels);
    if (compiled === false) return new Uint32Array(0);
    if (compiled !== true) tests.push(compiled);
  }
  // Cheapest first: a span is rejected before the costly tests (attributes, free text) run.
  tests.sort((a, b) => a.cost - b.cost);
  const ordered = tests.map((t) => t.test);
  const out = new Uint32Array(model.spanCount);
  let count = 0;
  spans: for (let i = 0; i < model.spanCount; i++) {
    for (let t = 0; t < ordered.length; t++) if (!ordered[t](i)) continue spans;
    out[count++] = i;
  }
  // A copy of exactly the matches, so its buffer can be transferred without the unused tail.
  return out.slice(0, count);
}

/**
 * The "show only matching spans" mask: 1 for a match, 2 for an ancestor of a match that does not match
 * itself, 0 otherwise. Linear: each walk up stops at the first span already marked.
 */
export function withAncestors(model: TraceModel, matches: Uint32Array): Uint8Array {
  const mask = new Uint8Array(model.spanCount);
  for (let m = 0; m < matches.length; m++) {
    const span = matches[m];
    mask[span] = 1;
    for (let p = model.parent[span]; p >= 0 && mask[p] === 0; p = model.parent[p]) mask[p] = 2;
  }
  return mask;
}

/** A test for the term; true / false when the term holds for every / no span of this trace. */
function compileTerm(model: TraceModel, term: SearchTerm, labels: SearchLabels | undefined): { cost: number; test: SpanTest } | boolean {
  switch (term.type) {
    case 'service':
    case 'operation': {
      const ids = term.type === 'service' ? model.serviceId : model.nameId;
      const wanted = term.value.toLowerCase();
      const isWanted = memoByStringId(model, (s) => s.toLowerCase() === wanted);
      const equal = term.op === '=';
      // An operation is found by its raw name or by its label ("POST /charge"), as the views name it.
      const operations = term.type === 'operation' ? labels?.operations : undefined;
      if (operations) {
        const labelWanted = Uint8Array.from(operations.labels, (l) => (l.toLowerCase() === wanted ? 1 : 0));
        return { cost: 1, test: (i) => (isWanted(ids[i]) || labelWanted[operations.labelId[i]] === 1) === equal };
      }
      return { cost: 1, test: (i) => isWanted(ids[i]) === equal };
    }
    case 'duration': {
      const { op, ns } = term;
      return { cost: 0, test: (i) => compareNumbers(model.durationNs[i], ns, op) };
    }
    case 'error':
      return { cost: 0, test: term.value ? (i) => model.status[i] === STATUS_ERROR : (i) => model.status[i] !== STATUS_ERROR };
    case 'kind':
    case 'status': {
      const column = term.type === 'kind' ? model.kind : model.status;
      const code = term.type === 'kind' ? SPAN_KINDS.indexOf(term.value) : STATUS_CODES.indexOf(term.value);
      const equal = term.op === '=';
      return { cost: 0, test: (i) => (column[i] === code) === equal };
    }
    case 'traceId':
      return term.ids.includes(model.traceId) === (term.op === '=');
    case 'spanId': {
      const { ids } = term;
      const equal = term.op === '=';
      return { cost: 1, test: (i) => ids.includes(model.spanIds[i]) === equal };
    }
    case 'attribute':
    case 'hasAttribute':
      return compileAttributeTerm(model, term.key, term.type === 'attribute' ? attributeValueTest(term.op, term.value) : () => true);
    case 'text':
      return compileTextTerm(model, term.text, labels?.spans);
  }
}

/** Attribute state of a span, resource or scope for one key. */
const ABSENT = 0;
const MATCH = 1;
const NO_MATCH = 2;

function compileAttributeTerm(model: TraceModel, key: string, test: (v: AttrValue) => boolean): { cost: number; test: SpanTest } | boolean {
  const { strings, attributes, resources, scopes } = model.stores;
  // Keys are interned: a key that is not in the table is on no span, resource or scope. The first of the
  // equivalent keys a span has is the one compared.
  const keyIds = equivalentKeys(key).flatMap((k) => strings.idOf(k) ?? []);
  if (keyIds.length === 0) return false;
  const [keyId, otherKeyId = keyId, thirdKeyId = keyId] = keyIds;
  const { keys, values } = attributes;
  const stateOf = (start: number, count: number): number => {
    for (let a = start; a < start + count; a++) {
      const k = keys[a];
      if (k === keyId || k === otherKeyId || k === thirdKeyId) return test(values[a]) ? MATCH : NO_MATCH;
    }
    return ABSENT;
  };
  // Resources and scopes are few and shared by many spans: evaluate each once.
  const resourceState = Uint8Array.from(resources, (r) => stateOf(r.attrStart, r.attrCount));
  const scopeState = Uint8Array.from(scopes, (s) => stateOf(s.attrStart, s.attrCount));
  return {
    cost: 2,
    test: (i) => {
      let state = stateOf(model.attrStart[i], model.attrCount[i]);
      if (state === ABSENT && model.resourceId[i] >= 0) state = resourceState[model.resourceId[i]];
      if (state === ABSENT && model.scopeId[i] >= 0) state = scopeState[model.scopeId[i]];
      return state === MATCH;
    },
  };
}

function compileTextTerm(model: TraceModel, text: string, labels: SpanLabels | undefined): { cost: number; test: SpanTest } {
  // One case-insensitive literal pattern per query: no lowercased copy of every value. Without the u flag
  // it runs about twice as fast and still folds the case of non-ASCII letters.
  const pattern = new RegExp(text.replace(REGEX_SPECIAL, '\\$&'), 'i');
  const inString = memoByStringId(model, (s) => pattern.test(s));
  const labelMatch = labels && Uint8Array.from(labels.labels, (l) => (pattern.test(l) ? 1 : 0));
  // Numbers and booleans are turned into text only when the text could be part of one.
  const lower = text.toLowerCase();
  const canMatchNumber = NUMBER_CHARS.test(lower) || 'infinity'.includes(lower) || 'nan'.includes(lower);
  const canMatchBoolean = 'true'.includes(lower) || 'false'.includes(lower);
  const { values } = model.stores.attributes;
  return {
    cost: 3,
    test: (i) => {
      if (inString(model.serviceId[i]) || inString(model.nameId[i])) return true;
      if (labelMatch && labelMatch[labels.labelId[i]] === 1) return true;
      if (pattern.test(model.spanIds[i])) return true;
      for (let a = model.attrStart[i], end = a + model.attrCount[i]; a < end; a++) {
        const v = values[a];
        switch (typeof v) {
          case 'string':
            if (pattern.test(v)) return true;
            break;
          case 'number':
          case 'bigint':
            if (canMatchNumber && pattern.test(String(v))) return true;
            break;
          case 'boolean':
            if (canMatchBoolean && pattern.test(String(v))) return true;
            break;
          default:
            if (pattern.test(attrValueToString(v))) return true;
        }
      }
      return false;
    },
  };
}

/** A predicate over interned strings, evaluated at most once per string id (the table is shared by a load). */
function memoByStringId(model: TraceModel, predicate: (s: string) => boolean): (id: number) => boolean {
  const { strings } = model.stores;
  const state = new Uint8Array(strings.size); // 0 unknown, 1 true, 2 false
  return (id) => {
    if (state[id] === 0) state[id] = predicate(strings.get(id)) ? 1 : 2;
    return state[id] === 1;
  };
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;
const NUMBER_CHARS = /^[\d.e+-]*$/;
const NUMBER = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?\s*$/i;
const INTEGER = /^\s*[+-]?\d+\s*$/;

/**
 * Does an attribute value satisfy `op raw`? Numbers when both sides are numbers (int64 exactly), otherwise
 * case-insensitive text. The store's SQL calls it too, so a tag compares alike in a trace and in the store.
 */
export function attributeValueTest(op: CompareOp, raw: string): (v: AttrValue) => boolean {
  const wantedNumber = NUMBER.test(raw) ? Number(raw) : undefined;
  const wantedBigInt = INTEGER.test(raw) ? BigInt(raw.trim()) : undefined;
  const wantedText = raw.toLowerCase();
  return (v) => {
    if (wantedNumber !== undefined) {
      // int64 beyond 2^53 stays exact against an integer literal.
      if (typeof v === 'bigint' && wantedBigInt !== undefined) return compareOrder(v < wantedBigInt ? -1 : v > wantedBigInt ? 1 : 0, op);
      const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'string' && NUMBER.test(v) ? Number(v) : undefined;
      if (n !== undefined) return compareNumbers(n, wantedNumber, op);
    }
    const text = (typeof v === 'string' ? v : attrValueToString(v)).toLowerCase();
    return compareOrder(text < wantedText ? -1 : text > wantedText ? 1 : 0, op);
  };
}

function compareNumbers(a: number, b: number, op: CompareOp): boolean {
  return compareOrder(a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN, op);
}

/** `order`: negative, 0 or positive as a is below, equal to or above b; NaN when they do not compare. */
function compareOrder(order: number, op: CompareOp): boolean {
  switch (op) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
  }
}
