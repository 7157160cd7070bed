import { useMemo, type ReactNode } from 'react';
import type { TraceListItem } from './trace-list-item.ts';
import { compareEpoch } from '../../core/model/time.ts';
import { formatCount, formatDuration, formatStartTime } from '../../components/format.ts';
import { serviceColor } from '../../components/service-colors.ts';
import { SortableHeader } from '../../components/SortableHeader.tsx';
import { ClickableRow } from '../../components/ClickableRow.tsx';
import { useSortState } from '../../components/sort-state.ts';
import { SpanNameCells } from '../../components/TreeRowHead.tsx';
import { ScatterPlot } from './ScatterPlot.tsx';
import { plural } from '../../core/plural.ts';

type SortKey = 'root' | 'spans' | 'errors' | 'duration' | 'start';

const COMPARE: Record<SortKey, (a: TraceListItem, b: TraceListItem) => number> = {
  root: (a, b) => `${a.rootService} ${a.rootName}`.localeCompare(`${b.rootService} ${b.rootName}`),
  spans: (a, b) => a.spanCount - b.spanCount,
  errors: (a, b) => a.errorCount - b.errorCount,
  duration: (a, b) => a.durationNs - b.durationNs,
  start: (a, b) => compareEpoch(a.traceStart, b.traceStart),
};

interface Props {
  traces: readonly TraceListItem[];
  onSelect(traceId: string): void;
  /** Buttons beside the heading (what to do with all of these traces). */
  actions?: ReactNode;
}

export function TraceList({ traces, onSelect, actions }: Props) {
  const [sort, onSort] = useSortState<SortKey>({ key: 'start', descending: true }, ['root']);
  const sorted = useMemo(() => {
    const out = [...traces].sort(COMPARE[sort.key]);
    return sort.descending ? out.reverse() : out;
  }, [traces, sort]);
  const header = (column: SortKey, label: string, align: 'left' | 'right' = 'right') => (
    <SortableHeader column={column} label={label} align={align} sort={sort} onSort={onSort} testId={`sort-${column}`} />
  );
  const errorTraces = traces.filter((t) => t.errorCount > 0).length;
  return (
    <div className="mx-auto flex w-full max-w-6xl flex-col gap-4 px-5 py-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-lg font-semibold text-slate-900 dark:text-slate-50">
          {plural(traces.length, 'trace')}
          <span className="ml-3 text-sm font-normal text-slate-500 dark:text-slate-400">
            {plural(traces.reduce((n, t) => n + t.spanCount, 0), 'span')} · {errorTraces} with errors
          </span>
        </h1>
        {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-2 dark:border-slate-800 dark:bg-slate-900">
        <ScatterPlot traces={traces} onSelect={onSelect} />
      </div>
      <div className="overflow-hidden rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full table-fixed text-sm" data-testid="trace-table">
          <colgroup>
            <col />
            <col className="w-24" />
            <col className="w-24" />
            <col className="w-32" />
            <col className="w-56" />
          </colgroup>
          <thead className="border-b border-slate-200 bg-slate-50 text-xs text-slate-600 uppercase dark:border-slate-800 dark:bg-slate-800/60 dark:text-slate-300">
            <tr>
              {header('root', 'Root', 'left')}
              {header('spans', 'Spans')}
              {header('errors', 'Errors')}
              {header('duration', 'Duration')}
              {header('start', 'Start time')}
            </tr>
          </thead>
          <tbody>
            {sorted.map((t) => (
              <ClickableRow key={t.traceId} testId="trace-row" onOpen={() => onSelect(t.traceId)}>
                <td className="px-3 py-2">
                  <div className="flex min-w-0 items-center gap-2">
                    <SpanNameCells color={serviceColor(t.rootService)} service={t.rootService} label={t.rootName} />
                    {t.receiving ? <ReceivingBadge /> : null}
                  </div>
                  <div className="font-mono text-[11px] text-slate-400">{t.traceId}</div>
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{formatCount(t.spanCount)}</td>
                <td className={`px-3 py-2 text-right tabular-nums ${t.errorCount ? 'font-semibold text-red-600 dark:text-red-400' : 'text-slate-400'}`}>{t.errorCount}</td>
                <td className="px-3 py-2 text-right tabular-nums">{formatDuration(t.durationNs)}</td>
                <td className="px-3 py-2 text-right whitespace-nowrap tabular-nums text-slate-600 dark:text-slate-300">{formatStartTime(t.traceStart)}</td>
              </ClickableRow>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function ReceivingBadge() {
  return (
    <span
      data-testid="trace-row-receiving"
      title="Spans are still arriving"
      className="shrink-0 rounded-full bg-sky-100 px-2 py-0.5 text-[11px] font-medium text-sky-800 dark:bg-sky-900/60 dark:text-sky-200"
    >
      receiving
    </span>
  );
}
