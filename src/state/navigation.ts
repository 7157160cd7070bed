// The moves between traces, tabs and views, each one history step through the URL store, and the props
// every trace view gets (src/app/trace-views.ts lists the views).
import { useMemo } from 'react';
import type { TraceSummary } from '../core/analysis/trace-summary.ts';
import type { TraceViewData } from '../core/view-format/trace-view-format.ts';
import { useAppStore } from './app-store.ts';
import { useUrlStore } from './url-context.ts';
import { readViewParams, traceTabEdit, urlStateEdit, viewParamsEdit, type HistoryMode, type UrlEdit, type ViewParams } from './url.ts';

export interface Navigation {
  /** A loaded trace (or a stitched view), with these other changes to the URL; Back returns here. */
  openTrace(traceId: string, edits?: readonly UrlEdit[]): void;
  /** A trace the app may have to load first (from the open trace's backend): the app follows the URL as on Back/Forward. */
  followTrace(traceId: string, edits: readonly UrlEdit[]): void;
  /** The open trace's waterfall, its view changed so (a new history entry). */
  showWaterfall(view: Partial<ViewParams>): void;
  /** The spans matching this search in the waterfall, with their ancestors. */
  showInWaterfall(query: string): void;
  /** One of the trace page's tabs (ids in src/app/trace-views.ts). */
  switchTab(tab: string): void;
  /** A view's own settings: in place, or as a new entry. */
  change(mode: HistoryMode, edits: readonly UrlEdit[]): void;
}

export function useNavigation(): Navigation {
  const url = useUrlStore();
  const selectTrace = useAppStore((s) => s.selectTrace);
  return useMemo(() => {
    const showWaterfall = (view: Partial<ViewParams>) =>
      url.change('push', [viewParamsEdit({ ...readViewParams(url.state.getState().search), ...view }), traceTabEdit('waterfall')]);
    return {
      openTrace: (traceId, edits = []) => {
        url.change('push', [urlStateEdit({ traceId }), ...edits]);
        selectTrace(traceId);
      },
      followTrace: (traceId, edits) => url.change('push', [urlStateEdit({ traceId }), ...edits], { follow: true }),
      showWaterfall,
      showInWaterfall: (query) => showWaterfall({ query, onlyMatches: query !== '' }),
      switchTab: (tab) => url.change('push', [traceTabEdit(tab)]),
      change: (mode, edits) => url.change(mode, edits),
    };
  }, [url, selectTrace]);
}

/** What each view of the trace page gets. */
export interface TraceViewProps {
  readonly trace: TraceSummary;
  /** The waterfall's columns of this trace, once laid out. */
  readonly view: TraceViewData | undefined;
  readonly navigation: Navigation;
  /** Fetches a trace that is not loaded (from the backend) into the worker. */
  fetchTrace(traceId: string): Promise<void>;
}
