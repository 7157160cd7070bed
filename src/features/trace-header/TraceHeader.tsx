import { clipText, NAME_CLIP_CHARS } from '../../components/clip-text.ts';
import { useRef, useState, type ReactNode } from 'react';
import { plural } from '../../core/plural.ts';
import { useDismiss } from '../../components/use-dismiss.ts';
import { isStitchedTraceId } from '../../core/analysis/stitch-traces.ts';
import type { TraceSummary } from '../../core/analysis/trace-summary.ts';
import { formatCount, formatDuration, formatStartTime } from '../../components/format.ts';
import { ServiceSwatch } from '../../components/ServiceSwatch.tsx';
import { useKeepInViewport } from '../../components/keep-in-viewport.ts';

interface Props {
  trace: TraceSummary;
  /** Jump to the first error span. */
  onErrorsClick?(): void;
  /** Shown at the right of the numbers (the trace page's view tabs), so they take no row of their own. */
  actions?: ReactNode;
  /** Shown at the right of the title (copy, download). */
  tools?: ReactNode;
}

function Stat({ label, value, testId, tone }: { label: string; value: string; testId?: string; tone?: 'error' }) {
  return (
    <div className="flex flex-col">
      <dt className="text-[11px] font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">{label}</dt>
      <dd data-testid={testId} className={`text-sm font-semibold tabular-nums ${tone === 'error' ? 'text-red-600 dark:text-red-400' : 'text-slate-800 dark:text-slate-100'}`}>
        {value}
      </dd>
    </div>
  );
}

export function TraceHeader({ trace, onErrorsClick, actions, tools }: Props) {
  const [copied, setCopied] = useState(false);
  return (
    <section className="border-b border-slate-200 bg-white px-5 pt-2 pb-2 dark:border-slate-800 dark:bg-slate-900">
      <div className="flex min-w-0 items-center gap-x-3">
        <h1 data-testid="trace-root" className="min-w-0 truncate text-base font-semibold text-slate-900 dark:text-slate-50" title={`${trace.rootService}: ${trace.rootName}`}>
          <ServiceSwatch service={trace.rootService} className="mr-2 align-middle" />
          {clipText(trace.rootService, NAME_CLIP_CHARS)}: <span className="font-normal break-all">{clipText(trace.rootName, NAME_CLIP_CHARS)}</span>
        </h1>
        <button
          type="button"
          title="Copy trace id"
          onClick={() => {
            void navigator.clipboard?.writeText(trace.traceId).then(() => setCopied(true));
          }}
          className="shrink-0 font-mono text-xs whitespace-nowrap text-slate-500 hover:text-sky-600 dark:text-slate-400"
        >
          {isStitchedTraceId(trace.traceId) ? `stitched view of ${trace.rootCount} traces` : trace.traceId}{' '}
          {copied ? (
            '✓'
          ) : (
            <svg aria-hidden width="12" height="12" viewBox="0 0 16 16" className="inline align-[-1px]">
              <path fill="currentColor" d="M5 1h9v11h-2V3H5zM2 4h9v11H2zm2 2v7h5V6z" />
            </svg>
          )}
        </button>
        <span className="shrink-0 text-xs text-slate-500 tabular-nums dark:text-slate-400" title="Start of the trace">
          {formatStartTime(trace.traceStart)}
        </span>
        {trace.warnings.length > 0 ? <WarningsBadge warnings={trace.warnings} /> : null}
        {tools ? <div className="ml-auto flex shrink-0 items-center gap-2 self-center">{tools}</div> : null}
      </div>
      <div className="mt-1 flex flex-wrap items-end gap-x-5 gap-y-1">
        <dl className="flex flex-wrap gap-x-4 gap-y-1">
          <Stat label="Duration" value={formatDuration(trace.durationNs)} testId="trace-duration" />
          <Stat label="Spans" value={formatCount(trace.spanCount)} testId="trace-span-count" />
          <Stat label="Services" value={formatCount(trace.services.length)} testId="trace-service-count" />
          <Stat label="Depth" value={formatCount(trace.depth)} testId="trace-depth" />
          {trace.errorCount && onErrorsClick ? (
            <button type="button" onClick={onErrorsClick} title="Jump to the first error" className="rounded text-left hover:bg-red-50 dark:hover:bg-red-950/40">
              <Stat label="Errors" value={formatCount(trace.errorCount)} testId="trace-error-count" tone="error" />
            </button>
          ) : (
            <Stat label="Errors" value={formatCount(trace.errorCount)} testId="trace-error-count" tone={trace.errorCount ? 'error' : undefined} />
          )}
          {trace.rootCount > 1 ? <Stat label="Roots" value={formatCount(trace.rootCount)} testId="trace-root-count" /> : null}
        </dl>
        {actions ? <div className="ml-auto max-w-full">{actions}</div> : null}
      </div>
    </section>
  );
}

/** The trace's warnings as a badge beside its title; a click opens them as a list over the page, which keeps its place. */
function WarningsBadge({ warnings }: { warnings: readonly string[] }) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLDivElement>(null);
  useKeepInViewport(list);
  useDismiss(box, open, () => setOpen(false));
  const count = plural(warnings.length, 'warning');
  return (
    <div ref={box} className="relative shrink-0" data-testid="trace-warnings">
      <button
        type="button"
        data-testid="trace-warnings-badge"
        onClick={() => setOpen(!open)}
        aria-expanded={open}
        title={warnings[0]}
        className="flex items-center gap-1 rounded-full border border-amber-300 bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-900 hover:bg-amber-100 dark:border-amber-700 dark:bg-amber-950/60 dark:text-amber-100 dark:hover:bg-amber-900/60"
      >
        <span aria-hidden>⚠</span> {count} <span aria-hidden>{open ? '▴' : '▾'}</span>
      </button>
      {open ? (
        <div
          ref={list}
          role="dialog"
          aria-label={count}
          data-testid="trace-warnings-list"
          className="absolute top-full left-0 z-40 mt-1 max-h-80 w-[32rem] max-w-[calc(100vw-16px)] overflow-y-auto rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 shadow-lg dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
        >
          <ul className="list-disc space-y-1 pl-5">
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
