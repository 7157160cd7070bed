// GET/POST against the Spanscope server's /api; a non-2xx answer becomes an ApiFailure carrying the
// server's {error, detail, backend} so the UI can say which backend failed and why.
import type { ApiErrorBody } from '../core/api/backend-api.ts';

export class ApiFailure extends Error {
  readonly status: number;
  readonly body: ApiErrorBody;

  constructor(status: number, body: ApiErrorBody) {
    super(body.error);
    this.name = 'ApiFailure';
    this.status = status;
    this.body = body;
  }
}

export async function fetchApi<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { Accept: 'application/json', ...init.headers } });
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw new ApiFailure(0, { error: 'The Spanscope server is unreachable', detail: err instanceof Error ? err.message : String(err) });
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const apiBody = isApiError(body) ? body : { error: `HTTP ${response.status} ${response.statusText}`.trim(), detail: text.slice(0, 300) || 'No details' };
    throw new ApiFailure(response.status, apiBody);
  }
  if (body === undefined) throw new ApiFailure(response.status, { error: 'The server answered something that is not JSON', detail: text.slice(0, 300) });
  return body as T;
}

function isApiError(body: unknown): body is ApiErrorBody {
  return typeof body === 'object' && body !== null && typeof (body as ApiErrorBody).error === 'string';
}

/** Don't retry what will fail the same way again (4xx); do retry a flaky backend once. */
export function retryUnlessClientError(failureCount: number, error: Error): boolean {
  if (error instanceof ApiFailure && error.status >= 400 && error.status < 500) return false;
  return failureCount < 1;
}

export function backendPath(backend: string, rest: string): string {
  return `/api/backends/${encodeURIComponent(backend)}/${rest}`;
}

/** One line for the UI: which backend failed, what and why. */
export function failureText(error: Error): string {
  if (!(error instanceof ApiFailure)) return error.message;
  const { backend, error: what, detail } = error.body;
  return `${backend ? `${backend}: ` : ''}${what}${detail ? ` — ${detail}` : ''}`;
}
