// Builds the view of a trace (the wire format in core/view-format): its columns, analyses and labels,
// copied out of the model so they can move to the main thread while the worker keeps the model.
import { attributeKeysOf, exampleQuery } from '../core/analysis/tag-filters.ts';
import { adjustClockSkew, detectClockSkew, skewAdjustedTimeline } from '../core/analysis/clock-skew.ts';
import { computeCriticalPath } from '../core/analysis/critical-path.ts';
import { INFERRED_LINK_ATTR } from '../core/analysis/stitch-traces.ts';
import { errorAncestors, errorSpanIndices } from '../core/analysis/errors.ts';
import { findIdleGaps } from '../core/analysis/idle-gaps.ts';
import { computeDensity, type DensityGrid } from '../core/analysis/span-density.ts';
import { computeSelfTime, topSelfTimeSpans } from '../core/analysis/self-time.ts';
import { spanLabels, type SpanLabels } from '../core/analysis/span-label.ts';
import { nanosBetween } from '../core/model/time.ts';
import { STATUS_ERROR, type TraceModel } from '../core/model/trace-model.ts';
import {
  FLAG_ERROR,
  FLAG_ERROR_ANCESTOR,
  FLAG_IN_LINKS,
  FLAG_ORPHAN,
  FLAG_OUT_LINKS,
  FLAG_WARNINGS,
  packLabels,
  type SkewAdjustedTimes,
  type TraceViewData,
} from '../core/view-format/trace-view-format.ts';

/** @param labels the trace's span labels when already computed (the worker keeps them for search). */
export function buildTraceViewData(model: TraceModel, { labelId, labels }: SpanLabels = spanLabels(model)): TraceViewData {
  const n = model.spanCount;
  const strings = model.stores.strings;
  // Services re-numbered within the trace, in name order so colours follow the alphabet.
  // Looked up by string id in typed arrays: a Set and a Map per span cost more at a million spans.
  const serviceSeen = new Uint8Array(strings.size);
  for (let i = 0; i < n; i++) serviceSeen[model.serviceId[i]] = 1;
  const serviceIds: number[] = [];
  for (let id = 0; id < serviceSeen.length; id++) if (serviceSeen[id]) serviceIds.push(id);
  serviceIds.sort((a, b) => strings.get(a).localeCompare(strings.get(b)));
  const serviceIndex = new Uint16Array(strings.size);
  serviceIds.forEach((id, k) => (serviceIndex[id] = k));
  const service = new Uint16Array(n);
  for (let i = 0; i < n; i++) service[i] = serviceIndex[model.serviceId[i]];

  const ancestors = errorAncestors(model);
  const flags = new Uint8Array(n);
  const descendantErrors = new Uint32Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let f = 0;
    if (model.status[i] === STATUS_ERROR) f |= FLAG_ERROR;
    if (ancestors[i]) f |= FLAG_ERROR_ANCESTOR;
    if (model.linkCount[i] > 0) f |= FLAG_OUT_LINKS;
    if (model.parent[i] < 0 && model.parentSpanIds[i] !== '') f |= FLAG_ORPHAN;
    flags[i] = f;
    const p = model.parent[i];
    if (p >= 0) descendantErrors[p] += descendantErrors[i] + (model.status[i] === STATUS_ERROR ? 1 : 0);
  }

  // Few spans have these: set from the maps, not looked up for every span.
  for (const i of model.inboundLinks.keys()) flags[i] |= FLAG_IN_LINKS;
  for (const i of model.spanWarnings.keys()) flags[i] |= FLAG_WARNINGS;

  const critical = computeCriticalPath(model);
  const selfTimeNs = computeSelfTime(model);
  const events = model.stores.events;
  const eventOffset = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) eventOffset[i + 1] = eventOffset[i] + model.eventCount[i];
  const eventTimeNs = new Float64Array(eventOffset[n]);
  const eventIsException = new Uint8Array(eventOffset[n]);
  const exceptionName = strings.idOf('exception') ?? -1;
  for (let i = 0; i < n; i++) {
    const first = model.eventStart[i];
    for (let k = 0; k < model.eventCount[i]; k++) {
      const e = first + k;
      const at = eventOffset[i] + k;
      const ms = events.timeMs[e];
      eventTimeNs[at] = Number.isNaN(ms) ? NaN : nanosBetween(model.traceStart, { ms, nsOfMs: events.timeNsOfMs[e] });
      eventIsException[at] = events.nameId[e] === exceptionName ? 1 : 0;
    }
  }
  return {
    ...linkArrows(model),
    queueWaitSpan: new Uint32Array(0),
    queueWaitStartNs: new Float64Array(0),
    queueWaitEndNs: new Float64Array(0),
    skew: skewAdjusted(model),
    idleGaps: findIdleGaps(model.startNs, model.durationNs, model.traceDurationNs),
    density: densityOf(model),
    traceId: model.traceId,
    spanCount: n,
    traceStart: model.traceStart,
    traceDurationNs: model.traceDurationNs,
    parent: model.parent.slice(),
    depth: model.depth.slice(),
    subtreeEnd: model.subtreeEnd.slice(),
    childCount: model.childCount.slice(),
    startNs: model.startNs.slice(),
    durationNs: model.durationNs.slice(),
    selfTimeNs,
    everyRow: identity(n),
    topSelfTime: topSelfTimeSpans(model, selfTimeNs, 25),
    service,
    // A copy: the labels stay in the workspace for search while the view's buffers move to the page.
    label: labelId.slice(),
    kind: model.kind.slice(),
    flags,
    descendantErrors,
    errorSpans: errorSpanIndices(model),
    services: serviceIds.map((id) => strings.get(id)),
    ...packLabels(labels),
    criticalSpan: critical.spanIndex,
    criticalStartNs: critical.startNs,
    criticalEndNs: critical.endNs,
    eventOffset,
    eventTimeNs,
    eventIsException,
    searchExample: exampleQuery(attributeKeysOf(model)),
  };
}

