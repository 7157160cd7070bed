// What every trace source behind /api/backends/:name does. The routes validate input before calling
// (ids are hex, names are plain strings, numbers are numbers); adapters translate to their upstream and
// throw HttpError (naming the backend) for anything the upstream does wrong.
import type { Readable } from 'node:stream';
import type { BackendInfo, LiveTraceStatus, TraceSearchQuery, TraceSearchResult } from '../../src/core/api/backend-api.ts';

export interface BackendCallContext {
  /** Aborted when the browser goes away or the backend's timeout passes. */
  readonly signal: AbortSignal;
}

/** A trace document as the backend returns it; the browser's worker detects the format. */
export interface TraceDocument {
  readonly body: Readable | Uint8Array;
  readonly contentType: string;
  /** Known length in bytes, when the upstream said. */
  readonly byteLength?: number;
}

export interface Backend {
  readonly info: BackendInfo;
  services(ctx: BackendCallContext): Promise<string[]>;
  operations(service: string, ctx: BackendCallContext): Promise<string[]>;
  search(query: TraceSearchQuery, ctx: BackendCallContext): Promise<TraceSearchResult>;
  /** 404 HttpError when the backend does not have the trace. `traceId` is lowercase hex (16 or 32). */
  trace(traceId: string, ctx: BackendCallContext): Promise<TraceDocument>;
  /** Attribute names to suggest in the search form (Tempo's /api/search/tags); [] when unsupported. */
  tagNames(ctx: BackendCallContext): Promise<string[]>;
  tagValues(tag: string, ctx: BackendCallContext): Promise<string[]>;
  /**
   * Traces starting in [startMs, endMs] that store `traceId`'s context (a traceparent, b3, uber-trace-id or
   * Datadog ids) in their span data: the other side of an async hop that lost the context. Absent when the
   * backend cannot search for it.
   */
  contextCarriers?(traceId: string, startMs: number, endMs: number, ctx: BackendCallContext): Promise<string[]>;
  /** The embedded store's received traces: how far along a trace is. Undefined: not a received trace. */
  liveStatus?(traceId: string): LiveTraceStatus | undefined;
}
