// The search page: the form on the left, the results (scatter plot + trace list) on the right, and the
// open-by-id box. The form lives in the URL; a search runs when the URL's form changes.
import { useMemo, type ReactNode } from 'react';
import type { TraceSearchQuery } from '../core/api/backend-api.ts';
import { failureText } from '../queries/api-fetch.ts';
import { useBackends } from '../queries/backends.ts';
import { useTraceSearch } from '../queries/trace-search.ts';
import { OpenByIdBox } from '../features/search/OpenByIdBox.tsx';
import { SearchForm } from '../features/search/SearchForm.tsx';
import { toSearchQuery } from '../features/search/search-form-state.ts';
import { TraceList } from '../features/trace-list/TraceList.tsx';
import { useUrlStore } from '../state/url-context.ts';
import { searchUrlStateEdit, type SearchUrlState } from '../state/url.ts';

interface Props {
  readonly form: SearchUrlState;
  /** Bumped by each submit so "last hour" means the hour before that click. */
  readonly submittedAt: number;
  onSearch(form: SearchUrlState): void;
  onOpen(backend: string, traceId: string): void;
  /** Opens every trace found, together (to aggregate them). */
  onOpenAll(backend: string, query: TraceSearchQuery): void;
}

export function SearchPage({ form, submittedAt, onSearch, onOpen, onOpenAll }: Props) {
  const url = useUrlStore();
  const backends = useBackends();
  const backendName = form.backend ?? backends.data?.defaultBackend;
  const backendType = backends.data?.backends.find((b) => b.name === backendName)?.type;
  const outcome = useMemo(() => toSearchQuery(form, submittedAt, backendType), [form, submittedAt, backendType]);
  const query = outcome.query;
  const search = useTraceSearch(backendName, query, backendType === 'embedded');

  if (backends.isPending) return <p className="m-6 text-sm text-slate-500">Asking the server for its backends…</p>;
  if (backends.isError) {
    return (
      <div role="alert" data-testid="search-unavailable" className="m-6 max-w-2xl rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
        <p className="font-medium">Search needs the Spanscope server</p>
        <p className="mt-1">{failureText(backends.error)}. Start it with <code className="font-mono">npm start</code>; opening files still works without it.</p>
      </div>
    );
  }

  return (
    <div className="flex min-h-0 flex-1" data-testid="search-page">
      <aside className="w-80 shrink-0 overflow-y-auto border-r border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
        <OpenByIdBox onOpen={(traceId) => backendName && onOpen(backendName, traceId)} />
        <hr className="my-4 border-slate-200 dark:border-slate-800" />
        <SearchForm
          key={JSON.stringify(form)}
          backends={backends.data.backends}
          initial={{ ...form, backend: backendName }}
          busy={search.isFetching}
          onSubmit={(next) => {
            url.change('push', [searchUrlStateEdit(next)]);
            onSearch(next);
          }}
        />
      </aside>
      <section className="min-w-0 flex-1 overflow-y-auto" aria-label="Search results">
        {outcome.hint !== undefined ? (
          <Notice tone="info" testId="search-hint">
            {outcome.hint}
          </Notice>
        ) : outcome.problem !== undefined ? (
          <Notice tone="error" testId="search-error">
            {outcome.problem}
          </Notice>
        ) : search.isError ? (
          <Notice tone="error" testId="search-error">
            <span className="font-medium">Search failed. </span>
            {failureText(search.error)}
          </Notice>
        ) : search.isPending ? (
          <Notice tone="info">Searching {backendName}…</Notice>
        ) : (
          <>
            {search.data.warnings.map((w) => (
              <Notice key={w} tone="warn">
                {w}
              </Notice>
            ))}
            {search.data.traces.length === 0 ? (
              <Notice tone="info" testId="search-empty">
                No traces in {backendName} match this search. Widen the time range or remove filters.
              </Notice>
            ) : (
              <div className={search.isFetching ? 'opacity-60 transition-opacity' : ''} data-testid="search-results">
                <TraceList
                  traces={search.data.traces}
                  onSelect={(traceId) => backendName && onOpen(backendName, traceId)}
                  actions={
                    backendName && query ? (
                      <button
                        type="button"
                        className="btn-secondary"
                        data-testid="open-all-results"
                        title="Load these traces together: their service graph, operations and statistics over all of them"
                        onClick={() => onOpenAll(backendName, query)}
                      >
                        Open all {search.data.traces.length} together
                      </button>
                    ) : null
                  }
                />
              </div>
            )}
          </>
        )}
      </section>
    </div>
  );
}

function Notice({ tone, testId, children }: { tone: 'error' | 'warn' | 'info'; testId?: string; children: ReactNode }) {
  const styles = {
    error: 'border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100',
    warn: 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100',
    info: 'border-slate-200 bg-white text-slate-600 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-300',
  }[tone];
  return (
    <div role={tone === 'error' ? 'alert' : undefined} data-testid={testId} className={`mx-5 mt-5 rounded-lg border p-4 text-sm break-words ${styles}`}>
      {children}
    </div>
  );
}
