// Beside a graph of many traces: the traces behind the node or edge clicked (failed ones first, then the
// slowest), each opening its waterfall filtered to those spans.
import type { TraceSummary } from '../../core/analysis/trace-summary.ts';
import { formatCount, formatDuration } from '../../components/format.ts';
import { ServiceSwatch } from '../../components/ServiceSwatch.tsx';

/** Rows shown; the rest are counted. */
const MAX_ROWS = 200;

interface Props {
  /** "order-service", "order-service → payment-service". */
  readonly title: string;
  readonly traces: readonly TraceSummary[];
  onOpen(traceId: string): void;
  onClose(): void;
}

export function SelectionTraces({ title, traces, onOpen, onClose }: Props) {
  const sorted = [...traces].sort((a, b) => Number(b.errorCount > 0) - Number(a.errorCount > 0) || b.durationNs - a.durationNs);
  const failed = traces.filter((t) => t.errorCount > 0).length;
  return (
    <aside className="flex w-96 shrink-0 flex-col rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900" data-testid="selection-traces" aria-label={`Traces of ${title}`}>
      <header className="flex items-start gap-2 border-b border-slate-200 px-3 py-2 dark:border-slate-800">
        <div className="min-w-0 flex-1">
          <p className="truncate text-sm font-semibold text-slate-800 dark:text-slate-100" title={title}>
            {title}
          </p>
          <p className="text-xs text-slate-500 dark:text-slate-400">
            in {formatCount(traces.length)} {traces.length === 1 ? 'trace' : 'traces'}
            {failed ? <span className="text-red-700 dark:text-red-300"> · {formatCount(failed)} with errors</span> : null} · click one to see those spans
          </p>
        </div>
        <button type="button" className="rounded px-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-800 dark:hover:bg-slate-800 dark:hover:text-slate-100" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </header>
      <ul className="min-h-0 flex-1 overflow-y-auto text-sm">
        {sorted.slice(0, MAX_ROWS).map((t) => (
          <li key={t.traceId}>
            <button type="button" className="flex w-full items-center gap-2 px-3 py-1.5 text-left hover:bg-sky-50 dark:hover:bg-slate-800" onClick={() => onOpen(t.traceId)} data-testid="selection-trace">
              <ServiceSwatch service={t.rootService} />
              <span className="min-w-0 flex-1 truncate">
                <span className="font-medium text-slate-800 dark:text-slate-100">{t.rootService}</span> <span className="text-slate-600 dark:text-slate-300">{t.rootName}</span>
              </span>
              {t.errorCount ? <span className="text-xs font-semibold text-red-700 dark:text-red-300">{t.errorCount} err</span> : null}
              <span className="w-16 text-right text-xs text-slate-600 tabular-nums dark:text-slate-300">{formatDuration(t.durationNs)}</span>
            </button>
          </li>
        ))}
      </ul>
      {sorted.length > MAX_ROWS ? <p className="border-t border-slate-200 px-3 py-1.5 text-xs text-slate-500 dark:border-slate-800">and {formatCount(sorted.length - MAX_ROWS)} more</p> : null}
    </aside>
  );
}
