// The rows of the waterfall: the span tree column (DOM, only the rows on screen) beside the bar column
// (one canvas), with a custom scrollbar: rows are placed by index math, so a million rows cost no more
// than forty.
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { useDarkMode } from '../../components/use-dark-mode.ts';
import type { TimeScale } from '../../render/time-scale.ts';
import { DARK_THEME, LIGHT_THEME, drawBars, type CriticalIndex } from '../../render/waterfall-canvas.ts';
import { useTraceView, useTraceViewStore } from '../../state/trace-view-context.ts';
import { TreeRow } from './TreeRow.tsx';
import { HoverCard } from './HoverCard.tsx';
import { useFramePaint } from '../../components/use-frame-paint.ts';

export const ROW_HEIGHT = 24;

interface Props {
  serviceColors: readonly string[];
  scale: TimeScale;
  ticksNs: readonly number[];
  critical: CriticalIndex | undefined;
  treeWidth: number;
  onTreeWidth(width: number): void;
  onOpenDetails(): void;
}

export function WaterfallBody({ serviceColors, scale, ticksNs, critical, treeWidth, onTreeWidth, onOpenDetails }: Props) {
  const store = useTraceViewStore();
  const view = useTraceView((s) => s.view);
  const rows = useTraceView((s) => s.rows);
  const rowOfSpan = useTraceView((s) => s.rowOfSpan);
  const scrollRow = useTraceView((s) => s.scrollRow);
  const selected = useTraceView((s) => s.selected);
  const search = useTraceView((s) => s.search);
  const showCriticalPath = useTraceView((s) => s.showCriticalPath);
  const dark = useDarkMode();

  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ width: 800, height: 400 });
  const hovered = useRef(-1);
  const [hover, setHover] = useState<{ span: number; x: number; y: number; timeNs: number } | undefined>();

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setSize({ width: entry.contentRect.width, height: entry.contentRect.height }));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const barsWidth = Math.max(50, size.width - treeWidth - 4 - 10);
  const viewportRows = Math.max(1, Math.floor(size.height / ROW_HEIGHT));
  const currentMatch = search.matches && search.current >= 0 ? search.matches[search.current] : -1;

  const paint = useCallback(() => {
    const c = canvas.current;
    if (!c) return;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(barsWidth * dpr);
    const h = Math.round(size.height * dpr);
    if (c.width !== w || c.height !== h) {
      c.width = w;
      c.height = h;
    }
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawBars({
      ctx,
      width: barsWidth,
      height: size.height,
      rows,
      rowOfSpan,
      scrollRow,
      rowHeight: ROW_HEIGHT,
      view,
      scale,
      serviceColors,
      selected,
      hovered: hovered.current,
      matchMask: search.matchMask,
      currentMatch,
      critical: showCriticalPath ? critical : undefined,
      ticksNs,
      theme: dark ? DARK_THEME : LIGHT_THEME,
    });
  }, [barsWidth, size.height, rows, rowOfSpan, scrollRow, view, scale, serviceColors, selected, search.matchMask, currentMatch, showCriticalPath, critical, ticksNs, dark]);

  const schedulePaint = useFramePaint(paint);

  // Wheel: scroll rows; ctrl/⌘ + wheel zooms the time window around the pointer; shift + wheel pans it.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const s = store.getState();
      const barsLeft = el.getBoundingClientRect().left + treeWidth + 4;
      const fx = Math.min(1, Math.max(0, (e.clientX - barsLeft) / barsWidth));
      const span = s.windowEndNs - s.windowStartNs;
      if (e.ctrlKey || e.metaKey) {
        const factor = Math.exp(e.deltaY * 0.002);
        const at = scale.ns(fx * barsWidth);
        s.setWindow(at - fx * span * factor, at + (1 - fx) * span * factor);
      } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        const delta = ((e.shiftKey ? e.deltaY : e.deltaX) / barsWidth) * span;
        const total = s.view.traceDurationNs;
        const start = Math.max(0, Math.min(total - span, s.windowStartNs + delta));
        s.setWindow(start, start + span);
      } else {
        const lines = e.deltaMode === 1 ? e.deltaY : e.deltaY / ROW_HEIGHT;
        s.setScrollRow(s.scrollRow + lines, viewportRows);
      }
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [store, treeWidth, barsWidth, viewportRows, scale]);

  const spanAt = (clientY: number): number => {
    const top = canvas.current?.getBoundingClientRect().top ?? 0;
    const r = Math.floor(scrollRow + (clientY - top) / ROW_HEIGHT);
    return r >= 0 && r < rows.length ? rows[r] : -1;
  };

  const onCanvasMove = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    const s = spanAt(e.clientY);
    const rect = e.currentTarget.getBoundingClientRect();
    const timeNs = scale.ns(e.clientX - rect.left);
    if (s !== hovered.current) {
      hovered.current = s;
      schedulePaint();
    }
    setHover(s < 0 ? undefined : { span: s, x: e.clientX, y: e.clientY, timeNs });
  };

  const first = Math.floor(scrollRow);
  const domRows = [];
  for (let r = first; r < Math.min(rows.length, first + viewportRows + 2); r++) {
    const span = rows[r];
    domRows.push(
      <TreeRow
        key={span}
        span={span}
        top={(r - scrollRow) * ROW_HEIGHT}
        height={ROW_HEIGHT}
        color={serviceColors[view.service[span]]}
        selected={span === selected}
        match={Boolean(search.matchMask?.[span])}
        currentMatch={span === currentMatch}
        onOpenDetails={onOpenDetails}
      />,
    );
  }

  // Scrollbar: the thumb's size and place follow the visible rows; dragging maps back to rows.
  const trackHeight = size.height;
  const thumbHeight = Math.max(24, (viewportRows / Math.max(rows.length, 1)) * trackHeight);
  const maxScroll = Math.max(0, rows.length - viewportRows);
  const thumbTop = maxScroll === 0 ? 0 : (scrollRow / maxScroll) * (trackHeight - thumbHeight);
  const onThumbDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    const startY = e.clientY;
    const startRow = scrollRow;
    const target = e.currentTarget;
    target.setPointerCapture(e.pointerId);
    const move = (ev: PointerEvent) => {
      const rowsPerPx = maxScroll / Math.max(1, trackHeight - thumbHeight);
      store.getState().setScrollRow(startRow + (ev.clientY - startY) * rowsPerPx, viewportRows);
    };
    const up = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
  };

  const onDividerDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    const startX = e.clientX;
    const startWidth = treeWidth;
    const target = e.currentTarget;
    target.setPointerCapture(e.pointerId);
    const move = (ev: PointerEvent) => onTreeWidth(Math.max(200, Math.min(size.width - 200, startWidth + ev.clientX - startX)));
    const up = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
  };

  return (
    <div ref={box} className="relative flex min-h-0 flex-1 overflow-hidden select-none" data-testid="waterfall-body">
      <div className="relative shrink-0 overflow-hidden" style={{ width: treeWidth }}>
        {domRows}
      </div>
      <div
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize the span column"
        onPointerDown={onDividerDown}
        className="w-1 shrink-0 cursor-col-resize bg-slate-200 hover:bg-sky-400 dark:bg-slate-700"
      />
      <canvas
        ref={canvas}
        data-testid="waterfall-canvas"
        style={{ width: barsWidth, height: size.height }}
        className="block shrink-0 cursor-default"
        onPointerMove={onCanvasMove}
        onPointerLeave={() => {
          hovered.current = -1;
          setHover(undefined);
          schedulePaint();
        }}
        onClick={(e) => {
          const s = spanAt(e.clientY);
          if (s >= 0) {
            store.getState().select(s);
            onOpenDetails();
          }
        }}
      />
      <div className="relative w-2.5 shrink-0 bg-slate-100 dark:bg-slate-900" aria-hidden>
        {maxScroll > 0 ? (
          <div
            data-testid="waterfall-scroll-thumb"
            onPointerDown={onThumbDown}
            className="absolute right-0.5 left-0.5 cursor-grab rounded-full bg-slate-400/70 hover:bg-slate-500 dark:bg-slate-500/70"
            style={{ top: thumbTop, height: thumbHeight }}
          />
        ) : null}
      </div>
      {hover ? <HoverCard span={hover.span} x={hover.x} y={hover.y} timeNs={hover.timeNs} /> : null}
    </div>
  );
}
