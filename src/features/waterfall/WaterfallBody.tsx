// The rows of the waterfall: the span tree column (DOM, only the rows on screen) beside the bar column
// (one canvas, painted per animation frame), with the rows' own scrollbar.
import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { useElementSize } from '../../components/use-element-size.ts';
import type { TimeScale } from '../../render/time-scale.ts';
import type { CriticalIndex } from '../../render/waterfall-canvas.ts';
import { useTraceView } from '../../state/trace-view-context.ts';
import { HoverCard } from './HoverCard.tsx';
import { RowScrollbar } from './RowScrollbar.tsx';
import { TreeRow } from './TreeRow.tsx';
import { followPointerDrag } from './pointer-drag.ts';
import { useBarsPaint } from './use-bars-paint.ts';
import { useWheelNavigation } from './use-wheel-navigation.ts';
import { ROW_HEIGHT, barsWidthOf, clampTreeWidth, rowAtY, rowRange, rowsInHeight } from './waterfall-layout.ts';

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
  const view = useTraceView((s) => s.view);
  const rows = useTraceView((s) => s.rows);
  const scrollRow = useTraceView((s) => s.scrollRow);
  const selected = useTraceView((s) => s.selected);
  const search = useTraceView((s) => s.search);
  const select = useTraceView((s) => s.select);

  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const size = useElementSize(box, { width: 800, height: 400 });
  const [hover, setHover] = useState<{ span: number; x: number; y: number; timeNs: number } | undefined>();

  const barsWidth = barsWidthOf(size.width, treeWidth);
  const viewportRows = rowsInHeight(size.height);
  const currentMatch = search.matches && search.current >= 0 ? search.matches[search.current] : -1;
  const bars = useBarsPaint({ canvas, width: barsWidth, height: size.height, serviceColors, scale, ticksNs, critical, currentMatch });
  useWheelNavigation(box, { treeWidth, barsWidth, viewportRows, scale });
  // Fewer rows than before (a filter, a collapse) or a taller box: the last row stays at the bottom, never
  // leaving the top rows scrolled away above empty space.
  const setScrollRow = useTraceView((s) => s.setScrollRow);
  useEffect(() => {
    if (scrollRow > Math.max(0, rows.length - viewportRows)) setScrollRow(scrollRow, viewportRows);
  }, [scrollRow, rows.length, viewportRows, setScrollRow]);

  const spanAt = (clientY: number): number => {
    const r = rowAtY(scrollRow, clientY - (canvas.current?.getBoundingClientRect().top ?? 0), rows.length);
    return r < 0 ? -1 : rows[r];
  };
  const onCanvasMove = (e: ReactPointerEvent<HTMLCanvasElement>) => {
    const span = spanAt(e.clientY);
    bars.hover(span);
    setHover(span < 0 ? undefined : { span, x: e.clientX, y: e.clientY, timeNs: scale.ns(e.clientX - e.currentTarget.getBoundingClientRect().left) });
  };

  const { first, end } = rowRange(scrollRow, viewportRows, rows.length);
  const domRows = [];
  for (let r = first; r < end; r++) {
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

  return (
    <div ref={box} className="relative flex min-h-0 flex-1 overflow-hidden select-none" data-testid="waterfall-body">
      <div className="relative shrink-0 overflow-hidden" style={{ width: treeWidth }}>
        {domRows}
      </div>
      <div
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize the span column"
        onPointerDown={(e) => followPointerDrag(e, (dx) => onTreeWidth(clampTreeWidth(treeWidth + dx, size.width)))}
        className="w-1 shrink-0 cursor-col-resize bg-slate-200 hover:bg-sky-400 dark:bg-slate-700"
      />
      <canvas
        ref={canvas}
        data-testid="waterfall-canvas"
        style={{ width: barsWidth, height: size.height }}
        className="block shrink-0 cursor-default"
        onPointerMove={onCanvasMove}
        onPointerLeave={() => {
          bars.hover(-1);
          setHover(undefined);
        }}
        onClick={(e) => {
          const span = spanAt(e.clientY);
          if (span >= 0) {
            select(span);
            onOpenDetails();
          }
        }}
      />
      <RowScrollbar viewportRows={viewportRows} trackHeight={size.height} />
      {hover ? <HoverCard span={hover.span} x={hover.x} y={hover.y} timeNs={hover.timeNs} /> : null}
    </div>
  );
}
