// The comparison per service + operation path (every call along the same path together): calls, self
// and total time in A and B, and the changes; sortable, filterable. A click shows that path's spans in the tree.
import { useMemo, useState } from 'react';
import type { PathDiff } from '../../core/analysis/trace-diff.ts';
import { formatDuration } from '../../components/format.ts';
import { ClickableRow } from '../../components/ClickableRow.tsx';
import { SortableHeader } from '../../components/SortableHeader.tsx';
import { SpanNameCells } from '../../components/TreeRowHead.tsx';
import { useSortState } from '../../components/sort-state.ts';
import { serviceColor } from '../../components/service-colors.ts';
import { SpacerRow } from '../../components/SpacerRow.tsx';
import { useVirtualRows } from '../../components/use-virtual-rows.ts';
import { DeltaBar, DeltaText } from './Delta.tsx';
import { changeLevel, pathOrder, type PathSortKey } from './diff-rows.ts';

/** Rows are drawn only in view: one line of 12.5px text with py-1.5, and the border. */
const ROW_PX = 33;
const COLUMN_COUNT = 7;

interface Props {
  readonly paths: PathDiff;
  onShowPath(path: number): void;
}

/** "… › order.place › POST": the last few operations above a path. */
function ancestry(paths: PathDiff, k: number, keep = 3): string {
  const names: string[] = [];
  let more = false;
  for (let p = paths.parent[k]; p >= 0; p = paths.parent[p]) {
    if (names.length === keep) {
      more = true;
      break;
    }
    names.unshift(paths.names[paths.operation[p]]);
  }
  return (more ? '… › ' : '') + names.join(' › ');
}

export function PathTable({ paths, onShowPath }: Props) {
  const [sort, onSort] = useSortState<PathSortKey>({ key: 'deltaSelf', descending: true }, ['tree']);
  const [filter, setFilter] = useState('');
  const order = useMemo(() => pathOrder(paths, sort.key, sort.descending, filter), [paths, sort, filter]);
  const maxAbsSelf = useMemo(() => {
    let max = 0;
    for (let k = 0; k < paths.nodeCount; k++) max = Math.max(max, Math.abs(paths.selfTimeBNs[k] - paths.selfTimeANs[k]));
    return max;
  }, [paths]);
  const header = (column: PathSortKey, label: string, align: 'left' | 'right' = 'right', title?: string) => (
    <SortableHeader column={column} label={label} align={align} title={title} sort={sort} onSort={onSort} testId={`path-sort-${column}`} buttonClassName="uppercase" directionless={column === 'tree'} />
  );
  const virtual = useVirtualRows(order.length, ROW_PX);
  const shown = order.subarray(virtual.first, virtual.end);
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2" data-testid="path-table">
      <div className="flex items-center gap-3">
        <input className="input w-72 py-1" placeholder="Filter by service or operation" value={filter} onChange={(e) => setFilter(e.target.value)} data-testid="path-filter" />
        <span className="text-xs text-slate-500 dark:text-slate-400">
          {order.length.toLocaleString('en-US')} path{order.length === 1 ? '' : 's'} · Δ sorts by size of the change, either way · click a
          path to see its spans in the tree
        </span>
      </div>
      <div ref={virtual.scrollerRef} onScroll={virtual.onScroll} className="min-h-0 overflow-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-[12.5px]">
          <thead className="sticky top-0 z-10 border-b border-slate-200 bg-slate-50 text-[11px] text-slate-500 dark:border-slate-800 dark:bg-slate-800 dark:text-slate-400">
            <tr>
              {header('tree', 'Path (tree order)', 'left')}
              {header('calls', 'Calls A → B', 'right', 'Sorted by the change in the number of calls')}
              {header('selfA', 'Self A')}
              {header('selfB', 'Self B')}
              {header('deltaSelf', 'Δ self time')}
              <th scope="col" className="w-36 px-3 py-2" aria-label="Change of self time" />
              {header('deltaTotal', 'Δ total')}
            </tr>
          </thead>
          <tbody>
            <SpacerRow heightPx={virtual.padTopPx} colSpan={COLUMN_COUNT} />
            {Array.from(shown, (k) => {
              const service = paths.names[paths.service[k]];
              const operation = paths.names[paths.operation[k]];
              const [selfA, selfB] = [paths.selfTimeANs[k], paths.selfTimeBNs[k]];
              const [totalA, totalB] = [paths.totalANs[k], paths.totalBNs[k]];
              const above = ancestry(paths, k);
              return (
                <ClickableRow key={k} testId="path-row" onOpen={() => onShowPath(k)} heightPx={ROW_PX}>
                  <td className="max-w-0 px-3 py-1.5" style={{ width: '40%' }} title={`${above ? `${above} › ` : ''}${service}: ${operation}`}>
                    <span className="flex min-w-0 items-center gap-1.5 whitespace-nowrap">
                      <SpanNameCells color={serviceColor(service)} service={service} label={operation} labelShrinks={false} />
                      {above ? <span className="min-w-0 truncate text-[11px] text-slate-400 dark:text-slate-500">under {above}</span> : null}
                    </span>
                  </td>
                  <td className={`px-3 py-1.5 text-right whitespace-nowrap tabular-nums ${paths.countA[k] !== paths.countB[k] ? 'font-semibold text-slate-900 dark:text-white' : 'text-slate-600 dark:text-slate-300'}`}>
                    {paths.countA[k]} → {paths.countB[k]}
                  </td>
                  <td className="px-3 py-1.5 text-right whitespace-nowrap text-slate-600 tabular-nums dark:text-slate-300">{paths.countA[k] ? formatDuration(selfA) : '—'}</td>
                  <td className="px-3 py-1.5 text-right whitespace-nowrap text-slate-600 tabular-nums dark:text-slate-300">{paths.countB[k] ? formatDuration(selfB) : '—'}</td>
                  <td className="px-3 py-1.5 text-right whitespace-nowrap">
                    <DeltaText fromNs={selfA} toNs={selfB} level={changeLevel(selfA, selfB - selfA)} showPercent={paths.countA[k] > 0 && paths.countB[k] > 0} />
                  </td>
                  <td className="px-3 py-1.5">
                    <DeltaBar deltaNs={selfB - selfA} maxAbsNs={maxAbsSelf} level={changeLevel(selfA, selfB - selfA)} />
                  </td>
                  <td className="px-3 py-1.5 text-right whitespace-nowrap">
                    <DeltaText fromNs={totalA} toNs={totalB} level={changeLevel(totalA, totalB - totalA)} showPercent={false} />
                  </td>
                </ClickableRow>
              );
            })}
            <SpacerRow heightPx={virtual.padBottomPx} colSpan={COLUMN_COUNT} />
          </tbody>
        </table>
      </div>
    </div>
  );
}
