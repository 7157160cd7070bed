import { describe, expect, it } from 'vitest';
import { ROW_HEIGHT, barsWidthOf, bottomPaneBounds, clampTreeWidth, defaultTreeWidth, inlineDetailsHeight, rowAtY, rowTop, sidePaneBounds, rowRange, rowsInHeight, scrollRowToReveal, scrollThumb, windowToReveal } from './waterfall-layout.ts';

describe('column widths', () => {
  it('the span column is 38% of the width, between 320 and 600 px; the bars get the rest', () => {
    expect(defaultTreeWidth(1280)).toBe(486);
    expect(defaultTreeWidth(600)).toBe(320);
    expect(defaultTreeWidth(3000)).toBe(600);
    expect(barsWidthOf(1280, 410)).toBe(1280 - 410 - 4 - 10);
    expect(barsWidthOf(300, 280)).toBe(50);
  });

  it('a dragged span column keeps 200 px on each side', () => {
    expect(clampTreeWidth(100, 1000)).toBe(200);
    expect(clampTreeWidth(950, 1000)).toBe(800);
    expect(clampTreeWidth(420, 1000)).toBe(420);
  });
});

describe('the details panes', () => {
  it('the side pane leaves the span column 320 px and the bars 200 px', () => {
    expect(sidePaneBounds(1280)).toEqual({ min: 280, max: 1280 - 320 - 200 - 4 - 10 });
    expect(sidePaneBounds(700)).toEqual({ min: 280, max: 280 });
  });

  it('the bottom pane leaves the minimap, the axis and six rows above it', () => {
    expect(bottomPaneBounds(600)).toEqual({ min: 140, max: 600 - 80 - 6 * ROW_HEIGHT });
  });

  it('inline details open a gap under their row: the rows after it move down, the gap itself is no row', () => {
    // Rows 0..9 from row 2 on screen; the details of row 4 take 100 px under it.
    //   y:   0 row2 | 24 row3 | 48 row4 | 72..172 details | 172 row5 | 196 row6
    const gap = { afterRow: 4, px: 100 };
    expect([rowTop(4, 2, gap), rowTop(5, 2, gap)]).toEqual([48, 172]);
    expect([rowAtY(2, 60, 10, gap), rowAtY(2, 80, 10, gap), rowAtY(2, 171, 10, gap), rowAtY(2, 172, 10, gap), rowAtY(2, 200, 10, gap)]).toEqual([4, -1, -1, 5, 6]);
    expect(inlineDetailsHeight(300)).toBe(180);
    expect(inlineDetailsHeight(2000)).toBe(420);
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
