// GET /api/backends/:backend/tags: the attribute keys a backend knows, for the tag field's placeholder.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { backendPath, fetchApi, retryUnlessClientError } from './api-fetch.ts';

export function tagNamesQuery(backend: string) {
  return queryOptions({
    queryKey: ['tag-names', backend],
    queryFn: ({ signal }) => fetchApi<{ tags: string[] }>(backendPath(backend, 'tags'), { signal }).then((r) => r.tags),
    staleTime: 60_000,
    retry: retryUnlessClientError,
  });
}

export function useTagNames(backend: string | undefined) {
  return useQuery({ ...tagNamesQuery(backend ?? ''), enabled: !!backend });
}
