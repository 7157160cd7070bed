// The waterfall: toolbar, minimap, time axis and rows. Its phases live beside it: the layout math
// (waterfall-layout.ts), what keys and the wheel mean (waterfall-navigation.ts), the search round trip
// (use-waterfall-search.ts), the keyboard and jumps (use-span-navigation.ts), and the canvas (use-bars-paint.ts).
import { useCallback, useMemo, useRef, useState } from 'react';
import { serviceColorIn } from '../../components/service-colors.ts';
import { useElementSize } from '../../components/use-element-size.ts';
import { createTimeScale } from '../../render/time-scale.ts';
import { indexCriticalPath } from '../../render/waterfall-canvas.ts';
import { useTraceView } from '../../state/trace-view-context.ts';
import { Minimap } from './Minimap.tsx';
import { TimeAxis } from './TimeAxis.tsx';
import { ShortcutSheet } from './ShortcutSheet.tsx';
import { Toolbar } from './Toolbar.tsx';
import { WaterfallBody } from './WaterfallBody.tsx';
import { useSpanNavigation } from './use-span-navigation.ts';
import { useWaterfallSearch } from './use-waterfall-search.ts';
import { DIVIDER_PX, barsWidthOf, defaultTreeWidth, rowsInHeight } from './waterfall-layout.ts';

interface Props {
  /** Services of the whole file, so colours match the trace list and header. */
  fileServices: readonly string[];
  topSelfTime: Uint32Array;
  onOpenDetails(): void;
  onCloseDetails(): void;
}

/** The toolbar, minimap and axis above the rows, for the keyboard's page size. */
const CHROME_ABOVE_ROWS_PX = 130;

export function Waterfall({ fileServices, topSelfTime, onOpenDetails, onCloseDetails }: Props) {
  const view = useTraceView((s) => s.view);
  const windowStartNs = useTraceView((s) => s.windowStartNs);
  const windowEndNs = useTraceView((s) => s.windowEndNs);
  const gapsCollapsed = useTraceView((s) => s.gapsCollapsed);
  const box = useRef<HTMLDivElement>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  const { width } = useElementSize(box, { width: 1000, height: 0 });
  const [chosenTreeWidth, setTreeWidth] = useState<number | undefined>();
  const treeWidth = chosenTreeWidth ?? defaultTreeWidth(width);
  const barsWidth = barsWidthOf(width, treeWidth);

  const serviceColors = useMemo(() => view.services.map((s) => serviceColorIn(fileServices, s)), [view, fileServices]);
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
      ref={box}
      data-testid="waterfall"
      role="tree"
      aria-label="Spans of the trace"
      aria-multiselectable={false}
      tabIndex={0}
      className="flex min-h-0 min-w-0 flex-1 flex-col outline-none focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:ring-inset"
    >
      <Toolbar searchInput={searchInput} onSearchText={onSearchText} onNextMatch={nextMatch} onNextError={nextError} errorCount={view.errorSpans.length} topSelfTime={topSelfTime} />
      <div className="flex shrink-0">
        <div className="shrink-0 border-r border-b border-slate-200 bg-slate-50 px-3 py-1 text-[11px] text-slate-500 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-400" style={{ width: treeWidth + DIVIDER_PX }}>
          Overview · {view.spanCount.toLocaleString('en-US')} spans
        </div>
        <Minimap width={barsWidth + 10} />
      </div>
      <TimeAxis treeWidth={treeWidth} barsWidth={barsWidth} scale={scale} ticksNs={ticksNs} />
      <WaterfallBody serviceColors={serviceColors} scale={scale} ticksNs={ticksNs} critical={critical} treeWidth={treeWidth} onTreeWidth={setTreeWidth} onOpenDetails={onOpenDetails} />
      {sheetOpen ? <ShortcutSheet onClose={closeSheet} /> : null}
    </div>
  );
}
