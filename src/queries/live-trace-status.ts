// GET /api/backends/:backend/traces/:id/status: how far a trace the server is receiving has come. Polled
// while spans still arrive; a 404 means the trace is not a received one (a stored file, an upstream).
import { skipToken, useQuery } from '@tanstack/react-query';
import type { LiveTraceStatus } from '../core/api/backend-api.ts';
import { ApiFailure, backendPath, fetchApi } from './api-fetch.ts';

export const LIVE_POLL_MS = 2000;

export function useLiveTraceStatus(backend: string | undefined, traceId: string | undefined) {
  return useQuery({
    queryKey: ['live-status', backend, traceId],
    // Skipped until both are known (a trace not from a backend has no status).
    queryFn:
      backend && traceId
        ? async ({ signal }): Promise<LiveTraceStatus | null> => {
            try {
              return await fetchApi<LiveTraceStatus>(backendPath(backend, `traces/${encodeURIComponent(traceId)}/status`), { signal });
            } catch (err) {
              if (err instanceof ApiFailure && err.status === 404) return null;
              throw err;
            }
          }
        : skipToken,
    retry: false,
    refetchInterval: (query) => (query.state.data?.receiving ? LIVE_POLL_MS : false),
  });
}
