// The comparison's diverging colours: orange = slower in B, blue = faster (safe under the common
// colour-vision deficiencies, and apart from the red of errors). Always beside a signed number, never alone.
import { formatDelta, formatPercentChange } from './diff-summary-text.ts';

/** By deltaLevel: −3 … +3. */
const BAR_CLASS: Record<number, string> = {
  [-3]: 'bg-blue-700 dark:bg-blue-400',
  [-2]: 'bg-blue-500 dark:bg-blue-500',
  [-1]: 'bg-blue-300 dark:bg-blue-700',
  0: 'bg-slate-300 dark:bg-slate-600',
  1: 'bg-orange-300 dark:bg-orange-700',
  2: 'bg-orange-500 dark:bg-orange-500',
  3: 'bg-orange-700 dark:bg-orange-400',
};

export function deltaTextClass(level: number): string {
  if (level > 0) return 'text-orange-700 dark:text-orange-300';
  if (level < 0) return 'text-blue-700 dark:text-blue-300';
  return 'text-slate-500 dark:text-slate-400';
}

/** A bar from the centre line: right for slower, left for faster; `fraction` of the half width. */
export function DeltaBar({ deltaNs, maxAbsNs, level, className = '' }: { deltaNs: number; maxAbsNs: number; level: number; className?: string }) {
  const fraction = maxAbsNs > 0 ? Math.min(1, Math.abs(deltaNs) / maxAbsNs) : 0;
  const width = `${Math.max(deltaNs === 0 ? 0 : 1, fraction * 50)}%`;
  return (
    <span aria-hidden className={`relative block h-2.5 ${className}`}>
      <span className="absolute inset-y-[-3px] left-1/2 w-px bg-slate-300 dark:bg-slate-600" />
      <span className={`absolute inset-y-0 rounded-sm ${BAR_CLASS[Math.max(-3, Math.min(3, level))]}`} style={deltaNs >= 0 ? { left: '50%', width } : { right: '50%', width }} />
    </span>
  );
}

/** "+887.7ms" and, when there is a base to compare with, "+5,773%": coloured, signed. */
export function DeltaText({ fromNs, toNs, level, showPercent = true }: { fromNs: number; toNs: number; level: number; showPercent?: boolean }) {
  const percent = showPercent ? formatPercentChange(fromNs, toNs) : undefined;
  return (
    <span className={`tabular-nums ${deltaTextClass(level)}`}>
      <span className="font-medium">{formatDelta(toNs - fromNs)}</span>
      {percent ? <span className="ml-1.5 text-[11px] opacity-80">{percent}</span> : null}
    </span>
  );
}