function skewAdjusted(model: TraceModel): SkewAdjustedTimes | undefined {
  const report = detectClockSkew(model);
  if (report.spans.length === 0) return undefined;
  const adjustment = adjustClockSkew(model, report);
  // Shifted spans may now start before the trace did: the origin moves so times stay ≥ 0.
  const { startNs, originNs, traceDurationNs: end } = skewAdjustedTimeline(model, adjustment);
  const adjusted: TraceModel = { ...model, startNs, traceDurationNs: end };
  const selfTimeNs = computeSelfTime(adjusted);
  const critical = computeCriticalPath(adjusted);
  return {
    adjustedSpans: report.spans.length,
    shiftNs: adjustment.shiftNs,
    startNs,
    originNs,
    traceDurationNs: end,
    selfTimeNs,
    topSelfTime: topSelfTimeSpans(adjusted, selfTimeNs, 25),
    criticalSpan: critical.spanIndex,
    criticalStartNs: critical.startNs,
    criticalEndNs: critical.endNs,
    idleGaps: findIdleGaps(startNs, model.durationNs, end),
    density: densityOf(adjusted),
  };
}

function identity(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

const DENSITY_COLUMNS = 1600;

function densityOf(model: TraceModel): DensityGrid {
  const { status } = model;
  return computeDensity({ ...model, isError: (i) => status[i] === STATUS_ERROR }, DENSITY_COLUMNS);
}

/** Links resolved inside the trace, as (from, to) span pairs; links to the span's own parent are the tree's. */
function linkArrows(model: TraceModel): Pick<TraceViewData, 'linkFrom' | 'linkTo' | 'linkInferred'> {
  const targetOf = new Map<number, number>();
  for (const [target, links] of model.inboundLinks) for (const l of links) targetOf.set(l, target);
  const from: number[] = [];
  const to: number[] = [];
  const inferred: number[] = [];
  const inferredKey = model.stores.strings.idOf(INFERRED_LINK_ATTR);
  const { attributes, links } = model.stores;
  for (let i = 0; i < model.spanCount; i++) {
    for (let l = model.linkStart[i]; l < model.linkStart[i] + model.linkCount[i]; l++) {
      const target = targetOf.get(l);
      if (target === undefined || target === i || target === model.parent[i]) continue;
      from.push(i);
      to.push(target);
      inferred.push(inferredKey !== undefined && attributes.find(links.attrStart[l], links.attrCount[l], INFERRED_LINK_ATTR) !== undefined ? 1 : 0);
    }
  }
  return { linkFrom: Uint32Array.from(from), linkTo: Uint32Array.from(to), linkInferred: Uint8Array.from(inferred) };
}
