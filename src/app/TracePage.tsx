// A trace: header, the tabs of its views (src/app/trace-views.ts) and the active one, with the view kept in the URL.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Suspense, useDeferredValue, useEffect, useMemo } from 'react';
import type { TraceSummary } from '../core/analysis/trace-summary.ts';
import { TraceHeader } from '../features/trace-header/TraceHeader.tsx';
import { CopyTraceMarkdown } from '../features/trace-export/CopyTraceMarkdown.tsx';
import { DownloadMenu } from '../features/trace-export/DownloadMenu.tsx';
import { useAppStore } from '../state/app-store.ts';
import { useNavigation, type TraceViewProps } from '../state/navigation.ts';
import { TraceViewContext } from '../state/trace-view-context.ts';
import { createTraceViewStore, type TraceViewStore } from '../state/trace-view-store.ts';
import { useTraceWorker } from '../state/trace-worker-context.ts';
import { useUrl } from '../state/url-context.ts';
import { readTraceTab, readViewParams } from '../state/url.ts';
import { addNanos } from '../core/model/time.ts';
import { readSamplingVerdict } from '../features/sampling/sampling-url.ts';
import { AsyncPathBanner } from '../features/links/AsyncPathBanner.tsx';
import { SamplingVerdictBadge } from '../features/sampling/SamplingVerdictBadge.tsx';
import { TRACE_VIEWS, preloadTraceViewsWhenIdle, traceViewOf, type TraceViewEntry } from './trace-views.ts';
import { TraceWaterfall } from './TraceWaterfall.tsx';
import { originalFileOf } from './original-file.ts';
import { useFetchLinkedTrace } from './use-fetch-linked-trace.ts';
import { plural } from '../core/plural.ts';

interface Props {
  trace: TraceSummary;
}

export function TracePage({ trace }: Props) {
  const { viewQuery, viewData, store } = useTraceLayout(trace.traceId);
  // The other views' code, fetched once the trace is drawn: opening a file does not wait for graph
  // layout, the flamegraph or the diff code, and a tab's first opening renders at once.
  useEffect(() => {
    if (store) preloadTraceViewsWhenIdle();
  }, [store]);
  const urlView = traceViewOf(useUrl((s) => readTraceTab(s.search)));
  // Deferred: a view whose code is still on its way leaves the current one in place meanwhile, rather
  // than the Suspense fallback, which React keeps for at least 300 ms.
  const active = useDeferredValue(urlView);
  const switching = active !== urlView;
  const navigation = useNavigation();
  const fetchTrace = useFetchLinkedTrace();
  const stitched = useAppStore((s) => s.stitched.find((v) => v.summary.traceId === trace.traceId));
  const samplingVerdict = useUrl((s) => readSamplingVerdict(s.search));
  const source = useAppStore((s) => s.source);
  const props: TraceViewProps = { trace, view: viewData, navigation, fetchTrace };
  // With clock skew adjusted, the header measures the adjusted trace, as the axis and the minimap do.
  const skewAdjusted = useUrl((s) => readViewParams(s.search).skewAdjusted);
  const skew = skewAdjusted ? viewData?.skew : undefined;
  const shownTrace = useMemo(
    () => (skew ? { ...trace, traceStart: addNanos(trace.traceStart, skew.originNs), durationNs: skew.traceDurationNs } : trace),
    [trace, skew],
  );

  return (
    <div className={`flex min-h-0 flex-1 flex-col ${switching ? 'cursor-progress' : ''}`} data-testid="trace-page" aria-busy={switching || undefined}>
      <TraceHeader
        trace={shownTrace}
        onErrorsClick={() => store?.getState().select(firstError(store))}
        actions={<TraceTabs active={active} onChoose={(v) => navigation.switchTab(v.id)} />}
        tools={
          <>
            <CopyTraceMarkdown trace={trace} />
            <DownloadMenu traceId={trace.traceId} original={originalFileOf(source)} />
          </>
        }
      />
      {/* Set by the sampling lab when it opens a trace; another trace opened since shows none. */}
      {samplingVerdict?.traceId === trace.traceId && active.id !== 'sampling' ? <SamplingVerdictBadge verdict={samplingVerdict} /> : null}
      <Suspense fallback={<p className="m-6 text-sm text-slate-500">Loading the view…</p>}>
        {active.kind === 'lazy' ? (
          <active.view.View {...props} />
        ) : viewQuery.isError ? (
          <p role="alert" className="m-4 text-sm text-red-700">
            Could not open the trace: {viewQuery.error.message}
          </p>
        ) : !store ? (
          <p className="m-6 text-sm text-slate-500">Laying out {plural(trace.spanCount, 'span')}…</p>
        ) : (
          <TraceViewContext.Provider value={store}>
            {stitched ? <AsyncPathBanner asyncPath={stitched.asyncPath} /> : null}
            <TraceWaterfall store={store} navigation={navigation} onFetchTrace={fetchTrace} />
          </TraceViewContext.Provider>
        )}
      </Suspense>
    </div>
  );
}

/** The trace's columns from the worker and the waterfall's store over them. */
function useTraceLayout(traceId: string) {
  const getWorker = useTraceWorker();
  const loadKey = useAppStore((s) => s.file?.requestId);
  const viewQuery = useQuery({
    queryKey: ['trace-view', loadKey, traceId],
    queryFn: () => getWorker().openTrace(traceId),
    staleTime: Infinity,
    gcTime: 0,
    structuralSharing: false,
    // A refresh with more spans keeps showing the trace until the new layout is ready (not another trace).
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[2] === traceId ? keepPreviousData(previous) : undefined),
  });
  // Its waterfall renders at low priority, sliced into short tasks (see App's deferred file).
  const viewData = useDeferredValue(viewQuery.data);
  const store = useMemo(() => (viewData ? createTraceViewStore(viewData) : undefined), [viewData]);
  return { viewQuery, viewData, store };
}

function TraceTabs({ active, onChoose }: { active: TraceViewEntry; onChoose(view: TraceViewEntry): void }) {
  return (
    // One line always: the tabs never wrap (a narrow window scrolls them sideways).
    <nav className="flex max-w-full gap-0.5 overflow-x-auto rounded-lg bg-slate-100 p-0.5 whitespace-nowrap dark:bg-slate-800" aria-label="Trace views" data-testid="trace-tabs">
      {TRACE_VIEWS.map((v) => (
        <button
          key={v.id}
          type="button"
          data-testid={`tab-${v.id}`}
          aria-current={active.id === v.id ? 'page' : undefined}
          onClick={() => onChoose(v)}
          className={`shrink-0 rounded-md px-1.5 py-1 text-[13px] font-medium ${active.id === v.id ? 'bg-white text-sky-700 shadow-sm dark:bg-slate-900 dark:text-sky-300' : 'text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100'}`}
        >
          {v.label}
        </button>
      ))}
    </nav>
  );
}

function firstError(store: TraceViewStore): number {
  return store.getState().view.errorSpans[0] ?? -1;
}
