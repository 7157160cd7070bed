// The waterfall: toolbar, minimap, time axis and rows, with the keyboard map and the search round trip
// to the worker.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { serviceColorIn } from '../../components/service-colors.ts';
import { createTimeScale } from '../../render/time-scale.ts';
import { indexCriticalPath } from '../../render/waterfall-canvas.ts';
import { useTraceView, useTraceViewStore } from '../../state/trace-view-context.ts';
import { EMPTY_SEARCH } from '../../state/trace-view-store.ts';
import { useTraceWorker } from '../../state/trace-worker-context.ts';
import { Minimap } from './Minimap.tsx';
import { TimeAxis } from './TimeAxis.tsx';
import { Toolbar } from './Toolbar.tsx';
import { ROW_HEIGHT, WaterfallBody } from './WaterfallBody.tsx';

interface Props {
  /** Services of the whole file, so colours match the trace list and header. */
  fileServices: readonly string[];
  topSelfTime: Uint32Array;
  onOpenDetails(): void;
  onCloseDetails(): void;
}

/** matches + all their ancestors, and the matches alone, as per-span masks. */
function searchMasks(parent: Int32Array, matches: Uint32Array): { matchMask: Uint8Array; includeMask: Uint8Array } {
  const matchMask = new Uint8Array(parent.length);
  const includeMask = new Uint8Array(parent.length);
  for (const m of matches) {
    matchMask[m] = 1;
    for (let p = m; p >= 0 && !includeMask[p]; p = parent[p]) includeMask[p] = 1;
  }
  return { matchMask, includeMask };
}

