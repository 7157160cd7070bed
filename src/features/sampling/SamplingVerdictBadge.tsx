// On a trace opened from the sampling lab: what the lab decided for it and which policy did.
import type { SamplingVerdict } from './sampling-url.ts';

function tailReason(v: SamplingVerdict): string {
  return v.policy !== undefined ? `policy ${v.policy}` : 'no policy matched';
}

export function SamplingVerdictBadge({ verdict }: { verdict: SamplingVerdict }) {
  // A trace the head sampler dropped never reaches the Collector; what the tail would have done still tells whether the head costs it.
  const reason = verdict.headDropped
    ? `by the head sampler · the tail alone would ${verdict.tailSampled ? 'keep' : 'drop'} it (${tailReason(verdict)})`
    : `by the tail sampler: ${tailReason(verdict)}`;
  return (
    <div className="flex items-center gap-2 border-b border-slate-200 bg-slate-50 px-5 py-1.5 text-sm dark:border-slate-800 dark:bg-slate-900/60" data-testid="sampling-verdict">
      <span className="text-slate-500 dark:text-slate-400">Sampling lab:</span>
      <span
        className={`rounded px-1.5 py-0.5 text-xs font-semibold ${verdict.kept ? 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300' : 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300'}`}
      >
        {verdict.kept ? 'kept' : 'dropped'}
      </span>
      <span className="text-slate-700 dark:text-slate-200">{reason}</span>
    </div>
  );
}
