// The page under the header: the search page, a load's progress, the open trace, the file's trace list, or the drop zone.
import { Suspense, useEffect } from 'react';
import type { TraceSearchQuery } from '../core/api/backend-api.ts';
import { DropZone } from '../features/open-trace/DropZone.tsx';
import { LoadProgress } from '../features/open-trace/LoadProgress.tsx';
import { TraceList } from '../features/trace-list/TraceList.tsx';
import type { SearchUrlState } from '../state/url.ts';
import type { OpenFile } from './use-open-file.ts';
import { lazyView, preloadWhenIdle } from './lazy-view.tsx';
import { TracePage } from './TracePage.tsx';
import { AGGREGATE_VIEWS, type TraceTab } from './trace-views.ts';
import type { SearchPageState } from './use-follow-url.ts';

// Loaded on first use (the scatter plot and the backend forms are not needed to open a file).
const searchPage = lazyView(() => import('./SearchPage.tsx').then((m) => m.SearchPage));
const SearchPage = searchPage.View;

interface Props {
  readonly page: 'search' | undefined;
  readonly search: SearchPageState;
  readonly file: OpenFile;
  onSearch(form: SearchUrlState): void;
  onOpenBackendTrace(backend: string, traceId: string): void;
  onOpenSearchResults(backend: string, query: TraceSearchQuery): void;
  onChooseTrace(traceId: string): void;
  onOpenAggregate(tab: TraceTab): void;
  onOpenFile(file: File): void;
  onPaste(): void;
  onOpenSearch(): void;
}

export function PageBody({ page, search, file, onSearch, onOpenBackendTrace, onOpenSearchResults, onChooseTrace, onOpenAggregate, onOpenFile, onPaste, onOpenSearch }: Props) {
  // The search page's code, fetched once the page is idle: its first opening then renders at once.
  useEffect(() => preloadWhenIdle([searchPage]), []);
  const { loading, shown, pending, selected } = file;
  if (page === 'search') {
    return (
      <Suspense fallback={<p className="m-6 text-sm text-slate-500">Loading search…</p>}>
        <SearchPage form={search.form} submittedAt={search.submittedAt} onSearch={onSearch} onOpen={onOpenBackendTrace} onOpenAll={onOpenSearchResults} />
      </Suspense>
    );
  }
  if (loading && !loading.background) return <LoadProgress loading={loading} />;
  if (pending && !pending.background) return <LoadProgress loading={{ ...pending, phase: 'building', fraction: 1 }} />;
  if (selected && shown) return <TracePage trace={selected} />;
  if (shown && shown.summary.traces.length > 1) {
    return (
      <TraceList
        traces={shown.summary.traces}
        onSelect={onChooseTrace}
        actions={
          <>
            <span className="text-sm text-slate-500 dark:text-slate-400">All of them:</span>
            {AGGREGATE_VIEWS.map(({ id, label }) => (
              <button key={id} type="button" className="btn-secondary" data-testid={`aggregate-${id}`} onClick={() => onOpenAggregate(id)}>
                {label}
              </button>
            ))}
          </>
        }
      />
    );
  }
  return <DropZone onFile={onOpenFile} onPaste={onPaste} onSearch={onOpenSearch} />;
}

