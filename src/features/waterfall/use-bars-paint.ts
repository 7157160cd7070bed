// The bar column's canvas: sized to the device pixels, drawn by drawBars once per animation frame. The
// hovered span is a ref, not React state, so hovering repaints the canvas without rendering React.
import { useCallback, useRef, type RefObject } from 'react';
import { useDarkMode } from '../../components/use-dark-mode.ts';
import { useFramePaint } from '../../components/use-frame-paint.ts';
import type { TimeScale } from '../../render/time-scale.ts';
import { DARK_THEME, LIGHT_THEME, drawBars, type CriticalIndex } from '../../render/waterfall-canvas.ts';
import { useTraceView } from '../../state/trace-view-context.ts';
import { ROW_HEIGHT, rowTop, type RowGap } from './waterfall-layout.ts';

interface Options {
  canvas: RefObject<HTMLCanvasElement | null>;
  width: number;
  height: number;
  serviceColors: readonly string[];
  scale: TimeScale;
  ticksNs: readonly number[];
  critical: CriticalIndex | undefined;
  currentMatch: number;
  /** Inline details under a row: the rows after it are drawn that much lower. */
  gap: RowGap | undefined;
}

export interface BarsPaint {
  /** Sets the hovered span (-1: none) and repaints when it changed. */
  hover(span: number): void;
}

export function useBarsPaint({ canvas, width, height, serviceColors, scale, ticksNs, critical, currentMatch, gap }: Options): BarsPaint {
  const view = useTraceView((s) => s.view);
  const rows = useTraceView((s) => s.rows);
  const rowOfSpan = useTraceView((s) => s.rowOfSpan);
  const scrollRow = useTraceView((s) => s.scrollRow);
  const selected = useTraceView((s) => s.selected);
  const matchMask = useTraceView((s) => s.search.matchMask);
  const showCriticalPath = useTraceView((s) => s.showCriticalPath);
  const dark = useDarkMode();
  const hovered = useRef(-1);

  const paint = useCallback(() => {
    const c = canvas.current;
    if (!c) return;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(width * dpr);
    const h = Math.round(height * dpr);
    if (c.width !== w || c.height !== h) {
      c.width = w;
      c.height = h;
    }
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const frame = {
      ctx,
      width,
      height,
      rows,
      rowOfSpan,
      scrollRow,
      rowHeight: ROW_HEIGHT,
      view,
      scale,
      serviceColors,
      selected,
      hovered: hovered.current,
      matchMask,
      currentMatch,
      critical: showCriticalPath ? critical : undefined,
      ticksNs,
      theme: dark ? DARK_THEME : LIGHT_THEME,
    };
    if (!gap) return drawBars(frame);
    // With a gap: the rows down to the gap's row, then the rest drawn again shifted below it, each clipped to its part.
    const gapTop = rowTop(gap.afterRow + 1, scrollRow);
    ctx.clearRect(0, 0, width, height);
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, 0, width, Math.max(0, gapTop));
    ctx.clip();
    drawBars(frame);
    ctx.restore();
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, gapTop + gap.px, width, Math.max(0, height - gapTop - gap.px));
    ctx.clip();
    ctx.translate(0, gap.px);
    drawBars(frame);
    ctx.restore();
  }, [canvas, width, height, rows, rowOfSpan, scrollRow, view, scale, serviceColors, selected, matchMask, currentMatch, showCriticalPath, critical, ticksNs, dark, gap]);

  const schedulePaint = useFramePaint(paint);
  return {
    hover(span) {
      if (span === hovered.current) return;
      hovered.current = span;
      schedulePaint();
    },
  };
}
