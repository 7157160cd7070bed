// The shell's own moves (the search page, a backend's trace, a search's results, an aggregate view, the
// trace list): each one history step through the URL store, and what it opens.
import type { TraceSearchQuery } from '../core/api/backend-api.ts';
import { searchQueryToParams } from '../core/api/search-params.ts';
import { compareEpoch } from '../core/model/time.ts';
import type { useOpenTrace } from '../features/open-trace/use-open-trace.ts';
import { useAppStore } from '../state/app-store.ts';
import { useUrlStore } from '../state/url-context.ts';
import { analysisParamsEdit, clearAllEdit, readAnalysisParams, searchUrlStateEdit, traceTabEdit, urlStateEdit } from '../state/url.ts';
import type { TraceTab } from './trace-views.ts';
import type { useFollowUrl } from './use-follow-url.ts';
import type { OpenFile } from './use-open-file.ts';

export function useShellMoves(open: ReturnType<typeof useOpenTrace>, pages: ReturnType<typeof useFollowUrl>, file: OpenFile['shown']) {
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
