// The trace page's Spans tab: every span of the trace as one flat table (service, name, duration, self
// time, start, error), sorted and filtered in the worker (a million spans stay one typed array), drawn
// only in view; a click opens the span in the waterfall.
import { formatCount, formatDuration } from '../../components/format.ts';
import { ClickableRow } from '../../components/ClickableRow.tsx';
import { ServiceSwatch } from '../../components/ServiceSwatch.tsx';
import { SortableHeader } from '../../components/SortableHeader.tsx';
import { nextSort } from '../../components/sort-state.ts';
import { SpacerRow } from '../../components/SpacerRow.tsx';
import { useVirtualRows } from '../../components/use-virtual-rows.ts';
import type { SpanTableColumn, SpanTableQuery } from '../../core/analysis/span-table.ts';
import { FLAG_ERROR, spanLabelOf, type TraceViewData } from '../../core/view-format/trace-view-format.ts';
import type { TraceViewProps } from '../../state/navigation.ts';
import { useTraceWorker } from '../../state/trace-worker-context.ts';
import { useAnalysis } from '../../state/use-analysis.ts';
import { useUrl } from '../../state/url-context.ts';
import { readSpanTableParams, spanTableParamsEdit } from './span-table-url.ts';

/** One line of 12.5px text with py-1.5, and the border. */
const ROW_PX = 33;
const COLUMNS: readonly { key: SpanTableColumn; label: string; align: 'left' | 'right'; width: string }[] = [
  { key: 'service', label: 'Service', align: 'left', width: '18%' },
  { key: 'name', label: 'Name', align: 'left', width: 'auto' },
  { key: 'duration', label: 'Duration', align: 'right', width: '7.5rem' },
  { key: 'self', label: 'Self time', align: 'right', width: '7.5rem' },
  { key: 'start', label: 'Start', align: 'right', width: '7.5rem' },
  { key: 'error', label: 'Error', align: 'left', width: '5rem' },
];

export function SpanTableView({ trace, view, navigation }: TraceViewProps) {
  const traceId = trace.traceId;
  const getWorker = useTraceWorker();
  const params = useUrl((s) => readSpanTableParams(s.search));
  const update = (change: Partial<SpanTableQuery>) => navigation.change('replace', [spanTableParamsEdit({ ...params, ...change })]);
  // The last order stays shown while the next is worked out (a sort of a million spans takes a moment).
  const result = useAnalysis(['spanTable', traceId, params.sort, params.descending, params.filter, params.errorsOnly], () => getWorker().analyze({ kind: 'spanTable', traceId, ...params }), {
    keepPrevious: true,
  });
  const order = result.data?.order;
  const sort = { key: params.sort, descending: params.descending };
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2 p-4" data-testid="span-table-view">
      <div className="flex flex-wrap items-center gap-3">
        <input
          type="search"
          className="input w-72 py-1"
          placeholder="Filter by service or name"
          value={params.filter}
          onChange={(e) => update({ filter: e.target.value })}
          data-testid="span-table-filter"
        />
        <label className="flex items-center gap-1.5 text-sm text-slate-600 dark:text-slate-300">
          <input type="checkbox" checked={params.errorsOnly} onChange={(e) => update({ errorsOnly: e.target.checked })} data-testid="span-table-errors" />
          errors only
        </label>
        <span className="text-xs text-slate-500 dark:text-slate-400" data-testid="span-table-count">
          {order === undefined
            ? result.isError
              ? ''
              : 'Sorting the spans…'
            : order.length === trace.spanCount
              ? `${formatCount(order.length)} spans`
              : `${formatCount(order.length)} of ${formatCount(trace.spanCount)} spans`}
          {result.isPlaceholderData ? ' · sorting…' : ''} · click a span to see it in the waterfall
        </span>
      </div>
      {result.isError ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          The span table could not be built: {result.error.message}
        </p>
      ) : !view || !order ? (
        <p className="text-sm text-slate-500">Laying out {formatCount(trace.spanCount)} spans…</p>
      ) : (
        <SpanRows
          view={view}
          order={order}
          sort={sort}
          onSort={(key) => {
            const next = nextSort(sort, key, ['service', 'name', 'start']);
            update({ sort: next.key, descending: next.descending });
          }}
          onOpen={(span) => navigation.showWaterfall({ selected: span, details: true, onlyMatches: false, criticalOnly: false })}
        />
      )}
    </div>
  );
}

interface RowsProps {
  readonly view: TraceViewData;
  readonly order: Uint32Array;
  readonly sort: { readonly key: SpanTableColumn; readonly descending: boolean };
  onSort(key: SpanTableColumn): void;
  onOpen(span: number): void;
}

function SpanRows({ view, order, sort, onSort, onOpen }: RowsProps) {
  const virtual = useVirtualRows(order.length, ROW_PX);
  return (
    <div ref={virtual.scrollerRef} onScroll={virtual.onScroll} className="min-h-0 overflow-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full table-fixed text-[12.5px]" data-testid="span-table">
        <colgroup>
          {COLUMNS.map((c) => (
            <col key={c.key} style={{ width: c.width }} />
          ))}
        </colgroup>
        <thead className="sticky top-0 z-10 border-b border-slate-200 bg-slate-50 text-[11px] text-slate-500 dark:border-slate-800 dark:bg-slate-800 dark:text-slate-400">
          <tr>
            {COLUMNS.map((c) => (
              <SortableHeader key={c.key} column={c.key} label={c.label} align={c.align} sort={sort} onSort={onSort} testId={`span-sort-${c.key}`} buttonClassName="uppercase" />
            ))}
          </tr>
        </thead>
        <tbody>
          <SpacerRow heightPx={virtual.padTopPx} colSpan={COLUMNS.length} />
          {Array.from(order.subarray(virtual.first, virtual.end), (span) => {
            const service = view.services[view.service[span]];
            const label = spanLabelOf(view, span);
            const error = (view.flags[span] & FLAG_ERROR) !== 0;
            return (
              <ClickableRow key={span} testId="span-table-row" onOpen={() => onOpen(span)} heightPx={ROW_PX}>
                <td className="truncate px-3 py-1.5 whitespace-nowrap text-slate-700 dark:text-slate-200" title={service}>
                  <ServiceSwatch service={service} className="mr-1.5 align-middle" />
                  {service}
                </td>
                <td className="truncate px-3 py-1.5 whitespace-nowrap font-medium text-slate-900 dark:text-slate-50" title={label} data-testid="span-table-name">
                  {label}
                </td>
                <td className="px-3 py-1.5 text-right whitespace-nowrap tabular-nums" data-testid="span-table-duration">
                  {formatDuration(view.durationNs[span])}
                </td>
                <td className="px-3 py-1.5 text-right whitespace-nowrap text-slate-600 tabular-nums dark:text-slate-300">{formatDuration(view.selfTimeNs[span])}</td>
                <td className="px-3 py-1.5 text-right whitespace-nowrap text-slate-600 tabular-nums dark:text-slate-300">+{formatDuration(view.startNs[span])}</td>
                <td className="px-3 py-1.5 whitespace-nowrap">{error ? <span className="font-semibold text-red-600 dark:text-red-400">error</span> : null}</td>
              </ClickableRow>
            );
          })}
          <SpacerRow heightPx={virtual.padBottomPx} colSpan={COLUMNS.length} />
        </tbody>
      </table>
    </div>
  );
}
