import { describe, expect, it } from 'vitest';
import { ROW_HEIGHT, barsWidthOf, clampTreeWidth, defaultTreeWidth, rowAtY, rowRange, rowsInHeight, scrollRowToReveal, scrollThumb, windowToReveal } from './waterfall-layout.ts';

describe('column widths', () => {
  it('the span column is 32% of the width, between 280 and 560 px; the bars get the rest', () => {
    expect(defaultTreeWidth(1280)).toBe(410);
    expect(defaultTreeWidth(600)).toBe(280);
    expect(defaultTreeWidth(3000)).toBe(560);
    expect(barsWidthOf(1280, 410)).toBe(1280 - 410 - 4 - 10);
    expect(barsWidthOf(300, 280)).toBe(50);
  });

  it('a dragged span column keeps 200 px on each side', () => {
    expect(clampTreeWidth(100, 1000)).toBe(200);
    expect(clampTreeWidth(950, 1000)).toBe(800);
    expect(clampTreeWidth(420, 1000)).toBe(420);
  });
});

describe('rows on screen', () => {
  it('whole rows in a height, at least one', () => {
    expect(rowsInHeight(10 * ROW_HEIGHT + 5)).toBe(10);
    expect(rowsInHeight(3)).toBe(1);
  });

  it('DOM rows: from the first row partly shown to two past the screen, inside the rows', () => {
    expect(rowRange(3.5, 10, 172)).toEqual({ first: 3, end: 15 });
    expect(rowRange(165, 10, 172)).toEqual({ first: 165, end: 172 });
  });

  it('the row under a point, -1 below the last', () => {
    expect(rowAtY(2.5, 0, 30)).toBe(2);
    expect(rowAtY(2.5, ROW_HEIGHT / 2, 30)).toBe(3);
    expect(rowAtY(0, 30 * ROW_HEIGHT, 30)).toBe(-1);
  });
});

describe('scrollThumb', () => {
  it('sized by the share of rows on screen, placed by the first row', () => {
    // 172 rows, 20 on screen, a 480 px track: the thumb is 20/172 of it.
    const thumb = scrollThumb(76, 20, 172, 480);
    expect(thumb.height).toBeCloseTo((20 / 172) * 480, 9);
    expect(thumb.maxScroll).toBe(152);
    expect(thumb.top).toBeCloseTo(0.5 * (480 - thumb.height), 9);
    expect(thumb.rowsPerPx).toBeCloseTo(152 / (480 - thumb.height), 9);
  });

  it('never thinner than 24 px; no scrolling when every row fits', () => {
    expect(scrollThumb(0, 20, 1_000_000, 480).height).toBe(24);
    expect(scrollThumb(0, 20, 12, 480)).toMatchObject({ top: 0, maxScroll: 0 });
  });
});

describe('revealing a span', () => {
  it('scrolls only when the row is above the screen or on its last line or below', () => {
    expect(scrollRowToReveal(5, 10, 20)).toBe(5);
    expect(scrollRowToReveal(15, 10, 20)).toBeUndefined();
    expect(scrollRowToReveal(29, 10, 20)).toBe(11);
    expect(scrollRowToReveal(40, 10, 20)).toBe(22);
  });

  it('moves the window, keeping its width, only when the bar is wholly outside it', () => {
    expect(windowToReveal(1500, 1600, 1000, 2000)).toBeUndefined();
    expect(windowToReveal(500, 1200, 1000, 2000)).toBeUndefined();
    expect(windowToReveal(5000, 5100, 1000, 2000)).toEqual([4900, 5900]);
    expect(windowToReveal(50, 60, 1000, 2000)).toEqual([0, 1000]);
  });
});
