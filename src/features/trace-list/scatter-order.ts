import type { TraceListItem } from './trace-list-item.ts';

/**
 * The order the scatter plot draws its dots in (later on top): normal traces first, the biggest
 * first so small dots stay visible, then the failing ones, so a red dot is never hidden under a
 * crowd of normal ones.
 */
export function scatterDrawOrder<T extends Pick<TraceListItem, 'errorCount' | 'spanCount'>>(traces: readonly T[]): T[] {
  return [...traces].sort((a, b) => Number(a.errorCount > 0) - Number(b.errorCount > 0) || b.spanCount - a.spanCount);
}
