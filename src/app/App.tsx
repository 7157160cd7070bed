import { Suspense, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { formatBytes } from '../components/format.ts';
import type { TraceSearchQuery } from '../core/api/backend-api.ts';
import { searchQueryToParams } from '../core/api/search-params.ts';
import { compareEpoch } from '../core/model/time.ts';
import { DropZone } from '../features/open-trace/DropZone.tsx';
import { LoadErrorBanner } from '../features/open-trace/LoadErrorBanner.tsx';
import { LoadProgress } from '../features/open-trace/LoadProgress.tsx';
import { PasteDialog } from '../features/open-trace/PasteDialog.tsx';
import { useOpenTrace } from '../features/open-trace/use-open-trace.ts';
import { decodeFragment } from '../features/share/fragment-codec.ts';
import { ShareButton } from '../features/share/ShareButton.tsx';
import { TraceList } from '../features/trace-list/TraceList.tsx';
import { useLiveTraceStatus } from '../queries/live-trace-status.ts';
import { useAppStore, type LoadingState, type OpenTarget } from '../state/app-store.ts';
import {
  pushBackendTraceUrl,
  pushFileUrl,
  readAnalysisParams,
  readSearchUrlState,
  readUrlState,
  writeAnalysisParams,
  writeSearchUrlState,
  writeTraceTab,
  writeUrlState,
  type TraceTab,
  type UrlState,
} from '../state/url.ts';
import { ThemeButton } from './ThemeButton.tsx';
import { TracePage } from './TracePage.tsx';
import { lazyView, preloadWhenIdle } from './lazy-view.tsx';

// Loaded on first use (the scatter plot and the backend forms are not needed to open a file).
const searchPage = lazyView(() => import('./SearchPage.tsx').then((m) => m.SearchPage));
const SearchPage = searchPage.View;

export function App() {
  const open = useOpenTrace();
  const loading = useAppStore((s) => s.loading);
  const error = useAppStore((s) => s.error);
  const loadedFile = useAppStore((s) => s.file);
  // A new file's page renders at low priority, which React slices into short tasks (rendering it in
  // the worker message's own task was the load's longest main-thread task); the progress stays meanwhile.
  const file = useDeferredValue(loadedFile);
  const lastLoading = useRef<LoadingState | undefined>(undefined);
  if (loading) lastLoading.current = loading;
  const selectedTraceId = useAppStore((s) => s.selectedTraceId);
  const selectTrace = useAppStore((s) => s.selectTrace);
  const selectTraceFromUrl = useAppStore((s) => s.selectTraceFromUrl);
  const dismissError = useAppStore((s) => s.dismissError);
  const source = useAppStore((s) => s.source);
  const reportError = useAppStore((s) => s.reportError);
  const [pasting, setPasting] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [page, setPage] = useState(() => readUrlState().page);
  const [search, setSearch] = useState(() => ({ form: readSearchUrlState(), submittedAt: Date.now() }));

  // The URL names what to open: ?url=, ?backend=&trace=, ?share= or a trace carried in #z=.
  const openFromUrl = useCallback(
    (url: UrlState, current: OpenTarget | undefined) => {
      const target = urlTarget(url);
      if (target && !sameTarget(target, current)) void open(target);
      else if (!target && !current && window.location.hash) {
        decodeFragment(window.location.hash).then(
          (text) => {
            if (text !== undefined) void open({ kind: 'text', text, name: 'trace from link' });
          },
          (err: unknown) => reportError({ kind: 'bad-shape', message: 'The trace in this link is damaged', detail: String(err) }),
        );
      }
    },
    [open, reportError],
  );

  // The search page's code, fetched once the page is idle: its first opening then renders at once.
  useEffect(() => preloadWhenIdle([searchPage]), []);
  // Once on start; then Back/Forward move between the search page, the trace list and traces.
  useEffect(() => {
    const url = readUrlState();
    if (url.page !== 'search') openFromUrl(url, undefined);
  }, [openFromUrl]);
  useEffect(() => {
    const onPop = () => {
      const url = readUrlState();
      setPage(url.page);
      if (url.page === 'search') setSearch({ form: readSearchUrlState(), submittedAt: Date.now() });
      else {
        openFromUrl(url, source);
        selectTraceFromUrl(url.traceId);
      }
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [openFromUrl, selectTraceFromUrl, source]);

  // A trace the server is still receiving: reload it quietly when its span count moves.
  const liveTarget = source?.kind === 'backend' ? source : undefined;
  const liveStatus = useLiveTraceStatus(liveTarget?.backend, liveTarget?.traceId).data;
  const loadedLiveCount = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (!liveTarget || !liveStatus || loading) return;
    if (loadedLiveCount.current === undefined) loadedLiveCount.current = liveStatus.spanCount;
    else if (liveStatus.spanCount !== loadedLiveCount.current) {
      loadedLiveCount.current = liveStatus.spanCount;
      void open(liveTarget, { background: true });
    }
  }, [liveTarget, liveStatus, loading, open]);
  useEffect(() => {
    loadedLiveCount.current = undefined;
  }, [liveTarget?.backend, liveTarget?.traceId]);

  const openSearch = () => {
    writeSearchUrlState(search.form, 'push');
    setPage('search');
  };
  const openFromBackend = (backend: string, traceId: string) => {
    pushBackendTraceUrl(backend, traceId);
    setPage(undefined);
    void open({ kind: 'backend', backend, traceId });
  };
  // A search's traces as one file (the server gathers them): aggregate views over all of them.
  const openSearchResults = (backend: string, query: TraceSearchQuery) => {
    const url = `/api/backends/${encodeURIComponent(backend)}/results?${searchQueryToParams(query).toString()}`;
    pushFileUrl(url);
    setPage(undefined);
    void open({ kind: 'url', url });
  };
  // The multi-trace file's aggregate views open on its first trace, over every trace.
  const openAggregate = (tab: TraceTab) => {
    const first = file && [...file.summary.traces].sort((a, b) => compareEpoch(a.traceStart, b.traceStart))[0];
    if (!first) return;
    writeUrlState({ traceId: first.traceId, page: undefined }, 'push');
    writeTraceTab(tab, 'replace');
    writeAnalysisParams({ ...readAnalysisParams(), allTraces: true }, 'replace');
    selectTrace(first.traceId);
  };
  const openLocal = (target: OpenTarget) => {
    setPage(undefined);
    void open(target);
  };

  // Pasting JSON anywhere outside a text field opens it.
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target?.closest('input, textarea, [contenteditable]')) return;
      const text = e.clipboardData?.getData('text/plain');
      if (!text?.trim()) return;
      setPage(undefined);
      void open({ kind: 'text', text, name: 'pasted JSON' });
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [open]);

  const fileServices = useMemo(() => [...new Set(file?.summary.traces.flatMap((t) => t.services))].sort(), [file]);
  const stitched = useAppStore((s) => s.stitched);
  const selected = file?.summary.traces.find((t) => t.traceId === selectedTraceId) ?? stitched.find((v) => v.summary.traceId === selectedTraceId)?.summary;
  const multi = (file?.summary.traces.length ?? 0) > 1;

  const choose = (traceId: string | undefined) => {
    selectTrace(traceId);
    setPage(undefined);
    writeUrlState({ traceId, page: undefined }, 'push');
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const dropped = e.dataTransfer.files[0];
    if (dropped) openLocal({ kind: 'file', file: dropped });
  };

  return (
    <div
      className="flex h-screen flex-col overflow-hidden bg-slate-50 text-slate-800 dark:bg-slate-950 dark:text-slate-200"
      onDragOver={(e) => {
        e.preventDefault();
        if (e.dataTransfer.types.includes('Files')) setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.relatedTarget === null) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <header className="flex h-12 shrink-0 items-center gap-4 border-b border-slate-200 bg-white px-4 dark:border-slate-800 dark:bg-slate-900">
        <button type="button" onClick={() => choose(undefined)} className="flex items-center gap-2 font-semibold tracking-tight text-slate-900 dark:text-slate-50" title="Spanscope">
          <svg aria-hidden width="20" height="20" viewBox="0 0 20 20">
            <rect x="1" y="3" width="11" height="3" rx="1" fill="#0072B2" />
            <rect x="5" y="8.5" width="12" height="3" rx="1" fill="#44AA99" />
            <rect x="8" y="14" width="8" height="3" rx="1" fill="#E69F00" />
          </svg>
          Spanscope
        </button>
        {file ? (
          <nav className="flex min-w-0 items-center gap-2 text-sm text-slate-500 dark:text-slate-400" aria-label="Breadcrumb">
            <span className="truncate font-mono text-slate-700 dark:text-slate-200" data-testid="source-name">
              {file.sourceName}
            </span>
            <span className="shrink-0 rounded bg-slate-100 px-1.5 py-0.5 text-[11px] dark:bg-slate-800">{file.summary.formatLabel}</span>
            <span className="shrink-0 text-xs">{formatBytes(file.byteLength)}</span>
            {liveStatus?.receiving ? (
              <span
                data-testid="trace-receiving"
                title={`Spans still arriving (${liveStatus.spanCount} so far); the view refreshes as they come`}
                className="flex shrink-0 items-center gap-1.5 rounded-full bg-sky-100 px-2 py-0.5 text-[11px] font-medium text-sky-800 dark:bg-sky-900/60 dark:text-sky-200"
              >
                <span className="h-1.5 w-1.5 animate-pulse rounded-full bg-sky-500" aria-hidden />
                incomplete · still receiving
              </span>
            ) : null}
            {multi && selected ? (
              <>
                <span>›</span>
                <button type="button" data-testid="back-to-list" onClick={() => choose(undefined)} className="shrink-0 text-sky-600 hover:underline dark:text-sky-400">
                  all {file.summary.traces.length} traces
                </button>
              </>
            ) : null}
          </nav>
        ) : null}
        <div className="ml-auto flex items-center gap-2">
          <button type="button" className={page === 'search' ? 'btn-primary' : 'btn-secondary'} data-testid="nav-search" aria-current={page === 'search' ? 'page' : undefined} onClick={openSearch}>
            Search
          </button>
          <label className="btn-secondary cursor-pointer">
            Open file…
            <input
              type="file"
              data-testid="header-file-input"
              className="hidden"
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) openLocal({ kind: 'file', file: f });
                e.target.value = '';
              }}
            />
          </label>
          <button type="button" className="btn-secondary" onClick={() => setPasting(true)}>
            Paste
          </button>
          {file && page !== 'search' ? <ShareButton /> : null}
          <ThemeButton />
        </div>
      </header>
      {error ? <LoadErrorBanner error={error} onDismiss={dismissError} /> : null}
      <main className="flex min-h-0 flex-1 flex-col overflow-auto">
        {page === 'search' ? (
          <Suspense fallback={<p className="m-6 text-sm text-slate-500">Loading search…</p>}>
            <SearchPage form={search.form} submittedAt={search.submittedAt} onSearch={(form) => setSearch({ form, submittedAt: Date.now() })} onOpen={openFromBackend} onOpenAll={openSearchResults} />
          </Suspense>
        ) : loading && !loading.background ? (
          <LoadProgress loading={loading} />
        ) : file !== loadedFile && lastLoading.current && !lastLoading.current.background ? (
          <LoadProgress loading={{ ...lastLoading.current, phase: 'building', fraction: 1 }} />
        ) : selected && file ? (
          <TracePage trace={selected} fileServices={fileServices} />
        ) : file && multi ? (
          <TraceList
            traces={file.summary.traces}
            fileServices={fileServices}
            onSelect={(id) => choose(id)}
            actions={
              <>
                <span className="text-sm text-slate-500 dark:text-slate-400">All of them:</span>
                {AGGREGATE_TABS.map(([tab, label]) => (
                  <button key={tab} type="button" className="btn-secondary" data-testid={`aggregate-${tab}`} onClick={() => openAggregate(tab)}>
                    {label}
                  </button>
                ))}
              </>
            }
          />
        ) : (
          <DropZone onFile={(f) => openLocal({ kind: 'file', file: f })} onPaste={() => setPasting(true)} onSearch={openSearch} />
        )}
      </main>
      {pasting ? (
        <PasteDialog
          onClose={() => setPasting(false)}
          onSubmit={(text) => {
            setPasting(false);
            openLocal({ kind: 'text', text, name: 'pasted JSON' });
          }}
        />
      ) : null}
      {dragging ? (
        <div className="pointer-events-none fixed inset-0 z-50 flex items-center justify-center bg-sky-500/10 ring-4 ring-sky-500 ring-inset">
          <p className="rounded-lg bg-white px-5 py-3 text-base font-semibold text-sky-700 shadow-lg dark:bg-slate-900 dark:text-sky-300">Drop to open the trace file</p>
        </div>
      ) : null}
    </div>
  );
}

const AGGREGATE_TABS: readonly (readonly [TraceTab, string])[] = [
  ['services', 'Service graph'],
  ['operations', 'Operations'],
  ['stats', 'Statistics'],
];

function urlTarget(url: UrlState): OpenTarget | undefined {
  if (url.backend && url.traceId) return { kind: 'backend', backend: url.backend, traceId: url.traceId };
  if (url.shareId) return { kind: 'share', id: url.shareId };
  if (url.sourceUrl) return { kind: 'url', url: url.sourceUrl };
  return undefined;
}

function sameTarget(a: OpenTarget, b: OpenTarget | undefined): boolean {
  if (!b || a.kind !== b.kind) return false;
  if (a.kind === 'backend' && b.kind === 'backend') return a.backend === b.backend && a.traceId === b.traceId;
  if (a.kind === 'share' && b.kind === 'share') return a.id === b.id;
  if (a.kind === 'url' && b.kind === 'url') return a.url === b.url;
  return false;
}
