// One trace's spans as importers add them (TraceGroup, insertion order), and buildTrace(): the pre-ordered
// TraceModel of a group, with parents resolved by id, duplicates and orphans kept with warnings, parent
// cycles cut, and children sorted by start; iterative, whatever the depth.
import { f64Column, i32Column, u32Column, u8Column } from './growable-column.ts';
import type { IdIndex } from './id-index.ts';
import { layOut, relativeStarts, shownStarts, subtreeShape } from './span-layout.ts';
import { childLists, indexSpanIds, preOrder, preOrderCuttingCycles, resolveParents, rootCandidates, sortChildrenByStart } from './span-tree.ts';
import { STATUS_ERROR, type TraceModel } from './trace-model.ts';

// Spans of one trace in insertion order, until build() sorts them.
export class TraceGroup {
  readonly spanIds: string[] = [];
  readonly parentSpanIds: string[] = [];
  readonly explicitParent = i32Column();
  readonly nameId = u32Column();
  readonly serviceId = u32Column();
  readonly resourceId = i32Column();
  readonly scopeId = i32Column();
  readonly kind = u8Column();
  readonly status = u8Column();
  readonly startMs = f64Column();
  readonly startNsOfMs = f64Column();
  readonly durationNs = f64Column();
  readonly attrStart = u32Column();
  readonly attrCount = u32Column();
  readonly eventStart = u32Column();
  readonly eventCount = u32Column();
  readonly linkStart = u32Column();
  readonly linkCount = u32Column();
  readonly statusMessage = new Map<number, string>();
  readonly traceState = new Map<number, string>();
  readonly spanWarnings = new Map<number, string[]>();
  readonly warnings: string[] = [];
  /** Fields of the wrong type (see TraceModelBuilder.badField): how many, and the first, named. */
  readonly badFields: { count: number; first: string | undefined } = { count: 0, first: undefined };

  constructor(readonly traceId: string) {}

  get size(): number {
    return this.spanIds.length;
  }
}

/** A group's columns as filled so far (views, not copies), plus its other fields. */
function filledColumns(g: TraceGroup) {
  return {
    traceId: g.traceId,
    spanIds: g.spanIds,
    parentSpanIds: g.parentSpanIds,
    explicitParent: g.explicitParent.view(),
    nameId: g.nameId.view(),
    serviceId: g.serviceId.view(),
    resourceId: g.resourceId.view(),
    scopeId: g.scopeId.view(),
    kind: g.kind.view(),
    status: g.status.view(),
    startMs: g.startMs.view(),
    startNsOfMs: g.startNsOfMs.view(),
    durationNs: g.durationNs.view(),
    attrStart: g.attrStart.view(),
    attrCount: g.attrCount.view(),
    eventStart: g.eventStart.view(),
    eventCount: g.eventCount.view(),
    linkStart: g.linkStart.view(),
    linkCount: g.linkCount.view(),
    statusMessage: g.statusMessage,
    traceState: g.traceState,
    spanWarnings: g.spanWarnings,
    warnings: g.warnings,
  };
}

/** The model, and how to find a span by id: modelIndex[idIndex.get(id)] (insertion → model order). */
export interface BuiltTrace {
  readonly model: TraceModel;
  readonly idIndex: IdIndex;
  readonly modelIndex: Uint32Array;
}

