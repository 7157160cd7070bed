import { formatDuration } from '../../components/format.ts';
import type { StitchResult } from '../../core/view-format/analysis-answers.ts';
import { plural } from '../../core/plural.ts';

/** Above a stitched view's waterfall: the end-to-end path across the hops and how much of it is queueing. */
export function AsyncPathBanner({ asyncPath }: { asyncPath: StitchResult['asyncPath'] }) {
  const waits = asyncPath.queueWaits.length / 2;
  const share = asyncPath.totalNs > 0 ? Math.round((asyncPath.queueWaitNs / asyncPath.totalNs) * 100) : 0;
  return (
    <div className="border-b border-slate-200 bg-sky-50 px-5 py-1 text-xs text-sky-900 dark:border-slate-800 dark:bg-sky-950/40 dark:text-sky-100" data-testid="async-path">
      Stitched view · end to end <span className="font-semibold tabular-nums">{formatDuration(asyncPath.totalNs)}</span> across {plural(asyncPath.spans.length, 'span')} on the
      critical path, of which <span className="font-semibold tabular-nums">{formatDuration(asyncPath.queueWaitNs)}</span> ({share}%) waiting in {waits} queue hop
      {waits === 1 ? '' : 's'}
      {waits
        ? `: ${Array.from({ length: waits }, (_, k) => formatDuration(asyncPath.queueWaits[2 * k + 1] - asyncPath.queueWaits[2 * k])).join(', ')}`
        : ''}
    </div>
  );
}
