// The whole trace at a glance (span density by time and depth) with a brush that sets the zoom window.
import { brushX, select, type BrushBehavior } from 'd3';
import { useEffect, useRef } from 'react';
import { useDarkMode } from '../../components/use-dark-mode.ts';
import { drawDensity } from '../../render/minimap-canvas.ts';
import { DARK_THEME, LIGHT_THEME } from '../../render/waterfall-canvas.ts';
import { useTraceView } from '../../state/trace-view-context.ts';

const HEIGHT = 52;

export function Minimap({ width }: { width: number }) {
  const view = useTraceView((s) => s.view);
  const windowStartNs = useTraceView((s) => s.windowStartNs);
  const windowEndNs = useTraceView((s) => s.windowEndNs);
  const setWindow = useTraceView((s) => s.setWindow);
  const dark = useDarkMode();
  const canvas = useRef<HTMLCanvasElement>(null);
  const brushLayer = useRef<SVGGElement>(null);
  const brush = useRef<BrushBehavior<unknown> | undefined>(undefined);
  const grid = view.density;
  const total = Math.max(1, view.traceDurationNs);

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(width * dpr);
    c.height = Math.round(HEIGHT * dpr);
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawDensity(ctx, grid, width, HEIGHT, dark, (dark ? DARK_THEME : LIGHT_THEME).error);
  }, [grid, width, dark]);

  useEffect(() => {
    if (!brushLayer.current) return;
    const b = brushX<unknown>()
      .extent([
        [0, 0],
        [width, HEIGHT],
      ])
      .on('end', (event: { selection: [number, number] | null; sourceEvent?: Event }) => {
        if (!event.sourceEvent) return; // moved by us, not by the user
        if (!event.selection) setWindow(0, total);
        else setWindow((event.selection[0] / width) * total, (event.selection[1] / width) * total);
      });
    brush.current = b;
    select(brushLayer.current).call(b);
  }, [width, total, setWindow]);

  useEffect(() => {
    if (!brushLayer.current || !brush.current) return;
    const whole = windowStartNs <= 0 && windowEndNs >= total;
    select(brushLayer.current).call(brush.current.move, whole ? null : [(windowStartNs / total) * width, (windowEndNs / total) * width]);
  }, [windowStartNs, windowEndNs, total, width]);

  return (
    <div data-testid="minimap" className="relative shrink-0 border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-950" style={{ width, height: HEIGHT }} title="Drag to zoom; click outside the selection to reset">
      <canvas ref={canvas} style={{ width, height: HEIGHT }} className="absolute inset-0" />
      <svg width={width} height={HEIGHT} className="absolute inset-0 [&_.selection]:fill-sky-400/20 [&_.selection]:stroke-sky-600">
        <g ref={brushLayer} />
      </svg>
    </div>
  );
}
