// TraceSearchQuery ⇄ the query string of GET /api/backends/:backend/traces. The browser writes it, the
// server reads it back and rejects anything malformed with a message naming the parameter.
import { describeSearchError, formatTagFilters, parseTagFilters, type TagFilter } from '../analysis/tag-filters.ts';
import { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT, type TraceSearchQuery } from './backend-api.ts';

export function searchQueryToParams(query: TraceSearchQuery): URLSearchParams {
  const p = new URLSearchParams();
  if (query.service) p.set('service', query.service);
  if (query.operation) p.set('operation', query.operation);
  if (query.tags?.length) p.set('tags', formatTagFilters(query.tags));
  if (query.minDurationUs !== undefined) p.set('minDuration', `${query.minDurationUs}us`);
  if (query.maxDurationUs !== undefined) p.set('maxDuration', `${query.maxDurationUs}us`);
  if (query.startMs !== undefined) p.set('start', String(query.startMs));
  if (query.endMs !== undefined) p.set('end', String(query.endMs));
  if (query.limit !== undefined) p.set('limit', String(query.limit));
  if (query.errorsOnly) p.set('errors', '1');
  if (query.traceQl) p.set('q', query.traceQl);
  return p;
}

export type ParsedSearch = { readonly query: TraceSearchQuery; readonly error?: undefined } | { readonly error: string };

const DURATION_UNITS_US: Record<string, number> = { ns: 1e-3, us: 1, µs: 1, ms: 1e3, s: 1e6, m: 60e6, h: 3600e6 };

/** "1.5s", "250ms", "100us" → whole microseconds. */
export function parseDurationUs(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|m|h)\s*$/.exec(text);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * DURATION_UNITS_US[m[2]]);
}

/**
 * The tag field in the search language (tag-filters.ts: `http.status_code>=500 error=true user="a b"`,
 * Jaeger's logfmt being a part of it), or a JSON object of key → value as Jaeger's API takes it.
 */
export function parseTags(text: string): readonly TagFilter[] | string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) {
    const parsed = parseTagFilters(trimmed);
    return parsed.ok ? parsed.filters : `tags: ${describeSearchError(trimmed, parsed.error)}`;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return 'tags: not a valid JSON object';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'tags: expected a JSON object of key → value';
  const out: TagFilter[] = [];
  for (const [key, v] of Object.entries(parsed)) {
    if (typeof v === 'object' && v !== null) return `tags: the value of "${key}" must be a string, number or boolean`;
    const value = String(v);
    // Jaeger's error tag: an error span (by OTel status too), as in the search language.
    if (key === 'error' && (value === 'true' || value === 'false')) out.push({ kind: 'error', value: value === 'true' });
    else out.push({ kind: 'attribute', key, op: '=', value });
  }
  return out;
}

export function parseSearchParams(p: URLSearchParams): ParsedSearch {
  const query: { -readonly [K in keyof TraceSearchQuery]: TraceSearchQuery[K] } = {};
  const text = (key: string, max = 1000): string | undefined => {
    const v = p.get(key);
    return v === null || v === '' ? undefined : v.slice(0, max);
  };
  query.service = text('service');
  query.operation = text('operation');
  query.traceQl = text('q', 10_000);
  const tags = text('tags', 10_000);
  if (tags !== undefined) {
    const parsed = parseTags(tags);
    if (typeof parsed === 'string') return { error: parsed };
    query.tags = parsed;
  }
  for (const [key, field] of [
    ['minDuration', 'minDurationUs'],
    ['maxDuration', 'maxDurationUs'],
  ] as const) {
    const v = text(key);
    if (v === undefined) continue;
    const us = parseDurationUs(v);
    if (us === undefined) return { error: `${key}: "${v}" is not a duration (e.g. 250ms, 1.5s, 100us)` };
    query[field] = us;
  }
  if (query.minDurationUs !== undefined && query.maxDurationUs !== undefined && query.minDurationUs > query.maxDurationUs) {
    return { error: 'minDuration is larger than maxDuration' };
  }
  for (const [key, field] of [
    ['start', 'startMs'],
    ['end', 'endMs'],
  ] as const) {
    const v = text(key);
    if (v === undefined) continue;
    if (!/^\d{1,15}$/.test(v)) return { error: `${key}: "${v}" is not a time in epoch milliseconds` };
    query[field] = Number(v);
  }
  if (query.startMs !== undefined && query.endMs !== undefined && query.startMs > query.endMs) return { error: 'start is after end' };
  const limit = text('limit');
  if (limit !== undefined) {
    if (!/^\d{1,5}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_SEARCH_LIMIT) return { error: `limit: expected a number from 1 to ${MAX_SEARCH_LIMIT}, got "${limit.slice(0, 40)}"` };
    query.limit = Number(limit);
  } else query.limit = DEFAULT_SEARCH_LIMIT;
  if (p.get('errors') === '1' || p.get('errors') === 'true') query.errorsOnly = true;
  return { query };
}
