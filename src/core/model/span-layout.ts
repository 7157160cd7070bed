// The time and shape phases of buildTrace: starts relative to the trace's earliest span, the start a
// span without one is shown at, the columns in model (pre-)order with depth and checked durations, and
// subtree ends. Pure steps over typed arrays, iterative whatever the depth.
import type { SpanWarning } from './span-tree.ts';
import { nanosBetween, type EpochNanos } from './time.ts';

/**
 * The earliest start (the trace's origin) and each span's start in ns after it; NaN where the file
 * gave none. An origin of 0 when no span has a start.
 */
export function relativeStarts(startMs: Float64Array, startNsOfMs: Float64Array): { readonly origin: EpochNanos; readonly startNs: Float64Array; readonly missing: number } {
  const n = startMs.length;
  let originMs = Infinity;
  let originNs = 0;
  for (let i = 0; i < n; i++) {
    const ms = startMs[i];
    if (Number.isNaN(ms)) continue;
    if (ms < originMs || (ms === originMs && startNsOfMs[i] < originNs)) {
      originMs = ms;
      originNs = startNsOfMs[i];
    }
  }
  const origin = originMs === Infinity ? { ms: 0, nsOfMs: 0 } : { ms: originMs, nsOfMs: originNs };
  const startNs = new Float64Array(n);
  let missing = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(startMs[i])) {
      startNs[i] = NaN;
      missing++;
    } else startNs[i] = nanosBetween(origin, { ms: startMs[i], nsOfMs: startNsOfMs[i] });
  }
  return { origin, startNs, missing };
}

/**
 * The start each span is shown at: a span without one sits at its parent's start (a root at 0), so it
 * is sorted among its siblings by that start, not put last. `order` lists parents before children.
 */
export function shownStarts(order: Uint32Array, parentOf: Int32Array, rawStart: Float64Array): Float64Array {
  const shown = new Float64Array(order.length);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const p = parentOf[i];
    shown[i] = Number.isNaN(rawStart[i]) ? (p < 0 ? 0 : shown[p]) : rawStart[i];
  }
  return shown;
}

/** The tree and times in model order (k = position in the pre-order), with what was wrong on the way. */
export interface LaidOutSpans {
  /** Insertion index → model index. */
  readonly modelIndex: Uint32Array;
  readonly parent: Int32Array;
  readonly depth: Uint32Array;
  readonly startNs: Float64Array;
  readonly durationNs: Float64Array;
  readonly maxDepth: number;
  /** Spans with a missing, negative or infinite duration (shown as 0). */
  readonly badDurations: number;
  /** Spans that start before or end after their parent. */
  readonly outsideParent: number;
  /** By model index. */
  readonly warnings: readonly SpanWarning[];
}

/** Lays the spans out in `order` (model index → insertion index); a missing start is the parent's. */
export function layOut(order: Uint32Array, parentOf: Int32Array, rawStart: Float64Array, rawDuration: Float64Array): LaidOutSpans {
  const n = order.length;
  const modelIndex = new Uint32Array(n);
  for (let k = 0; k < n; k++) modelIndex[order[k]] = k;
  const parent = new Int32Array(n);
  const depth = new Uint32Array(n);
  const startNs = new Float64Array(n);
  const durationNs = new Float64Array(n);
  const warnings: SpanWarning[] = [];
  let maxDepth = 0;
  let badDurations = 0;
  let outsideParent = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const p = parentOf[i];
    const pk = p < 0 ? -1 : modelIndex[p];
    parent[k] = pk;
    depth[k] = pk < 0 ? 0 : depth[pk] + 1;
    if (depth[k] > maxDepth) maxDepth = depth[k];
    let s = rawStart[i];
    if (Number.isNaN(s)) {
      s = pk < 0 ? 0 : startNs[pk];
      warnings.push({ span: k, message: "no start time in the file; placed at its parent's start" });
    }
    startNs[k] = s;
    let d = rawDuration[i];
    if (!(d >= 0 && d < Infinity)) {
      badDurations++;
      warnings.push({ span: k, message: Number.isNaN(d) ? 'no duration in the file; shown as 0' : d < 0 ? `negative duration (${d} ns); shown as 0` : 'infinite duration; shown as 0' });
      d = 0;
    }
    durationNs[k] = d;
    if (pk >= 0) {
      const ps = startNs[pk];
      if (s < ps || s + d > ps + durationNs[pk]) outsideParent++;
    }
  }
  return { modelIndex, parent, depth, startNs, durationNs, maxDepth, badDurations, outsideParent, warnings };
}

/** Where each span's subtree ends in the pre-order (exclusive), and its child count: bottom-up, one pass. */
export function subtreeShape(parent: Int32Array): { readonly subtreeEnd: Uint32Array; readonly childCount: Uint32Array } {
  const n = parent.length;
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
  return { subtreeEnd, childCount };
}
