// The wheel over the rows: scrolls them, or zooms and pans the time window (see wheelIntent). A native
// listener, because React's wheel handlers are passive and cannot keep the page from scrolling.
import { useEffect, type RefObject } from 'react';
import type { TimeScale } from '../../render/time-scale.ts';
import { useTraceViewStore } from '../../state/trace-view-context.ts';
import { DIVIDER_PX } from './waterfall-layout.ts';
import { wheelIntent } from './waterfall-navigation.ts';

export function useWheelNavigation(box: RefObject<HTMLElement | null>, { treeWidth, barsWidth, viewportRows, scale }: { treeWidth: number; barsWidth: number; viewportRows: number; scale: TimeScale }): void {
  const store = useTraceViewStore();
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      // A pane over the rows that scrolls by itself (the inline details) keeps its wheel.
      if (e.target instanceof Element && e.target.closest('[data-own-wheel]')) return;
      e.preventDefault();
      const s = store.getState();
      const barsLeft = el.getBoundingClientRect().left + treeWidth + DIVIDER_PX;
      const fraction = Math.min(1, Math.max(0, (e.clientX - barsLeft) / barsWidth));
      const intent = wheelIntent(
        { deltaX: e.deltaX, deltaY: e.deltaY, deltaMode: e.deltaMode, zoomKey: e.ctrlKey || e.metaKey, shiftKey: e.shiftKey },
        { fraction, ns: scale.ns(fraction * barsWidth) },
        barsWidth,
        { startNs: s.windowStartNs, endNs: s.windowEndNs, traceDurationNs: s.view.traceDurationNs },
      );
      if (intent.kind === 'window') s.setWindow(intent.startNs, intent.endNs);
      else s.setScrollRow(s.scrollRow + intent.rows, viewportRows);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [box, store, treeWidth, barsWidth, viewportRows, scale]);
}
