// The flamegraph canvas: a time axis over rows of rectangles (one row per depth, scrolling vertically when
// the tree is deeper than the screen). Rectangles are recomputed when the window, the width or the marks
// change; every paint goes through one requestAnimationFrame, and hover and scroll repaint without any
// React render (the hover card renders on its own).
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type MouseEvent as ReactMouseEvent, type MutableRefObject, type ReactNode } from 'react';
import { visibleFlameRects, type FlameRects } from '../../core/analysis/flame-tree.ts';
import { formatDuration } from '../../components/format.ts';
import { useDarkMode } from '../../components/use-dark-mode.ts';
import { useKeepInViewport } from '../../components/keep-in-viewport.ts';
import { drawFlame, FLAME_DARK_THEME, FLAME_LIGHT_THEME, hitTestFlame, type FlamePaint, type FlameViewport } from '../../render/flame-canvas.ts';
import { createTimeScale } from '../../render/time-scale.ts';
import { clampWindow, deepestUnder, type FlameSource } from './flame-source.ts';
import { useFramePaint } from '../../components/use-frame-paint.ts';

export const FLAME_ROW_HEIGHT = 20;
const AXIS_LABEL_PX = 44;

/** A rectangle under the pointer: one item, or a run of `count` items too narrow to draw one by one. */
export interface FlameHit {
  readonly item: number;
  readonly count: number;
  readonly startNs: number;
  readonly endNs: number;
  readonly bits: number;
}

interface Props {
  readonly source: FlameSource;
  /** Per service slot of the source. */
  readonly paints: readonly FlamePaint[];
  readonly focus: number | undefined;
  readonly window: readonly [number, number];
  /** What the window may pan and zoom within (the focus's extent). */
  readonly extent: readonly [number, number];
  readonly bits: Uint8Array;
  readonly searching: boolean;
  readonly selected: number;
  /** The axis counts from here: the trace's start, or the merged view's left edge. */
  readonly axisOriginNs: number;
  onActivate(hit: FlameHit): void;
  onMenu(hit: FlameHit, clientX: number, clientY: number): void;
  /** Ctrl/⌘ + wheel zooms, shift + wheel pans; undefined = the whole extent. */
  onWindow(window: readonly [number, number] | undefined): void;
  renderHover(hit: FlameHit): ReactNode;
}

const hitOf = (rects: FlameRects, k: number): FlameHit => ({
  item: rects.spanIndex[k],
  count: rects.spanCount[k],
  startNs: rects.startNs[k],
  endNs: rects.endNs[k],
  bits: rects.bits[k],
});

