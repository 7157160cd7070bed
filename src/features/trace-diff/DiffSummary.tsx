// The comparison at a glance: A's and B's durations and the change, what matched, and in plain words
// where the extra time went (the paths whose self time moved most). A path click shows its spans.
import type { TraceDiff } from '../../core/analysis/trace-diff.ts';
import { formatDuration } from '../../components/format.ts';
import { DeltaBar, deltaTextClass } from './Delta.tsx';
import { changeLevel } from './diff-rows.ts';
import { callCounts, errorSentence, formatDelta, formatPercentChange, headline, leadSentence, pathName, pathSelfDelta, structureSentence } from './diff-summary-text.ts';

const TOP_PATHS = 5;

interface Props {
  readonly diff: TraceDiff;
  readonly traceIdA: string;
  readonly traceIdB: string;
  onShowPath(path: number): void;
}

export function DiffSummary({ diff, traceIdA, traceIdB, onShowPath }: Props) {
  const { summary, paths } = diff;
  const level = changeLevel(summary.durationANs, summary.deltaNs);
  const top = Array.from(summary.topPaths)
    .filter((k) => pathSelfDelta(paths, k) !== 0)
    .slice(0, TOP_PATHS);
  const maxAbs = top.length ? Math.abs(pathSelfDelta(paths, top[0])) : 0;
  const lead = leadSentence(diff);
  const errors = errorSentence(summary);
  return (
    <section data-testid="compare-summary" className="grid shrink-0 grid-cols-1 gap-x-8 gap-y-3 rounded-lg border border-slate-200 bg-white px-4 py-3 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)] dark:border-slate-800 dark:bg-slate-900">
      <div className="flex min-w-0 flex-col gap-2">
        <dl className="flex flex-wrap gap-x-8 gap-y-2">
          <Stat label="A · this trace" id={traceIdA} value={formatDuration(summary.durationANs)} testId="summary-a" />
          <Stat label="B" id={traceIdB} value={formatDuration(summary.durationBNs)} testId="summary-b" />
          <div className="flex flex-col">
            <dt className="text-[11px] font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">Δ B − A</dt>
            <dd data-testid="summary-delta" className={`text-xl font-semibold tabular-nums ${deltaTextClass(level)}`}>
              {formatDelta(summary.deltaNs)}
              <span className="ml-2 text-sm font-medium">
                {[formatPercentChange(summary.durationANs, summary.durationBNs), summary.deltaNs > 0 ? 'slower' : summary.deltaNs < 0 ? 'faster' : undefined].filter(Boolean).join(' · ')}
              </span>
            </dd>
          </div>
        </dl>
        <p className="text-sm text-slate-800 dark:text-slate-100" data-testid="summary-headline">
          <span className="font-semibold">{headline(summary)}</span> {lead}
        </p>
        <p className="text-xs text-slate-600 dark:text-slate-300" data-testid="summary-structure">
          {structureSentence(diff)} {errors}
        </p>
        {summary.matchedCount === 0 ? (
          <p role="note" className="text-xs font-medium text-amber-800 dark:text-amber-300">
            Nothing lines up: A and B start with different operations, so every span is on one side only. Compare requests to the same endpoint.
          </p>
        ) : null}
      </div>
      <div className="min-w-0">
        <h3 className="mb-1 text-[11px] font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">Where the time went · self time by path</h3>
        {top.length === 0 ? (
          <p className="text-sm text-slate-500">No path changed its self time.</p>
        ) : (
          <ol className="flex flex-col" data-testid="summary-paths">
            {top.map((k) => {
              const delta = pathSelfDelta(paths, k);
              const pathLevel = changeLevel(paths.selfTimeANs[k], delta);
              return (
                <li key={k}>
                  <button
                    type="button"
                    data-testid="summary-path"
                    title="Show these spans in the tree"
                    onClick={() => onShowPath(k)}
                    className="grid w-full grid-cols-[72px_minmax(0,1fr)] items-center gap-2 rounded px-1 py-0.5 text-left text-[12.5px] hover:bg-slate-100 dark:hover:bg-slate-800"
                  >
                    <DeltaBar deltaNs={delta} maxAbsNs={maxAbs} level={pathLevel} />
                    <span className="truncate text-slate-700 dark:text-slate-200">
                      <span className="font-medium text-slate-900 dark:text-white">{pathName(paths, k)}</span>{' '}
                      <span className={`font-semibold tabular-nums ${deltaTextClass(pathLevel)}`}>{formatDelta(delta)}</span> self time ({callCounts(paths.countA[k], paths.countB[k])})
                    </span>
                  </button>
                </li>
              );
            })}
          </ol>
        )}
      </div>
    </section>
  );
}

function Stat({ label, id, value, testId }: { label: string; id: string; value: string; testId: string }) {
  return (
    <div className="flex flex-col">
      <dt className="text-[11px] font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">
        {label} <span className="font-mono normal-case" title={id}>{id.slice(0, 8)}</span>
      </dt>
      <dd data-testid={testId} className="text-xl font-semibold text-slate-900 tabular-nums dark:text-white">
        {value}
      </dd>
    </div>
  );
}
