import { describe, expect, it } from 'vitest';
import { makeRng } from '../rng.ts';
import { findIdleGaps, type IdleGap } from './idle-gaps.ts';

describe('findIdleGaps', () => {
  it('finds the idle stretch between a request and async work long after it', () => {
    // time (s)  0    1    2 ... 3600  3601
    // request   [====]
    //  db        [=]
    // worker                    [=====]
    const s = 1e9;
    const gaps = findIdleGaps(Float64Array.from([0, 0.2 * s, 3600 * s]), Float64Array.from([1 * s, 0.5 * s, 1 * s]), 3601 * s);
    expect(gaps).toEqual([{ startNs: 1 * s, endNs: 3600 * s }]);
  });

  it('ignores short pauses and overlapping spans', () => {
    // [====]  [====]      a 10% pause of a 2.1 s trace is 210 ms: a 100 ms pause is not idle
    //   [==========]
    const ms = 1e6;
    const gaps = findIdleGaps(Float64Array.from([0, 1100 * ms, 500 * ms]), Float64Array.from([1000 * ms, 1000 * ms, 700 * ms]), 2100 * ms);
    expect(gaps).toEqual([]);
  });

  it('handles spans given in any order', () => {
    const gaps = findIdleGaps(Float64Array.from([100, 0]), Float64Array.from([10, 10]), 110, 0.1, 1);
    expect(gaps).toEqual([{ startNs: 10, endNs: 100 }]);
  });
});

describe('findIdleGaps on random traces', () => {
  // The plain definition: merge the intervals in start order and keep the long pauses between them.
  function mergedGaps(startNs: Float64Array, durationNs: Float64Array, threshold: number): IdleGap[] {
    const order = [...startNs.keys()].sort((a, b) => startNs[a] - startNs[b]);
    const gaps: IdleGap[] = [];
    let end = -Infinity;
    for (const i of order) {
      if (end !== -Infinity && startNs[i] - end >= threshold) gaps.push({ startNs: end, endNs: startNs[i] });
      end = Math.max(end, startNs[i] + durationNs[i]);
    }
    return gaps;
  }

  it('finds exactly the gaps of merging the spans, on 2,000 random traces', () => {
    const random = makeRng(7);
    let withGaps = 0;
    for (let k = 0; k < 2000; k++) {
      const n = 1 + Math.floor(random() * 40);
      // Integer times on a coarse grid, so spans often touch and gaps often sit right at the threshold.
      const startNs = Float64Array.from({ length: n }, () => Math.floor(random() * 100) * 10);
      const durationNs = Float64Array.from({ length: n }, () => (random() < 0.2 ? 0 : Math.floor(random() * 30) * 10));
      let end = 0;
      for (let i = 0; i < n; i++) end = Math.max(end, startNs[i] + durationNs[i]);
      const gaps = findIdleGaps(startNs, durationNs, end, 0.1, 1);
      expect(gaps).toEqual(mergedGaps(startNs, durationNs, Math.max(1, end * 0.1)));
      if (gaps.length > 0) withGaps++;
    }
    expect(withGaps).toBeGreaterThan(200);
  });
});
