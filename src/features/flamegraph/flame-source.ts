// What the flamegraph draws, whichever mode: the icicle of one trace (items = spans, from the columns the
// waterfall received) or the merged service + operation tree (items = nodes, from the worker). Both become
// an IcicleTree with its layout, per-item error bits, service slots and labels, built once per input.
import { icicleLayout, mergedIcicle, type IcicleLayout, type IcicleTree, type MergedFlameTree } from '../../core/analysis/flame-tree.ts';
import { FLAME_ERROR_BIT } from '../../render/flame-canvas.ts';
import { FLAG_ERROR, spanLabelOf, type TraceViewData } from '../../core/view-format/trace-view-format.ts';

export interface FlameSource {
  readonly tree: IcicleTree;
  readonly layout: IcicleLayout;
  /** Per item, FLAME_ERROR_BIT when it is (or holds) an error. */
  readonly errorBits: Uint8Array;
  /** The services items belong to: serviceOf(item) indexes this. */
  readonly services: readonly string[];
  serviceOf(item: number): number;
  /** A span's one-line summary, a node's operation. */
  labelOf(item: number): string;
  /** Earliest start and latest end over everything. */
  readonly startNs: number;
  readonly endNs: number;
}

/** The icicle of a trace, on the clock-skew-adjusted starts when the waterfall shows those. */
export function icicleSource(view: TraceViewData, skewAdjusted: boolean): FlameSource {
  const startNs = skewAdjusted && view.skew ? view.skew.startNs : view.startNs;
  const tree: IcicleTree = { spanCount: view.spanCount, startNs, durationNs: view.durationNs, depth: view.depth, parent: view.parent, subtreeEnd: view.subtreeEnd };
  const errorBits = new Uint8Array(view.spanCount);
  for (let i = 0; i < view.spanCount; i++) if (view.flags[i] & FLAG_ERROR) errorBits[i] = FLAME_ERROR_BIT;
  return {
    ...withLayout(tree),
    errorBits,
    services: view.services,
    serviceOf: (span) => view.service[span],
    labelOf: (span) => spanLabelOf(view, span),
  };
}

export function mergedSource(merged: MergedFlameTree): FlameSource {
  const tree = mergedIcicle(merged);
  const errorBits = new Uint8Array(merged.nodeCount);
  // Services renumbered among the nodes' names, in name order like the trace's own.
  const serviceNames = [...new Set(merged.service)].sort((a, b) => merged.names[a].localeCompare(merged.names[b]));
  // Indexed by name id: a typed-array read per node in the loop, not a Map lookup that could miss.
  const slotOfName = new Uint32Array(merged.names.length);
  serviceNames.forEach((name, slot) => (slotOfName[name] = slot));
  const serviceSlot = new Uint32Array(merged.nodeCount);
  for (let k = 0; k < merged.nodeCount; k++) {
    if (merged.errorCount[k] > 0) errorBits[k] = FLAME_ERROR_BIT;
    serviceSlot[k] = slotOfName[merged.service[k]];
  }
  return {
    ...withLayout(tree),
    errorBits,
    services: serviceNames.map((name) => merged.names[name]),
    serviceOf: (node) => serviceSlot[node],
    labelOf: (node) => merged.names[merged.operation[node]],
  };
}

function withLayout(tree: IcicleTree): Pick<FlameSource, 'tree' | 'layout' | 'startNs' | 'endNs'> {
  const layout = icicleLayout(tree);
  let startNs = Infinity;
  let endNs = -Infinity;
  for (let root = 0; root < tree.spanCount; root = tree.subtreeEnd[root]) {
    startNs = Math.min(startNs, layout.subtreeStartNs[root]);
    endNs = Math.max(endNs, layout.subtreeEndNs[root]);
  }
  return tree.spanCount === 0 ? { tree, layout, startNs: 0, endNs: 1 } : { tree, layout, startNs, endNs };
}

/** The extent a focus shows: the item's subtree, or everything. Never empty (zero-duration spans). */
export function focusExtent(source: FlameSource, focus: number | undefined): readonly [number, number] {
  const [start, end] = focus === undefined ? [source.startNs, source.endNs] : [source.layout.subtreeStartNs[focus], source.layout.subtreeEndNs[focus]];
  return end > start ? [start, end] : [start - 0.5, start + 0.5];
}

/** The deepest row under the focus (the rows to scroll through). O(subtree). */
export function deepestUnder(source: FlameSource, focus: number | undefined): number {
  if (focus === undefined) return source.layout.maxDepth;
  let deepest = source.tree.depth[focus];
  for (let i = focus; i < source.tree.subtreeEnd[focus]; i++) deepest = Math.max(deepest, source.tree.depth[i]);
  return deepest;
}

/** The smallest window a zoom may reach: a few ns across the canvas is plenty. */
const MIN_WINDOW_NS = 10;

/**
 * A time window moved or zoomed by the user, kept inside `extent` and at least MIN_WINDOW_NS wide;
 * undefined when it covers the whole extent (no zoom to remember).
 */
export function clampWindow(startNs: number, endNs: number, extent: readonly [number, number]): readonly [number, number] | undefined {
  const [min, max] = extent;
  const width = Math.min(max - min, Math.max(MIN_WINDOW_NS, endNs - startNs));
  if (width >= max - min) return undefined;
  const start = Math.min(max - width, Math.max(min, startNs));
  return [start, start + width];
}

/** The path from a root down to `item`, root first. */
export function ancestorsOf(tree: IcicleTree, item: number): number[] {
  const path: number[] = [];
  for (let i = item; i >= 0; i = tree.parent[i]) path.push(i);
  return path.reverse();
}
