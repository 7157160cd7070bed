// Everything the waterfall draws for one trace, as flat typed arrays the main thread receives by
// transfer (no per-span objects cross the boundary). Strings travel once, as small tables.
import { adjustClockSkew, detectClockSkew } from '../core/analysis/clock-skew.ts';
import { computeCriticalPath } from '../core/analysis/critical-path.ts';
import { INFERRED_LINK_ATTR } from '../core/analysis/stitch-traces.ts';
import { errorAncestors, errorSpanIndices } from '../core/analysis/errors.ts';
import { findIdleGaps, type IdleGap } from '../core/analysis/idle-gaps.ts';
import { computeDensity, type DensityGrid } from '../core/analysis/span-density.ts';
import { computeSelfTime, topSelfTimeSpans } from '../core/analysis/self-time.ts';
import { spanLabels, type SpanLabels } from '../core/analysis/span-label.ts';
import { nanosBetween } from '../core/model/time.ts';
import { STATUS_ERROR, type TraceModel } from '../core/model/trace-model.ts';

/** Bits of TraceViewData.flags. */
export const FLAG_ERROR = 1;
export const FLAG_ERROR_ANCESTOR = 2;
export const FLAG_OUT_LINKS = 4;
export const FLAG_IN_LINKS = 8;
export const FLAG_ORPHAN = 16;
export const FLAG_WARNINGS = 32;

/** The opt-in clock-skew adjustment: the same trace with shifted starts and the analyses redone. */
export interface SkewAdjustedTimes {
  /** Spans whose own start the adjustment moves (their subtrees move with them). */
  readonly adjustedSpans: number;
  /** Per span: the shift applied to it, 0 when untouched. */
  readonly shiftNs: Float64Array;
  readonly startNs: Float64Array;
  readonly traceDurationNs: number;
  readonly selfTimeNs: Float64Array;
  readonly topSelfTime: Uint32Array;
  readonly criticalSpan: Uint32Array;
  readonly criticalStartNs: Float64Array;
  readonly criticalEndNs: Float64Array;
  readonly idleGaps: readonly IdleGap[];
  readonly density: DensityGrid;
}

/** The model's own tree and time columns, copied as they are. */
type ModelColumns = Pick<
  TraceModel,
  'traceId' | 'spanCount' | 'traceStart' | 'traceDurationNs' | 'parent' | 'depth' | 'subtreeEnd' | 'childCount' | 'startNs' | 'durationNs' | 'kind'
>;

export interface TraceViewData extends ModelColumns {
  readonly selfTimeNs: Float64Array;
  /** 0, 1, 2 … spanCount − 1: the rows while nothing is collapsed or filtered (made here, off the main thread). */
  readonly everyRow: Uint32Array;
  /** The spans with the most self time, largest first. */
  readonly topSelfTime: Uint32Array;
  /** Index into services. */
  readonly service: Uint16Array;
  /** The span's one-line summary, as an index into the label table (read it with spanLabelOf). */
  readonly label: Uint32Array;
  readonly flags: Uint8Array;
  /** The error spans, in pre-order (for previous / next error). */
  readonly errorSpans: Uint32Array;
  /** Error spans among each span's descendants (shown on a collapsed row). */
  readonly descendantErrors: Uint32Array;
  readonly services: readonly string[];
  /**
   * The distinct labels' UTF-16 code units back to back: label k is labelText[labelStart[k] ..
   * labelStart[k + 1]). Packed so the table moves by transfer; a trace can have a label per span and
   * structured-cloning a million strings stalls the main thread.
   */
  readonly labelText: Uint16Array;
  readonly labelStart: Uint32Array;
  /** Critical path segments, by time: span, start and end (ns from the trace start). */
  readonly criticalSpan: Uint32Array;
  readonly criticalStartNs: Float64Array;
  readonly criticalEndNs: Float64Array;
  /**
   * Links between two spans of this trace (not to the span's own parent), drawn as arrows: from
   * linkFrom[k] to linkTo[k]; linkInferred[k] = 1 when the broken-trace finder inferred it.
   */
  readonly linkFrom: Uint32Array;
  readonly linkTo: Uint32Array;
  readonly linkInferred: Uint8Array;
  /**
   * Time spent waiting in a queue before span queueWaitSpan[k] picked the work up (a stitched view's
   * end-to-end path): from queueWaitStartNs[k] to queueWaitEndNs[k]. Empty for a plain trace.
   */
  readonly queueWaitSpan: Uint32Array;
  readonly queueWaitStartNs: Float64Array;
  readonly queueWaitEndNs: Float64Array;
  /** Span events as ticks: eventOffset[i]..eventOffset[i+1] index eventTimeNs / eventIsException. */
  readonly eventOffset: Uint32Array;
  readonly eventTimeNs: Float64Array;
  readonly eventIsException: Uint8Array;
  /** The minimap's picture: span density by time and depth. */
  readonly density: DensityGrid;
  /** Stretches where no span runs, long enough to be worth squeezing. */
  readonly idleGaps: readonly IdleGap[];
  /** Present when spans sit outside their parent across services and a shift would fix them. */
  readonly skew: SkewAdjustedTimes | undefined;
}

