// Where things go in the waterfall: the column widths, the rows on screen, the scrollbar thumb, and the
// scroll and window moves that bring a span into view. Pure, so the geometry is tested without a DOM.

export const ROW_HEIGHT = 24;
/** The divider between the span column and the bars, and the scrollbar right of the bars. */
export const DIVIDER_PX = 4;
const SCROLLBAR_PX = 10;
const MIN_COLUMN_PX = 200;
/** The span column never gets narrower than this by default, nor when the details pane grows. */
const MIN_TREE_PX = 320;

/** The span column takes ~38% of the width until the user drags the divider. */
export function defaultTreeWidth(width: number): number {
  return Math.round(Math.max(MIN_TREE_PX, Math.min(600, width * 0.38)));
}

/** A dragged span column: at least 200 px, and 200 px left for the bars. */
export function clampTreeWidth(treeWidth: number, width: number): number {
  return Math.max(MIN_COLUMN_PX, Math.min(width - MIN_COLUMN_PX, treeWidth));
}

export function barsWidthOf(width: number, treeWidth: number): number {
  return Math.max(50, width - treeWidth - DIVIDER_PX - SCROLLBAR_PX);
}

/** Whole rows that fit in a height (at least one). */
export function rowsInHeight(heightPx: number): number {
  return Math.max(1, Math.floor(heightPx / ROW_HEIGHT));
}

/** The rows that get DOM: those on screen, plus the partly shown one below and one to spare. */
export function rowRange(scrollRow: number, viewportRows: number, rowCount: number): { readonly first: number; readonly end: number } {
  const first = Math.floor(scrollRow);
  return { first, end: Math.min(rowCount, first + viewportRows + 2) };
}

/** Space opened under one row, for the span's details shown inline: the rows after it move down by `px`. */
export interface RowGap {
  readonly afterRow: number;
  readonly px: number;
}

/** Where a row's top is, px below the top of the rows. */
export function rowTop(row: number, scrollRow: number, gap?: RowGap): number {
  return (row - scrollRow) * ROW_HEIGHT + (gap && row > gap.afterRow ? gap.px : 0);
}

/** The row under a point `y` px below the top of the rows, or -1 past the last (and inside a gap). */
export function rowAtY(scrollRow: number, y: number, rowCount: number, gap?: RowGap): number {
  let at = y;
  if (gap) {
    const gapTop = rowTop(gap.afterRow + 1, scrollRow);
    if (at >= gapTop && at < gapTop + gap.px) return -1;
    if (at >= gapTop + gap.px) at -= gap.px;
  }
  const r = Math.floor(scrollRow + at / ROW_HEIGHT);
  return r >= 0 && r < rowCount ? r : -1;
}

/** The inline details' height in a body this tall: most of it, leaving a few rows above and below. */
export function inlineDetailsHeight(bodyHeightPx: number): number {
  return Math.round(Math.max(160, Math.min(420, bodyHeightPx - 5 * ROW_HEIGHT)));
}

/** The side pane's bounds: the waterfall keeps its span column's minimum and some bars beside it. */
export function sidePaneBounds(widthPx: number): { readonly min: number; readonly max: number } {
  const min = 280;
  return { min, max: Math.max(min, widthPx - (MIN_TREE_PX + MIN_COLUMN_PX + DIVIDER_PX + SCROLLBAR_PX)) };
}

/** The bottom pane's bounds: the minimap, the axis and a few rows stay above it. */
export function bottomPaneBounds(heightPx: number): { readonly min: number; readonly max: number } {
  const min = 140;
  return { min, max: Math.max(min, heightPx - (80 + 6 * ROW_HEIGHT)) };
}

export interface ScrollThumb {
  readonly top: number;
  readonly height: number;
  /** The largest first row; 0 when every row fits (no thumb then). */
  readonly maxScroll: number;
  /** Rows moved per pixel the thumb is dragged. */
  readonly rowsPerPx: number;
}

/** The thumb's size and place follow the visible rows; dragging it maps back to rows. */
export function scrollThumb(scrollRow: number, viewportRows: number, rowCount: number, trackHeight: number): ScrollThumb {
  const height = Math.max(24, (viewportRows / Math.max(rowCount, 1)) * trackHeight);
  const maxScroll = Math.max(0, rowCount - viewportRows);
  const top = maxScroll === 0 ? 0 : (scrollRow / maxScroll) * (trackHeight - height);
  return { top, height, maxScroll, rowsPerPx: maxScroll / Math.max(1, trackHeight - height) };
}

/** The first row to show so that `row` is on screen (not on the last, partly cut line), or undefined when it is. */
export function scrollRowToReveal(row: number, scrollRow: number, rowsOnScreen: number): number | undefined {
  if (row < scrollRow) return row;
  if (row >= scrollRow + rowsOnScreen - 1) return row - rowsOnScreen + 2;
  return undefined;
}

/** A window as wide as the current one that shows a bar wholly outside it (starting a tenth in), or undefined. */
export function windowToReveal(startNs: number, endNs: number, windowStartNs: number, windowEndNs: number): readonly [number, number] | undefined {
  if (endNs >= windowStartNs && startNs <= windowEndNs) return undefined;
  const width = windowEndNs - windowStartNs;
  const from = Math.max(0, startNs - width * 0.1);
  return [from, from + width];
}
