// The overview above the waterfall: span density by time (x) and depth (y), computed once per trace with
// difference arrays (linear in spans + pixels, whatever the span lengths), error spans marked on top.
import { FLAG_ERROR, type TraceViewData } from '../worker/trace-view-data.ts';

export interface DensityGrid {
  readonly columns: number;
  readonly levels: number;
  /** levels × columns counts of spans overlapping each cell. */
  readonly counts: Float32Array;
  readonly max: number;
  /** Columns holding the start of an error span. */
  readonly errorColumns: Uint8Array;
}

const MAX_LEVELS = 24;

export function computeDensity(view: TraceViewData, columns: number): DensityGrid {
  let deepest = 0;
  for (let i = 0; i < view.spanCount; i++) if (view.depth[i] > deepest) deepest = view.depth[i];
  const levels = Math.min(MAX_LEVELS, deepest + 1);
  const scale = columns / Math.max(1, view.traceDurationNs);
  const diff = new Float32Array(levels * (columns + 1));
  const errorColumns = new Uint8Array(columns);
  for (let i = 0; i < view.spanCount; i++) {
    // Deep levels share the last row.
    const level = Math.min(levels - 1, Math.floor((view.depth[i] * levels) / (deepest + 1)));
    const a = Math.min(columns - 1, Math.floor(view.startNs[i] * scale));
    const b = Math.min(columns - 1, Math.floor((view.startNs[i] + view.durationNs[i]) * scale));
    diff[level * (columns + 1) + a] += 1;
    diff[level * (columns + 1) + b + 1] -= 1;
    if (view.flags[i] & FLAG_ERROR) errorColumns[a] = 1;
  }
  const counts = new Float32Array(levels * columns);
  let max = 0;
  for (let l = 0; l < levels; l++) {
    let run = 0;
    for (let c = 0; c < columns; c++) {
      run += diff[l * (columns + 1) + c];
      counts[l * columns + c] = run;
      if (run > max) max = run;
    }
  }
  return { columns, levels, counts, max, errorColumns };
}

export function drawDensity(ctx: CanvasRenderingContext2D, grid: DensityGrid, width: number, height: number, dark: boolean, errorColor: string): void {
  ctx.clearRect(0, 0, width, height);
  const top = 6;
  const cellW = width / grid.columns;
  const cellH = (height - top) / grid.levels;
  const logMax = Math.log1p(grid.max);
  for (let l = 0; l < grid.levels; l++) {
    for (let c = 0; c < grid.columns; c++) {
      const v = grid.counts[l * grid.columns + c];
      if (v <= 0) continue;
      const a = 0.18 + 0.82 * (Math.log1p(v) / logMax);
      ctx.fillStyle = dark ? `rgba(56,189,248,${a})` : `rgba(2,132,199,${a})`;
      ctx.fillRect(c * cellW, top + l * cellH, Math.ceil(cellW), Math.ceil(cellH));
    }
  }
  ctx.fillStyle = errorColor;
  for (let c = 0; c < grid.columns; c++) if (grid.errorColumns[c]) ctx.fillRect(c * cellW, 0, Math.max(2, cellW), 4);
}
