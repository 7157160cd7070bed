// Choosing B: the loaded traces (A's endpoint first, fastest first) with the slowest, median and fastest
// one a click away, a box for any trace id (hex, traceparent, b3, uber-trace-id, Datadog), and swap.
import { useState } from 'react';
import { parseTraceReference } from '../../core/propagation/trace-context.ts';
import { formatDuration } from '../../components/format.ts';
import type { CandidateTrace, CompareCandidates, SuggestionKind } from './compare-candidates.ts';
import { formatDelta } from './diff-summary-text.ts';
import { plural } from '../../core/plural.ts';

/** Options per group in the list; the id box reaches the rest. */
const MAX_OPTIONS = 500;

const KIND_LABEL: Record<SuggestionKind, string> = { slowest: 'Slowest', median: 'Median', fastest: 'Fastest' };

interface Props {
  readonly a: CandidateTrace;
  readonly candidates: CompareCandidates<CandidateTrace>;
  readonly b: string | undefined;
  /** A trace id being fetched from the backend, to compare with once it is here. */
  readonly fetching: string | undefined;
  /** Swap needs B among the loaded file's traces (it becomes the open trace). */
  readonly canSwap: boolean;
  onPick(traceId: string): void;
  onSwap(): void;
}

export function ComparePicker({ a, candidates, b, fetching, canSwap, onPick, onSwap }: Props) {
  const { sameEndpoint, others, suggestions } = candidates;
  const loaded = b === undefined || sameEndpoint.some((t) => t.traceId === b) || others.some((t) => t.traceId === b);
  const optionText = (t: CandidateTrace, endpoint: boolean) =>
    [
      endpoint ? undefined : `${t.rootService} ${t.rootName}`,
      `${formatDuration(t.durationNs)} (${formatDelta(t.durationNs - a.durationNs)} vs A)`,
      plural(t.spanCount, 'span'),
      t.errorCount ? plural(t.errorCount, 'error') : undefined,
      t.traceId.slice(0, 12),
    ]
      .filter(Boolean)
      .join(' · ');
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-2 text-sm" data-testid="compare-picker">
      <span className="flex h-[30px] items-center gap-2 rounded-md border border-slate-200 bg-slate-50 pr-2.5 pl-1.5 dark:border-slate-700 dark:bg-slate-800/60" title={`A, the open trace: ${a.traceId}`}>
        <SideMark side="A" />
        <span className="font-semibold tabular-nums">{formatDuration(a.durationNs)}</span>
        <span className="font-mono text-xs text-slate-500 dark:text-slate-400">{a.traceId.slice(0, 8)}</span>
      </span>
      <button
        type="button"
        className="btn-secondary h-[30px] px-2 disabled:cursor-not-allowed disabled:opacity-50"
        data-testid="compare-swap"
        disabled={!canSwap}
        onClick={onSwap}
        aria-label="Swap A and B"
        title={canSwap ? 'Swap: open B as the trace and compare it with A' : 'B must be one of the loaded traces to open it'}
      >
        ⇄
      </button>
      <label className="flex items-center gap-2">
        <SideMark side="B" />
        <select className="input w-80 py-1" aria-label="B: the trace to compare with" value={b ?? ''} onChange={(e) => e.target.value && onPick(e.target.value)} data-testid="compare-select">
          <option value="">Choose a trace to compare with…</option>
          {!loaded && b ? <option value={b}>{b} (by id, from the backend)</option> : null}
          {sameEndpoint.length ? (
            <optgroup label={`${a.rootService} ${a.rootName} (${sameEndpoint.length})`}>
              {sameEndpoint.slice(0, MAX_OPTIONS).map((t) => (
                <option key={t.traceId} value={t.traceId}>
                  {optionText(t, true)}
                </option>
              ))}
            </optgroup>
          ) : null}
          {others.length ? (
            <optgroup label={`Other endpoints (${others.length})`}>
              {others.slice(0, MAX_OPTIONS).map((t) => (
                <option key={t.traceId} value={t.traceId}>
                  {optionText(t, false)}
                </option>
              ))}
            </optgroup>
          ) : null}
        </select>
      </label>
      {suggestions.length ? (
        <span className="flex items-center gap-1.5">
          <span className="field-label">{sameEndpoint.length ? 'Same endpoint:' : 'Suggested:'}</span>
          {suggestions.map((s) => (
            <button
              key={s.trace.traceId}
              type="button"
              data-testid={`compare-suggest-${s.kinds[0]}`}
              aria-pressed={s.trace.traceId === b}
              onClick={() => onPick(s.trace.traceId)}
              title={`${s.trace.traceId} · ${plural(s.trace.spanCount, 'span')}${s.trace.errorCount ? ` · ${plural(s.trace.errorCount, 'error')}` : ''}`}
              className="flex h-[30px] items-center gap-1.5 rounded-md border border-slate-300 bg-white px-2.5 text-slate-700 hover:bg-slate-50 aria-pressed:border-sky-500 aria-pressed:bg-sky-50 aria-pressed:text-sky-800 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200 dark:hover:bg-slate-700 dark:aria-pressed:border-sky-400 dark:aria-pressed:bg-sky-950 dark:aria-pressed:text-sky-200"
            >
              <span>{s.kinds.map((k, i) => (i ? KIND_LABEL[k].toLowerCase() : KIND_LABEL[k])).join(' · ')}</span>
              <span className="font-semibold tabular-nums">{formatDuration(s.trace.durationNs)}</span>
              {s.trace.errorCount ? <span title={plural(s.trace.errorCount, 'error')} className="size-2 rounded-full bg-red-600 dark:bg-red-400" /> : null}
            </button>
          ))}
        </span>
      ) : null}
      <TraceIdBox fetching={fetching} onPick={onPick} />
    </div>
  );
}

/** "By id…" opens a box for any trace id: one the file does not hold is fetched from the backend. */
function TraceIdBox({ fetching, onPick }: { fetching: string | undefined; onPick(traceId: string): void }) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  if (!open)
    return (
      <button type="button" className="text-sm text-sky-700 hover:underline dark:text-sky-300" data-testid="compare-by-id" onClick={() => setOpen(true)}>
        {fetching ? 'Fetching…' : 'Another trace by id…'}
      </button>
    );
  return (
    <form
      className="flex items-center gap-1.5"
      onSubmit={(e) => {
        e.preventDefault();
        if (!text.trim()) return;
        const ref = parseTraceReference(text);
        if ('error' in ref) return setProblem(ref.error);
        setProblem(undefined);
        setOpen(false);
        onPick(ref.traceId);
      }}
    >
      <input
        autoFocus
        data-testid="compare-trace-id"
        aria-label="Trace id to compare with"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
        placeholder="hex id, traceparent, b3, uber-trace-id…"
        spellCheck={false}
        className="input w-72 py-1 font-mono text-xs"
        aria-invalid={problem !== undefined}
        aria-describedby={problem ? 'compare-trace-id-problem' : undefined}
      />
      <button type="submit" className="btn-secondary h-[30px] px-2.5" disabled={fetching !== undefined}>
        Compare
      </button>
      {problem ? (
        <p id="compare-trace-id-problem" role="alert" className="max-w-80 text-xs text-red-700 dark:text-red-300">
          {problem}
        </p>
      ) : null}
    </form>
  );
}

/** The letter that names a side, the same everywhere in the view. */
export function SideMark({ side }: { side: 'A' | 'B' }) {
  return <span className="flex size-5 shrink-0 items-center justify-center rounded bg-slate-700 text-[11px] font-bold text-white dark:bg-slate-200 dark:text-slate-900">{side}</span>;
}
