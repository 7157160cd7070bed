// The full record of one span, gathered from the columns and the shared stores: what the details panel
// shows and what the writers serialize. Built on demand for one span (never for all spans at once).
import { spanLabel } from '../analysis/span-label.ts';
import type { Attribute } from './attributes.ts';
import { addNanos, nanosBetween, type EpochNanos, type Nanos } from './time.ts';
import {
  LINK_KINDS,
  SPAN_KINDS,
  STATUS_CODES,
  spanName,
  spanService,
  type LinkKind,
  type SpanKind,
  type StatusCode,
  type TraceCollection,
  type TraceModel,
} from './trace-model.ts';

export interface SpanResourceDetails {
  /** Index in stores.resources. */
  readonly index: number;
  readonly service: string;
  readonly attributes: readonly Attribute[];
}

export interface SpanScopeDetails {
  /** Index in stores.scopes. */
  readonly index: number;
  readonly name: string;
  readonly version: string;
  readonly attributes: readonly Attribute[];
}

export interface SpanEventDetails {
  readonly name: string;
  /** undefined when the file gave the event no time. */
  readonly time: EpochNanos | undefined;
  /** Nanoseconds from the span's start (negative when the event precedes it); undefined without a time. */
  readonly offsetNs: Nanos | undefined;
  /** Nanoseconds from the trace start, on the same axis as TraceModel.startNs. */
  readonly relativeNs: Nanos | undefined;
  readonly attributes: readonly Attribute[];
}

/** Where a link's target span is in the loaded collection. */
export interface LinkTargetLocation {
  /** Index in TraceCollection.traces; undefined = the span's own trace (found without the collection). */
  readonly trace: number | undefined;
  /** Model index of the target span in that trace. */
  readonly span: number;
}

export interface SpanLinkDetails {
  /** Index in stores.links (key of TraceCollection.linkTargets). */
  readonly index: number;
  readonly kind: LinkKind;
  readonly traceId: string;
  readonly spanId: string;
  readonly traceState: string | undefined;
  readonly attributes: readonly Attribute[];
  /** The target when it is in the loaded file, else undefined. */
  readonly target: LinkTargetLocation | undefined;
}

export interface SpanDetails {
  /** Index of the span in its TraceModel (pre-order). */
  readonly index: number;
  readonly traceId: string;
  readonly spanId: string;
  /** The parent id as the file gave it; '' for a root. Set also for orphans whose parent is missing. */
  readonly parentSpanId: string;
  /** Model index of the parent, -1 for roots and orphans. */
  readonly parentIndex: number;
  readonly service: string;
  /** The span name as recorded (the "raw name"). */
  readonly name: string;
  /** The span label (span-label.ts), as the waterfall row shows it. */
  readonly label: string;
  readonly kind: SpanKind;
  readonly status: StatusCode;
  readonly statusMessage: string | undefined;
  readonly traceState: string | undefined;
  /** Absolute start, exact to the nanosecond. */
  readonly start: EpochNanos;
  /** Nanoseconds from the trace start (TraceModel.startNs). */
  readonly startNs: Nanos;
  readonly durationNs: Nanos;
  readonly depth: number;
  readonly childCount: number;
  readonly attributes: readonly Attribute[];
  readonly resource: SpanResourceDetails | undefined;
  readonly scope: SpanScopeDetails | undefined;
  readonly events: readonly SpanEventDetails[];
  readonly links: readonly SpanLinkDetails[];
  /** Indices in stores.links of links from any span of the load that point at this span. */
  readonly inboundLinks: readonly number[];
  readonly warnings: readonly string[];
}

/** Link targets of the whole load: TraceCollection.linkTargets. */
export type LinkTargets = TraceCollection['linkTargets'];

/**
 * Everything about span `i` of `model`. Pass the collection's linkTargets to resolve link targets in
 * other traces of the load; without it, only targets in the same trace are found (by a scan of its ids).
 */
export function getSpanDetails(model: TraceModel, i: number, linkTargets?: LinkTargets): SpanDetails {
  const { stores } = model;
  const attrs = stores.attributes;
  const start = spanStart(model, i);

  const resourceIndex = model.resourceId[i];
  const resourceInfo = resourceIndex >= 0 ? stores.resources[resourceIndex] : undefined;
  const resource: SpanResourceDetails | undefined = resourceInfo && {
    index: resourceIndex,
    service: stores.strings.get(resourceInfo.serviceId),
    attributes: attrs.read(resourceInfo.attrStart, resourceInfo.attrCount),
  };
  const scopeIndex = model.scopeId[i];
  const scopeInfo = scopeIndex >= 0 ? stores.scopes[scopeIndex] : undefined;
  const scope: SpanScopeDetails | undefined = scopeInfo && {
    index: scopeIndex,
    name: scopeInfo.name,
    version: scopeInfo.version,
    attributes: attrs.read(scopeInfo.attrStart, scopeInfo.attrCount),
  };

  const events: SpanEventDetails[] = [];
  const ev = stores.events;
  for (let e = model.eventStart[i], end = e + model.eventCount[i]; e < end; e++) {
    const time = Number.isNaN(ev.timeMs[e]) ? undefined : { ms: ev.timeMs[e], nsOfMs: ev.timeNsOfMs[e] };
    const offsetNs = time && nanosBetween(start, time);
    events.push({
      name: stores.strings.get(ev.nameId[e]),
      time,
      offsetNs,
      relativeNs: offsetNs === undefined ? undefined : model.startNs[i] + offsetNs,
      attributes: attrs.read(ev.attrStart[e], ev.attrCount[e]),
    });
  }

  const links: SpanLinkDetails[] = [];
  const ln = stores.links;
  for (let l = model.linkStart[i], end = l + model.linkCount[i]; l < end; l++) {
    links.push({
      index: l,
      kind: LINK_KINDS[ln.kind[l]],
      traceId: ln.traceId[l],
      spanId: ln.spanId[l],
      traceState: ln.traceState[l],
      attributes: attrs.read(ln.attrStart[l], ln.attrCount[l]),
      target: linkTargets ? linkTargets.get(l) : findInSameTrace(model, ln.traceId[l], ln.spanId[l]),
    });
  }

  return {
    index: i,
    traceId: model.traceId,
    spanId: model.spanIds[i],
    parentSpanId: model.parentSpanIds[i],
    parentIndex: model.parent[i],
    service: spanService(model, i),
    name: spanName(model, i),
    label: spanLabel(model, i),
    kind: SPAN_KINDS[model.kind[i]],
    status: STATUS_CODES[model.status[i]],
    statusMessage: model.statusMessage.get(i),
    traceState: model.traceState.get(i),
    start,
    startNs: model.startNs[i],
    durationNs: model.durationNs[i],
    depth: model.depth[i],
    childCount: model.childCount[i],
    attributes: attrs.read(model.attrStart[i], model.attrCount[i]),
    resource,
    scope,
    events,
    links,
    inboundLinks: model.inboundLinks.get(i) ?? [],
    warnings: model.spanWarnings.get(i) ?? [],
  };
}

/** Absolute start of span i. Relative starts are whole ns in practice; rounding keeps the pair exact. */
export function spanStart(model: TraceModel, i: number): EpochNanos {
  return addNanos(model.traceStart, Math.round(model.startNs[i]));
}

function findInSameTrace(model: TraceModel, traceId: string, spanId: string): LinkTargetLocation | undefined {
  if (traceId !== model.traceId) return undefined;
  const span = model.spanIds.indexOf(spanId);
  return span < 0 ? undefined : { trace: undefined, span };
}