export function buildTrace(group: TraceGroup, stores: TraceModel['stores']): BuiltTrace {
  const g = filledColumns(group);
  // Copies: build() may run more than once and must not add its warnings to the group twice.
  const warnings = [...g.warnings];
  const spanWarnings = new Map<number, string[]>(Array.from(g.spanWarnings, ([i, list]) => [i, [...list]]));
  const warnSpan = (i: number, message: string) => appendTo(spanWarnings, i, message);
  const count = (n: number, one: string, many: string) => (n === 1 ? one : many);
  const { badFields } = group;
  if (badFields.first !== undefined) {
    const more = badFields.count - 1;
    warnings.unshift(more > 0 ? `${badFields.first} (and ${more} more ${count(more, 'field', 'fields')} of the wrong type)` : badFields.first);
  }

  const { idIndex, duplicates } = indexSpanIds(g.spanIds, g.explicitParent);
  for (const i of duplicates) warnSpan(i, `duplicate span id ${g.spanIds[i]}`);
  if (duplicates.length > 0) warnings.push(`${duplicates.length} ${count(duplicates.length, 'span has', 'spans have')} the same id as another span`);

  const { parentOf, orphans } = resolveParents(g.explicitParent, g.parentSpanIds, idIndex);
  for (const o of orphans) warnSpan(o.span, o.message);
  if (orphans.length > 0) {
    const k = orphans.length;
    warnings.push(`${k} ${count(k, 'span references a parent', 'spans reference parents')} not in the trace; shown as extra roots`);
  }

  const { origin, startNs: rawStart, missing } = relativeStarts(g.startMs, g.startNsOfMs);
  if (missing > 0) warnings.push(`${missing} ${count(missing, 'span has', 'spans have')} no start time; placed at the parent's start`);

  // A first walk (children in any order) finds the cycles to cut and an order to resolve missing
  // starts in; a second one, with children and roots sorted by start, gives the final order.
  const lists = childLists(parentOf);
  const candidates = rootCandidates(parentOf);
  const byFileStart = (a: number, b: number) => {
    const sa = rawStart[a];
    const sb = rawStart[b];
    if (sa !== sb) {
      if (Number.isNaN(sa)) return 1;
      if (Number.isNaN(sb)) return -1;
      return sa - sb;
    }
    return a - b;
  };
  const firstWalk = preOrderCuttingCycles(candidates, lists, parentOf, byFileStart);
  for (const i of firstWalk.cuts) {
    warnSpan(i, `parent span ${g.parentSpanIds[i] || g.spanIds[parentOf[i]] || '?'} is its own descendant (a cycle); shown as a root`);
    parentOf[i] = -1;
  }
  if (firstWalk.cuts.length > 0) {
    const k = firstWalk.cuts.length;
    warnings.push(`parent references form ${k} ${count(k, 'cycle', 'cycles')}; cut and shown as extra roots`);
  }
  const shownStart = shownStarts(firstWalk.order, parentOf, rawStart);
  sortChildrenByStart(lists, shownStart);
  // True roots (no parent id) before orphans, each group by start; then the cycles' cut points.
  const isTrueRoot = (i: number) => g.parentSpanIds[i] === '' || g.explicitParent[i] >= 0;
  candidates.sort((a, b) => Number(isTrueRoot(b)) - Number(isTrueRoot(a)) || shownStart[a] - shownStart[b] || a - b);
  const rootsInsertion = [...candidates, ...firstWalk.cuts];
  const order = preOrder(rootsInsertion, lists, parentOf);

  const laidOut = layOut(order, parentOf, rawStart, g.durationNs);
  const { modelIndex, badDurations, outsideParent } = laidOut;
  if (badDurations > 0) warnings.push(`${badDurations} ${count(badDurations, 'span has', 'spans have')} a missing or negative duration; shown as 0`);
  if (outsideParent > 0) {
    warnings.push(`${outsideParent} ${count(outsideParent, 'span starts before or ends after its', 'spans start before or end after their')} parent (async work or clock skew)`);
  }
  // Warnings gathered by insertion index, then the ones found while laying out in model order.
  const warningsByModelIndex = new Map<number, string[]>();
  for (const [i, list] of spanWarnings) warningsByModelIndex.set(modelIndex[i], list);
  for (const w of laidOut.warnings) appendTo(warningsByModelIndex, w.span, w.message);

  const model: TraceModel = {
    traceId: g.traceId,
    spanCount: order.length,
    traceStart: origin,
    ...inModelOrder(g, order, modelIndex),
    parent: laidOut.parent,
    depth: laidOut.depth,
    ...subtreeShape(laidOut.parent),
    startNs: laidOut.startNs,
    durationNs: laidOut.durationNs,
    traceDurationNs: traceEnd(laidOut.startNs, laidOut.durationNs),
    spanWarnings: warningsByModelIndex,
    roots: Uint32Array.from(rootsInsertion, (i) => modelIndex[i]),
    orphanCount: orphans.length,
    maxDepth: laidOut.maxDepth,
    warnings,
    inboundLinks: new Map(),
    stores,
  };
  return { model, idIndex, modelIndex };
}

/** The group's per-span columns permuted into model order (`order`: model index → insertion index). */
function inModelOrder(g: ReturnType<typeof filledColumns>, order: Uint32Array, modelIndex: Uint32Array) {
  const n = order.length;
  const permute = <A extends Uint32Array | Int32Array | Uint8Array>(out: A, src: ArrayLike<number>): A => {
    for (let k = 0; k < n; k++) out[k] = src[order[k]];
    return out;
  };
  const remapMap = <V>(src: ReadonlyMap<number, V>) => {
    const out = new Map<number, V>();
    for (const [i, v] of src) out.set(modelIndex[i], v);
    return out;
  };
  const spanIds = new Array<string>(n);
  const parentSpanIds = new Array<string>(n);
  for (let k = 0; k < n; k++) {
    spanIds[k] = g.spanIds[order[k]];
    parentSpanIds[k] = g.parentSpanIds[order[k]];
  }
  const status = permute(new Uint8Array(n), g.status);
  let errorCount = 0;
  for (let k = 0; k < n; k++) if (status[k] === STATUS_ERROR) errorCount++;
  return {
    spanIds,
    parentSpanIds,
    serviceId: permute(new Uint32Array(n), g.serviceId),
    nameId: permute(new Uint32Array(n), g.nameId),
    kind: permute(new Uint8Array(n), g.kind),
    status,
    errorCount,
    resourceId: permute(new Int32Array(n), g.resourceId),
    scopeId: permute(new Int32Array(n), g.scopeId),
    attrStart: permute(new Uint32Array(n), g.attrStart),
    attrCount: permute(new Uint32Array(n), g.attrCount),
    eventStart: permute(new Uint32Array(n), g.eventStart),
    eventCount: permute(new Uint32Array(n), g.eventCount),
    linkStart: permute(new Uint32Array(n), g.linkStart),
    linkCount: permute(new Uint32Array(n), g.linkCount),
    statusMessage: remapMap(g.statusMessage),
    traceState: remapMap(g.traceState),
  };
}

function appendTo(lists: Map<number, string[]>, key: number, message: string): void {
  const list = lists.get(key);
  if (list) list.push(message);
  else lists.set(key, [message]);
}

/** The latest span end, ns after the trace start (0 for no spans). */
function traceEnd(startNs: Float64Array, durationNs: Float64Array): number {
  let end = 0;
  for (let k = 0; k < startNs.length; k++) if (startNs[k] + durationNs[k] > end) end = startNs[k] + durationNs[k];
  return end;
}
