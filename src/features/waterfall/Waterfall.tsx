// The waterfall: toolbar, minimap, time axis and rows. Its phases live beside it: the layout math
// (waterfall-layout.ts), what keys and the wheel mean (waterfall-navigation.ts), the search round trip
// (use-waterfall-search.ts), the keyboard and jumps (use-span-navigation.ts), and the canvas (use-bars-paint.ts).
import { useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import { ResizeHandle } from '../../components/ResizeHandle.tsx';
import { serviceColor } from '../../components/service-colors.ts';
import { useElementSize } from '../../components/use-element-size.ts';
import { createTimeScale } from '../../render/time-scale.ts';
import { indexCriticalPath } from '../../render/waterfall-canvas.ts';
import { useDetailsLayout } from '../../state/details-layout-store.ts';
import { useTraceView } from '../../state/trace-view-context.ts';
import { Minimap } from './Minimap.tsx';
import { TimeAxis } from './TimeAxis.tsx';
import { ShortcutSheet } from './ShortcutSheet.tsx';
import { Toolbar } from './Toolbar.tsx';
import { WaterfallBody } from './WaterfallBody.tsx';
import { useSpanNavigation } from './use-span-navigation.ts';
import { useWaterfallSearch } from './use-waterfall-search.ts';
import { DIVIDER_PX, barsWidthOf, bottomPaneBounds, defaultTreeWidth, rowsInHeight, sidePaneBounds } from './waterfall-layout.ts';
import { plural } from '../../core/plural.ts';

interface Props {
  /** Services of the whole file, so colours match the trace list and header. */
  topSelfTime: Uint32Array;
  onOpenDetails(): void;
  onCloseDetails(): void;
  /** The selected span's details when open, placed where the user chose (beside, under or inline). */
  details: ReactNode | undefined;
}

/** The minimap and axis above the rows, for the keyboard's page size. */
const CHROME_ABOVE_ROWS_PX = 80;

export function Waterfall({ topSelfTime, onOpenDetails, onCloseDetails, details }: Props) {
  const view = useTraceView((s) => s.view);
  const windowStartNs = useTraceView((s) => s.windowStartNs);
  const windowEndNs = useTraceView((s) => s.windowEndNs);
  const gapsCollapsed = useTraceView((s) => s.gapsCollapsed);
  const box = useRef<HTMLDivElement>(null);
  const panes = useRef<HTMLDivElement>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  const { width } = useElementSize(box, { width: 1000, height: 0 });
  const panesSize = useElementSize(panes, { width: 1000, height: 600 });
  const placement = useDetailsLayout((s) => s.placement);
  const [chosenTreeWidth, setTreeWidth] = useState<number | undefined>();
  const treeWidth = chosenTreeWidth ?? defaultTreeWidth(width);
  const barsWidth = barsWidthOf(width, treeWidth);

  const serviceColors = useMemo(() => view.services.map(serviceColor), [view]);
  const critical = useMemo(() => indexCriticalPath(view), [view]);
  const scale = useMemo(
    () => createTimeScale(windowStartNs, windowEndNs, barsWidth, gapsCollapsed ? view.idleGaps : []),
    [windowStartNs, windowEndNs, barsWidth, gapsCollapsed, view],
  );
  const ticksNs = useMemo(() => scale.ticks(Math.max(2, Math.floor(barsWidth / 110))), [scale, barsWidth]);

  const onSearchText = useWaterfallSearch(view);
  const viewportRows = useCallback(() => rowsInHeight((box.current?.clientHeight ?? 400) - CHROME_ABOVE_ROWS_PX), []);
  const { nextMatch, nextError, sheetOpen, closeSheet } = useSpanNavigation({ viewportRows, searchInput, onOpenDetails, onCloseDetails });

  return (
    <div
      data-testid="waterfall"
      role="tree"
      aria-label="Spans of the trace"
      aria-multiselectable={false}
      tabIndex={0}
      className="flex min-h-0 min-w-0 flex-1 flex-col outline-none focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:ring-inset"
    >
      <Toolbar searchInput={searchInput} onSearchText={onSearchText} onNextMatch={nextMatch} onNextError={nextError} errorCount={view.errorSpans.length} topSelfTime={topSelfTime} />
      <div ref={panes} className={`flex min-h-0 min-w-0 flex-1 ${placement === 'bottom' ? 'flex-col' : ''}`}>
        <div ref={box} className="flex min-h-0 min-w-0 flex-1 flex-col">
          <div className="flex shrink-0">
            <div className="shrink-0 border-r border-b border-slate-200 bg-slate-50 px-3 py-1 text-[11px] text-slate-500 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-400" style={{ width: treeWidth + DIVIDER_PX }}>
              Overview · {plural(view.spanCount, 'span')}
            </div>
            <Minimap width={barsWidth + 10} />
          </div>
          <TimeAxis treeWidth={treeWidth} barsWidth={barsWidth} scale={scale} ticksNs={ticksNs} />
          <WaterfallBody
            serviceColors={serviceColors}
            scale={scale}
            ticksNs={ticksNs}
            critical={critical}
            treeWidth={treeWidth}
            onTreeWidth={setTreeWidth}
            onOpenDetails={onOpenDetails}
            inlineDetails={placement === 'inline' ? details : undefined}
          />
        </div>
        {details && placement !== 'inline' ? <DockedPane placement={placement} width={panesSize.width} height={panesSize.height}>{details}</DockedPane> : null}
      </div>
      {sheetOpen ? <ShortcutSheet onClose={closeSheet} /> : null}
    </div>
  );
}

/** The details beside the rows or under them, sized by dragging (or the arrow keys on) the handle. */
function DockedPane({ placement, width, height, children }: { placement: 'side' | 'bottom'; width: number; height: number; children: ReactNode }) {
  const sideWidth = useDetailsLayout((s) => s.sideWidthPx);
  const bottomHeight = useDetailsLayout((s) => s.bottomHeightPx);
  const setSideWidth = useDetailsLayout((s) => s.setSideWidth);
  const setBottomHeight = useDetailsLayout((s) => s.setBottomHeight);
  const side = placement === 'side';
  const bounds = side ? sidePaneBounds(width) : bottomPaneBounds(height);
  const size = Math.max(bounds.min, Math.min(bounds.max, side ? sideWidth : bottomHeight));
  return (
    <>
      <ResizeHandle
        orientation={side ? 'vertical' : 'horizontal'}
        label={side ? 'Resize the details pane (width)' : 'Resize the details pane (height)'}
        testId="details-resize"
        size={size}
        min={bounds.min}
        max={bounds.max}
        grow={-1}
        onResize={side ? setSideWidth : setBottomHeight}
      />
      <div data-testid="details-pane" data-placement={placement} className="min-h-0 min-w-0 shrink-0" style={side ? { width: size } : { height: size }}>
        {children}
      </div>
    </>
  );
}
