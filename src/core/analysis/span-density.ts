// Span density by time (columns) and depth (levels) for the minimap, computed once per trace with
// difference arrays: linear in spans + cells, whatever the span lengths.

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

export interface DensityInput {
  readonly spanCount: number;
  readonly depth: Uint32Array;
  readonly startNs: Float64Array;
  readonly durationNs: Float64Array;
  readonly traceDurationNs: number;
  readonly isError: (i: number) => boolean;
}

export function computeDensity(view: DensityInput, columns: number): DensityGrid {
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
    if (view.isError(i)) errorColumns[a] = 1;
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

