// Jaeger's query HTTP API (the one Jaeger UI uses; served by Jaeger v1 and v2 and by Jaeger-compatible
// stores): /api/services, /api/services/{service}/operations, /api/traces?…, /api/traces/{id}.
//
// No fallback to the v3 API (/api/v3/traces/{id}, OTLP JSON) on a 404: in Jaeger's query service both
// routes call the same QueryService.GetTrace, so a trace missing from one is missing from the other,
// and the fallback would only double the cost of every miss.
import type { TraceSearchQuery, TraceSearchResult } from '../../src/core/api/backend-api.ts';
import { tagsAsEqualities } from '../../src/core/analysis/tag-filters.ts';
import { isRecord } from '../../src/core/import/importer.ts';
import type { UpstreamConfig } from '../config.ts';
import { HttpError } from '../http-error.ts';
import type { Backend } from './backend.ts';
import { searchResultFromTraces } from './search-hits.ts';
import { expectStrings, fetchBytes, fetchJson, fetchStream, pathSegment, unexpectedResponse } from './upstream-fetch.ts';

export function createJaegerBackend(upstream: UpstreamConfig): Backend {
  /** Jaeger wraps every answer in {data, total, limit, offset, errors}. */
  const fetchData = async (path: string, signal: AbortSignal): Promise<string[]> => {
    const body = await fetchJson(upstream, { path, signal });
    if (!isRecord(body)) throw unexpectedResponse(upstream, path, 'a {"data": […]} object', body);
    return expectStrings(upstream, path, body.data ?? []).sort();
  };

  return {
    info: { name: upstream.name, type: 'jaeger', supports: { operations: true, traceQl: false, tags: true } },

    services: ({ signal }) => fetchData('/api/services', signal),

    operations: (service, { signal }) => fetchData(`/api/services/${pathSegment(service, upstream)}/operations`, signal),

    async search(query, { signal }): Promise<TraceSearchResult> {
      const path = '/api/traces';
      const bytes = await fetchBytes(upstream, { path, params: searchParams(upstream, query), signal });
      return searchResultFromTraces(upstream, path, bytes, emptyJaegerResult);
    },

    trace: (traceId, { signal }) => fetchStream(upstream, { path: `/api/traces/${traceId}`, notFound: `${upstream.name} has no trace ${traceId}`, signal }),

    // Jaeger has no API that lists tag names or values.
    tagNames: async () => [],
    tagValues: async () => [],
  };
}

function searchParams(upstream: UpstreamConfig, query: TraceSearchQuery): Record<string, string | number | undefined> {
  if (query.traceQl) throw new HttpError(400, 'TraceQL not supported', `${upstream.name} is a Jaeger backend; TraceQL queries go to Tempo backends`, upstream.name);
  // Jaeger's query API refuses a search without a service ("parameter 'service' is required").
  if (!query.service) throw new HttpError(400, 'Service required', `${upstream.name} (Jaeger) searches one service at a time: choose a service`, upstream.name);
  const equalities = tagsAsEqualities(query.tags ?? []);
  if (equalities.unsupported !== undefined) {
    throw new HttpError(400, 'Tag filter not supported', `${upstream.name} (Jaeger) compares tags for equality only: ${equalities.unsupported}`, upstream.name);
  }
  const tags = { ...equalities.tags, ...(query.errorsOnly ? { error: 'true' } : {}) };
  return {
    service: query.service,
    operation: query.operation,
    tags: Object.keys(tags).length > 0 ? JSON.stringify(tags) : undefined,
    minDuration: query.minDurationUs !== undefined ? `${query.minDurationUs}us` : undefined,
    maxDuration: query.maxDurationUs !== undefined ? `${query.maxDurationUs}us` : undefined,
    // Jaeger takes epoch microseconds.
    start: query.startMs !== undefined ? Math.floor(query.startMs * 1000) : undefined,
    end: query.endMs !== undefined ? Math.ceil(query.endMs * 1000) : undefined,
    limit: query.limit,
  };
}

/** {data: [] or null, errors: [{code, msg}] or null}: no traces, and the errors as warnings. */
function emptyJaegerResult(json: unknown): string[] | undefined {
  if (!isRecord(json) || !(json.data === null || (Array.isArray(json.data) && json.data.length === 0))) return undefined;
  const errors = Array.isArray(json.errors) ? json.errors : [];
  return errors.map((e) => `the Jaeger query returned an error: ${isRecord(e) ? String(e.msg ?? JSON.stringify(e)) : String(e)}`);
}
