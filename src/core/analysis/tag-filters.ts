// The Search page's tag field, read by the one search language (search.ts): the terms a span index can
// answer — attribute comparisons (any operator, quoting) and error=true|false — as filters that travel to
// the server (search-params.ts writes them back as text in the same language) and on to a backend.
import type { TraceModel } from '../model/trace-model.ts';
import { parseSearchQuery, type CompareOp, type SearchError } from './search.ts';

export type TagFilter =
  | { readonly kind: 'attribute'; readonly key: string; readonly op: CompareOp; readonly value: string }
  /** error=true: the span's status is ERROR (OpenTelemetry), or it carries error=true (Jaeger, Zipkin). */
  | { readonly kind: 'error'; readonly value: boolean };

export type ParseTagFiltersResult = { readonly ok: true; readonly filters: readonly TagFilter[] } | { readonly ok: false; readonly error: SearchError };

const FORM_FIELD: Readonly<Record<string, string>> = {
  service: 'the Service field',
  operation: 'the Operation field',
  duration: 'the Min and Max duration fields',
};

export function parseTagFilters(text: string): ParseTagFiltersResult {
  const parsed = parseSearchQuery(text);
  if (!parsed.ok) return parsed;
  const filters: TagFilter[] = [];
  for (const term of parsed.query.terms) {
    const fail = (message: string): ParseTagFiltersResult => ({ ok: false, error: { message, start: term.start, end: term.end } });
    switch (term.type) {
      case 'attribute':
        filters.push({ kind: 'attribute', key: term.key, op: term.op, value: term.value });
        break;
      case 'error':
        filters.push({ kind: 'error', value: term.value });
        break;
      case 'text':
        return fail(`tags are key=value; for the text "${term.text}" write a key, as in http.route=${quoted(term.text)}`);
      case 'service':
      case 'operation':
      case 'duration':
        return fail(`use ${FORM_FIELD[term.type]} for ${term.type}`);
      default:
        return fail(`${term.type} is searched inside a trace only; the tag field takes key=value and error=true`);
    }
  }
  return { ok: true, filters };
}

/** The filters in the search language again: what parseTagFilters reads back to the same filters. */
export function formatTagFilters(filters: readonly TagFilter[]): string {
  return filters.map((f) => (f.kind === 'error' ? `error=${f.value}` : `${keyText(f.key)}${f.op}${quoted(f.value)}`)).join(' ');
}

/** A key that would read as a field (service, error…) keeps its attr. prefix. */
function keyText(key: string): string {
  const parsed = parseSearchQuery(`${key}=x`);
  return parsed.ok && parsed.query.terms[0]?.type === 'attribute' && parsed.query.terms[0].key === key ? key : `attr.${key}`;
}

function quoted(value: string): string {
  return value !== '' && /^[^\s"]+$/.test(value) ? value : `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/** A query's error with what was typed, for a message shown away from the text box. */
export function describeSearchError(text: string, error: SearchError): string {
  const typed = text.slice(error.start, error.end) || text;
  return `${error.message} (in "${typed}")`;
}

/**
 * For backends that compare tags for equality only (Jaeger, Zipkin): key → value (error=true as Jaeger's
 * error tag), or the first filter they cannot take, written as it was typed.
 */
export function tagsAsEqualities(filters: readonly TagFilter[]): { readonly tags: Record<string, string>; readonly unsupported?: undefined } | { readonly unsupported: string } {
  const tags: Record<string, string> = {};
  for (const f of filters) {
    if (f.kind === 'error' ? !f.value : f.op !== '=') return { unsupported: formatTagFilters([f]) };
    if (f.kind === 'error') tags.error = 'true';
    else tags[f.key] = f.value;
  }
  return { tags };
}

/** Keys that make a telling example, most telling first. */
const EXAMPLE_KEYS = ['http.response.status_code', 'http.status_code', 'http.route', 'http.request.method', 'http.method', 'rpc.method', 'db.system', 'messaging.system'];

/**
 * An example term for a search box's placeholder, on an attribute key that is there (in the loaded trace,
 * or among the store's tag keys): `http.response.status_code>=400`; undefined without keys.
 */
export function exampleQuery(keys: readonly string[]): string | undefined {
  const present = new Set(keys);
  const key = EXAMPLE_KEYS.find((k) => present.has(k)) ?? keys.find((k) => !k.startsWith('otel.') && !k.startsWith('_')) ?? keys[0];
  if (key === undefined) return undefined;
  return key.endsWith('status_code') ? `${keyText(key)}>=400` : `${keyText(key)}=…`;
}

/** The distinct span attribute keys of a trace, in order of first use. */
export function attributeKeysOf(model: TraceModel): string[] {
  const { strings, attributes } = model.stores;
  const seen = new Uint8Array(strings.size);
  const keys: string[] = [];
  const ids = attributes.keys;
  for (let a = 0; a < attributes.length; a++) {
    const id = ids[a];
    if (seen[id] === 0) {
      seen[id] = 1;
      keys.push(strings.get(id));
    }
  }
  return keys;
}
