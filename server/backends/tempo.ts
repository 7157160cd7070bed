// Grafana Tempo's HTTP API: trace by id (/api/v2/traces, older Tempo /api/traces), TraceQL search
// (/api/search?q=…), and tag names and values (v2 endpoints, scoped; v1 on Tempo that lacks them).
import type { CompareOp } from '../../src/core/analysis/search.ts';
import type { TraceSearchHit, TraceSearchQuery, TraceSearchResult } from '../../src/core/api/backend-api.ts';
import { isRecord } from '../../src/core/import/importer.ts';
import { normalizeTraceId } from '../../src/core/model/ids.ts';
import { EPOCH_ZERO, epochFromNanos } from '../../src/core/model/time.ts';
import type { UpstreamConfig } from '../config.ts';
import { HttpError } from '../http-error.ts';
import type { Backend } from './backend.ts';
import { expectStrings, fetchJson, fetchStream, pathSegment, unexpectedResponse } from './upstream-fetch.ts';
import { plural } from '../../src/core/plural.ts';

export function createTempoBackend(upstream: UpstreamConfig): Backend {
  const getJson = (path: string, signal: AbortSignal, params?: Record<string, string | number | undefined>) => fetchJson(upstream, { path, params, signal });
  /** A v2 endpoint: a 404 (Tempo older than it) becomes an HttpError 404 so withV1Fallback tries v1. */
  const getV2Json = (path: string, signal: AbortSignal, params?: Record<string, string | undefined>) =>
    fetchJson(upstream, { path, params, signal, notFound: `${upstream.name} has no ${path}` });

  /** v2 tag values are {tagValues: [{type, value}]}; v1 ones {tagValues: ["…"]}. */
  const tagValues = async (v2Tag: string, v1Tag: string, signal: AbortSignal, q?: string): Promise<string[]> => {
    const values = await withV1Fallback(
      async () => {
        const path = `/api/v2/search/tag/${pathSegment(v2Tag, upstream)}/values`;
        const body = await getV2Json(path, signal, { q });
        const list = isRecord(body) ? (body.tagValues ?? []) : undefined;
        if (!Array.isArray(list)) throw unexpectedResponse(upstream, path, '{"tagValues": [{"type", "value"}]}', body);
        return list.map((v) => (isRecord(v) ? String(v.value) : String(v)));
      },
      async () => {
        const path = `/api/search/tag/${pathSegment(v1Tag, upstream)}/values`;
        const body = await getJson(path, signal);
        return expectStrings(upstream, path, isRecord(body) ? (body.tagValues ?? []) : body);
      },
    );
    return [...new Set(values)].sort();
  };

  return {
    info: { name: upstream.name, type: 'tempo', supports: { operations: true, traceQl: true, tags: true } },

    services: ({ signal }) => tagValues('resource.service.name', 'service.name', signal),

    // Filtered by service where Tempo can (v2 `q`); older Tempo lists every span name.
    operations: (service, { signal }) => tagValues('name', 'name', signal, `{ resource.service.name = ${traceQlString(service)} }`),

    async tagNames({ signal }) {
      const names = await withV1Fallback(
        async () => {
          const path = '/api/v2/search/tags';
          const body = await getV2Json(path, signal);
          if (!isRecord(body) || !Array.isArray(body.scopes ?? [])) throw unexpectedResponse(upstream, path, '{"scopes": [{"name", "tags"}]}', body);
          // Intrinsics (duration, status, name…) have their own fields in the search form.
          return ((body.scopes ?? []) as unknown[]).flatMap((scope) =>
            isRecord(scope) && scope.name !== 'intrinsic' && Array.isArray(scope.tags) ? scope.tags.map((tag) => `${String(scope.name)}.${String(tag)}`) : [],
          );
        },
        async () => {
          const path = '/api/search/tags';
          const body = await getJson(path, signal);
          return expectStrings(upstream, path, isRecord(body) ? (body.tagNames ?? []) : body);
        },
      );
      return [...new Set(names)].sort();
    },

    tagValues: (tag, { signal }) => tagValues(attributeIdentifier(tag), tag.replace(/^(resource|span)?\./, ''), signal),

    async search(query, { signal }): Promise<TraceSearchResult> {
      const path = '/api/search';
      const body = await getJson(path, signal, {
        q: query.traceQl ?? buildTraceQl(query),
        // Tempo takes epoch seconds; widen to whole seconds so nothing in the window is cut off.
        start: query.startMs !== undefined ? Math.floor(query.startMs / 1000) : undefined,
        // A start alone ("the last hour") means up to now; Tempo wants both.
        end: query.endMs !== undefined ? Math.ceil(query.endMs / 1000) : query.startMs !== undefined ? Math.ceil(Date.now() / 1000) : undefined,
        limit: query.limit,
      });
      const traces = isRecord(body) ? (body.traces ?? []) : undefined;
      if (!Array.isArray(traces)) throw unexpectedResponse(upstream, path, '{"traces": […]}', body);
      const hits = traces.map(toHit);
      const skipped = hits.filter((h) => h === undefined).length;
      return {
        traces: hits.filter((h) => h !== undefined),
        warnings: skipped > 0 ? [`${upstream.name} returned ${plural(skipped, 'search result')} without a valid traceID; they are left out`] : [],
      };
    },

    async trace(traceId, { signal }) {
      const notFound = `${upstream.name} has no trace ${traceId}`;
      return withV1Fallback(
        () => fetchStream(upstream, { path: `/api/v2/traces/${traceId}`, notFound, signal }),
        () => fetchStream(upstream, { path: `/api/traces/${traceId}`, notFound, signal }),
      );
    },
  };
}

