import { useState } from 'react';
import type { LoadingState } from '../../state/app-store.ts';
import { useTraceWorker } from '../../state/trace-worker-context.ts';

const PHASE_LABEL = { reading: 'Reading', decompressing: 'Decompressing', parsing: 'Parsing', building: 'Building' } as const;

export function LoadProgress({ loading }: { loading: LoadingState }) {
  const getWorker = useTraceWorker();
  const [cancelling, setCancelling] = useState(false);
  const percent = Math.round(loading.fraction * 100);
  // Building the first view runs on the page once the worker is done: nothing left to stop there.
  const cancellable = loading.phase !== 'building';
  return (
    <div data-testid="load-progress" className="mx-auto mt-16 w-[min(28rem,90vw)] rounded-lg border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-700 dark:bg-slate-900">
      <p className="truncate text-sm font-medium text-slate-700 dark:text-slate-200">
        {PHASE_LABEL[loading.phase]} <span className="font-mono">{loading.name}</span>…
      </p>
      <div className="mt-3 h-2 overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800" role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100}>
        <div className="h-full rounded-full bg-sky-500 transition-[width] duration-100" style={{ width: `${percent}%` }} />
      </div>
      <div className="mt-2 flex items-center justify-between gap-3">
        {cancellable ? (
          <button
            type="button"
            data-testid="load-cancel"
            className="btn-secondary py-0.5 text-xs"
            disabled={cancelling}
            onClick={() => {
              setCancelling(true);
              void getWorker().cancelLoad();
            }}
          >
            {cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        ) : (
          <span />
        )}
        <p className="text-xs text-slate-500 tabular-nums">{percent}%</p>
      </div>
    </div>
  );
}
