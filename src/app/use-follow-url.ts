// URL → open: on start and whenever the app follows the URL (Back/Forward, or a move made to be
// followed), the page it names and the trace it names (loading its source when that changed).
import { useCallback, useEffect, useState } from 'react';
import { decodeFragment } from '../features/share/fragment-codec.ts';
import type { OpenOptions } from '../features/open-trace/use-open-trace.ts';
import { useAppStore, useAppStoreApi, type OpenTarget } from '../state/app-store.ts';
import { useUrl, useUrlStore } from '../state/url-context.ts';
import { readSearchUrlState, readUrlState, type SearchUrlState, type UrlState } from '../state/url.ts';

export interface SearchPageState {
  readonly form: SearchUrlState;
  /** Bumped by each search so "last hour" means the hour before it. */
  readonly submittedAt: number;
}

type Open = (target: OpenTarget, options?: OpenOptions) => Promise<void>;

/** The page shown (the search page, or the open file's), kept with the URL. */
export function useFollowUrl(open: Open) {
  const url = useUrlStore();
  const appStore = useAppStoreApi();
  const reportError = useAppStore((s) => s.reportError);
  const selectTraceFromUrl = useAppStore((s) => s.selectTraceFromUrl);
  const [page, setPage] = useState(() => readUrlState(url.state.getState().search).page);
  const [search, setSearch] = useState<SearchPageState>(() => ({ form: readSearchUrlState(url.state.getState().search), submittedAt: Date.now() }));
  const followed = useUrl((s) => s.followed);

  // The URL names what to open: ?url=, ?backend=&trace=, ?share= or a trace carried in #z=.
  const openFromUrl = useCallback(
    (state: UrlState, current: OpenTarget | undefined) => {
      const target = urlTarget(state);
      const hash = url.hash();
      if (target && !sameTarget(target, current)) void open(target);
      else if (!target && !current && hash) {
        decodeFragment(hash).then(
          (text) => {
            if (text !== undefined) void open({ kind: 'text', text, name: 'trace from link' });
          },
          (err: unknown) => reportError({ kind: 'bad-shape', message: 'The trace in this link is damaged', detail: String(err) }),
        );
      }
    },
    [open, reportError, url],
  );

  useEffect(() => {
    const search = url.state.getState().search;
    const state = readUrlState(search);
    if (followed === 0) {
      // The start: what the address names.
      if (state.page !== 'search') openFromUrl(state, undefined);
      return;
    }
    setPage(state.page);
    if (state.page === 'search') setSearch({ form: readSearchUrlState(search), submittedAt: Date.now() });
    else {
      openFromUrl(state, appStore.getState().source);
      selectTraceFromUrl(state.traceId);
    }
  }, [followed, url, appStore, openFromUrl, selectTraceFromUrl]);

  return { page, setPage, search, setSearch };
}

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
