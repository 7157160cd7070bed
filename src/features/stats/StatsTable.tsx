// Statistics per service, per operation or per value of an attribute: count, total, self time (sum and
// share), avg, p50, p95, max, errors. Sortable and filterable; a row click shows its spans in the waterfall.
import { useMemo, useState } from 'react';
import type { SpanStats, SpanStatsRow } from '../../core/analysis/span-stats.ts';
import { formatCount, formatDuration } from '../../components/format.ts';
import { SortableHeader } from '../../components/SortableHeader.tsx';
import { ClickableRow } from '../../components/ClickableRow.tsx';
import { useSortState } from '../../components/sort-state.ts';
import { SpacerRow } from '../../components/SpacerRow.tsx';
import { useVirtualRows } from '../../components/use-virtual-rows.ts';

/** One line of text-sm with py-1.5, and the border: rows are drawn only in view (a trace may have 100k names). */
const ROW_PX = 33;

type ColumnKey = 'count' | 'total' | 'self' | 'selfPct' | 'avg' | 'p50' | 'p95' | 'max' | 'errors';
type Column = { key: ColumnKey; label: string; value: (r: SpanStatsRow) => number; format: (v: number) => string };

const COLUMNS: readonly Column[] = [
  { key: 'count', label: 'Count', value: (r) => r.count, format: formatCount },
  { key: 'total', label: 'Total', value: (r) => r.totalDurationNs, format: formatDuration },
  { key: 'self', label: 'Self time', value: (r) => r.selfTimeNs, format: formatDuration },
  { key: 'selfPct', label: 'Self %', value: (r) => r.selfTimePercent, format: (v) => `${v.toFixed(1)}%` },
  { key: 'avg', label: 'Avg', value: (r) => r.avgDurationNs, format: formatDuration },
  { key: 'p50', label: 'p50', value: (r) => r.p50Ns, format: formatDuration },
  { key: 'p95', label: 'p95', value: (r) => r.p95Ns, format: formatDuration },
  { key: 'max', label: 'Max', value: (r) => r.maxNs, format: formatDuration },
  { key: 'errors', label: 'Errors', value: (r) => r.errorCount, format: formatCount },
];

export function rowName(r: SpanStatsRow): string {
  if (r.operation !== undefined) return `${r.service}: ${r.operation}`;
  if (r.service !== undefined) return r.service;
  return r.value ?? '(no value)';
}

interface Props {
  readonly stats: SpanStats;
  onSelectRow(row: SpanStatsRow): void;
}

export function StatsTable({ stats, onSelectRow }: Props) {
  const [sort, onSort] = useSortState<ColumnKey | 'name'>({ key: 'self', descending: true }, ['name']);
  const [filter, setFilter] = useState('');
  const rows = useMemo(() => {
    const column = COLUMNS.find((c) => c.key === sort.key);
    const needle = filter.trim().toLowerCase();
    const kept = needle ? stats.rows.filter((r) => rowName(r).toLowerCase().includes(needle)) : [...stats.rows];
    if (column) kept.sort((a, b) => (column.value(a) - column.value(b)) * (sort.descending ? -1 : 1));
    else kept.sort((a, b) => rowName(a).localeCompare(rowName(b)) * (sort.descending ? -1 : 1));
    return kept;
  }, [stats, sort, filter]);
  const virtual = useVirtualRows(rows.length, ROW_PX);
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2" data-testid="stats-table">
      <input className="input w-72" placeholder="Filter rows" value={filter} onChange={(e) => setFilter(e.target.value)} data-testid="stats-filter" />
      <div ref={virtual.scrollerRef} onScroll={virtual.onScroll} className="min-h-0 overflow-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-sm">
          <thead className="sticky top-0 border-b border-slate-200 bg-slate-50 text-xs text-slate-600 uppercase dark:border-slate-800 dark:bg-slate-800 dark:text-slate-300">
            <tr>
              <SortableHeader column="name" label="Name" align="left" sort={sort} onSort={onSort} />
              {COLUMNS.map((c) => (
                <SortableHeader key={c.key} column={c.key} label={c.label} sort={sort} onSort={onSort} />
              ))}
            </tr>
          </thead>
          <tbody>
            <SpacerRow heightPx={virtual.padTopPx} colSpan={COLUMNS.length + 1} />
            {rows.slice(virtual.first, virtual.end).map((r, k) => (
              <ClickableRow key={`${virtual.first + k}:${rowName(r)}`} testId="stats-row" onOpen={() => onSelectRow(r)} heightPx={ROW_PX}>
                <td className="max-w-md truncate px-3 py-1.5 font-medium text-slate-800 dark:text-slate-100" title={rowName(r)}>
                  {rowName(r)}
                </td>
                {COLUMNS.map((c) => (
                  <td key={c.key} className={`px-3 py-1.5 text-right whitespace-nowrap tabular-nums ${c.key === 'errors' && r.errorCount ? 'font-semibold text-red-600 dark:text-red-400' : ''}`}>
                    {c.format(c.value(r))}
                  </td>
                ))}
              </ClickableRow>
            ))}
            <SpacerRow heightPx={virtual.padBottomPx} colSpan={COLUMNS.length + 1} />
          </tbody>
        </table>
      </div>
    </div>
  );
}