/** The label of a span, from the packed table (see TraceViewData.labelText). */
export function spanLabelOf(view: Pick<TraceViewData, 'label' | 'labelText' | 'labelStart'>, span: number): string {
  const k = view.label[span];
  const units = view.labelText.subarray(view.labelStart[k], view.labelStart[k + 1]);
  return units.length <= MAX_APPLY_UNITS ? String.fromCharCode.apply(null, units as unknown as number[]) : utf16.decode(units);
}

const MAX_APPLY_UNITS = 4096;
const PACK_BATCH = 1 << 14;
const utf16 = new TextDecoder('utf-16le');

function packLabels(labels: readonly string[]): { labelText: Uint16Array; labelStart: Uint32Array } {
  const labelStart = new Uint32Array(labels.length + 1);
  for (let k = 0; k < labels.length; k++) labelStart[k + 1] = labelStart[k] + labels[k].length;
  const labelText = new Uint16Array(labelStart[labels.length]);
  // Joined in batches first: labels made by concatenation are string trees, each of which charCodeAt
  // would flatten on its own; a joined batch is one flat string.
  for (let k = 0; k < labels.length; k += PACK_BATCH) {
    const batch = labels.slice(k, k + PACK_BATCH).join('');
    const at = labelStart[k];
    for (let c = 0; c < batch.length; c++) labelText[at + c] = batch.charCodeAt(c);
  }
  return { labelText, labelStart };
}

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
    label: labelId,
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
  };
}

function skewAdjusted(model: TraceModel): SkewAdjustedTimes | undefined {
  const report = detectClockSkew(model);
  if (report.spans.length === 0) return undefined;
  const { startNs, shiftNs } = adjustClockSkew(model, report);
  // Shifted spans may now start before the trace did: move the origin so times stay ≥ 0.
  let min = 0;
  let end = 0;
  for (let i = 0; i < startNs.length; i++) if (startNs[i] < min) min = startNs[i];
  for (let i = 0; i < startNs.length; i++) {
    startNs[i] -= min;
    end = Math.max(end, startNs[i] + model.durationNs[i]);
  }
  const adjusted: TraceModel = { ...model, startNs, traceDurationNs: end };
  const selfTimeNs = computeSelfTime(adjusted);
  const critical = computeCriticalPath(adjusted);
  return {
    adjustedSpans: report.spans.length,
    shiftNs,
    startNs,
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

/** The buffers to transfer with a TraceViewData (they are copies, so the worker keeps its model). */
export function transferList(view: TraceViewData): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = [
    view.parent, view.depth, view.subtreeEnd, view.childCount, view.startNs, view.durationNs, view.selfTimeNs, view.everyRow, view.topSelfTime, view.service,
    view.label, view.kind, view.flags, view.descendantErrors, view.errorSpans, view.criticalSpan, view.criticalStartNs, view.criticalEndNs,
    view.eventOffset, view.eventTimeNs, view.eventIsException, view.labelText, view.labelStart, view.linkFrom, view.linkTo, view.linkInferred,
    view.queueWaitSpan, view.queueWaitStartNs, view.queueWaitEndNs,
  ];
  arrays.push(view.density.counts, view.density.errorColumns);
  if (view.skew) arrays.push(view.skew.density.counts, view.skew.density.errorColumns, view.skew.shiftNs, view.skew.startNs, view.skew.selfTimeNs, view.skew.topSelfTime, view.skew.criticalSpan, view.skew.criticalStartNs, view.skew.criticalEndNs);
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}
