// A trace: header, waterfall and the details of the selected span, with the view kept in the URL.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Suspense, useDeferredValue, useEffect, useMemo, useState, useTransition } from 'react';
import type { TraceSummary } from '../core/analysis/trace-summary.ts';
import { lazyView, preloadWhenIdle } from './lazy-view.tsx';
import { collapseAll } from '../core/analysis/visible-rows.ts';
import { serviceColorIn } from '../components/service-colors.ts';
import { SpanLinksPanel } from '../features/links/SpanLinksPanel.tsx';
import { SpanDetailsPanel } from '../features/span-details/SpanDetailsPanel.tsx';
import { TraceHeader } from '../features/trace-header/TraceHeader.tsx';
import { Waterfall } from '../features/waterfall/Waterfall.tsx';
import { useAppStore } from '../state/app-store.ts';
import { TraceViewContext } from '../state/trace-view-context.ts';
import { createTraceViewStore, type TraceViewStore } from '../state/trace-view-store.ts';
import { useTraceWorker } from '../state/trace-worker-context.ts';
import { NO_VIEW_PARAMS, readTraceTab, readViewParams, TRACE_TABS, writeTraceTab, writeUrlState, writeViewParams, type TraceTab, type ViewParams } from '../state/url.ts';
import { AsyncPathBanner } from '../features/links/AsyncPathBanner.tsx';
import { useFetchLinkedTrace } from './use-fetch-linked-trace.ts';
import { useSpanDetails } from '../state/use-span-details.ts';
import { useStore } from 'zustand';

const TAB_LABELS: Record<TraceTab, string> = {
  waterfall: 'Waterfall',
  services: 'Services',
  operations: 'Operations',
  stats: 'Statistics',
  flame: 'Flamegraph',
  compare: 'Compare',
  links: 'Links',
};

interface Props {
  trace: TraceSummary;
  fileServices: readonly string[];
}

// The other tabs load on first use (and are fetched ahead once the page is idle: fetchTabsWhenIdle), so
// opening a file does not wait for graph layout, the flamegraph or the diff code.
const services = lazyView(() => import('./AnalysisViews.tsx').then((m) => m.ServicesView));
const operations = lazyView(() => import('./AnalysisViews.tsx').then((m) => m.OperationsView));
const stats = lazyView(() => import('./AnalysisViews.tsx').then((m) => m.StatsView));
const flame = lazyView(() => import('./FlameView.tsx').then((m) => m.FlameView));
const compare = lazyView(() => import('./CompareView.tsx').then((m) => m.CompareView));
const links = lazyView(() => import('./LinksView.tsx').then((m) => m.LinksView));
const ServicesView = services.View;
const OperationsView = operations.View;
const StatsView = stats.View;
const FlameView = flame.View;
const CompareView = compare.View;
const LinksView = links.View;
let tabsFetched = false;
function fetchTabsWhenIdle(): void {
  if (tabsFetched) return;
  tabsFetched = true;
  preloadWhenIdle([services, operations, stats, flame, compare, links]);
}

