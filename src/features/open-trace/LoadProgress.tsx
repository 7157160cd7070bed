import type { LoadingState } from '../../state/app-store.ts';

const PHASE_LABEL = { reading: 'Reading', decompressing: 'Decompressing', parsing: 'Parsing', building: 'Building' } as const;

export function LoadProgress({ loading }: { loading: LoadingState }) {
  const percent = Math.round(loading.fraction * 100);
  return (
    <div data-testid="load-progress" className="mx-auto mt-16 w-[min(28rem,90vw)] rounded-lg border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-700 dark:bg-slate-900">
      <p className="truncate text-sm font-medium text-slate-700 dark:text-slate-200">
        {PHASE_LABEL[loading.phase]} <span className="font-mono">{loading.name}</span>…
      </p>
      <div className="mt-3 h-2 overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800" role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100}>
        <div className="h-full rounded-full bg-sky-500 transition-[width] duration-100" style={{ width: `${percent}%` }} />
      </div>
      <p className="mt-2 text-right text-xs text-slate-500 tabular-nums">{percent}%</p>
    </div>
  );
}
