// The lab's figures: kept and dropped for head alone, tail alone and both; per policy what it matched
// and decided; and what the sampling would lose.
import type { ReactNode } from 'react';
import { formatBytes, formatCount, formatDuration } from '../../components/format.ts';
import { ServiceSwatch } from '../../components/ServiceSwatch.tsx';
import type { KeptDropped, SamplingSummary } from '../../core/sampling/summary.ts';
import { plural } from '../../core/plural.ts';

const percentText = (p: number) => `${p.toFixed(p === 0 || p === 100 ? 0 : 1)}%`;

export function Card({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" data-testid={testId}>
      <h2 className="mb-3 text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">{title}</h2>
      {children}
    </section>
  );
}

/** The pipeline as deployed: head then tail, or the tail alone without a head sampler. */
export function Headline({ summary }: { summary: SamplingSummary }) {
  const deployed = summary.both ?? summary.tailAlone;
  return (
    <div className="flex flex-col gap-1" data-testid="sampling-headline">
      <div className="flex flex-wrap items-baseline gap-x-8 gap-y-2">
        <Figure label="Traces kept" value={`${formatCount(deployed.kept.traces)} of ${formatCount(summary.total.traces)}`} detail={percentText(deployed.keptPercent.traces)} testId="sampling-kept-traces" />
        <Figure label="Traces dropped" value={formatCount(deployed.dropped.traces)} detail={percentText(100 - deployed.keptPercent.traces)} testId="sampling-dropped-traces" />
        <Figure label="Spans kept" value={formatCount(deployed.kept.spans)} detail={percentText(deployed.keptPercent.spans)} />
        <Figure label="Bytes kept" value={formatBytes(deployed.kept.bytes)} detail={percentText(deployed.keptPercent.bytes)} />
      </div>
      <p className="text-xs text-slate-500 dark:text-slate-400">{summary.both ? `Head sampler (${summary.head ?? ''}) then the tail sampler, as deployed` : 'The tail sampler alone (no head sampler)'}</p>
    </div>
  );
}

function Figure({ label, value, detail, testId }: { label: string; value: string; detail: string; testId?: string }) {
  return (
    <div className="flex flex-col">
      <span className="text-[11px] font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">{label}</span>
      <span className="text-2xl font-semibold text-slate-900 tabular-nums dark:text-slate-50" data-testid={testId}>
        {value} <span className="text-base font-medium text-slate-500 dark:text-slate-400">{detail}</span>
      </span>
    </div>
  );
}

