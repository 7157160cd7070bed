// GET /api/backends/:backend/traces/:id/context-carriers?start=&end=: the traces whose span data stores
// a trace's context (the far side of an async hop that lost it), in a time window.
import type { ContextCarriers } from '../core/api/backend-api.ts';
import { backendPath, fetchApi } from './api-fetch.ts';

export function fetchContextCarriers(backend: string, traceId: string, startMs: number, endMs: number, signal?: AbortSignal): Promise<ContextCarriers> {
  const params = new URLSearchParams({ start: String(Math.max(0, Math.floor(startMs))), end: String(Math.floor(endMs)) });
  return fetchApi<ContextCarriers>(backendPath(backend, `traces/${encodeURIComponent(traceId)}/context-carriers?${params}`), { signal });
}
