// Time → x for the bar column: linear over the zoom window, except that idle gaps (when collapsed) get
// a fixed narrow width each, so hours of nothing do not push the work into a few pixels.
import { scaleLinear } from 'd3';
import type { IdleGap } from '../core/analysis/idle-gaps.ts';

export const GAP_PX = 28;

export interface GapOnScreen extends IdleGap {
  readonly x0: number;
  readonly x1: number;
}

export interface TimeScale {
  readonly startNs: number;
  readonly endNs: number;
  readonly width: number;
  /** Gaps inside the window, squeezed to GAP_PX each. */
  readonly gaps: readonly GapOnScreen[];
  x(ns: number): number;
  /** The inverse of x (inside a gap: linear across the gap). */
  ns(x: number): number;
  ticks(count: number): number[];
}

export function createTimeScale(startNs: number, endNs: number, width: number, idleGaps: readonly IdleGap[] = []): TimeScale {
  const inside = idleGaps
    .map((g) => ({ startNs: Math.max(g.startNs, startNs), endNs: Math.min(g.endNs, endNs) }))
    .filter((g) => g.endNs > g.startNs);
  const gapNs = inside.reduce((t, g) => t + (g.endNs - g.startNs), 0);
  const busyPx = Math.max(1, width - inside.length * GAP_PX);
  const pxPerNs = busyPx / Math.max(1, endNs - startNs - gapNs);
  // Piecewise-linear breakpoints: [ns, x] at each gap edge.
  const gaps: GapOnScreen[] = [];
  let x = 0;
  let t = startNs;
  for (const g of inside) {
    x += (g.startNs - t) * pxPerNs;
    gaps.push({ ...g, x0: x, x1: x + GAP_PX });
    x += GAP_PX;
    t = g.endNs;
  }
  const toX = (ns: number): number => {
    let offset = 0;
    let from = startNs;
    for (const g of gaps) {
      if (ns < g.startNs) break;
      if (ns <= g.endNs) return g.x0 + ((ns - g.startNs) / (g.endNs - g.startNs)) * GAP_PX;
      offset = g.x1;
      from = g.endNs;
    }
    return offset + (ns - from) * pxPerNs;
  };
  const toNs = (px: number): number => {
    let from = startNs;
    let offset = 0;
    for (const g of gaps) {
      if (px < g.x0) break;
      if (px <= g.x1) return g.startNs + ((px - g.x0) / GAP_PX) * (g.endNs - g.startNs);
      offset = g.x1;
      from = g.endNs;
    }
    return from + (px - offset) / pxPerNs;
  };
  const ticks = (count: number): number[] => {
    if (gaps.length === 0) return scaleLinear().domain([startNs, endNs]).ticks(count);
    // Ticks per busy segment, in proportion to its width on screen.
    const out: number[] = [];
    let from = startNs;
    let fromX = 0;
    for (const seg of [...gaps, { startNs: endNs, endNs, x0: width, x1: width }]) {
      const segPx = seg.x0 - fromX;
      const n = Math.floor((count * segPx) / width);
      if (n >= 1) out.push(...scaleLinear().domain([from, seg.startNs]).ticks(n));
      from = seg.endNs;
      fromX = seg.x1;
    }
    return out;
  };
  return { startNs, endNs, width, gaps, x: toX, ns: toNs, ticks };
}
