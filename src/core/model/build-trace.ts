// One trace's spans as importers add them (TraceGroup, insertion order), and buildTrace(): the pre-ordered
// TraceModel of a group, with parents resolved by id, duplicates and orphans kept with warnings, parent
// cycles cut, and children sorted by start; iterative, whatever the depth.
import { f64Column, i32Column, u32Column, u8Column } from './growable-column.ts';
import { IdIndex } from './id-index.ts';
import { nanosBetween } from './time.ts';
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
  const n = group.size;
  const g = filledColumns(group);
  // Copies: build() may run more than once and must not add its warnings to the group twice.
  const warnings = [...g.warnings];
  const spanWarnings = new Map<number, string[]>(Array.from(g.spanWarnings, ([i, list]) => [i, [...list]]));
  const warnSpan = (i: number, message: string) => {
    const list = spanWarnings.get(i);
    if (list) list.push(message);
    else spanWarnings.set(i, [message]);
  };

  // Id → first span with that id. Later spans with the same id are kept, with a warning.
  const idIndex = new IdIndex(g.spanIds);
  let duplicates = 0;
  for (let i = 0; i < n; i++) {
    const first = idIndex.add(i);
    if (first !== undefined) {
      // A Zipkin shared server half reuses its client's id on purpose; it is that span's child.
      if (g.explicitParent[i] === first || g.explicitParent[first] === i) continue;
      duplicates++;
      warnSpan(i, `duplicate span id ${g.spanIds[i]}`);
    }
  }
  if (duplicates > 0) warnings.push(`${duplicates} span${duplicates === 1 ? ' has' : 's have'} the same id as another span`);

  // Parents (insertion indices).
  const parentOf = new Int32Array(n).fill(-1);
  let orphans = 0;
  for (let i = 0; i < n; i++) {
    if (g.explicitParent[i] >= 0) {
      parentOf[i] = g.explicitParent[i];
      continue;
    }
    const pid = g.parentSpanIds[i];
    if (pid === '') continue;
    const p = idIndex.get(pid);
    if (p === undefined) {
      orphans++;
      warnSpan(i, `parent span ${pid} is not in the trace`);
    } else if (p === i) {
      orphans++;
      warnSpan(i, 'span names itself as its parent; shown as a root');
    } else parentOf[i] = p;
  }
  if (orphans > 0) {
    warnings.push(`${orphans} span${orphans === 1 ? '' : 's'} reference${orphans === 1 ? 's a parent' : ' parents'} not in the trace; shown as extra roots`);
  }

  // Start times; a span with no start sits at its parent's start (resolved below in pre-order).
  let originMs = Infinity;
  let originNs = 0;
  for (let i = 0; i < n; i++) {
    const ms = g.startMs[i];
    if (Number.isNaN(ms)) continue;
    if (ms < originMs || (ms === originMs && g.startNsOfMs[i] < originNs)) {
      originMs = ms;
      originNs = g.startNsOfMs[i];
    }
  }
  if (originMs === Infinity) {
    originMs = 0;
    originNs = 0;
  }
  const origin = { ms: originMs, nsOfMs: originNs };
  const rawStart = new Float64Array(n);
  let missingStarts = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(g.startMs[i])) {
      rawStart[i] = NaN;
      missingStarts++;
    } else rawStart[i] = nanosBetween(origin, { ms: g.startMs[i], nsOfMs: g.startNsOfMs[i] });
  }
  if (missingStarts > 0) warnings.push(`${missingStarts} span${missingStarts === 1 ? ' has' : 's have'} no start time; placed at the parent's start`);

  // Children lists (CSR); sorted by start once the starts of spans without one are known.
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
  const childCountRaw = new Uint32Array(n);
  for (let i = 0; i < n; i++) if (parentOf[i] >= 0) childCountRaw[parentOf[i]]++;
  const childOffset = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) childOffset[i + 1] = childOffset[i] + childCountRaw[i];
  const children = new Uint32Array(childOffset[n]);
  const fill = childOffset.slice(0, n);
  for (let i = 0; i < n; i++) if (parentOf[i] >= 0) children[fill[parentOf[i]]++] = i;

  // Pre-order walk from the roots; spans still unvisited sit on a parent cycle: cut the cycle at its
  // earliest span and walk again. A first walk (children in any order) finds the cuts and the starts;
  // a second one, with children sorted, gives the final order.
  const order = new Uint32Array(n); // model index → insertion index
  const visited = new Uint8Array(n);
  const stack = new Uint32Array(n);
  let placed = 0;
  const walk = (root: number) => {
    let top = 0;
    stack[top++] = root;
    visited[root] = 1;
    while (top > 0) {
      const node = stack[--top];
      order[placed++] = node;
      for (let c = childOffset[node + 1]; c-- > childOffset[node]; ) {
        const child = children[c];
        if (visited[child] || parentOf[child] !== node) continue;
        visited[child] = 1;
        stack[top++] = child;
      }
    }
  };
  const rootCandidates: number[] = [];
  for (let i = 0; i < n; i++) if (parentOf[i] < 0) rootCandidates.push(i);
  for (const r of rootCandidates) walk(r);
  const cycleRoots: number[] = [];
  if (placed < n) {
    const rest: number[] = [];
    for (let i = 0; i < n; i++) if (!visited[i]) rest.push(i);
    rest.sort(byFileStart);
    for (const i of rest) {
      if (visited[i]) continue;
      const named = g.parentSpanIds[i] || g.spanIds[parentOf[i]] || '?';
      warnSpan(i, `parent span ${named} is its own descendant (a cycle); shown as a root`);
      parentOf[i] = -1;
      cycleRoots.push(i);
      walk(i);
    }
    const cut = cycleRoots.length;
    warnings.push(`parent references form ${cut} cycle${cut === 1 ? '' : 's'}; cut and shown as extra roots`);
  }
  // The start each span is shown at: a span without one sits at its parent's start (a root at 0), so
  // it is sorted among its siblings by that start, not put last.
  const shownStart = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const p = parentOf[i];
    shownStart[i] = Number.isNaN(rawStart[i]) ? (p < 0 ? 0 : shownStart[p]) : rawStart[i];
  }
  const byStart = (a: number, b: number) => shownStart[a] - shownStart[b] || a - b;
  for (let i = 0; i < n; i++) {
    if (childCountRaw[i] > 1) children.subarray(childOffset[i], childOffset[i + 1]).sort(byStart);
  }
  // True roots (no parent id) before orphans, each group by start; then the cycles' cut points.
  rootCandidates.sort((a, b) => {
    const ta = g.parentSpanIds[a] === '' || g.explicitParent[a] >= 0 ? 0 : 1;
    const tb = g.parentSpanIds[b] === '' || g.explicitParent[b] >= 0 ? 0 : 1;
    return ta !== tb ? ta - tb : byStart(a, b);
  });
  const rootsInsertion = [...rootCandidates, ...cycleRoots];
  visited.fill(0);
  placed = 0;
  for (const r of rootsInsertion) walk(r);

  // Columns in model order.
  const modelIndex = new Uint32Array(n);
  for (let k = 0; k < n; k++) modelIndex[order[k]] = k;
  const parent = new Int32Array(n);
  const depth = new Uint32Array(n);
  const startNs = new Float64Array(n);
  const durationNs = new Float64Array(n);
  let maxDepth = 0;
  let badDurations = 0;
  const layoutWarnings = new Map<number, string[]>();
  const warnLaidOut = (k: number, message: string) => layoutWarnings.set(k, [...(layoutWarnings.get(k) ?? []), message]);
  let outsideParent = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const p = parentOf[i];
    parent[k] = p < 0 ? -1 : modelIndex[p];
    depth[k] = p < 0 ? 0 : depth[parent[k]] + 1;
    if (depth[k] > maxDepth) maxDepth = depth[k];
    let s = rawStart[i];
    if (Number.isNaN(s)) {
      s = p < 0 ? 0 : startNs[parent[k]];
      warnLaidOut(k, "no start time in the file; placed at its parent's start");
    }
    startNs[k] = s;
    let d = g.durationNs[i];
    if (!(d >= 0 && d < Infinity)) {
      badDurations++;
      warnLaidOut(k, Number.isNaN(d) ? 'no duration in the file; shown as 0' : d < 0 ? `negative duration (${d} ns); shown as 0` : 'infinite duration; shown as 0');
      d = 0;
    }
    durationNs[k] = d;
    if (p >= 0) {
      const ps = startNs[parent[k]];
      if (s < ps || s + d > ps + durationNs[parent[k]]) outsideParent++;
    }
  }
  if (badDurations > 0) warnings.push(`${badDurations} span${badDurations === 1 ? ' has' : 's have'} a missing or negative duration; shown as 0`);
  if (outsideParent > 0) {
    warnings.push(`${outsideParent} span${outsideParent === 1 ? ' starts' : 's start'} before or end${outsideParent === 1 ? 's' : ''} after ${outsideParent === 1 ? 'its' : 'their'} parent (async work or clock skew)`);
  }

  // Subtree ends and child counts, bottom-up over the pre-order.
  const subtreeSize = new Uint32Array(n).fill(1);
  const childCount = new Uint32Array(n);
  for (let k = n - 1; k > 0; k--) {
    const p = parent[k];
    if (p >= 0) {
      subtreeSize[p] += subtreeSize[k];
      childCount[p]++;
    }
  }
  const subtreeEnd = new Uint32Array(n);
  for (let k = 0; k < n; k++) subtreeEnd[k] = k + subtreeSize[k];

  const permuteU32 = (src: ArrayLike<number>) => {
    const out = new Uint32Array(n);
    for (let k = 0; k < n; k++) out[k] = src[order[k]];
    return out;
  };
  const permuteI32 = (src: ArrayLike<number>) => {
    const out = new Int32Array(n);
    for (let k = 0; k < n; k++) out[k] = src[order[k]];
    return out;
  };
  const permuteU8 = (src: ArrayLike<number>) => {
    const out = new Uint8Array(n);
    for (let k = 0; k < n; k++) out[k] = src[order[k]];
    return out;
  };
  const remapMap = <V>(src: Map<number, V>) => {
    const out = new Map<number, V>();
    for (const [i, v] of src) out.set(modelIndex[i], v);
    return out;
  };
  const spanIds = new Array<string>(n);
  const parentSpanIds = new Array<string>(n);
  let traceEnd = 0;
  let errorCount = 0;
  const status = permuteU8(g.status);
  for (let k = 0; k < n; k++) {
    spanIds[k] = g.spanIds[order[k]];
    parentSpanIds[k] = g.parentSpanIds[order[k]];
    const end = startNs[k] + durationNs[k];
    if (end > traceEnd) traceEnd = end;
    if (status[k] === STATUS_ERROR) errorCount++;
  }
  // Warnings gathered by insertion index, then the ones found while laying out in model order.
  const warningsByModelIndex = new Map<number, string[]>();
  for (const [i, list] of spanWarnings) warningsByModelIndex.set(modelIndex[i], list);
  for (const [k, list] of layoutWarnings) warningsByModelIndex.set(k, [...(warningsByModelIndex.get(k) ?? []), ...list]);

  const model: TraceModel = {
    traceId: g.traceId,
    spanCount: n,
    traceStart: origin,
    traceDurationNs: traceEnd,
    spanIds,
    parentSpanIds,
    parent,
    depth,
    subtreeEnd,
    childCount,
    startNs,
    durationNs,
    serviceId: permuteU32(g.serviceId),
    nameId: permuteU32(g.nameId),
    kind: permuteU8(g.kind),
    status,
    resourceId: permuteI32(g.resourceId),
    scopeId: permuteI32(g.scopeId),
    attrStart: permuteU32(g.attrStart),
    attrCount: permuteU32(g.attrCount),
    eventStart: permuteU32(g.eventStart),
    eventCount: permuteU32(g.eventCount),
    linkStart: permuteU32(g.linkStart),
    linkCount: permuteU32(g.linkCount),
    statusMessage: remapMap(g.statusMessage),
    traceState: remapMap(g.traceState),
    spanWarnings: warningsByModelIndex,
    roots: Uint32Array.from(rootsInsertion, (i) => modelIndex[i]),
    orphanCount: orphans,
    errorCount,
    maxDepth,
    warnings,
    inboundLinks: new Map(),
    stores,
  };
  return { model, idIndex, modelIndex };
}
