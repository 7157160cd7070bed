import { useState, type ReactNode } from 'react';
import { isStitchedTraceId } from '../../core/analysis/stitch-traces.ts';
import type { TraceSummary } from '../../core/analysis/trace-summary.ts';
import { formatCount, formatDuration, formatStartTime } from '../../components/format.ts';
import { ServiceSwatch } from '../../components/ServiceSwatch.tsx';

interface Props {
  trace: TraceSummary;
  /** Services of the whole file, for stable colours. */
  fileServices: readonly string[];
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

export function TraceHeader({ trace, fileServices, onErrorsClick, actions, tools }: Props) {
  const [showWarnings, setShowWarnings] = useState(false);
  const [copied, setCopied] = useState(false);
  return (
    <section className="border-b border-slate-200 bg-white px-5 py-4 dark:border-slate-800 dark:bg-slate-900">
      {/* One line: a long root name is cut (its full text on hover) rather than pushing the trace down. */}
      <div className="flex items-baseline gap-x-3">
        <h1 data-testid="trace-root" title={`${trace.rootService}: ${trace.rootName}`} className="min-w-0 truncate text-lg font-semibold text-slate-900 dark:text-slate-50">
          <ServiceSwatch services={fileServices} service={trace.rootService} className="mr-2 align-middle" />
          {trace.rootService}: <span className="font-normal">{trace.rootName}</span>
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
        {tools ? <div className="ml-auto flex shrink-0 items-center gap-2 self-center">{tools}</div> : null}
      </div>
      <div className="mt-3 flex flex-wrap items-end gap-x-5 gap-y-2">
      <dl className="flex flex-wrap gap-x-5 gap-y-2">
        <Stat label="Start" value={formatStartTime(trace.traceStart)} />
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
      {actions ? <div className="ml-auto">{actions}</div> : null}
      </div>
      {trace.warnings.length > 0 ? (
        <div data-testid="trace-warnings" className="mt-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950/50 dark:text-amber-100">
          <button type="button" onClick={() => setShowWarnings(!showWarnings)} className="font-medium" aria-expanded={showWarnings}>
            {showWarnings ? '▾' : '▸'} {trace.warnings.length} warning{trace.warnings.length === 1 ? '' : 's'}
          </button>
          {showWarnings ? (
            <ul className="mt-1 list-disc pl-6">
              {trace.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          ) : (
            <span className="ml-2 text-amber-800 dark:text-amber-200">{trace.warnings[0]}</span>
          )}
        </div>
      ) : null}
    </section>
  );
}