export function KeptDroppedTable({ summary }: { summary: SamplingSummary }) {
  const rows: readonly (readonly [string, string, KeptDropped | undefined])[] = [
    ['head', 'Head alone', summary.headAlone],
    ['tail', 'Tail alone', summary.tailAlone],
    ['both', 'Head then tail', summary.both],
  ];
  const cell = (kept: number, dropped: number, percent: number, format: (n: number) => string) => (
    <>
      <td className="px-3 py-1.5 text-right whitespace-nowrap tabular-nums">
        <span className="font-semibold text-emerald-700 dark:text-emerald-400">{format(kept)}</span> <span className="text-slate-500">{percentText(percent)}</span>
      </td>
      <td className="px-3 py-1.5 text-right whitespace-nowrap text-slate-600 tabular-nums dark:text-slate-300">{format(dropped)}</td>
    </>
  );
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <thead className="border-b border-slate-200 text-xs text-slate-600 uppercase dark:border-slate-800 dark:text-slate-300">
          <tr>
            <th className="px-3 py-1.5 text-left font-medium" />
            <th className="px-3 py-1.5 text-right font-medium">Traces kept</th>
            <th className="px-3 py-1.5 text-right font-medium">dropped</th>
            <th className="px-3 py-1.5 text-right font-medium">Spans kept</th>
            <th className="px-3 py-1.5 text-right font-medium">dropped</th>
            <th className="px-3 py-1.5 text-right font-medium">Bytes kept</th>
            <th className="px-3 py-1.5 text-right font-medium">dropped</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([id, label, split]) => (
            <tr key={id} className="border-b border-slate-100 last:border-0 dark:border-slate-800" data-testid={`sampling-split-${id}`}>
              <th scope="row" className="px-3 py-1.5 text-left font-medium whitespace-nowrap text-slate-800 dark:text-slate-100">
                {label}
              </th>
              {split ? (
                <>
                  {cell(split.kept.traces, split.dropped.traces, split.keptPercent.traces, formatCount)}
                  {cell(split.kept.spans, split.dropped.spans, split.keptPercent.spans, formatCount)}
                  {cell(split.kept.bytes, split.dropped.bytes, split.keptPercent.bytes, formatBytes)}
                </>
              ) : (
                <td colSpan={6} className="px-3 py-1.5 text-slate-500">
                  no head sampler
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PolicyTable({ summary }: { summary: SamplingSummary }) {
  return (
    <table className="w-full text-sm" data-testid="sampling-policies">
      <thead className="border-b border-slate-200 text-xs text-slate-600 uppercase dark:border-slate-800 dark:text-slate-300">
        <tr>
          <th className="px-3 py-1.5 text-left font-medium">Policy</th>
          <th className="px-3 py-1.5 text-left font-medium">Type</th>
          <th className="px-3 py-1.5 text-right font-medium" title="Traces it was asked about">Evaluated</th>
          <th className="px-3 py-1.5 text-right font-medium" title="Traces it sampled (a drop policy: dropped)">Matched</th>
          <th className="px-3 py-1.5 text-right font-medium" title="Traces whose final decision it made">Decided</th>
        </tr>
      </thead>
      <tbody>
        {summary.policies.map((p) => (
          <tr key={p.name} className="border-b border-slate-100 last:border-0 dark:border-slate-800" data-testid="sampling-policy-row">
            <td className="px-3 py-1.5 font-mono text-slate-800 dark:text-slate-100">{p.name}</td>
            <td className="px-3 py-1.5 text-slate-500 dark:text-slate-400">{p.type}</td>
            <td className="px-3 py-1.5 text-right tabular-nums">{formatCount(p.evaluated)}</td>
            <td className="px-3 py-1.5 text-right tabular-nums">{formatCount(p.matched)}</td>
            <td className="px-3 py-1.5 text-right font-semibold tabular-nums">{formatCount(p.decided)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function LossLine({ label, lost, of, testId }: { label: ReactNode; lost: number; of: number; testId: string }) {
  return (
    <li className="flex items-baseline justify-between gap-3 py-1" data-testid={testId}>
      <span className="text-slate-700 dark:text-slate-200">{label}</span>
      <span className="whitespace-nowrap tabular-nums">
        <span className={`text-lg font-semibold ${lost > 0 ? 'text-red-600 dark:text-red-400' : 'text-emerald-700 dark:text-emerald-400'}`}>{formatCount(lost)}</span>
        <span className="text-slate-500"> of {formatCount(of)} dropped</span>
      </span>
    </li>
  );
}

/** A few names, then how many more. */
const LIST_LIMIT = 8;

export function LossPanel({ summary }: { summary: SamplingSummary }) {
  const { errorTraces, slowTraces, servicesWithNoKeptTrace, operationsWithNoKeptTrace, linksCut } = summary.loss;
  return (
    <div className="flex flex-col gap-3 text-sm">
      <ul className="divide-y divide-slate-100 dark:divide-slate-800">
        <LossLine label="Error traces" lost={errorTraces.dropped} of={errorTraces.total} testId="sampling-loss-errors" />
        <LossLine label={`Slower than p95 (${formatDuration(slowTraces.p95Ms * 1e6)})`} lost={slowTraces.droppedAtOrAboveP95} of={slowTraces.atOrAboveP95} testId="sampling-loss-p95" />
        <LossLine label={`Slower than p99 (${formatDuration(slowTraces.p99Ms * 1e6)})`} lost={slowTraces.droppedAtOrAboveP99} of={slowTraces.atOrAboveP99} testId="sampling-loss-p99" />
        <li className="flex items-baseline justify-between gap-3 py-1" data-testid="sampling-loss-links">
          <span className="text-slate-700 dark:text-slate-200">Span links cut (one end kept, the other dropped)</span>
          <span className="whitespace-nowrap tabular-nums">
            <span className={`text-lg font-semibold ${linksCut.links > 0 ? 'text-red-600 dark:text-red-400' : 'text-emerald-700 dark:text-emerald-400'}`}>{formatCount(linksCut.links)}</span>
            <span className="text-slate-500"> links, {formatCount(linksCut.tracePairs)} trace pairs</span>
          </span>
        </li>
      </ul>
      <div data-testid="sampling-loss-services">
        <h3 className="field-label mb-1">Services left with no trace ({formatCount(servicesWithNoKeptTrace.length)})</h3>
        {servicesWithNoKeptTrace.length === 0 ? (
          <p className="text-slate-500">none: every service keeps at least one trace</p>
        ) : (
          <ul className="flex flex-wrap gap-x-4 gap-y-1">
            {servicesWithNoKeptTrace.slice(0, LIST_LIMIT).map((s) => (
              <li key={s.service} className="flex items-center gap-1.5">
                <ServiceSwatch service={s.service} />
                {s.service} <span className="text-slate-500 tabular-nums">({plural(s.traces, 'trace')})</span>
              </li>
            ))}
            {servicesWithNoKeptTrace.length > LIST_LIMIT ? <li className="text-slate-500">and {servicesWithNoKeptTrace.length - LIST_LIMIT} more</li> : null}
          </ul>
        )}
      </div>
      <div data-testid="sampling-loss-operations">
        <h3 className="field-label mb-1">Operations left with no trace ({formatCount(operationsWithNoKeptTrace.count)})</h3>
        {operationsWithNoKeptTrace.count === 0 ? (
          <p className="text-slate-500">none</p>
        ) : (
          <ul className="flex flex-col gap-0.5">
            {operationsWithNoKeptTrace.examples.slice(0, LIST_LIMIT).map((o) => (
              <li key={`${o.service}\u0000${o.operation}`} className="flex items-center gap-1.5 truncate">
                <ServiceSwatch service={o.service} />
                <span className="truncate" title={`${o.service}: ${o.operation}`}>
                  {o.service}: {o.operation}
                </span>
                <span className="text-slate-500 tabular-nums">({formatCount(o.traces)})</span>
              </li>
            ))}
            {operationsWithNoKeptTrace.count > LIST_LIMIT ? <li className="text-slate-500">and {formatCount(operationsWithNoKeptTrace.count - LIST_LIMIT)} more</li> : null}
          </ul>
        )}
      </div>
    </div>
  );
}
