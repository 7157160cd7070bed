// The shell: follows the URL, opens what is dropped, pasted or picked, and shows the header and the page.
import { useCallback, useDeferredValue, useMemo, useRef, useState } from 'react';
import type { TraceSearchQuery } from '../core/api/backend-api.ts';
import { searchQueryToParams } from '../core/api/search-params.ts';
import { compareEpoch } from '../core/model/time.ts';
import { LoadErrorBanner } from '../features/open-trace/LoadErrorBanner.tsx';
import { PasteDialog } from '../features/open-trace/PasteDialog.tsx';
import { useOpenTrace } from '../features/open-trace/use-open-trace.ts';
import { useAppStore, type LoadingState, type OpenTarget } from '../state/app-store.ts';
import { useUrlStore } from '../state/url-context.ts';
import { analysisParamsEdit, clearAllEdit, readAnalysisParams, searchUrlStateEdit, traceTabEdit, urlStateEdit } from '../state/url.ts';
import { AppHeader } from './AppHeader.tsx';
import { PageBody } from './PageBody.tsx';
import type { TraceTab } from './trace-views.ts';
import { useFollowUrl } from './use-follow-url.ts';
import { useLiveReload } from './use-live-reload.ts';
import { useDropToOpen, usePasteToOpen } from './use-open-by-hand.ts';

export function App() {
  const open = useOpenTrace();
  const pages = useFollowUrl(open);
  const { setPage } = pages;
  const openLocal = useCallback(
    (target: OpenTarget) => {
      setPage(undefined);
      void open(target);
    },
    [open, setPage],
  );
  const liveStatus = useLiveReload(open);
  usePasteToOpen(openLocal);
  const drop = useDropToOpen(openLocal);
  const [pasting, setPasting] = useState(false);
  const file = useOpenFile();
  const moves = useShellMoves(open, pages, file.shown);
  const error = useAppStore((s) => s.error);
  const dismissError = useAppStore((s) => s.dismissError);

  return (
    <div className="flex h-screen flex-col overflow-hidden bg-slate-50 text-slate-800 dark:bg-slate-950 dark:text-slate-200" {...drop.handlers}>
      <AppHeader
        file={file.shown}
        selected={file.selected}
        liveStatus={liveStatus}
        page={pages.page}
        onShowList={() => moves.choose(undefined)}
        onOpenSearch={moves.openSearch}
        onOpenFile={(f) => openLocal({ kind: 'file', file: f })}
        onPaste={() => setPasting(true)}
      />
      {error ? <LoadErrorBanner error={error} onDismiss={dismissError} /> : null}
      <main className="flex min-h-0 flex-1 flex-col overflow-auto">
        <PageBody
          page={pages.page}
          search={pages.search}
          file={file}
          onSearch={(form) => pages.setSearch({ form, submittedAt: Date.now() })}
          onOpenBackendTrace={moves.openFromBackend}
          onOpenSearchResults={moves.openSearchResults}
          onChooseTrace={moves.choose}
          onOpenAggregate={moves.openAggregate}
          onOpenFile={(f) => openLocal({ kind: 'file', file: f })}
          onPaste={() => setPasting(true)}
          onOpenSearch={moves.openSearch}
        />
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
      {drop.dragging ? (
        <div className="pointer-events-none fixed inset-0 z-50 flex items-center justify-center bg-sky-500/10 ring-4 ring-sky-500 ring-inset">
          <p className="rounded-lg bg-white px-5 py-3 text-base font-semibold text-sky-700 shadow-lg dark:bg-slate-900 dark:text-sky-300">Drop to open the trace file</p>
        </div>
      ) : null}
    </div>
  );
}

/** The loaded file as shown, the trace open in it, and the load in progress. */
function useOpenFile() {
  const loading = useAppStore((s) => s.loading);
  const loaded = useAppStore((s) => s.file);
  // A new file's page renders at low priority, which React slices into short tasks (rendering it in
  // the worker message's own task was the load's longest main-thread task); the progress stays meanwhile.
  const shown = useDeferredValue(loaded);
  const lastLoading = useRef<LoadingState | undefined>(undefined);
  if (loading) lastLoading.current = loading;
  const selectedTraceId = useAppStore((s) => s.selectedTraceId);
  const stitched = useAppStore((s) => s.stitched);
  const selected = shown?.summary.traces.find((t) => t.traceId === selectedTraceId) ?? stitched.find((v) => v.summary.traceId === selectedTraceId)?.summary;
  const services = useMemo(() => [...new Set(shown?.summary.traces.flatMap((t) => t.services))].sort(), [shown]);
  // The load whose file is still on its way to the screen (its progress stays up meanwhile).
  const pending = shown !== loaded ? lastLoading.current : undefined;
  return { loading, shown, pending, selected, services };
}

export type OpenFile = ReturnType<typeof useOpenFile>;

/** The shell's moves: each a history step, and what it opens. */
function useShellMoves(open: ReturnType<typeof useOpenTrace>, pages: ReturnType<typeof useFollowUrl>, file: OpenFile['shown']) {
  const url = useUrlStore();
  const selectTrace = useAppStore((s) => s.selectTrace);
  const { setPage, search } = pages;
  return {
    openSearch: () => {
      url.change('push', [searchUrlStateEdit(search.form)]);
      setPage('search');
    },
    openFromBackend: (backend: string, traceId: string) => {
      url.change('push', [clearAllEdit, urlStateEdit({ backend, traceId })]);
      setPage(undefined);
      void open({ kind: 'backend', backend, traceId });
    },
    // A search's traces as one file (the server gathers them): aggregate views over all of them.
    openSearchResults: (backend: string, query: TraceSearchQuery) => {
      const sourceUrl = `/api/backends/${encodeURIComponent(backend)}/results?${searchQueryToParams(query).toString()}`;
      url.change('push', [clearAllEdit, urlStateEdit({ sourceUrl })]);
      setPage(undefined);
      void open({ kind: 'url', url: sourceUrl });
    },
    // The multi-trace file's aggregate views open on its first trace, over every trace.
    openAggregate: (tab: TraceTab) => {
      const first = file && [...file.summary.traces].sort((a, b) => compareEpoch(a.traceStart, b.traceStart))[0];
      if (!first) return;
      const allTraces = analysisParamsEdit({ ...readAnalysisParams(url.state.getState().search), allTraces: true });
      url.change('push', [urlStateEdit({ traceId: first.traceId, page: undefined }), traceTabEdit(tab), allTraces]);
      selectTrace(first.traceId);
    },
    /** A trace of the file, or (undefined) its trace list. */
    choose: (traceId: string | undefined) => {
      selectTrace(traceId);
      setPage(undefined);
      url.change('push', [urlStateEdit({ traceId, page: undefined })]);
    },
  };
}
