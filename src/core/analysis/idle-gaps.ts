// Stretches of a trace where no span runs at all: async work that starts hours after the request, or
// a batch that waits for a timer. The waterfall can squeeze them so the busy parts get the screen.

export interface IdleGap {
  readonly startNs: number;
  readonly endNs: number;
}

/**
 * Gaps in the union of all span intervals that last at least `minFraction` of the trace (and `minNs`).
 * A sweep over the starts and the ends, each sorted on its own: nothing runs between an end that
 * leaves no span running and the next start. Typed arrays sort natively, several times faster than
 * sorting span indices through a comparator (a million spans). The result is in time order.
 */
export function findIdleGaps(startNs: Float64Array, durationNs: Float64Array, traceDurationNs: number, minFraction = 0.1, minNs = 1e6): IdleGap[] {
  const n = startNs.length;
  if (n === 0) return [];
  const starts = startNs.slice().sort();
  const ends = new Float64Array(n);
  for (let i = 0; i < n; i++) ends[i] = startNs[i] + durationNs[i];
  ends.sort();
  const threshold = Math.max(minNs, traceDurationNs * minFraction);
  const gaps: IdleGap[] = [];
  // Starts at the same instant as an end come first: touching spans leave no gap.
  for (let s = 0, e = 0, running = 0; s < n; ) {
    if (starts[s] <= ends[e]) {
      running++;
      s++;
    } else {
      running--;
      if (running === 0 && starts[s] - ends[e] >= threshold) gaps.push({ startNs: ends[e], endNs: starts[s] });
      e++;
    }
  }
  return gaps;
}
