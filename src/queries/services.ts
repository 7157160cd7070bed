// GET /api/backends/:backend/services and …/operations?service=: the search form's pick lists.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { backendPath, fetchApi, retryUnlessClientError } from './api-fetch.ts';

export function servicesQuery(backend: string) {
  return queryOptions({
    queryKey: ['services', backend],
    queryFn: ({ signal }) => fetchApi<{ services: string[] }>(backendPath(backend, 'services'), { signal }).then((r) => r.services),
    staleTime: 60_000,
    retry: retryUnlessClientError,
  });
}

export function useServices(backend: string | undefined) {
  return useQuery({ ...servicesQuery(backend ?? ''), enabled: !!backend });
}

export function operationsQuery(backend: string, service: string) {
  return queryOptions({
    queryKey: ['operations', backend, service],
    queryFn: ({ signal }) =>
      fetchApi<{ operations: string[] }>(backendPath(backend, `operations?service=${encodeURIComponent(service)}`), { signal }).then((r) => r.operations),
    staleTime: 60_000,
    retry: retryUnlessClientError,
  });
}

export function useOperations(backend: string | undefined, service: string | undefined) {
  return useQuery({ ...operationsQuery(backend ?? '', service ?? ''), enabled: !!backend && !!service });
}
