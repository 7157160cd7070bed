// The normalized trace model: one TraceModel per trace, columnar, spans in pre-order (parents before
// children, siblings by start time), times in ns relative to the trace start. Built only through
// TraceModelBuilder. Attribute, event and link payloads live in stores shared by all traces of a load.
import type { AttributeStore } from './attributes.ts';
import type { StringTable } from './string-table.ts';
import type { EpochNanos } from './time.ts';

export const SPAN_KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;
export type SpanKind = (typeof SPAN_KINDS)[number];

export const STATUS_CODES = ['unset', 'ok', 'error'] as const;
export type StatusCode = (typeof STATUS_CODES)[number];
export const STATUS_ERROR = 2;

/** child_of / follows_from come from Jaeger references; link from OTLP and Datadog span links. */
export const LINK_KINDS = ['child_of', 'follows_from', 'link'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export type TraceFormat =
  | 'jaeger'
  | 'otlp-json'
  | 'tempo'
  | 'zipkin-v2'
  | 'zipkin-v1'
  | 'datadog';

export interface ResourceInfo {
  readonly serviceId: number;
  readonly attrStart: number;
  attrCount: number;
}

export interface ScopeInfo {
  readonly name: string;
  readonly version: string;
  readonly attrStart: number;
  attrCount: number;
}

/** Span events (OTLP events, Jaeger logs, Zipkin annotations), in insertion order. */
export interface EventStore {
  readonly timeMs: number[];
  readonly timeNsOfMs: number[];
  readonly nameId: number[];
  readonly attrStart: number[];
  readonly attrCount: number[];
}

/** Links and non-parent references, in insertion order. */
export interface LinkStore {
  readonly traceId: string[];
  readonly spanId: string[];
  readonly kind: number[];
  readonly traceState: (string | undefined)[];
  readonly attrStart: number[];
  readonly attrCount: number[];
}

export interface TraceStores {
  readonly strings: StringTable;
  readonly attributes: AttributeStore;
  readonly resources: readonly ResourceInfo[];
  readonly scopes: readonly ScopeInfo[];
  readonly events: EventStore;
  readonly links: LinkStore;
}

export interface TraceModel {
  readonly traceId: string;
  readonly spanCount: number;
  /** Earliest span start; every startNs is relative to it. */
  readonly traceStart: EpochNanos;
  /** From the earliest start to the latest end. */
  readonly traceDurationNs: number;

  readonly spanIds: readonly string[];
  /** The parent id as the file gave it ('' for none), also for orphans whose parent is missing. */
  readonly parentSpanIds: readonly string[];
  /** Index of the parent span, -1 for roots (true roots, orphans and spans cut out of a cycle). */
  readonly parent: Int32Array;
  readonly depth: Uint32Array;
  /** One past the last descendant: the subtree of i is [i, subtreeEnd[i]). */
  readonly subtreeEnd: Uint32Array;
  readonly childCount: Uint32Array;
  readonly startNs: Float64Array;
  readonly durationNs: Float64Array;
  readonly serviceId: Uint32Array;
  readonly nameId: Uint32Array;
  readonly kind: Uint8Array;
  readonly status: Uint8Array;
  readonly resourceId: Int32Array;
  readonly scopeId: Int32Array;
  readonly attrStart: Uint32Array;
  readonly attrCount: Uint32Array;
  readonly eventStart: Uint32Array;
  readonly eventCount: Uint32Array;
  readonly linkStart: Uint32Array;
  readonly linkCount: Uint32Array;
  readonly statusMessage: ReadonlyMap<number, string>;
  readonly traceState: ReadonlyMap<number, string>;
  readonly spanWarnings: ReadonlyMap<number, readonly string[]>;

  /** Roots in start order: the true root first when there is one. */
  readonly roots: Uint32Array;
  /** Spans whose parent id is not in the trace (shown as extra roots). */
  readonly orphanCount: number;
  readonly errorCount: number;
  readonly maxDepth: number;
  readonly warnings: readonly string[];
  /**
   * Link targets resolved inside the loaded file: link index (in stores.links) → "traceIndex:spanIndex".
   * Inbound links: span index → link indices pointing at it (from any trace of the load).
   */
  readonly inboundLinks: ReadonlyMap<number, readonly number[]>;
  readonly stores: TraceStores;
}

export interface TraceCollection {
  readonly format: TraceFormat;
  readonly traces: readonly TraceModel[];
  /** Problems that concern the whole file (skipped lines, dropped spans). */
  readonly warnings: readonly string[];
  /** link index → where its target is, when the target span is in this load. */
  readonly linkTargets: ReadonlyMap<number, { readonly trace: number; readonly span: number }>;
  readonly stores: TraceStores;
}

export function isErrorSpan(model: TraceModel, i: number): boolean {
  return model.status[i] === STATUS_ERROR;
}

export function spanName(model: TraceModel, i: number): string {
  return model.stores.strings.get(model.nameId[i]);
}

export function spanService(model: TraceModel, i: number): string {
  return model.stores.strings.get(model.serviceId[i]);
}
