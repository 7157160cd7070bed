// A span's links across everything loaded: where it points (outgoing), what points at it ("linked from"),
// and for a batch span with many links a summary — how many, their durations (histogram, p50/p95/max),
// how many failed, the slowest and the failed ones one click away, and when they started relative to it.
// It is the span details' one list of links, inside the details' scroll area (no scroll box of its own).
import { formatDuration } from '../../components/format.ts';
import { attrValueToString } from '../../core/model/attributes.ts';
import type { SpanLabel, SpanLinksResult } from '../../core/view-format/analysis-answers.ts';

interface Props {
  readonly links: SpanLinksResult;
  onOpenSpan(traceId: string, spanIndex: number): void;
  /** A target trace that is not loaded: fetch it. */
  onFetchTrace(traceId: string): void;
}

export function SpanLinksPanel({ links, onOpenSpan, onFetchTrace }: Props) {
  if (!links.outgoing.length && !links.incoming.length) return null;
  const spanButton = (s: SpanLabel) => (
    <button
      type="button"
      className="min-w-0 truncate text-left text-sky-700 hover:underline dark:text-sky-300"
      onClick={() => onOpenSpan(s.traceId, s.spanIndex)}
      title={`${s.service}: ${s.name} in trace ${s.traceId}`}
    >
      <span className="font-medium">{s.service}</span> {s.name}
      <span className={`ml-1 tabular-nums ${s.error ? 'text-red-600 dark:text-red-400' : 'text-slate-500 dark:text-slate-400'}`}>{formatDuration(s.durationNs)}</span>
    </button>
  );
  return (
    <section className="border-t border-slate-200 px-4 py-3 text-xs dark:border-slate-700" data-testid="span-links-panel">
      {links.fan ? <FanSummary fan={links.fan} spanButton={spanButton} /> : null}
      {links.outgoing.length ? (
        <>
          <h3 className="mb-1 text-[11px] font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">Links to ({links.outgoing.length})</h3>
          <ul className="mb-3 flex flex-col gap-0.5">
            {links.outgoing.slice(0, LIST_LIMIT).map((l, k) => (
              <li key={k} data-testid="span-link-out" title={`trace ${l.traceId} · span ${l.spanId}`}>
                <div className="flex items-center gap-2">
                  <span className="shrink-0 rounded bg-slate-100 px-1 text-[10px] text-slate-600 dark:bg-slate-800 dark:text-slate-300">{l.kind}</span>
                  {l.target ? (
                    spanButton(l.target)
                  ) : (
                    <button type="button" className="truncate text-left text-amber-700 hover:underline dark:text-amber-300" onClick={() => onFetchTrace(l.traceId)} data-testid="span-link-fetch">
                      not loaded: trace {l.traceId.slice(0, 16)}… — fetch it
                    </button>
                  )}
                </div>
                {l.attributes.length ? (
                  <p className="ml-1 truncate pl-1 font-mono text-[11px] text-slate-500 dark:text-slate-400" title={l.attributes.map((a) => `${a.key}=${attrValueToString(a.value)}`).join('\n')}>
                    {l.attributes.map((a) => `${a.key}=${attrValueToString(a.value)}`).join(' · ')}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
          <MoreThanShown count={links.outgoing.length} />
        </>
      ) : null}
      {links.incoming.length ? (
        <>
          <h3 className="mb-1 text-[11px] font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">Linked from ({links.incoming.length})</h3>
          <ul className="flex flex-col gap-0.5">
            {links.incoming.slice(0, LIST_LIMIT).map((l, k) => (
              <li key={k} className="flex items-center gap-2" data-testid="span-link-in">
                <span className="shrink-0 rounded bg-slate-100 px-1 text-[10px] text-slate-600 dark:bg-slate-800 dark:text-slate-300">{l.kind}</span>
                {spanButton(l.source)}
              </li>
            ))}
          </ul>
          <MoreThanShown count={links.incoming.length} />
        </>
      ) : null}
    </section>
  );
}

/** A batch span may have thousands of links: the list shows the first ones, the summary above counts them all. */
const LIST_LIMIT = 500;

function MoreThanShown({ count }: { count: number }) {
  return count > LIST_LIMIT ? <p className="mb-3 text-slate-500 dark:text-slate-400">and {(count - LIST_LIMIT).toLocaleString('en-US')} more (first {LIST_LIMIT} shown)</p> : null;
}

function FanSummary({ fan, spanButton }: { fan: NonNullable<SpanLinksResult['fan']>; spanButton: (s: SpanLabel) => React.ReactNode }) {
  const counts = [...fan.histogram.counts];
  const peak = Math.max(1, ...counts);
  return (
    <div className="mb-3 rounded-md border border-slate-200 p-2 dark:border-slate-700" data-testid="fan-summary">
      <p className="mb-1 font-semibold text-slate-700 dark:text-slate-200">
        {fan.count} linked spans
        {fan.errorCount ? <span className="text-red-600 dark:text-red-400"> · {fan.errorCount} failed</span> : null}
        {fan.unresolvedCount ? <span className="text-slate-500"> · {fan.unresolvedCount} not loaded</span> : null}
      </p>
      {fan.durationNs ? (
        <>
          <div className="flex h-10 items-end gap-px" role="img" aria-label="Duration histogram of the linked spans">
            {counts.map((c, k) => (
              <div
                key={k}
                className="flex-1 rounded-t-sm bg-sky-500/70"
                style={{ height: `${Math.max(2, (c / peak) * 100)}%` }}
                title={`${formatDuration(fan.histogram.edgesNs[k])} – ${formatDuration(fan.histogram.edgesNs[k + 1])}: ${c}`}
              />
            ))}
          </div>
          <p className="mt-1 text-slate-600 tabular-nums dark:text-slate-300">
            p50 {formatDuration(fan.durationNs.p50)} · p95 {formatDuration(fan.durationNs.p95)} · max {formatDuration(fan.durationNs.max)}
          </p>
        </>
      ) : null}
      {fan.startOffsetNs ? (
        <p className="text-slate-600 tabular-nums dark:text-slate-300">
          started {formatOffset(fan.startOffsetNs.min)} … {formatOffset(fan.startOffsetNs.max)} from this span (median {formatOffset(fan.startOffsetNs.p50)})
        </p>
      ) : null}
      {fan.slowest.length ? (
        <details className="mt-1">
          <summary className="cursor-pointer text-slate-600 dark:text-slate-300">Slowest {fan.slowest.length}</summary>
          <ul className="mt-1 flex flex-col gap-0.5">{fan.slowest.map((s, k) => <li key={k}>{spanButton(s)}</li>)}</ul>
        </details>
      ) : null}
      {fan.failed.length ? (
        <details className="mt-1" open>
          <summary className="cursor-pointer text-red-700 dark:text-red-300">Failed {fan.failed.length}</summary>
          <ul className="mt-1 flex flex-col gap-0.5">{fan.failed.slice(0, 100).map((s, k) => <li key={k}>{spanButton(s)}</li>)}</ul>
        </details>
      ) : null}
    </div>
  );
}

function formatOffset(ns: number): string {
  return `${ns < 0 ? '−' : '+'}${formatDuration(Math.abs(ns))}`;
}
