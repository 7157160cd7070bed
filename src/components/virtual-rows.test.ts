import { describe, expect, it } from 'vitest';
import { MAX_SCROLL_PX, rowWindow } from './virtual-rows.ts';

describe('rowWindow', () => {
  it('draws the rows in view and a few either side, the rest as spacers of their height', () => {
    // 100,000 rows of 30 px, a 600 px viewport scrolled to row 1000.
    const w = rowWindow(100_000, 30, 30_000, 600, 5);
    expect([w.first, w.end]).toEqual([995, 1025]);
    expect(w.padTopPx).toBe(995 * 30);
    expect(w.padTopPx + (w.end - w.first) * 30 + w.padBottomPx).toBe(3_000_000);
  });

  it('draws everything of a short list, with no spacers', () => {
    expect(rowWindow(4, 30, 0, 600, 5)).toEqual({ first: 0, end: 4, padTopPx: 0, padBottomPx: 0, totalPx: 120 });
    expect(rowWindow(0, 30, 0, 600, 5)).toEqual({ first: 0, end: 0, padTopPx: 0, padBottomPx: 0, totalPx: 0 });
  });

  it('scales a list taller than the browser lays out: the bottom of the scroll shows the last rows', () => {
    const count = 1_000_000;
    const top = rowWindow(count, 30, 0, 600, 2);
    expect([top.first, top.end, top.totalPx]).toEqual([0, 22, MAX_SCROLL_PX]);
    const bottom = rowWindow(count, 30, MAX_SCROLL_PX - 600, 600, 2);
    expect(bottom.end).toBe(count);
    expect(bottom.first).toBe(count - 20 - 2);
    // The last row ends at the bottom of the scroll height.
    expect(bottom.padTopPx + (bottom.end - bottom.first) * 30 + bottom.padBottomPx).toBeCloseTo(MAX_SCROLL_PX, 6);
    expect(bottom.padBottomPx).toBeCloseTo(0, 6);
    const middle = rowWindow(count, 30, (MAX_SCROLL_PX - 600) / 2, 600, 2);
    expect(Math.abs(middle.first + 2 - (count - 20) / 2)).toBeLessThan(1);
  });
});
