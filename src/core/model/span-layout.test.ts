import { describe, expect, it } from 'vitest';
import { layOut, relativeStarts, shownStarts, subtreeShape } from './span-layout.ts';

describe('relativeStarts', () => {
  it('measures starts from the earliest one, to the nanosecond, and marks missing ones NaN', () => {
    //  ms:nsOfMs   1000:500   1000:200 (earliest)   (none)   1001:0
    const { origin, startNs, missing } = relativeStarts(Float64Array.from([1000, 1000, NaN, 1001]), Float64Array.from([500, 200, 0, 0]));
    expect(origin).toEqual({ ms: 1000, nsOfMs: 200 });
    expect(Array.from(startNs)).toEqual([300, 0, NaN, 999_800]);
    expect(missing).toBe(1);
  });

  it('puts the origin at 0 when no span has a start', () => {
    expect(relativeStarts(Float64Array.from([NaN]), Float64Array.from([0])).origin).toEqual({ ms: 0, nsOfMs: 0 });
  });
});

describe('shownStarts', () => {
  it("shows a span without a start at its parent's (shown) start, a root without one at 0", () => {
    //  time →   0    10   20
    //  0 root        [=====]        starts at 10
    //  1   a    ?                   no start → 10
    //  2     b  ?                   no start → a's → 10
    //  3 root2  ?                   no start, a root → 0
    const parentOf = Int32Array.from([-1, 0, 1, -1]);
    const shown = shownStarts(Uint32Array.from([0, 1, 2, 3]), parentOf, Float64Array.from([10, NaN, NaN, NaN]));
    expect(Array.from(shown)).toEqual([10, 10, 10, 0]);
  });
});

describe('layOut', () => {
  it('permutes into model order with depth, fixes missing starts and bad durations, and counts spans outside their parent', () => {
    //  time →     0    10   20   30
    //  k0  root   [=========]             insertion 2
    //  k1    a       [===========]        insertion 0: ends after root (outside its parent)
    //  k2      b  ?                       insertion 1: no start → a's; duration -5 → 0
    const order = Uint32Array.from([2, 0, 1]);
    const parentOf = Int32Array.from([2, 0, -1]);
    const laid = layOut(order, parentOf, Float64Array.from([5, NaN, 0]), Float64Array.from([25, -5, 20]));
    expect(Array.from(laid.modelIndex)).toEqual([1, 2, 0]);
    expect(Array.from(laid.parent)).toEqual([-1, 0, 1]);
    expect(Array.from(laid.depth)).toEqual([0, 1, 2]);
    expect(Array.from(laid.startNs)).toEqual([0, 5, 5]);
    expect(Array.from(laid.durationNs)).toEqual([20, 25, 0]);
    expect(laid.maxDepth).toBe(2);
    expect(laid.badDurations).toBe(1);
    expect(laid.outsideParent).toBe(1);
    expect(laid.warnings).toEqual([
      { span: 2, message: "no start time in the file; placed at its parent's start" },
      { span: 2, message: 'negative duration (-5 ns); shown as 0' },
    ]);
  });
});

describe('subtreeShape', () => {
  it('gives subtree ends and child counts from the parent column, bottom-up', () => {
    //  k0 root
    //  k1   a
    //  k2     b
    //  k3   c
    //  k4 root2
    const { subtreeEnd, childCount } = subtreeShape(Int32Array.from([-1, 0, 1, 0, -1]));
    expect(Array.from(subtreeEnd)).toEqual([4, 3, 3, 4, 5]);
    expect(Array.from(childCount)).toEqual([2, 1, 0, 0, 0]);
  });

  it('handles a 100,000-deep chain', () => {
    const n = 100_000;
    const { subtreeEnd } = subtreeShape(Int32Array.from({ length: n }, (_, k) => k - 1));
    expect(subtreeEnd[0]).toBe(n);
    expect(subtreeEnd[n - 1]).toBe(n);
  });
});
