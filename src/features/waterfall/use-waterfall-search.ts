// The search round trip: queries run in the worker (they need attributes), typed text waits 150 ms, a
// newer query makes older answers moot, and a query restored from the URL runs once the view is there.
import { useCallback, useEffect, useRef } from 'react';
import type { TraceViewData } from '../../core/view-format/trace-view-format.ts';
import { useTraceView, useTraceViewStore } from '../../state/trace-view-context.ts';
import { EMPTY_SEARCH } from '../../state/trace-view-store.ts';
import { useTraceWorker } from '../../state/trace-worker-context.ts';
import { searchMasks } from './waterfall-navigation.ts';

/** Returns what the search box calls with each text typed. */
export function useWaterfallSearch(view: TraceViewData): (text: string) => void {
  const store = useTraceViewStore();
  const getWorker = useTraceWorker();
  const searchText = useTraceView((s) => s.search.text);
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

  useEffect(() => {
    if (searchText && !store.getState().search.matches && !store.getState().search.error) void runSearch(searchText);
  }, [searchText, runSearch, store]);

  const debounce = useRef(0);
  return (text: string) => {
    window.clearTimeout(debounce.current);
    debounce.current = window.setTimeout(() => void runSearch(text), 150);
  };
}
