// The traces of a multi-trace file or a search: a scatter plot, a filter, and a sortable, virtualized
// table (only the rows in view are in the DOM), or the traces grouped by root. The list logic is in
// trace-list-rows.ts; the groups are in RootGroupTable.tsx.
import { useMemo, useState, type ReactNode } from 'react';
import { ClickableRow } from '../../components/ClickableRow.tsx';
import { formatCount, formatDuration, formatStartTime } from '../../components/format.ts';
import { serviceColor } from '../../components/service-colors.ts';
import { SortableHeader } from '../../components/SortableHeader.tsx';
import { useSortState } from '../../components/sort-state.ts';
import { SpanNameCells } from '../../components/TreeRowHead.tsx';
import { useVirtualRows } from '../../components/use-virtual-rows.ts';
import { RootGroupTable } from './RootGroupTable.tsx';
import { ScatterPlot } from './ScatterPlot.tsx';
import { plural } from '../../core/plural.ts';
import { ServiceList } from './ServiceList.tsx';
import type { TraceListItem } from './trace-list-item.ts';
import { filterTraces, sortTraces, type TraceSortKey } from './trace-list-rows.ts';

/** Each row is two lines (root, trace id): one fixed height, so rows in view are index math. */
const ROW_PX = 52;

interface Props {
  traces: readonly TraceListItem[];
  onSelect(traceId: string): void;
  /** Buttons beside the heading (what to do with all of these traces). */
  actions?: ReactNode;
}

export function TraceList({ traces, onSelect, actions }: Props) {
  const [sort, onSort] = useSortState<TraceSortKey>({ key: 'start', descending: true }, ['root']);
  const [filter, setFilter] = useState('');
  const [root, setRoot] = useState<string | undefined>();
  const [grouped, setGrouped] = useState(false);
  const shown = useMemo(() => filterTraces(traces, filter, root), [traces, filter, root]);
  const sorted = useMemo(() => sortTraces(shown, sort.key, sort.descending), [shown, sort]);
  const rows = useVirtualRows(sorted.length, ROW_PX);

  const header = (column: TraceSortKey, label: string, align: 'left' | 'right' = 'right') => (
    <SortableHeader column={column} label={label} align={align} sort={sort} onSort={onSort} testId={`sort-${column}`} />
  );
  const errorTraces = traces.filter((t) => t.errorCount > 0).length;
  return (
    <div className="mx-auto flex w-full max-w-7xl flex-col gap-4 px-5 py-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-lg font-semibold text-slate-900 dark:text-slate-50" data-testid="trace-list-heading">
          {plural(traces.length, 'trace')}
          <span className="ml-3 text-sm font-normal text-slate-500 dark:text-slate-400">
            {plural(traces.reduce((n, t) => n + t.spanCount, 0), 'span')} · {errorTraces} with errors
          </span>
        </h1>
        {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-2 dark:border-slate-800 dark:bg-slate-900">
        <ScatterPlot traces={shown} onSelect={onSelect} />
      </div>
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <input
          type="search"
          data-testid="trace-filter"
          className="input w-80 max-w-full"
          placeholder="Filter: service, operation, trace id, error"
          aria-label="Filter the traces"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <label className="flex cursor-pointer items-center gap-1.5 text-slate-700 select-none dark:text-slate-200">
          <input type="checkbox" data-testid="group-by-root" checked={grouped} onChange={(e) => setGrouped(e.target.checked)} className="size-3.5 accent-sky-600" />
          Group by root
        </label>
        {root !== undefined ? (
          <button type="button" data-testid="root-filter" className="btn-secondary py-0.5 text-xs" onClick={() => setRoot(undefined)} title="Show every root again">
            Root: {root} ✕
          </button>
        ) : null}
        <span data-testid="trace-list-count" className="ml-auto text-slate-500 tabular-nums dark:text-slate-400">
          {shown.length === traces.length ? `${formatCount(traces.length)} shown` : `${formatCount(shown.length)} of ${formatCount(traces.length)} shown`}
        </span>
      </div>
      {grouped ? (
        <RootGroupTable
          traces={shown}
         
          onPick={(picked) => {
            setRoot(picked);
            setGrouped(false);
          }}
        />
      ) : (
        <div ref={rows.scrollerRef} onScroll={rows.onScroll} className="max-h-[70vh] overflow-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full table-fixed text-sm" data-testid="trace-table" aria-rowcount={sorted.length + 1}>
            <colgroup>
              {/* The root gets what is left: it is what a reader scans for. */}
              <col />
              <col className="w-44" />
              <col className="w-16" />
              <col className="w-16" />
              <col className="w-24" />
              <col className="w-56" />
            </colgroup>
            <thead className="sticky top-0 z-10 border-b border-slate-200 bg-slate-50 text-xs text-slate-600 uppercase dark:border-slate-800 dark:bg-slate-800 dark:text-slate-300">
              <tr>
                {header('root', 'Root', 'left')}
                {header('services', 'Services', 'left')}
                {header('spans', 'Spans')}
                {header('errors', 'Errors')}
                {header('duration', 'Duration')}
                {header('start', 'Start time')}
              </tr>
            </thead>
            <tbody>
              {rows.padTopPx ? <tr aria-hidden style={{ height: rows.padTopPx }} /> : null}
              {sorted.slice(rows.first, rows.end).map((t) => (
                <TraceRow key={t.traceId} trace={t} onSelect={onSelect} />
              ))}
              {rows.padBottomPx ? <tr aria-hidden style={{ height: rows.padBottomPx }} /> : null}
            </tbody>
          </table>
          {sorted.length === 0 ? <p className="px-3 py-4 text-sm text-slate-500">No trace matches “{filter}”.</p> : null}
        </div>
      )}
    </div>
  );
}

function TraceRow({ trace: t, onSelect }: { trace: TraceListItem; onSelect(traceId: string): void }) {
  return (
    <ClickableRow testId="trace-row" onOpen={() => onSelect(t.traceId)}>
      <td className="px-3 py-1" style={{ height: ROW_PX }}>
        <div className="flex min-w-0 items-center gap-2">
          <SpanNameCells color={serviceColor(t.rootService)} service={t.rootService} label={t.rootName} />
          {t.receiving ? <ReceivingBadge /> : null}
        </div>
        <div className="truncate font-mono text-[11px] text-slate-400">{t.traceId}</div>
      </td>
      <td className="px-3 py-1" data-testid="trace-row-services" title={t.services.join(', ')}>
        <ServiceList services={t.services} />
      </td>
      <td className="px-3 py-1 text-right tabular-nums">{formatCount(t.spanCount)}</td>
      <td data-testid="trace-row-errors" className={`px-3 py-1 text-right tabular-nums ${t.errorCount ? 'font-semibold text-red-600 dark:text-red-400' : 'text-slate-400'}`}>
        {t.errorCount}
      </td>
      <td className="px-3 py-1 text-right tabular-nums">{formatDuration(t.durationNs)}</td>
      <td className="px-3 py-1 text-right whitespace-nowrap text-slate-600 tabular-nums dark:text-slate-300">{formatStartTime(t.traceStart)}</td>
    </ClickableRow>
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
