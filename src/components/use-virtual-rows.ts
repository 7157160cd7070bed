// Only the rows in view (plus a few) of a fixed-row-height list in its own scroll box: a list of 100k
// traces costs the DOM what a screenful does. The box's scroll drives the range; the rest are spacers.
import { useLayoutEffect, useState } from 'react';

export interface RowWindow {
  /** First row rendered. */
  readonly first: number;
  /** One past the last row rendered. */
  readonly end: number;
  /** Height of the space above and below the rendered rows, in px. */
  readonly padTop: number;
  readonly padBottom: number;
}

/** The rows of `count` (each `rowPx` tall) a box `viewPx` tall scrolled to `scrollPx` shows, with `overscan` more each side. */
export function rowWindow(scrollPx: number, viewPx: number, rowPx: number, count: number, overscan = 8): RowWindow {
  const first = Math.max(0, Math.min(count, Math.floor(scrollPx / rowPx) - overscan));
  const end = Math.max(first, Math.min(count, Math.ceil((scrollPx + viewPx) / rowPx) + overscan));
  return { first, end, padTop: first * rowPx, padBottom: (count - end) * rowPx };
}

/** The rows to render, and the ref of the scroll box (a callback: the box may mount later, or again). */
export function useVirtualRows(count: number, rowPx: number): RowWindow & { readonly boxRef: (el: HTMLElement | null) => void } {
  const [el, boxRef] = useState<HTMLElement | null>(null);
  const [view, setView] = useState({ scrollPx: 0, viewPx: 800 });
  useLayoutEffect(() => {
    if (!el) return;
    const read = () => setView({ scrollPx: el.scrollTop, viewPx: el.clientHeight });
    read();
    const observer = new ResizeObserver(read);
    observer.observe(el);
    el.addEventListener('scroll', read, { passive: true });
    return () => {
      observer.disconnect();
      el.removeEventListener('scroll', read);
    };
  }, [el]);
  return { ...rowWindow(view.scrollPx, view.viewPx, rowPx, count), boxRef };
}