export function Waterfall({ fileServices, topSelfTime, onOpenDetails, onCloseDetails }: Props) {
  const store = useTraceViewStore();
  const view = useTraceView((s) => s.view);
  const windowStartNs = useTraceView((s) => s.windowStartNs);
  const windowEndNs = useTraceView((s) => s.windowEndNs);
  const searchText = useTraceView((s) => s.search.text);
  const getWorker = useTraceWorker();
  const box = useRef<HTMLDivElement>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  const [width, setWidth] = useState(1000);
  // The span column takes ~32% of the width until the user drags the divider.
  const [chosenTreeWidth, setTreeWidth] = useState<number | undefined>();
  const treeWidth = chosenTreeWidth ?? Math.round(Math.max(280, Math.min(560, width * 0.32)));

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setWidth(entry.contentRect.width));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const barsWidth = Math.max(50, width - treeWidth - 4 - 10);
  const serviceColors = useMemo(() => view.services.map((s) => serviceColorIn(fileServices, s)), [view, fileServices]);
  const critical = useMemo(() => indexCriticalPath(view), [view]);
  const gapsCollapsed = useTraceView((s) => s.gapsCollapsed);
  const scale = useMemo(
    () => createTimeScale(windowStartNs, windowEndNs, barsWidth, gapsCollapsed ? view.idleGaps : []),
    [windowStartNs, windowEndNs, barsWidth, gapsCollapsed, view],
  );
  const ticksNs = useMemo(() => scale.ticks(Math.max(2, Math.floor(barsWidth / 110))), [scale, barsWidth]);
  const errorSpans = view.errorSpans;

  // Search runs in the worker (it needs attributes); a newer query makes older answers moot.
  const searchSeq = useRef(0);
  const runSearch = useCallback(
    async (text: string) => {
      const seq = ++searchSeq.current;
      if (!text.trim()) {
        store.getState().setSearch(EMPTY_SEARCH);
        return;
      }
      const outcome = await getWorker().search(view.traceId, text);
      if (seq !== searchSeq.current) return;
      if (!outcome.matches) {
        store.getState().setSearch({ ...EMPTY_SEARCH, text, error: outcome.error });
        return;
      }
      store.getState().setSearch({ text, matches: outcome.matches, ...searchMasks(view.parent, outcome.matches), error: undefined, current: -1 });
    },
    [getWorker, store, view],
  );
  const debounce = useRef(0);
  const onSearchText = (text: string) => {
    window.clearTimeout(debounce.current);
    debounce.current = window.setTimeout(() => void runSearch(text), 150);
  };
  // A query restored from the URL runs once the view is there.
  useEffect(() => {
    if (searchText && !store.getState().search.matches && !store.getState().search.error) void runSearch(searchText);
  }, [searchText, runSearch, store]);

  const viewportRows = () => Math.max(1, Math.floor(((box.current?.clientHeight ?? 400) - 130) / ROW_HEIGHT));
  // Keep a span on screen after keyboard moves and jumps.
  const reveal = useCallback(
    (span: number) => {
      const s = store.getState();
      const row = s.rowOfSpan[span];
      if (row < 0) return;
      const rowsOnScreen = viewportRows();
      if (row < s.scrollRow) s.setScrollRow(row, rowsOnScreen);
      else if (row >= s.scrollRow + rowsOnScreen - 1) s.setScrollRow(row - rowsOnScreen + 2, rowsOnScreen);
      // Bring the span's bar into the time window when it is outside.
      const start = s.view.startNs[span];
      const end = start + s.view.durationNs[span];
      if (end < s.windowStartNs || start > s.windowEndNs) {
        const w = s.windowEndNs - s.windowStartNs;
        s.setWindow(Math.max(0, start - w * 0.1), Math.max(0, start - w * 0.1) + w);
      }
    },
    [store],
  );

  // A selection made anywhere (header error count, a link, a graph) and a change of the rows (a filter, a
  // collapse) keep the selected span on screen.
  const selected = useTraceView((s) => s.selected);
  const rows = useTraceView((s) => s.rows);
  useEffect(() => {
    if (selected >= 0) reveal(selected);
  }, [selected, rows, reveal]);

  const jumpTo = useCallback(
    (span: number) => {
      store.getState().select(span);
      reveal(span);
    },
    [store, reveal],
  );

  const nextMatch = (step: 1 | -1) => {
    const { search } = store.getState();
    if (!search.matches?.length) return;
    const n = search.matches.length;
    const next = search.current < 0 ? (step === 1 ? 0 : n - 1) : (search.current + step + n) % n;
    store.getState().setCurrentMatch(next);
    jumpTo(search.matches[next]);
  };

  const nextError = (step: 1 | -1) => {
    if (!errorSpans.length) return;
    const sel = store.getState().selected;
    let k: number;
    if (step === 1) {
      k = errorSpans.findIndex((e) => e > sel);
      if (k < 0) k = 0;
    } else {
      k = -1;
      for (let j = errorSpans.length - 1; j >= 0; j--) if (errorSpans[j] < sel) {
        k = j;
        break;
      }
      if (k < 0) k = errorSpans.length - 1;
    }
    jumpTo(errorSpans[k]);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const s = store.getState();
    const row = s.selected >= 0 ? s.rowOfSpan[s.selected] : -1;
    const move = (r: number) => {
      const clamped = Math.max(0, Math.min(s.rows.length - 1, r));
      if (s.rows.length) jumpTo(s.rows[clamped]);
    };
    switch (e.key) {
      case 'ArrowDown':
        move(row + 1);
        break;
      case 'ArrowUp':
        move(row < 0 ? 0 : row - 1);
        break;
      case 'PageDown':
        move(row + viewportRows());
        break;
      case 'PageUp':
        move(row - viewportRows());
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(s.rows.length - 1);
        break;
      case 'ArrowLeft':
        if (s.selected < 0) return;
        if (s.view.childCount[s.selected] > 0 && !s.collapsed[s.selected]) s.setCollapsed(s.selected, true);
        else if (s.view.parent[s.selected] >= 0) jumpTo(s.view.parent[s.selected]);
        break;
      case 'ArrowRight':
        if (s.selected < 0) return;
        if (s.collapsed[s.selected]) s.setCollapsed(s.selected, false);
        else if (s.view.childCount[s.selected] > 0) move(row + 1);
        break;
      case 'Enter':
        if (s.selected >= 0) onOpenDetails();
        break;
      case '/':
        searchInput.current?.focus();
        break;
      case 'n':
        nextMatch(1);
        break;
      case 'N':
        nextMatch(-1);
        break;
      case 'e':
        nextError(1);
        break;
      case 'E':
        nextError(-1);
        break;
      case '[':
        s.collapseAll();
        break;
      case ']':
        s.expandAll();
        break;
      case 'Escape':
        s.select(-1);
        onCloseDetails();
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <div
      ref={box}
      data-testid="waterfall"
      role="tree"
      aria-label="Spans of the trace"
      aria-multiselectable={false}
      tabIndex={0}
      onKeyDown={onKeyDown}
      className="flex min-h-0 min-w-0 flex-1 flex-col outline-none focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:ring-inset"
    >
      <Toolbar searchInput={searchInput} onSearchText={onSearchText} onNextMatch={nextMatch} onNextError={nextError} errorCount={errorSpans.length} topSelfTime={topSelfTime} />
      <div className="flex shrink-0">
        <div className="shrink-0 border-r border-b border-slate-200 bg-slate-50 px-3 py-1 text-[11px] text-slate-500 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-400" style={{ width: treeWidth + 4 }}>
          Overview · {view.spanCount.toLocaleString('en-US')} spans
        </div>
        <Minimap width={barsWidth + 10} />
      </div>
      <TimeAxis treeWidth={treeWidth} barsWidth={barsWidth} scale={scale} ticksNs={ticksNs} />
      <WaterfallBody serviceColors={serviceColors} scale={scale} ticksNs={ticksNs} critical={critical} treeWidth={treeWidth} onTreeWidth={setTreeWidth} onOpenDetails={onOpenDetails} />
    </div>
  );
}