export function TracePage({ trace, fileServices }: Props) {
  const getWorker = useTraceWorker();
  const loadKey = useAppStore((s) => s.file?.requestId);
  const viewQuery = useQuery({
    queryKey: ['trace-view', loadKey, trace.traceId],
    queryFn: () => getWorker().openTrace(trace.traceId),
    staleTime: Infinity,
    gcTime: 0,
    structuralSharing: false,
    // A refresh with more spans keeps showing the trace until the new layout is ready (not another trace).
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[2] === trace.traceId ? keepPreviousData(previous) : undefined),
  });
  // Its waterfall renders at low priority, sliced into short tasks (see App's deferred file).
  const viewData = useDeferredValue(viewQuery.data);
  const store = useMemo(() => (viewData ? createTraceViewStore(viewData) : undefined), [viewData]);
  useEffect(() => {
    if (store) fetchTabsWhenIdle();
  }, [store]);
  const [tab, setTab] = useState(readTraceTab);
  const stitched = useAppStore((s) => s.stitched.find((v) => v.summary.traceId === trace.traceId));
  const fetchLinkedTrace = useFetchLinkedTrace();
  useEffect(() => {
    const onPop = () => setTab(readTraceTab());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  // A transition: a tab whose code is still on its way leaves the current one in place meanwhile, rather
  // than the Suspense fallback, which React keeps for at least 300 ms.
  const [switchingTab, startTabSwitch] = useTransition();
  const chooseTab = (next: TraceTab) => {
    startTabSwitch(() => setTab(next));
    writeTraceTab(next, 'push');
  };
  // From a graph of many traces: one of them, its waterfall showing only those spans.
  const selectTrace = useAppStore((s) => s.selectTrace);
  const openTraceFiltered = (traceId: string, query: string) => {
    if (traceId === trace.traceId) return showInWaterfall(query);
    writeUrlState({ traceId }, 'push');
    writeViewParams({ ...NO_VIEW_PARAMS, query, onlyMatches: true }, 'replace');
    writeTraceTab('waterfall', 'replace');
    setTab('waterfall');
    selectTrace(traceId);
  };
  // From another view: the waterfall with this span selected.
  const openSpanInWaterfall = (span: number) => {
    writeViewParams({ ...readViewParams(), selected: span }, 'push');
    writeTraceTab('waterfall', 'replace');
    setTab('waterfall');
  };
  // From a graph or a table: the waterfall with only those spans (and their ancestors).
  const showInWaterfall = (query: string) => {
    writeViewParams({ ...readViewParams(), query, onlyMatches: query !== '' }, 'push');
    writeTraceTab('waterfall', 'replace');
    setTab('waterfall');
  };

  return (
    <div className={`flex min-h-0 flex-1 flex-col ${switchingTab ? 'cursor-progress' : ''}`} data-testid="trace-page" aria-busy={switchingTab || undefined}>
      <TraceHeader
        trace={trace}
        fileServices={fileServices}
        onErrorsClick={() => store?.getState().select(firstError(store))}
        actions={
          <nav className="flex gap-0.5 rounded-lg bg-slate-100 p-0.5 dark:bg-slate-800" aria-label="Trace views">
        {TRACE_TABS.map((t) => (
          <button
            key={t}
            type="button"
            data-testid={`tab-${t}`}
            aria-current={tab === t ? 'page' : undefined}
            onClick={() => chooseTab(t)}
            className={`rounded-md px-2.5 py-1 text-sm font-medium ${tab === t ? 'bg-white text-sky-700 shadow-sm dark:bg-slate-900 dark:text-sky-300' : 'text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100'}`}
          >
            {TAB_LABELS[t]}
          </button>
        ))}
          </nav>
        }
      />
      <Suspense fallback={<p className="m-6 text-sm text-slate-500">Loading the view…</p>}>
        {tab === 'services' ? (
          <ServicesView traceId={trace.traceId} services={fileServices} onFilter={showInWaterfall} onOpenTrace={openTraceFiltered} />
        ) : tab === 'operations' ? (
          <OperationsView traceId={trace.traceId} services={fileServices} onFilter={showInWaterfall} />
        ) : tab === 'stats' ? (
          <StatsView traceId={trace.traceId} services={fileServices} onFilter={showInWaterfall} />
        ) : tab === 'flame' ? (
          <FlameView traceId={trace.traceId} view={viewData} services={fileServices} onFilter={showInWaterfall} onOpenSpan={openSpanInWaterfall} />
        ) : tab === 'compare' ? (
          <CompareView trace={trace} services={fileServices} onFetchTrace={fetchLinkedTrace} />
        ) : tab === 'links' ? (
          <LinksView
            traceId={trace.traceId}
            services={fileServices}
            onFetchTrace={fetchLinkedTrace}
            onShowWaterfall={() => {
              setTab('waterfall');
              writeTraceTab('waterfall', 'replace');
            }}
          />
        ) : viewQuery.isError ? (
          <p role="alert" className="m-4 text-sm text-red-700">
            Could not open the trace: {viewQuery.error.message}
          </p>
        ) : !store ? (
          <p className="m-6 text-sm text-slate-500">Laying out {trace.spanCount.toLocaleString('en-US')} spans…</p>
        ) : (
          <TraceViewContext.Provider value={store}>
            {stitched ? <AsyncPathBanner asyncPath={stitched.asyncPath} /> : null}
            <TraceView store={store} fileServices={fileServices} onFetchTrace={fetchLinkedTrace} />
          </TraceViewContext.Provider>
        )}
      </Suspense>
    </div>
  );
}

function firstError(store: TraceViewStore): number {
  return store.getState().view.errorSpans[0] ?? -1;
}

function TraceView({ store, fileServices, onFetchTrace }: { store: TraceViewStore; fileServices: readonly string[]; onFetchTrace(traceId: string): Promise<void> }) {
  const [detailsOpen, setDetailsOpen] = useState(() => readViewParams().details);
  const view = useStore(store, (s) => s.view);
  const selected = useStore(store, (s) => s.selected);
  const details = useSpanDetails(detailsOpen ? selected : -1);
  const selectTrace = useAppStore((s) => s.selectTrace);
  const getWorker = useTraceWorker();
  const loadKey = useAppStore((s) => s.file?.requestId);
  // Links across everything loaded (the span details only know the file's own).
  const spanLinks = useQuery({
    queryKey: ['span-links', loadKey, view.traceId, selected],
    queryFn: () => getWorker().analyze({ kind: 'spanLinks', traceId: view.traceId, spanIndex: selected }),
    enabled: detailsOpen && selected >= 0,
    staleTime: Infinity,
  });
  const openSpan = (traceId: string, spanIndex: number) => {
    if (traceId === view.traceId) return store.getState().select(spanIndex);
    // Another trace: open it with the span selected; Back returns here.
    writeUrlState({ traceId }, 'push');
    writeViewParams({ ...NO_VIEW_PARAMS, selected: spanIndex, details: true }, 'replace');
    selectTrace(traceId);
  };

  // URL → view, on open and on Back/Forward (the file's view: the skew toggle swaps the drawn one).
  const fileView = useMemo(() => store.getState().view, [store]);
  useEffect(() => {
    const view = fileView;
    const restore = () => {
      const p = readViewParams();
      const n = view.spanCount;
      store.getState().restore({
        selected: p.selected !== undefined && p.selected < n ? p.selected : -1,
        windowStartNs: p.window ? p.window[0] : 0,
        windowEndNs: p.window ? p.window[1] : Math.max(1, view.traceDurationNs),
        collapsed: p.collapsed === 'all' ? collapseAll(view) : collapsedFrom(p.collapsed ?? [], n),
        onlyMatches: p.onlyMatches,
        criticalOnly: p.criticalOnly,
        showCriticalPath: !p.criticalPathHidden,
        skewAdjusted: p.skewAdjusted,
        gapsCollapsed: p.gapsCollapsed,
      });
      if ((p.query ?? '') !== store.getState().search.text) store.getState().setSearch({ ...store.getState().search, text: p.query ?? '', matches: undefined, error: undefined });
      setDetailsOpen(p.details);
    };
    restore();
    window.addEventListener('popstate', restore);
    return () => window.removeEventListener('popstate', restore);
  }, [store, fileView]);

  // View → URL: a new history entry per selection, the rest replaces the current one.
  useEffect(() => {
    let timer = 0;
    let last = store.getState();
    const write = (mode: 'push' | 'replace') => writeViewParams(paramsOf(store, detailsOpen), mode);
    const unsubscribe = store.subscribe((s) => {
      const selectionChanged = s.selected !== last.selected;
      last = s;
      window.clearTimeout(timer);
      if (selectionChanged) write('push');
      else timer = window.setTimeout(() => write('replace'), 250);
    });
    write('replace');
    return () => {
      unsubscribe();
      window.clearTimeout(timer);
    };
  }, [store, detailsOpen]);

  return (
    <div className="flex min-h-0 flex-1">
      <Waterfall fileServices={fileServices} topSelfTime={view.topSelfTime} onOpenDetails={() => setDetailsOpen(true)} onCloseDetails={() => setDetailsOpen(false)} />
      {detailsOpen && selected >= 0 ? (
        <div className="flex w-[420px] shrink-0 flex-col border-l border-slate-200 dark:border-slate-800">
          <div className="min-h-0 flex-1">
          <SpanDetailsPanel
            details={details.data}
            loading={details.isLoading}
            selfTimeNs={view.selfTimeNs[selected]}
            serviceColor={serviceColorIn(fileServices, view.services[view.service[selected]])}
            onFollowLink={(link) => {
              if (link.target) openSpan(link.target.traceId, link.target.span);
            }}
            onClose={() => setDetailsOpen(false)}
          />
          </div>
          {spanLinks.data ? (
            <div className="max-h-[45%] shrink-0 overflow-y-auto bg-white dark:bg-slate-900">
              <SpanLinksPanel links={spanLinks.data} onOpenSpan={openSpan} onFetchTrace={(id) => void onFetchTrace(id)} />
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function collapsedFrom(indices: readonly number[], n: number): Uint8Array {
  const c = new Uint8Array(n);
  for (const i of indices) if (i < n) c[i] = 1;
  return c;
}

function paramsOf(store: TraceViewStore, details: boolean): ViewParams {
  const s = store.getState();
  const total = Math.max(1, s.view.traceDurationNs);
  const zoomed = s.windowStartNs > 0 || s.windowEndNs < total;
  // Collapsed spans as a list, or 'all' when every span with children is collapsed (too long lists are dropped).
  let collapsed: ViewParams['collapsed'];
  const list: number[] = [];
  let collapsedCount = 0;
  let collapsible = 0;
  for (let i = 0; i < s.collapsed.length; i++) {
    if (s.view.childCount[i] > 0) collapsible++;
    if (!s.collapsed[i]) continue;
    collapsedCount++;
    if (list.length <= 2000) list.push(i);
  }
  if (collapsedCount > 0) collapsed = collapsedCount === collapsible ? 'all' : list.length <= 2000 ? list : undefined;
  return {
    selected: s.selected >= 0 ? s.selected : undefined,
    window: zoomed ? [s.windowStartNs, s.windowEndNs] : undefined,
    collapsed,
    query: s.search.text || undefined,
    onlyMatches: s.onlyMatches,
    criticalOnly: s.criticalOnly,
    criticalPathHidden: !s.showCriticalPath,
    details: details && s.selected >= 0,
    skewAdjusted: s.skewAdjusted,
    gapsCollapsed: s.gapsCollapsed,
  };
}
