// The trace page's own view: the waterfall and the selected span's details, its state restored from the
// URL (on open, Back/Forward) and written back to it (a new history entry per selection).
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { collapseAll } from '../core/analysis/visible-rows.ts';
import { DetailsPlacementPicker } from '../components/DetailsPlacementPicker.tsx';
import { serviceColor } from '../components/service-colors.ts';
import { SpanLinksPanel } from '../features/links/SpanLinksPanel.tsx';
import { SpanDetailsPanel } from '../features/span-details/SpanDetailsPanel.tsx';
import { Waterfall } from '../features/waterfall/Waterfall.tsx';
import { useAppStore } from '../state/app-store.ts';
import type { Navigation } from '../state/navigation.ts';
import type { TraceViewStore } from '../state/trace-view-store.ts';
import { useTraceWorker } from '../state/trace-worker-context.ts';
import { useSpanDetails } from '../state/use-span-details.ts';
import { useUrl, useUrlStore } from '../state/url-context.ts';
import { NO_VIEW_PARAMS, readViewParams, viewParamsEdit, type ViewParams } from '../state/url.ts';

interface Props {
  store: TraceViewStore;
  navigation: Navigation;
  onFetchTrace(traceId: string): Promise<void>;
}

export function TraceWaterfall({ store, navigation, onFetchTrace }: Props) {
  const url = useUrlStore();
  const [detailsOpen, setDetailsOpen] = useState(() => readViewParams(url.state.getState().search).details);
  useViewFromUrl(store, setDetailsOpen);
  useViewToUrl(store, detailsOpen);
  const view = useStore(store, (s) => s.view);
  const selected = useStore(store, (s) => s.selected);
  const spanDetails = useSpanDetails(detailsOpen ? selected : -1);
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
    navigation.openTrace(traceId, [viewParamsEdit({ ...NO_VIEW_PARAMS, selected: spanIndex, details: true })]);
  };

  const links = spanLinks.data;
  const details =
    detailsOpen && selected >= 0 ? (
      <SpanDetailsPanel
        details={spanDetails.data}
        loading={spanDetails.isLoading}
        selfTimeNs={view.selfTimeNs[selected]}
        serviceColor={serviceColor(view.services[view.service[selected]])}
        onFollowLink={(link) => {
          // Named by trace id: the target may be in this trace, another of the file, or a fetched one.
          if (link.target) openSpan(link.target.traceId, link.target.span);
        }}
        onClose={() => setDetailsOpen(false)}
        headerActions={<DetailsPlacementPicker />}
        linksSection={links && (links.outgoing.length || links.incoming.length) ? <SpanLinksPanel links={links} onOpenSpan={openSpan} onFetchTrace={(id) => void onFetchTrace(id)} /> : undefined}
      />
    ) : undefined;

  return (
    <div className="flex min-h-0 flex-1">
      <Waterfall topSelfTime={view.topSelfTime} onOpenDetails={() => setDetailsOpen(true)} onCloseDetails={() => setDetailsOpen(false)} details={details} />
    </div>
  );
}

/** URL → view, on open and when the app follows the URL (Back/Forward); the file's view, which the skew toggle does not swap. */
function useViewFromUrl(store: TraceViewStore, setDetailsOpen: (open: boolean) => void): void {
  const url = useUrlStore();
  const followed = useUrl((s) => s.followed);
  const fileView = useMemo(() => store.getState().view, [store]);
  useEffect(() => {
    const view = fileView;
    const p = readViewParams(url.state.getState().search);
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
  }, [store, fileView, url, followed, setDetailsOpen]);
}

/** View → URL: a new history entry per selection, the rest replaces the current one. */
function useViewToUrl(store: TraceViewStore, detailsOpen: boolean): void {
  const url = useUrlStore();
  useEffect(() => {
    let timer = 0;
    let last = store.getState();
    const write = (mode: 'push' | 'replace') => url.change(mode, [viewParamsEdit(paramsOf(store, detailsOpen))]);
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
  }, [store, detailsOpen, url]);
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
