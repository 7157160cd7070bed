// What the trace list shows, as values: the traces a filter keeps, their order, and the traces grouped
// by root (service + operation), so a file of 141 "loadgenerator GET" traces can be narrowed and compared.
import { compareEpoch } from '../../core/model/time.ts';
import type { TraceListItem } from './trace-list-item.ts';

export type TraceSortKey = 'root' | 'services' | 'spans' | 'errors' | 'duration' | 'start';

const COMPARE: Record<TraceSortKey, (a: TraceListItem, b: TraceListItem) => number> = {
  root: (a, b) => rootOf(a).localeCompare(rootOf(b)),
  services: (a, b) => a.services.length - b.services.length,
  spans: (a, b) => a.spanCount - b.spanCount,
  errors: (a, b) => a.errorCount - b.errorCount,
  duration: (a, b) => a.durationNs - b.durationNs,
  start: (a, b) => compareEpoch(a.traceStart, b.traceStart),
};

/** The root of a trace as the list names it and groups by it. */
export function rootOf(t: Pick<TraceListItem, 'rootService' | 'rootName'>): string {
  return `${t.rootService} ${t.rootName}`;
}

/**
 * Traces matching every word of `text` (case-insensitive) in their root, a service or the trace id; `error`
 * alone keeps traces with errors. `root`: only the traces of that root (a group picked).
 */
export function filterTraces(traces: readonly TraceListItem[], text: string, root: string | undefined): TraceListItem[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  return traces.filter((t) => {
    if (root !== undefined && rootOf(t) !== root) return false;
    const haystack = `${rootOf(t)} ${t.services.join(' ')} ${t.traceId}`.toLowerCase();
    return words.every((w) => (w === 'error' || w === 'errors' ? t.errorCount > 0 : haystack.includes(w)));
  });
}

export function sortTraces(traces: readonly TraceListItem[], key: TraceSortKey, descending: boolean): TraceListItem[] {
  const sign = descending ? -1 : 1;
  return [...traces].sort((a, b) => sign * COMPARE[key](a, b) || compareEpoch(a.traceStart, b.traceStart));
}

export interface RootGroup {
  readonly root: string;
  readonly rootService: string;
  readonly traceCount: number;
  /** Traces with at least one error span. */
  readonly errorTraces: number;
  readonly medianDurationNs: number;
  readonly maxDurationNs: number;
  /** Every service of the group's traces, by how many traces they are in. */
  readonly services: readonly string[];
}

export type GroupSortKey = 'root' | 'traces' | 'errors' | 'median' | 'max';

/** One row per root, most traces first. */
export function groupByRoot(traces: readonly TraceListItem[]): RootGroup[] {
  const byRoot = new Map<string, TraceListItem[]>();
  for (const t of traces) {
    const group = byRoot.get(rootOf(t));
    if (group) group.push(t);
    else byRoot.set(rootOf(t), [t]);
  }
  return [...byRoot].map(([root, members]) => {
    const durations = members.map((t) => t.durationNs).sort((a, b) => a - b);
    const serviceCounts = new Map<string, number>();
    for (const t of members) for (const s of t.services) serviceCounts.set(s, (serviceCounts.get(s) ?? 0) + 1);
    return {
      root,
      rootService: members[0].rootService,
      traceCount: members.length,
      errorTraces: members.filter((t) => t.errorCount > 0).length,
      medianDurationNs: durations[(durations.length - 1) >> 1],
      maxDurationNs: durations[durations.length - 1],
      services: [...serviceCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([s]) => s),
    };
  });
}

const GROUP_COMPARE: Record<GroupSortKey, (a: RootGroup, b: RootGroup) => number> = {
  root: (a, b) => a.root.localeCompare(b.root),
  traces: (a, b) => a.traceCount - b.traceCount,
  errors: (a, b) => a.errorTraces - b.errorTraces,
  median: (a, b) => a.medianDurationNs - b.medianDurationNs,
  max: (a, b) => a.maxDurationNs - b.maxDurationNs,
};

export function sortGroups(groups: readonly RootGroup[], key: GroupSortKey, descending: boolean): RootGroup[] {
  const sign = descending ? -1 : 1;
  return [...groups].sort((a, b) => sign * GROUP_COMPARE[key](a, b) || a.root.localeCompare(b.root));
}
