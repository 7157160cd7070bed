// Several traces as one: the stitched view of an async flow (API request → publisher → worker) draws
// them on one waterfall with a shared time axis. Each trace keeps its own tree (its root becomes a
// collapsible group), links between them resolve inside the stitched model, and links inferred by a
// business key or a stored context are added as links marked with how they were inferred.
import type { Attribute } from '../model/attributes.ts';
import { getSpanDetails } from '../model/span-details.ts';
import { TraceModelBuilder } from '../model/trace-model-builder.ts';
import type { TraceCollection, TraceModel } from '../model/trace-model.ts';
import { formatInferredVia, type InferredLink, type SpanRef } from './span-ref.ts';

/** Attribute on each stitched root: the trace it came from. */
export const STITCHED_FROM_ATTR = 'spanscope.stitched_from';
/** Attribute on an inferred link: how it was inferred ("job.id = 4", "traceparent in attribute …"). */
export const INFERRED_LINK_ATTR = 'spanscope.inferred';

export interface StitchedTraces {
  /** One trace holding every span of the given traces. */
  readonly collection: TraceCollection;
  /** For each span of the stitched model: which given trace and which span of it. */
  readonly sourceTrace: Int32Array;
  readonly sourceSpan: Int32Array;
  /** The stitched span index of a given trace's span, or -1. */
  stitchedIndex(ref: SpanRef): number;
}

const STITCHED_PREFIX = 'stitched-';

/** The id of a stitched view: not a trace id any backend has, so it never shadows a real trace. */
export function stitchedTraceId(traceIds: readonly string[]): string {
  return `${STITCHED_PREFIX}${traceIds.join('-')}`;
}

/** Whether `traceId` names a stitched view (made by stitchedTraceId) rather than a trace. */
export function isStitchedTraceId(traceId: string): boolean {
  return traceId.startsWith(STITCHED_PREFIX);
}

/**
 * Stitches `traces` (from any loads) into one model (its id from stitchedTraceId). `inferred`: links
 * found by the broken-trace finder between spans of these traces.
 */
export function stitchTraces(traces: readonly TraceModel[], inferred: readonly InferredLink[] = []): StitchedTraces {
  if (traces.length === 0) throw new Error('stitchTraces: no traces');
  const stitchedId = stitchedTraceId(traces.map((t) => t.traceId));
  const memberIds = new Set(traces.map((t) => t.traceId));
  const builder = new TraceModelBuilder('otlp-json');
  const inferredFrom = new Map<string, InferredLink[]>();
  for (const link of inferred) {
    const key = `${link.from.trace}:${link.from.span}`;
    inferredFrom.set(key, [...(inferredFrom.get(key) ?? []), link]);
  }
  // span id → given (trace, span); ids are unique across traces in practice (random 64-bit ids).
  const bySpanId = new Map<string, SpanRef>();

  traces.forEach((model, t) => {
    const resources = new Map<number, number>();
    const scopes = new Map<number, number>();
    for (let i = 0; i < model.spanCount; i++) {
      const d = getSpanDetails(model, i);
      const resource = d.resource && (resources.get(d.resource.index) ?? addResource(builder, resources, d.resource.index, d.resource.service, d.resource.attributes));
      const scope = d.scope && (scopes.get(d.scope.index) ?? addScope(builder, scopes, d.scope.index, d.scope.name, d.scope.version, d.scope.attributes));
      builder.addSpan({
        traceId: stitchedId,
        spanId: d.spanId,
        parentSpanId: d.parentSpanId,
        name: d.name,
        service: d.service,
        resource,
        scope,
        kind: d.kind,
        start: d.start,
        durationNs: d.durationNs,
        status: d.status,
        statusMessage: d.statusMessage,
        traceState: d.traceState,
      });
      for (const a of d.attributes) builder.attr(a.key, a.value, a.type);
      if (model.parent[i] < 0) builder.attr(STITCHED_FROM_ATTR, model.traceId);
      for (const e of d.events) {
        builder.addEvent(e.time, e.name);
        for (const a of e.attributes) builder.attr(a.key, a.value, a.type);
      }
      for (const l of d.links) {
        // A link into another stitched trace now points inside the stitched model.
        builder.addLink(memberIds.has(l.traceId) ? stitchedId : l.traceId, l.spanId, l.kind, l.traceState);
        for (const a of l.attributes) builder.attr(a.key, a.value, a.type);
      }
      for (const link of inferredFrom.get(`${t}:${i}`) ?? []) {
        builder.addLink(memberIds.has(link.traceId) ? stitchedId : link.traceId, link.spanId, 'link');
        builder.attr(INFERRED_LINK_ATTR, formatInferredVia(link.via));
      }
      bySpanId.set(d.spanId, { trace: t, span: i });
    }
  });
  if (traces.some((m, t) => m.spanIds.some((id) => bySpanId.get(id)?.trace !== t))) {
    builder.warn('Some span ids occur in more than one of the stitched traces; their parents may be mixed up');
  }

  const collection = builder.build();
  const model = collection.traces[0];
  const sourceTrace = new Int32Array(model.spanCount).fill(-1);
  const sourceSpan = new Int32Array(model.spanCount).fill(-1);
  for (let i = 0; i < model.spanCount; i++) {
    const ref = bySpanId.get(model.spanIds[i]);
    if (ref) [sourceTrace[i], sourceSpan[i]] = [ref.trace, ref.span];
  }
  const stitchedOf = new Map<string, number>();
  for (let i = 0; i < model.spanCount; i++) if (sourceTrace[i] >= 0) stitchedOf.set(`${sourceTrace[i]}:${sourceSpan[i]}`, i);
  return { collection, sourceTrace, sourceSpan, stitchedIndex: (ref) => stitchedOf.get(`${ref.trace}:${ref.span}`) ?? -1 };
}

function addResource(builder: TraceModelBuilder, seen: Map<number, number>, index: number, service: string, attributes: readonly Attribute[]): number {
  const id = builder.addResource(service);
  for (const a of attributes) builder.attr(a.key, a.value, a.type);
  seen.set(index, id);
  return id;
}

function addScope(
  builder: TraceModelBuilder,
  seen: Map<number, number>,
  index: number,
  name: string,
  version: string,
  attributes: readonly Attribute[],
): number {
  const id = builder.addScope(name, version);
  for (const a of attributes) builder.attr(a.key, a.value, a.type);
  seen.set(index, id);
  return id;
}
