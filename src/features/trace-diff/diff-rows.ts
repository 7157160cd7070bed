// Which rows of the comparison tree show, and how each one changed. Index math over the SpanDiff
// columns (pre-order, subtreeEnd), no per-node objects: a comparison of two 1M-span traces has 2M nodes.
import type { PathDiff, SpanDiff, TraceDiffSummary } from '../../core/analysis/trace-diff.ts';

export type NodeChange = 'only-a' | 'only-b' | 'slower' | 'faster' | 'same';

/** A matched span changed when its duration moved by at least `relative` of A's and by `minimumNs`. */
export interface ChangeThreshold {
  readonly relative: number;
  readonly minimumNs: number;
}

/** Changes under 0.5% of the longer trace are noise whatever their percentage (a 70µs pool checkout doubling). */
export function thresholdFor(summary: TraceDiffSummary, relative: number): ChangeThreshold {
  return { relative, minimumNs: 0.005 * Math.max(summary.durationANs, summary.durationBNs) };
}

export function nodeChange(spans: SpanDiff, k: number, t: ChangeThreshold): NodeChange {
  if (spans.spanA[k] < 0) return 'only-b';
  if (spans.spanB[k] < 0) return 'only-a';
  const a = spans.durationANs[k];
  const delta = spans.durationBNs[k] - a;
  if (Math.abs(delta) < t.minimumNs || Math.abs(delta) < t.relative * a || delta === 0) return 'same';
  return delta > 0 ? 'slower' : 'faster';
}

/** Changed, or failing on one side only. */
export function isChanged(spans: SpanDiff, k: number, t: ChangeThreshold): boolean {
  return nodeChange(spans, k, t) !== 'same' || spans.errorA[k] !== spans.errorB[k];
}

export interface RowFilter {
  /** Only the changed nodes (and their ancestors, to show where they are). */
  readonly onlyChanged: boolean;
  readonly threshold: ChangeThreshold;
  /** Only the nodes of this path (an index into TraceDiff.paths). */
  readonly path: number | undefined;
  /** Per node: 1 when its subtree is folded. */
  readonly collapsed: Uint8Array;
}

export interface DiffRows {
  /** Node per visible row. */
  readonly rows: Uint32Array;
  /** Per node: 1 when it passes the filter itself, not only as an ancestor of one that does. */
  readonly matches: Uint8Array;
  readonly matchCount: number;
}

export function diffRows(spans: SpanDiff, filter: RowFilter): DiffRows {
  const n = spans.nodeCount;
  const matches = new Uint8Array(n);
  let matchCount = 0;
  for (let k = 0; k < n; k++) {
    if (filter.path !== undefined && spans.pathOf[k] !== filter.path) continue;
    if (filter.onlyChanged && !isChanged(spans, k, filter.threshold)) continue;
    matches[k] = 1;
    matchCount++;
  }
  // A node shows when it matches or something below it does: children come after their parent.
  const shown = matches.slice();
  for (let k = n - 1; k > 0; k--) if (shown[k] && spans.parent[k] >= 0) shown[spans.parent[k]] = 1;
  const rows = new Uint32Array(n);
  let count = 0;
  for (let k = 0; k < n; ) {
    if (!shown[k]) {
      k = spans.subtreeEnd[k];
      continue;
    }
    rows[count++] = k;
    k = filter.collapsed[k] ? spans.subtreeEnd[k] : k + 1;
  }
  return { rows: rows.slice(0, count), matches, matchCount };
}

/**
 * How strongly to colour a change of `deltaNs` on `baseNs`: −3 (much faster) … +3 (much slower), by
 * the change relative to the base: under 25%, under 100%, more.
 */
export function changeLevel(baseNs: number, deltaNs: number): number {
  if (!deltaNs) return 0;
  const ratio = baseNs > 0 ? Math.abs(deltaNs) / baseNs : Infinity;
  return Math.sign(deltaNs) * (ratio < 0.25 ? 1 : ratio < 1 ? 2 : 3);
}

/** changeLevel of a node's duration; 0 within the threshold and where a side is missing. */
export function deltaLevel(spans: SpanDiff, k: number, t: ChangeThreshold): number {
  const change = nodeChange(spans, k, t);
  if (change !== 'slower' && change !== 'faster') return 0;
  return changeLevel(spans.durationANs[k], spans.durationBNs[k] - spans.durationANs[k]);
}

export type PathSortKey = 'deltaSelf' | 'deltaTotal' | 'calls' | 'selfA' | 'selfB' | 'tree';

const PATH_VALUES: Record<Exclude<PathSortKey, 'tree'>, (p: PathDiff, k: number) => number> = {
  deltaSelf: (p, k) => p.selfTimeBNs[k] - p.selfTimeANs[k],
  deltaTotal: (p, k) => p.totalBNs[k] - p.totalANs[k],
  calls: (p, k) => p.countB[k] - p.countA[k],
  selfA: (p, k) => p.selfTimeANs[k],
  selfB: (p, k) => p.selfTimeBNs[k],
};

/**
 * The path rows whose name contains `needle`, sorted. Deltas sort by size (|Δ|), largest first when
 * descending, so the paths that moved most lead whichever way they moved; 'tree' keeps the paths' tree order.
 */
export function pathOrder(paths: PathDiff, key: PathSortKey, descending: boolean, needle = ''): Uint32Array {
  const wanted = needle.trim().toLowerCase();
  const kept: number[] = [];
  for (let k = 0; k < paths.nodeCount; k++) {
    if (!wanted || `${paths.names[paths.service[k]]} ${paths.names[paths.operation[k]]}`.toLowerCase().includes(wanted)) kept.push(k);
  }
  if (key !== 'tree') {
    const value = PATH_VALUES[key];
    const size = key === 'selfA' || key === 'selfB' ? value : (p: PathDiff, k: number) => Math.abs(value(p, k));
    kept.sort((x, y) => (size(paths, x) - size(paths, y)) * (descending ? -1 : 1) || x - y);
  }
  return Uint32Array.from(kept);
}

/** B's label where it differs from A's, from the word where they part ("POST /charge → 402" vs "… → 200": "200"). */
export function labelDifference(a: string, b: string): string | undefined {
  if (a === b) return undefined;
  let same = 0;
  while (same < a.length && same < b.length && a[same] === b[same]) same++;
  return b.slice(b.lastIndexOf(' ', same - 1) + 1);
}
