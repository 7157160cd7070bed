// GET /api/backends/:backend/traces?…: a search. Keyed by the query including its absolute time range,
// so "last hour" asked twice a minute apart are two searches; cancelled when the form changes.
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { TraceSearchQuery, TraceSearchResult } from '../core/api/backend-api.ts';
import { searchQueryToParams } from '../core/api/search-params.ts';
import { backendPath, fetchApi, retryUnlessClientError } from './api-fetch.ts';

export function traceSearchQuery(backend: string, query: TraceSearchQuery) {
  const params = searchQueryToParams(query).toString();
  return queryOptions({
    queryKey: ['trace-search', backend, params],
    queryFn: ({ signal }) => fetchApi<TraceSearchResult>(backendPath(backend, `traces?${params}`), { signal }),
    staleTime: 30_000,
    retry: retryUnlessClientError,
  });
}

/** `live`: refetch every few seconds (the embedded store, which receivers fill while you look). */
export function useTraceSearch(backend: string | undefined, query: TraceSearchQuery | undefined, live = false) {
  return useQuery({
    ...traceSearchQuery(backend ?? '', query ?? {}),
    enabled: !!backend && !!query,
    placeholderData: keepPreviousData,
    refetchInterval: live ? 3000 : false,
  });
}
