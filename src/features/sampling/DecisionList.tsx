// The traces the sampling drops (or, on request, every trace), sortable; a row opens the trace's waterfall.
import { useMemo, useState } from 'react';
import { ClickableRow } from '../../components/ClickableRow.tsx';
import { formatBytes, formatCount, formatDuration } from '../../components/format.ts';
import { ServiceSwatch } from '../../components/ServiceSwatch.tsx';
import { SortableHeader } from '../../components/SortableHeader.tsx';
import { useSortState } from '../../components/sort-state.ts';
import { SpacerRow } from '../../components/SpacerRow.tsx';
import { useVirtualRows } from '../../components/use-virtual-rows.ts';
import type { SampledTraceRow } from '../../core/view-format/analysis-answers.ts';

/** Rows are drawn only in view (a file may hold thousands of traces): one line of text-sm with py-1.5, and the border. */
const ROW_PX = 33;
const COLUMN_COUNT = 7;

type ColumnKey = 'root' | 'duration' | 'spans' | 'errors' | 'bytes' | 'decidedBy';

/** Who decided the trace's fate, as the list and the trace page's badge say it. */
export function decidedBy(t: SampledTraceRow): string {
  if (t.head === 'not_sampled') return 'head sampler';
  return t.policy ?? 'no policy matched';
}

const VALUES: Readonly<Record<Exclude<ColumnKey, 'root' | 'decidedBy'>, (t: SampledTraceRow) => number>> = {
  duration: (t) => t.durationNs,
  spans: (t) => t.spans,
  errors: (t) => t.errorCount,
  bytes: (t) => t.bytes,
};

const rootOf = (t: SampledTraceRow) => `${t.rootService}: ${t.rootName}`;

interface Props {
  readonly traces: readonly SampledTraceRow[];
  onOpen(trace: SampledTraceRow): void;
}

export function DecisionList({ traces, onOpen }: Props) {
  const [sort, onSort] = useSortState<ColumnKey>({ key: 'errors', descending: true }, ['root', 'decidedBy']);
  const [showKept, setShowKept] = useState(false);
  const rows = useMemo(() => {
    const shown = showKept ? [...traces] : traces.filter((t) => !t.kept);
    const sign = sort.descending ? -1 : 1;
    const text = sort.key === 'root' ? rootOf : sort.key === 'decidedBy' ? decidedBy : undefined;
    if (text) shown.sort((a, b) => text(a).localeCompare(text(b)) * sign);
    else if (sort.key !== 'root' && sort.key !== 'decidedBy') {
      const value = VALUES[sort.key];
      // Ties by duration, longest first: the traces most worth a look come first.
      shown.sort((a, b) => (value(a) - value(b)) * sign || b.durationNs - a.durationNs);
    }
    return shown;
  }, [traces, sort, showKept]);
  const droppedCount = traces.filter((t) => !t.kept).length;
  const virtual = useVirtualRows(rows.length, ROW_PX);
  return (
    <div className="flex flex-col gap-2">
      <label className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-300">
        <input type="checkbox" checked={showKept} onChange={(e) => setShowKept(e.target.checked)} data-testid="sampling-show-kept" />
        show the kept traces too ({formatCount(droppedCount)} dropped, {formatCount(traces.length - droppedCount)} kept)
      </label>
      <div ref={virtual.scrollerRef} onScroll={virtual.onScroll} className="max-h-96 overflow-auto rounded-lg border border-slate-200 dark:border-slate-800">
        <table className="w-full text-sm" data-testid="sampling-decisions">
          <thead className="sticky top-0 border-b border-slate-200 bg-slate-50 text-xs text-slate-600 uppercase dark:border-slate-800 dark:bg-slate-800 dark:text-slate-300">
            <tr>
              <SortableHeader column="root" label="Root" align="left" sort={sort} onSort={onSort} />
              <SortableHeader column="duration" label="Duration" sort={sort} onSort={onSort} />
              <SortableHeader column="spans" label="Spans" sort={sort} onSort={onSort} />
              <SortableHeader column="errors" label="Errors" sort={sort} onSort={onSort} />
              <SortableHeader column="bytes" label="Bytes" sort={sort} onSort={onSort} />
              <SortableHeader column="decidedBy" label="Decided by" align="left" sort={sort} onSort={onSort} />
              <th scope="col" className="px-3 py-2 text-left font-medium">
                Fate
              </th>
            </tr>
          </thead>
          <tbody className="bg-white dark:bg-slate-900">
            <SpacerRow heightPx={virtual.padTopPx} colSpan={COLUMN_COUNT} />
            {rows.slice(virtual.first, virtual.end).map((t) => (
              <ClickableRow key={t.traceId} testId="sampling-decision-row" onOpen={() => onOpen(t)} heightPx={ROW_PX}>
                <td className="max-w-sm truncate px-3 py-1.5 whitespace-nowrap" title={`${rootOf(t)} (${t.traceId})`}>
                  <ServiceSwatch service={t.rootService} className="mr-1.5 align-middle" />
                  <span className="font-medium text-slate-800 dark:text-slate-100">{t.rootService}:</span> {t.rootName}
                </td>
                <td className="px-3 py-1.5 text-right whitespace-nowrap tabular-nums">{formatDuration(t.durationNs)}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{formatCount(t.spans)}</td>
                <td className={`px-3 py-1.5 text-right tabular-nums ${t.errorCount ? 'font-semibold text-red-600 dark:text-red-400' : ''}`}>{formatCount(t.errorCount)}</td>
                <td className="px-3 py-1.5 text-right whitespace-nowrap tabular-nums">{formatBytes(t.bytes)}</td>
                <td className="px-3 py-1.5 font-mono text-xs whitespace-nowrap">{decidedBy(t)}</td>
                <td className="px-3 py-1.5 whitespace-nowrap">
                  <span className={t.kept ? 'text-emerald-700 dark:text-emerald-400' : 'text-slate-500'}>{t.kept ? 'kept' : 'dropped'}</span>
                  {t.late ? <span className="ml-1 text-amber-700 dark:text-amber-400">({t.late} late)</span> : null}
                </td>
              </ClickableRow>
            ))}
            <SpacerRow heightPx={virtual.padBottomPx} colSpan={COLUMN_COUNT} />
          </tbody>
        </table>
        {rows.length === 0 ? <p className="p-3 text-sm text-slate-500">Nothing is dropped.</p> : null}
      </div>
    </div>
  );
}
