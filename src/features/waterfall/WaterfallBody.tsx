// The rows of the waterfall: the span tree column (DOM, only the rows on screen) beside the bar column
// (one canvas, painted per animation frame), with the rows' own scrollbar.
import { useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent, type ReactNode } from 'react';
import { useElementSize } from '../../components/use-element-size.ts';
import type { TimeScale } from '../../render/time-scale.ts';
import type { CriticalIndex } from '../../render/waterfall-canvas.ts';
import { useTraceView, useTraceViewStore } from '../../state/trace-view-context.ts';
import { HoverCard } from './HoverCard.tsx';
import { RowScrollbar } from './RowScrollbar.tsx';
import { TreeRow } from './TreeRow.tsx';
import { followPointerDrag } from './pointer-drag.ts';
import { useBarsPaint } from './use-bars-paint.ts';
import { useWheelNavigation } from './use-wheel-navigation.ts';
import { ROW_HEIGHT, barsWidthOf, clampTreeWidth, inlineDetailsHeight, rowAtY, rowRange, rowTop, rowsInHeight, type RowGap } from './waterfall-layout.ts';

interface Props {
  serviceColors: readonly string[];
  scale: TimeScale;
  ticksNs: readonly number[];
  critical: CriticalIndex | undefined;
  treeWidth: number;
  onTreeWidth(width: number): void;
  onOpenDetails(): void;
  /** The selected span's details, shown under its row (Jaeger's and Tempo's way), when chosen. */
  inlineDetails: ReactNode | undefined;
}

export function WaterfallBody({ serviceColors, scale, ticksNs, critical, treeWidth, onTreeWidth, onOpenDetails, inlineDetails }: Props) {
  const view = useTraceView((s) => s.view);
  const rows = useTraceView((s) => s.rows);
  const scrollRow = useTraceView((s) => s.scrollRow);
  const selected = useTraceView((s) => s.selected);
  const search = useTraceView((s) => s.search);
  const select = useTraceView((s) => s.select);
  const rowOfSpan = useTraceView((s) => s.rowOfSpan);
  const store = useTraceViewStore();

  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const size = useElementSize(box, { width: 800, height: 400 });
  const [hover, setHover] = useState<{ span: number; x: number; y: number; timeNs: number } | undefined>();

  const barsWidth = barsWidthOf(size.width, treeWidth);
  const selectedRow = selected >= 0 ? rowOfSpan[selected] : -1;
  const detailsPx = inlineDetailsHeight(size.height);
  const gap: RowGap | undefined = useMemo(() => (inlineDetails && selectedRow >= 0 ? { afterRow: selectedRow, px: detailsPx } : undefined), [inlineDetails, selectedRow, detailsPx]);
  // The rows that fit beside the inline details: scrolling, paging and the last row's place count these.
  const viewportRows = rowsInHeight(size.height - (gap ? gap.px : 0));
  const currentMatch = search.matches && search.current >= 0 ? search.matches[search.current] : -1;
  const bars = useBarsPaint({ canvas, width: barsWidth, height: size.height, serviceColors, scale, ticksNs, critical, currentMatch, gap });
  useWheelNavigation(box, { treeWidth, barsWidth, viewportRows, scale });
  // Fewer rows than before (a filter, a collapse) or a taller box: the last row stays at the bottom, never
  // leaving the top rows scrolled away above empty space.
  const setScrollRow = useTraceView((s) => s.setScrollRow);
  useEffect(() => {
    if (scrollRow > Math.max(0, rows.length - viewportRows)) setScrollRow(scrollRow, viewportRows);
  }, [scrollRow, rows.length, viewportRows, setScrollRow]);
  // Inline details that would open below the bottom: the selected row moves up, its details under it on screen.
  const gapRow = gap?.afterRow;
  useEffect(() => {
    if (gapRow === undefined) return;
    const s = store.getState();
    const bottom = rowTop(gapRow + 1, s.scrollRow) + detailsPx;
    if (gapRow < s.scrollRow || bottom > size.height) s.setScrollRow(Math.max(0, gapRow - 1), viewportRows);
  }, [gapRow, detailsPx, size.height, viewportRows, store]);

  const spanAt = (clientY: number): number => {
    const r = rowAtY(scrollRow, clientY - (canvas.current?.getBoundingClientRect().top ?? 0), rows.length, gap);
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
        top={rowTop(r, scrollRow, gap)}
        columnWidth={treeWidth}
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
      {gap ? (
        <div
          data-testid="inline-details"
          data-own-wheel
          className="absolute right-0 left-0 z-10 select-text border-y-2 border-sky-300 bg-white shadow-inner dark:border-sky-800 dark:bg-slate-900"
          style={{ top: rowTop(gap.afterRow + 1, scrollRow), height: gap.px }}
        >
          {inlineDetails}
        </div>
      ) : null}
      {hover ? <HoverCard span={hover.span} x={hover.x} y={hover.y} timeNs={hover.timeNs} /> : null}
    </div>
  );
}
