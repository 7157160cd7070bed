// What the broken-trace finder searched and found, said in words (a finder that finds nothing says so).
import type { UseQueryResult } from '@tanstack/react-query';
import type { FinderReport } from './use-store-finder.ts';

export function FinderReportView({ finder, loadedTraces }: { finder: UseQueryResult<FinderReport>; loadedTraces: number }) {
  const local = `Searched the ${loadedTraces} loaded ${loadedTraces === 1 ? 'trace' : 'traces'}`;
  return (
    <section data-testid="links-finder-report" aria-live="polite" className="rounded border border-slate-200 bg-slate-50 px-3 py-2 text-xs text-slate-700 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-300">
      {finder.fetchStatus === 'fetching' ? (
        <p>Searching the backend…</p>
      ) : finder.data ? (
        <ul className="flex flex-col gap-0.5">
          {finder.data.searches.map((line) => (
            <li key={line}>{line}</li>
          ))}
          <li>{finder.data.fetched ? `Fetched ${finder.data.fetched} ${finder.data.fetched === 1 ? 'trace' : 'traces'} not loaded yet; ${local.toLowerCase()} now.` : `${local}; nothing new to fetch.`}</li>
        </ul>
      ) : finder.isError ? (
        <p role="alert" className="text-red-700 dark:text-red-300">The finder failed: {finder.error.message}</p>
      ) : (
        <p>{local}. This trace was not opened from a backend, so no store was asked: open it from Search to find traces that are not loaded.</p>
      )}
    </section>
  );
}
