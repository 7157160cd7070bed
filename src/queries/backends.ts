// GET /api/backends: the configured backends, the default one and whether sharing works.
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { BackendList } from '../core/api/backend-api.ts';
import { fetchApi, retryUnlessClientError } from './api-fetch.ts';

export const backendsQuery = queryOptions({
  queryKey: ['backends'],
  queryFn: ({ signal }) => fetchApi<BackendList>('/api/backends', { signal }),
  staleTime: 5 * 60_000,
  retry: retryUnlessClientError,
});

export function useBackends() {
  return useQuery(backendsQuery);
}
