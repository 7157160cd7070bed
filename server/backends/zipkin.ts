// Zipkin's v2 query API: /api/v2/services, /api/v2/spans, /api/v2/traces (a search answers with whole
// traces, as arrays of spans), /api/v2/trace/{id}, and autocompleteKeys/Values for tag suggestions.
import { tagsAsEqualities } from '../../src/core/analysis/tag-filters.ts';
import type { TraceSearchQuery } from '../../src/core/api/backend-api.ts';
import type { UpstreamConfig } from '../config.ts';
import { HttpError } from '../http-error.ts';
import type { Backend } from './backend.ts';
import { searchResultFromTraces } from './search-hits.ts';
import { expectStrings, fetchBytes, fetchJson, fetchStream } from './upstream-fetch.ts';

export function createZipkinBackend(upstream: UpstreamConfig): Backend {
  const fetchStrings = async (path: string, signal: AbortSignal, params?: Record<string, string>): Promise<string[]> =>
    expectStrings(upstream, path, await fetchJson(upstream, { path, params, signal })).sort();

  return {
    info: { name: upstream.name, type: 'zipkin', supports: { operations: true, traceQl: false, tags: true } },

    services: ({ signal }) => fetchStrings('/api/v2/services', signal),

    operations: (service, { signal }) => fetchStrings('/api/v2/spans', signal, { serviceName: service }),

    async search(query, { signal }) {
      const path = '/api/v2/traces';
      const bytes = await fetchBytes(upstream, { path, params: searchParams(upstream, query), signal });
      return searchResultFromTraces(upstream, path, bytes, (json) => (Array.isArray(json) && json.every((t) => Array.isArray(t) && t.length === 0) ? [] : undefined));
    },

    trace(traceId, { signal }) {
      // Zipkin keys a 64-bit trace by its 16 hex digits; the padded 32-digit form is the same trace.
      const id = traceId.startsWith('0000000000000000') ? traceId.slice(16) : traceId;
      return fetchStream(upstream, { path: `/api/v2/trace/${id}`, notFound: `${upstream.name} has no trace ${traceId}`, signal });
    },

    // Only the keys listed in Zipkin's AUTOCOMPLETE_KEYS setting; [] when none are.
    tagNames: ({ signal }) => fetchStrings('/api/v2/autocompleteKeys', signal),
    tagValues: (tag, { signal }) => fetchStrings('/api/v2/autocompleteValues', signal, { key: tag }),
  };
}

function searchParams(upstream: UpstreamConfig, query: TraceSearchQuery): Record<string, string | number | undefined> {
  if (query.traceQl) throw new HttpError(400, 'TraceQL not supported', `${upstream.name} is a Zipkin backend; TraceQL queries go to Tempo backends`, upstream.name);
  // annotationQuery: "http.method=GET and error" — a bare key matches any value (Zipkin's error tag).
  const equalities = tagsAsEqualities(query.tags ?? []);
  if (equalities.unsupported !== undefined) {
    throw new HttpError(400, 'Tag filter not supported', `${upstream.name} (Zipkin) compares tags for equality only: ${equalities.unsupported}`, upstream.name);
  }
  const { error, ...tags } = equalities.tags;
  const terms = Object.entries(tags).map(([key, value]) => `${key}=${value}`);
  if (query.errorsOnly || error !== undefined) terms.push('error');
  // Zipkin takes the end of the window and its length, both in epoch milliseconds.
  const endTs = Math.ceil(query.endMs ?? Date.now());
  return {
    serviceName: query.service,
    spanName: query.operation,
    annotationQuery: terms.length > 0 ? terms.join(' and ') : undefined,
    minDuration: query.minDurationUs !== undefined ? Math.floor(query.minDurationUs) : undefined,
    maxDuration: query.maxDurationUs !== undefined ? Math.ceil(query.maxDurationUs) : undefined,
    endTs,
    lookback: query.startMs !== undefined ? Math.max(0, endTs - Math.floor(query.startMs)) : undefined,
    limit: query.limit,
  };
}
