// The JSON the Spanscope server's /api speaks, shared by the server (server/) and the browser
// (src/queries/). The browser only ever names a configured backend, never an upstream URL.
import type { TagFilter } from '../analysis/tag-filters.ts';
import type { EpochNanos } from '../model/time.ts';

export type BackendType = 'embedded' | 'jaeger' | 'tempo' | 'zipkin';

export interface BackendInfo {
  readonly name: string;
  readonly type: BackendType;
  /** What the search form may offer for this backend. */
  readonly supports: {
    readonly operations: boolean;
    /** Tempo: a TraceQL query instead of (or besides) service/operation/tags. */
    readonly traceQl: boolean;
    readonly tags: boolean;
  };
}

export interface BackendList {
  readonly backends: readonly BackendInfo[];
  /** The backend the search page starts on. */
  readonly defaultBackend: string;
  readonly sharing: SharingInfo;
  /** Origins besides the server's own that `?url=` may open (server.urlAllowlist; the CSP's connect-src). */
  readonly urlAllowlist: readonly string[];
}

export interface SharingInfo {
  /** False when sharing is disabled or the store is read-only; `reason` says which. */
  readonly enabled: boolean;
  readonly reason: string | undefined;
  /** Upload limit of POST /api/shares, in bytes. */
  readonly maxUploadBytes: number;
}

/** GET /api/backends/:backend/traces?… — all optional; durations in microseconds, times in epoch ms. */
export interface TraceSearchQuery {
  readonly service?: string;
  readonly operation?: string;
  /** The tag field (tag-filters.ts): every filter must hold on the same span (Jaeger's rule). */
  readonly tags?: readonly TagFilter[];
  readonly minDurationUs?: number;
  readonly maxDurationUs?: number;
  readonly startMs?: number;
  readonly endMs?: number;
  readonly limit?: number;
  /** Only traces with an error span. */
  readonly errorsOnly?: boolean;
  /** Tempo only: a TraceQL query. */
  readonly traceQl?: string;
}

/** One trace found by a search: what the trace list and the scatter plot show. */
export interface TraceSearchHit {
  readonly traceId: string;
  readonly rootService: string;
  readonly rootName: string;
  readonly traceStart: EpochNanos;
  readonly durationNs: number;
  /** 0 when the backend does not say (Tempo search without service stats). */
  readonly spanCount: number;
  readonly errorCount: number;
  readonly services: readonly string[];
  /** A trace the server's receivers are still getting spans for (the embedded store only). */
  readonly receiving?: boolean;
}

/** GET /api/backends/:backend/traces/:id/status — a received trace while spans arrive. */
export interface LiveTraceStatus {
  readonly spanCount: number;
  readonly lastReceivedMs: number;
  readonly receiving: boolean;
}

/** GET /api/backends/:backend/traces/:id/context-carriers?start=&end= — what was searched, and what was found. */
export interface ContextCarriers {
  readonly backend: string;
  readonly traceId: string;
  readonly startMs: number;
  readonly endMs: number;
  /** Traces (other than traceId) whose span data stores traceId's context, newest first. */
  readonly traceIds: readonly string[];
}

export interface TraceSearchResult {
  readonly traces: readonly TraceSearchHit[];
  /** Problems the backend reported beside the results (partial results, skipped traces). */
  readonly warnings: readonly string[];
}

export interface ShareReceipt {
  /** Content-addressed: the same file always gets the same id. */
  readonly id: string;
  readonly traceIds: readonly string[];
  readonly spanCount: number;
}

/** Every 4xx/5xx answer of /api. */
export interface ApiErrorBody {
  readonly error: string;
  readonly detail: string;
  /** The configured backend that failed, when one did. */
  readonly backend?: string;
}

export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 1500;
