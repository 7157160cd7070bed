// The traces grouped by root (service + operation): how many, how many failed, median and slowest, and
// the services they reach. Picking a group narrows the list to its traces.
import { useMemo } from 'react';
import { ClickableRow } from '../../components/ClickableRow.tsx';
import { formatCount, formatDuration } from '../../components/format.ts';
import { serviceColor } from '../../components/service-colors.ts';
import { SortableHeader } from '../../components/SortableHeader.tsx';
import { useSortState } from '../../components/sort-state.ts';
import { SpanNameCells } from '../../components/TreeRowHead.tsx';
import type { TraceListItem } from './trace-list-item.ts';
import { groupByRoot, sortGroups, type GroupSortKey } from './trace-list-rows.ts';
import { ServiceList } from './ServiceList.tsx';

export function RootGroupTable({ traces, onPick }: { traces: readonly TraceListItem[]; onPick(root: string): void }) {
  const [sort, onSort] = useSortState<GroupSortKey>({ key: 'traces', descending: true }, ['root']);
  const groups = useMemo(() => sortGroups(groupByRoot(traces), sort.key, sort.descending), [traces, sort]);
  const header = (column: GroupSortKey, label: string, align: 'left' | 'right' = 'right') => (
    <SortableHeader column={column} label={label} align={align} sort={sort} onSort={onSort} testId={`group-sort-${column}`} />
  );
  // Roots are few next to traces (one per entry point): a plain table.
  return (
    <div className="max-h-[70vh] overflow-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full table-fixed text-sm" data-testid="root-group-table">
        <colgroup>
          <col />
          <col className="w-72" />
          <col className="w-20" />
          <col className="w-24" />
          <col className="w-28" />
          <col className="w-28" />
        </colgroup>
        <thead className="sticky top-0 z-10 border-b border-slate-200 bg-slate-50 text-xs text-slate-600 uppercase dark:border-slate-800 dark:bg-slate-800 dark:text-slate-300">
          <tr>
            {header('root', 'Root', 'left')}
            <th scope="col" className="px-3 py-2 text-left font-medium">
              Services
            </th>
            {header('traces', 'Traces')}
            {header('errors', 'With errors')}
            {header('median', 'Median')}
            {header('max', 'Slowest')}
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <ClickableRow key={g.root} testId="root-group" onOpen={() => onPick(g.root)}>
              <td className="px-3 py-2">
                <div className="flex min-w-0 items-center gap-2">
                  <SpanNameCells color={serviceColor(g.rootService)} service={g.rootService} label={g.root.slice(g.rootService.length + 1)} />
                </div>
              </td>
              <td className="px-3 py-2" title={g.services.join(', ')}>
                <ServiceList services={g.services} />
              </td>
              <td className="px-3 py-2 text-right tabular-nums" data-testid="root-group-count">
                {formatCount(g.traceCount)}
              </td>
              <td className={`px-3 py-2 text-right tabular-nums ${g.errorTraces ? 'font-semibold text-red-600 dark:text-red-400' : 'text-slate-400'}`} data-testid="root-group-errors">
                {g.errorTraces}
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{formatDuration(g.medianDurationNs)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{formatDuration(g.maxDurationNs)}</td>
            </ClickableRow>
          ))}
        </tbody>
      </table>
    </div>
  );
}