/** The v2 endpoint first; on a 404 (older Tempo, or not found there) the v1 one decides. */
async function withV1Fallback<T>(v2: () => Promise<T>, v1: () => Promise<T>): Promise<T> {
  try {
    return await v2();
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return v1();
    throw err;
  }
}

/** Service, operation, tags, duration and error as one TraceQL spanset: all must hold on the same span, as in Jaeger. */
export function buildTraceQl(query: TraceSearchQuery): string {
  const conditions: string[] = [];
  if (query.service) conditions.push(`resource.service.name = ${traceQlString(query.service)}`);
  if (query.operation) conditions.push(`name = ${traceQlString(query.operation)}`);
  for (const f of query.tags ?? []) conditions.push(f.kind === 'error' ? `status ${f.value ? '=' : '!='} error` : attributeCondition(f.key, f.op, f.value));
  if (query.minDurationUs !== undefined) conditions.push(`duration >= ${query.minDurationUs}us`);
  if (query.maxDurationUs !== undefined) conditions.push(`duration <= ${query.maxDurationUs}us`);
  if (query.errorsOnly) conditions.push('status = error');
  return conditions.length > 0 ? `{ ${conditions.join(' && ')} }` : '{}';
}

/** A TraceQL string literal: TraceQL reads Go-style escapes, of which JSON's are a subset. */
function traceQlString(value: string): string {
  return JSON.stringify(value);
}

const SCOPES = new Set(['resource', 'span', 'event', 'link', 'instrumentation']);

/** "http.method" → ".http.method" (span or resource), "resource.k8s.pod" as is, odd names quoted. */
function attributeIdentifier(key: string): string {
  const dot = key.indexOf('.');
  const scope = dot > 0 && SCOPES.has(key.slice(0, dot)) ? key.slice(0, dot) : '';
  const name = scope ? key.slice(dot + 1) : key.replace(/^\./, '');
  return `${scope}.${/^[\w.-]+$/.test(name) ? name : traceQlString(name)}`;
}

/** Tags arrive as strings; a number or boolean may be stored typed, so both forms match. */
function attributeCondition(key: string, op: CompareOp, value: string): string {
  const id = attributeIdentifier(key);
  const literal = traceQlString(value);
  if (!/^(-?\d+(\.\d+)?|true|false)$/.test(value)) return `${id} ${op} ${literal}`;
  // Either form: "a != 1 || a != '1'" would hold for every span, so != needs both.
  return op === '!=' ? `(${id} != ${value} && ${id} != ${literal})` : `(${id} ${op} ${value} || ${id} ${op} ${literal})`;
}

/** One result of /api/search; Tempo trims leading zeros of trace ids and omits zero values. */
function toHit(raw: unknown): TraceSearchHit | undefined {
  if (!isRecord(raw)) return undefined;
  const traceId = normalizeTraceId(raw.traceID);
  if (!traceId) return undefined;
  const stats = isRecord(raw.serviceStats) ? Object.entries(raw.serviceStats).filter((e): e is [string, Record<string, unknown>] => isRecord(e[1])) : [];
  const rootService = typeof raw.rootServiceName === 'string' ? raw.rootServiceName : '';
  return {
    traceId,
    rootService,
    rootName: typeof raw.rootTraceName === 'string' ? raw.rootTraceName : '',
    traceStart: epochFromNanos(String(raw.startTimeUnixNano ?? '0')) ?? EPOCH_ZERO,
    durationNs: Math.round(Number(raw.durationMs ?? 0) * 1e6) || 0,
    spanCount: stats.reduce((n, [, s]) => n + (Number(s.spanCount) || 0), 0),
    errorCount: stats.reduce((n, [, s]) => n + (Number(s.errorCount) || 0), 0),
    services: stats.length > 0 ? stats.map(([service]) => service).sort() : rootService ? [rootService] : [],
  };
}
