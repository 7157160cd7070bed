import { describe, expect, it } from 'vitest';
import { findIdleGaps } from './idle-gaps.ts';

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
