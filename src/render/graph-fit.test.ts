import { describe, expect, it } from 'vitest';
import { FIT_MIN_SCALE, fitTransform } from './graph-fit.ts';

describe('fitTransform', () => {
  // The Operations tab of the demo order trace at 1280×800: a 1192 × 766 px layered graph (16
  // operations, 7 ranks) in the 1238 × 468 px graph box.
  it('shrinks a graph taller than the box until all of it shows, centred', () => {
    const t = fitTransform({ width: 1238, height: 468 }, { width: 1192, height: 766 });
    expect(t.k).toBeCloseTo(436 / 766, 6);
    expect(766 * t.k).toBeCloseTo(436, 6); // the height fills the box less its padding
    expect(t.y).toBeCloseTo(16, 6);
    expect(t.x + 1192 * t.k).toBeLessThanOrEqual(1238 - 16);
    expect(t.x).toBeCloseTo((1238 - 1192 * t.k) / 2, 6);
  });

  it('shrinks a wide graph by its width', () => {
    const t = fitTransform({ width: 600, height: 400 }, { width: 2000, height: 300 });
    expect(t.k).toBeCloseTo(568 / 2000, 6);
    expect(t.x).toBeCloseTo(16, 6);
  });

  it('never magnifies a small graph: one linked trace stays at its size, in the middle', () => {
    expect(fitTransform({ width: 1238, height: 468 }, { width: 200, height: 64 })).toEqual({ k: 1, x: 519, y: 202 });
  });

  it('stops at the smallest zoom for a huge graph, and survives an empty one or a collapsed box', () => {
    expect(fitTransform({ width: 800, height: 600 }, { width: 1e7, height: 1e7 }).k).toBe(FIT_MIN_SCALE);
    expect(fitTransform({ width: 800, height: 600 }, { width: 0, height: 0 })).toEqual({ k: 1, x: 400, y: 300 });
    expect(Number.isFinite(fitTransform({ width: 0, height: 0 }, { width: 300, height: 300 }).k)).toBe(true);
  });
});
