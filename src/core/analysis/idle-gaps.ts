// Stretches of a trace where no span runs at all: async work that starts hours after the request, or
// a batch that waits for a timer. The waterfall can squeeze them so the busy parts get the screen.

export interface IdleGap {
  readonly startNs: number;
  readonly endNs: number;
}

/**
 * Gaps in the union of all span intervals that last at least `minFraction` of the trace (and `minNs`).
 * Sorting the starts makes it n log n; the result is in time order.
 */
export function findIdleGaps(startNs: Float64Array, durationNs: Float64Array, traceDurationNs: number, minFraction = 0.1, minNs = 1e6): IdleGap[] {
  const n = startNs.length;
  if (n === 0) return [];
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => startNs[a] - startNs[b]);
  const threshold = Math.max(minNs, traceDurationNs * minFraction);
  const gaps: IdleGap[] = [];
  let coveredUntil = startNs[order[0]] + durationNs[order[0]];
  for (let k = 1; k < n; k++) {
    const i = order[k];
    if (startNs[i] - coveredUntil >= threshold) gaps.push({ startNs: coveredUntil, endNs: startNs[i] });
    coveredUntil = Math.max(coveredUntil, startNs[i] + durationNs[i]);
  }
  return gaps;
}