export function FlameGraph(props: Props) {
  const { source, paints, focus, window: [startNs, endNs], bits, searching, selected } = props;
  const dark = useDarkMode();
  const scroller = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const scrollTop = useRef(0);
  const hovered = useRef(-1);
  const showHover = useRef<((hover: HoverAt | undefined) => void) | undefined>(undefined);
  const latest = useRef(props);
  latest.current = props;

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setSize({ width: Math.floor(entry.contentRect.width), height: Math.floor(entry.contentRect.height) }));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const topDepth = focus === undefined ? 0 : source.tree.depth[focus];
  const rowCount = useMemo(() => deepestUnder(source, focus) - topDepth + 1, [source, focus, topDepth]);
  const rects = useMemo(
    () => (size.width > 0 ? visibleFlameRects(source.tree, source.layout, { startNs, endNs, widthPx: size.width, subtreeOf: focus, bits }) : undefined),
    [source, startNs, endNs, size.width, focus, bits],
  );
  const ticksNs = useMemo(() => (size.width > 0 ? createTimeScale(startNs, endNs, size.width).ticks(Math.max(2, Math.floor(size.width / 120))) : []), [startNs, endNs, size.width]);

  const viewport = useCallback(
    (): FlameViewport => ({ startNs, endNs, width: size.width, rowHeight: FLAME_ROW_HEIGHT, topDepth, scrollTop: scrollTop.current, dpr: window.devicePixelRatio || 1 }),
    [startNs, endNs, size.width, topDepth],
  );

  const paint = useCallback(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx || !rects) return;
    const v = viewport();
    const w = Math.round(v.width * v.dpr);
    const h = Math.round(size.height * v.dpr);
    if (c.width !== w || c.height !== h) {
      c.width = w;
      c.height = h;
    }
    ctx.setTransform(v.dpr, 0, 0, v.dpr, 0, 0);
    drawFlame({
      ctx,
      viewport: v,
      height: size.height,
      rects,
      paintOf: (item) => paints[source.serviceOf(item)],
      labelOf: source.labelOf,
      detailOf: (item) => source.services[source.serviceOf(item)],
      searching,
      hovered: hovered.current,
      selected,
      ticksNs,
      theme: dark ? FLAME_DARK_THEME : FLAME_LIGHT_THEME,
    });
    c.dataset.rects = String(rects.count);
  }, [rects, viewport, size.height, paints, source, searching, selected, ticksNs, dark]);

  // New rectangles (zoom, resize, search): what was under the pointer is gone.
  useEffect(() => {
    hovered.current = -1;
    showHover.current?.(undefined);
  }, [rects]);

  const schedulePaint = useFramePaint(paint);

  // A new focus starts at its top row.
  useLayoutEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
    scrollTop.current = 0;
  }, [source, focus]);

  // Ctrl/⌘ + wheel (and pinch) zooms around the pointer, shift + wheel pans; a plain wheel scrolls the rows.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      const { window: [w0, w1], extent, onWindow } = latest.current;
      const zoom = e.ctrlKey || e.metaKey;
      const pan = e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY);
      if (!zoom && !pan) return;
      e.preventDefault();
      const width = el.clientWidth;
      const span = w1 - w0;
      if (zoom) {
        const fx = Math.min(1, Math.max(0, (e.clientX - el.getBoundingClientRect().left) / width));
        const at = w0 + fx * span;
        const factor = Math.exp(e.deltaY * 0.002);
        onWindow(clampWindow(at - fx * span * factor, at + (1 - fx) * span * factor, extent));
      } else {
        const delta = ((e.shiftKey ? e.deltaY : e.deltaX) / width) * span;
        onWindow(clampWindow(w0 + delta, w1 + delta, extent));
      }
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  const hitAt = (e: ReactMouseEvent<HTMLCanvasElement>): number => {
    if (!rects) return -1;
    const box = e.currentTarget.getBoundingClientRect();
    return hitTestFlame(rects, viewport(), e.clientX - box.left, e.clientY - box.top);
  };
  const setHovered = (k: number) => {
    if (k === hovered.current) return;
    hovered.current = k;
    schedulePaint();
  };
  const onMove = (e: ReactMouseEvent<HTMLCanvasElement>) => {
    const k = hitAt(e);
    setHovered(k);
    e.currentTarget.style.cursor = k >= 0 ? 'pointer' : 'default';
    showHover.current?.(k >= 0 && rects ? { hit: hitOf(rects, k), x: e.clientX, y: e.clientY } : undefined);
  };
  const onLeave = () => {
    setHovered(-1);
    showHover.current?.(undefined);
  };

  const contentHeight = rowCount * FLAME_ROW_HEIGHT + 8;
  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="flamegraph">
      <div className="relative h-6 shrink-0 overflow-hidden border-b border-slate-200 bg-slate-50 text-[11px] text-slate-500 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-400" data-testid="flamegraph-axis">
        {ticksNs.map((t) => ({ t, x: ((t - startNs) / (endNs - startNs)) * size.width }))
          // A label cut by the right edge says less than none.
          .filter(({ x }) => x < size.width - AXIS_LABEL_PX)
          .map(({ t, x }) => (
            <span key={t} className="absolute top-0 bottom-0 flex items-center border-l border-slate-300 pl-1 whitespace-nowrap tabular-nums dark:border-slate-600" style={{ left: x }}>
              {formatDuration(t - props.axisOriginNs)}
            </span>
          ))}
      </div>
      <div
        ref={scroller}
        className="relative min-h-0 flex-1 overflow-x-hidden overflow-y-auto"
        style={{ scrollbarGutter: 'stable' }}
        onScroll={(e) => {
          scrollTop.current = e.currentTarget.scrollTop;
          onLeave();
          schedulePaint();
        }}
      >
        <div style={{ height: Math.max(contentHeight, size.height) }}>
          <canvas
            ref={canvas}
            data-testid="flamegraph-canvas"
            role="img"
            aria-label="Flamegraph: click a block to zoom into it, right-click for more"
            className="sticky top-0 block"
            style={{ width: size.width, height: size.height }}
            onPointerMove={onMove}
            onPointerLeave={onLeave}
            onClick={(e) => {
              const k = hitAt(e);
              if (k >= 0 && rects) props.onActivate(hitOf(rects, k));
            }}
            onContextMenu={(e) => {
              const k = hitAt(e);
              if (k < 0 || !rects) return;
              e.preventDefault();
              onLeave();
              props.onMenu(hitOf(rects, k), e.clientX, e.clientY);
            }}
          />
        </div>
      </div>
      <HoverSlot bind={showHover} render={props.renderHover} />
    </div>
  );
}

interface HoverAt {
  readonly hit: FlameHit;
  readonly x: number;
  readonly y: number;
}

/** The hover card, with its own state: moving the pointer re-renders the card, not the graph. */
function HoverSlot({ bind, render }: { bind: MutableRefObject<((hover: HoverAt | undefined) => void) | undefined>; render(hit: FlameHit): ReactNode }) {
  const [hover, setHover] = useState<HoverAt | undefined>();
  const card = useRef<HTMLDivElement>(null);
  useKeepInViewport(card, hover && { x: hover.x, y: hover.y });
  useLayoutEffect(() => {
    bind.current = setHover;
    return () => {
      bind.current = undefined;
    };
  }, [bind]);
  if (!hover) return null;
  return (
    <div
      ref={card}
      data-testid="flamegraph-hover"
      className="pointer-events-none fixed z-40 w-max max-w-[380px] rounded-md border border-slate-200 bg-white px-3 py-2 text-xs shadow-lg dark:border-slate-700 dark:bg-slate-800"
    >
      {render(hover.hit)}
    </div>
  );
}
