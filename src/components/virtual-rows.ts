// Which rows of a long list to put in the DOM: the ones in the scroll viewport plus a few either side,
// with spacers above and below standing for the rest. Rows have one fixed height. A list taller than
// browsers lay out (~33M px in Chromium) is drawn MAX_SCROLL_PX tall, the scroll position scaled to rows.

/** Kept well under Chromium's 33,554,431 px layout limit (and Firefox's ~17.9M px). */
export const MAX_SCROLL_PX = 8_000_000;

export interface RowWindow {
  /** Rows first … end − 1 are drawn. */
  readonly first: number;
  readonly end: number;
  /** Space above the first drawn row and below the last, in px. */
  readonly padTopPx: number;
  readonly padBottomPx: number;
  /** The height the list scrolls over. */
  readonly totalPx: number;
}

export function rowWindow(count: number, rowHeightPx: number, scrollTopPx: number, viewportPx: number, overscan: number): RowWindow {
  const fullPx = count * rowHeightPx;
  const totalPx = Math.min(fullPx, MAX_SCROLL_PX);
  if (count === 0) return { first: 0, end: 0, padTopPx: 0, padBottomPx: 0, totalPx };
  const maxScrollPx = Math.max(0, totalPx - viewportPx);
  const scrollPx = Math.min(Math.max(0, scrollTopPx), maxScrollPx);
  // The row at the top of the viewport, fractional: scrollTop / rowHeight when the list is not scaled.
  const topRow = maxScrollPx > 0 ? (scrollPx / maxScrollPx) * ((fullPx - viewportPx) / rowHeightPx) : 0;
  const topWhole = Math.floor(topRow);
  const first = Math.max(0, topWhole - overscan);
  const end = Math.min(count, Math.ceil(topRow + viewportPx / rowHeightPx) + overscan);
  const padTopPx = Math.max(0, scrollPx - (topRow - topWhole) * rowHeightPx - (topWhole - first) * rowHeightPx);
  const padBottomPx = Math.max(0, totalPx - padTopPx - (end - first) * rowHeightPx);
  return { first, end, padTopPx, padBottomPx, totalPx };
}
