// Stretches of a trace where no span runs at all: async work that starts hours after the request, or
// a batch that waits for a timer. The waterfall can squeeze them so the busy parts get the screen.

export interface IdleGap {
  readonly startNs: number;
  readonly endNs: number;
}

/**
 * Gaps in the union of all span intervals that last at least `minFraction` of the trace (and `minNs`).
 * Linear, without sorting a million spans: time is cut into cells of half the threshold, so a long
 * enough gap leaves at least one whole cell that no span touches. Each run of such cells lies inside one
 * gap, whose exact ends are the latest span end before it and the earliest span start after it.
 * The result is in time order.
 */
export function findIdleGaps(startNs: Float64Array, durationNs: Float64Array, traceDurationNs: number, minFraction = 0.1, minNs = 1e6): IdleGap[] {
  const n = startNs.length;
  if (n === 0) return [];
  const threshold = Math.max(minNs, traceDurationNs * minFraction);
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < n; i++) {
    first = Math.min(first, startNs[i]);
    last = Math.max(last, startNs[i] + durationNs[i]);
  }
  const cellNs = threshold / 2;
  const cells = Math.floor((last - first) / cellNs) + 1;
  // Only a trace whose spans reach far beyond traceDurationNs has many cells; without three there is no gap.
  if (!(cells >= 3) || cells > 1 << 24) return [];
  // +1 where a span starts touching cells, -1 after the last cell it touches.
  const touching = new Int32Array(cells + 1);
  for (let i = 0; i < n; i++) {
    touching[Math.floor((startNs[i] - first) / cellNs)]++;
    touching[Math.floor((startNs[i] + durationNs[i] - first) / cellNs) + 1]--;
  }
  // Runs of untouched cells, as [first cell, end cell) pairs, then in ns.
  const runCells: number[] = [];
  for (let c = 0, running = 0; c < cells; c++) {
    running += touching[c];
    if (running !== 0) continue;
    if (runCells.length > 0 && runCells[runCells.length - 1] === c) runCells[runCells.length - 1] = c + 1;
    else runCells.push(c, c + 1);
  }
  const runStart = runCells.filter((_, k) => k % 2 === 0).map((c) => first + c * cellNs);
  const runEnd = runCells.filter((_, k) => k % 2 === 1).map((c) => first + c * cellNs);
  if (runStart.length === 0) return [];
  const gapStart = runStart.map(() => -Infinity);
  const gapEnd = runEnd.map(() => Infinity);
  for (let i = 0; i < n; i++) {
    const start = startNs[i];
    const end = start + durationNs[i];
    for (let r = 0; r < runStart.length; r++) {
      if (end <= runStart[r]) gapStart[r] = Math.max(gapStart[r], end);
      else if (start >= runEnd[r]) gapEnd[r] = Math.min(gapEnd[r], start);
    }
  }
  const gaps: IdleGap[] = [];
  for (let r = 0; r < runStart.length; r++) if (gapEnd[r] - gapStart[r] >= threshold) gaps.push({ startNs: gapStart[r], endNs: gapEnd[r] });
  return gaps;
}
