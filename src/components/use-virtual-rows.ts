// A scroll box that draws only the rows in view (see virtual-rows.ts): the caller renders rows
// first … end − 1 between two spacers of padTopPx and padBottomPx.
import { useRef, useState, type RefObject, type UIEvent } from 'react';
import { useElementSize } from './use-element-size.ts';
import { rowWindow, type RowWindow } from './virtual-rows.ts';

export interface VirtualRows extends RowWindow {
  readonly scrollerRef: RefObject<HTMLDivElement | null>;
  onScroll(event: UIEvent<HTMLElement>): void;
}

/** `rowHeightPx` must be the rows' real height: rows that wrap or grow break the arithmetic. */
export function useVirtualRows(count: number, rowHeightPx: number, overscan = 8): VirtualRows {
  const scrollerRef = useRef<HTMLDivElement>(null);
  const [scrollTopPx, setScrollTopPx] = useState(0);
  // Before the first measure: a tall guess, so a first paint is never short of rows.
  const size = useElementSize(scrollerRef, { width: 0, height: 1200 });
  return {
    scrollerRef,
    onScroll: (event) => setScrollTopPx(event.currentTarget.scrollTop),
    ...rowWindow(count, rowHeightPx, scrollTopPx, size.height, overscan),
  };
}
