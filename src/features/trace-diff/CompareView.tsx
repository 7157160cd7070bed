// The trace page's Compare tab: the open trace (A) against another one (B, `vs=` in the URL, so Share
// and reload reproduce it). B comes from the loaded traces or, by id, from the backend. A row click
// opens that span in the waterfall: of A, or of B for a span only B has. B's page is followed as
// Back/Forward are: the app selects B (or loads it, for a trace from a backend).
import { skipToken, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { TraceDiff } from '../../core/analysis/trace-diff.ts';
import type { TraceSummary } from '../../core/analysis/trace-summary.ts';
import { formatDuration } from '../../components/format.ts';
import { useAppStore } from '../../state/app-store.ts';
import type { TraceViewProps } from '../../state/navigation.ts';
import { useTraceWorker } from '../../state/trace-worker-context.ts';
import { useUrl } from '../../state/url-context.ts';
import {
  compareSettingsEdit,
  compareWithEdit,
  NO_VIEW_PARAMS,
  readCompareSettings,
  readCompareWith,
  traceIdFromUrl,
  traceTabEdit,
  viewParamsEdit,
  type CompareSettings,
  type UrlEdit,
} from '../../state/url.ts';
import { compareCandidates, type CompareCandidates } from './compare-candidates.ts';
import { ComparePicker } from './ComparePicker.tsx';
import { diffRows, thresholdFor } from './diff-rows.ts';
import { pathName } from './diff-summary-text.ts';
import { DiffSummary } from './DiffSummary.tsx';
import { DiffTree } from './DiffTree.tsx';
import { PathTable } from './PathTable.tsx';

const NO_TRACES: readonly TraceSummary[] = [];
const THRESHOLDS = [0.05, 0.1, 0.25, 0.5];

export function CompareView({ trace, navigation, fetchTrace }: TraceViewProps) {
  const getWorker = useTraceWorker();
  const loadKey = useAppStore((s) => s.file?.requestId);
  const fileTraces = useAppStore((s) => s.file?.summary.traces ?? NO_TRACES);
  const source = useAppStore((s) => s.source);
  const vs = useUrl((s) => readCompareWith(s.search));
  const settings = useUrl((s) => readCompareSettings(s.search));
  const candidates = useMemo(() => compareCandidates(fileTraces, trace), [fileTraces, trace]);
  const b = vs === trace.traceId ? undefined : vs;
  const bLoaded = b !== undefined && fileTraces.some((t) => t.traceId === b);
  // B's page opens when B is one of the file's traces, or when A came from a backend (B then loads from there).
  const canOpenB = bLoaded || source?.kind === 'backend';

  // A B from elsewhere (typed in, or in a shared link) is fetched into the worker's workspace first.
  const fetched = useQuery({
    queryKey: ['compare-fetch', loadKey, b],
    queryFn: b !== undefined && !bLoaded ? () => fetchTrace(b).then(() => true) : skipToken,
    staleTime: Infinity,
    retry: false,
  });
  const diff = useQuery({
    queryKey: ['trace-diff', loadKey, trace.traceId, b],
    queryFn: b !== undefined && (bLoaded || fetched.isSuccess) ? () => getWorker().analyze({ kind: 'diff', traceIdA: trace.traceId, traceIdB: b }) : skipToken,
    staleTime: Infinity,
    gcTime: 30_000,
    retry: false,
    structuralSharing: false,
  });

  const pick = (traceId: string) => {
    // A 64-bit id typed for a trace the file holds with a 128-bit one (zero-padded) is that trace.
    const id = traceIdFromUrl(traceId) ?? traceId;
    const known = fileTraces.find((t) => t.traceId === id);
    // A path of the previous diff means nothing in the next one.
    navigation.change('push', [compareWithEdit(known?.traceId ?? traceId), compareSettingsEdit({ ...settings, path: undefined })]);
  };
  /** B's page, compared with A: the Compare tab (swap) or the waterfall on one of B's spans. */
  const openB = (selected: number | undefined) => {
    if (!b || !canOpenB) return;
    const edits: UrlEdit[] = [
      viewParamsEdit({ ...NO_VIEW_PARAMS, selected, details: selected !== undefined }),
      compareWithEdit(trace.traceId),
      compareSettingsEdit({ ...settings, path: undefined }),
    ];
    if (selected !== undefined) edits.push(traceTabEdit('waterfall'));
    navigation.followTrace(b, edits);
  };
  const openSpan = (result: TraceDiff, node: number) => {
    const spanA = result.spans.spanA[node];
    if (spanA < 0) return openB(result.spans.spanB[node]);
    navigation.showWaterfall({ ...NO_VIEW_PARAMS, selected: spanA, details: true });
  };

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-3 px-5 pt-3 pb-4" data-testid="compare-view">
      <ComparePicker a={trace} candidates={candidates} b={b} fetching={fetched.isFetching ? b : undefined} canSwap={canOpenB} onPick={pick} onSwap={() => openB(undefined)} />
      {vs !== undefined && vs === trace.traceId ? <p className="text-sm text-slate-600 dark:text-slate-300">B is the open trace itself: choose another one.</p> : null}
      {b === undefined ? (
        <EmptyState trace={trace} candidates={candidates} onPick={pick} />
      ) : diff.isError ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300" data-testid="compare-error">
          {bLoaded ? `The traces could not be compared: ${diff.error.message}` : `Trace ${b} is not among the loaded traces, and the backend did not return it.`}
        </p>
      ) : !diff.data ? (
        <p className="text-sm text-slate-500">{fetched.isFetching ? `Fetching trace ${b} from the backend…` : 'Comparing…'}</p>
      ) : (
        <CompareResult
          key={`${trace.traceId}>${b}`}
          diff={diff.data}
          traceIdA={trace.traceId}
          traceIdB={b}
          canOpenB={canOpenB}
          settings={settings}
          onChangeSettings={(next) => navigation.change('replace', [compareSettingsEdit(next)])}
          onOpen={(node) => openSpan(diff.data, node)}
        />
      )}
    </div>
  );
}

function EmptyState({ trace, candidates, onPick }: { trace: TraceSummary; candidates: CompareCandidates<TraceSummary>; onPick(traceId: string): void }) {
  return (
    <div className="mx-auto mt-6 flex max-w-2xl flex-col items-center gap-3 rounded-lg border border-dashed border-slate-300 px-8 py-6 text-center dark:border-slate-700" data-testid="compare-empty">
      <h2 className="text-base font-semibold text-slate-800 dark:text-slate-100">Compare this trace with another request</h2>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        See which spans only one of them has, how long each matched span took in both, and where the extra time went. A slow request against a
        fast one of the same endpoint ({trace.rootService} {trace.rootName}) explains most slowdowns.
      </p>
      {candidates.suggestions.length ? (
        <div className="flex flex-wrap justify-center gap-2">
          {candidates.suggestions.map((s) => (
            <button key={s.trace.traceId} type="button" className="btn-secondary" onClick={() => onPick(s.trace.traceId)}>
              Compare with the {s.kinds.join(' / ')} · {formatDuration(s.trace.durationNs)}
            </button>
          ))}
        </div>
      ) : (
        <p className="text-sm text-slate-500">No other trace is loaded: enter a trace id above to fetch one from the backend.</p>
      )}
    </div>
  );
}

interface ResultProps {
  readonly diff: TraceDiff;
  readonly traceIdA: string;
  readonly traceIdB: string;
  readonly canOpenB: boolean;
  /** What the diff shows, from the URL (Share and Back reproduce it). */
  readonly settings: CompareSettings;
  onChangeSettings(settings: CompareSettings): void;
  onOpen(node: number): void;
}

function CompareResult({ diff, traceIdA, traceIdB, canOpenB, settings, onChangeSettings, onOpen }: ResultProps) {
  const change = (next: Partial<CompareSettings>) => onChangeSettings({ ...settings, ...next });
  const { mode, onlyChanged, relative } = settings;
  const path = settings.path !== undefined && settings.path < diff.paths.nodeCount ? settings.path : undefined;
  const setMode = (m: CompareSettings['mode']) => change({ mode: m });
  const setPath = (k: number | undefined) => change({ path: k });
  const [collapsed, setCollapsed] = useState(() => new Uint8Array(diff.spans.nodeCount));
  const threshold = useMemo(() => thresholdFor(diff.summary, relative), [diff, relative]);
  const rows = useMemo(() => diffRows(diff.spans, { onlyChanged, threshold, path, collapsed }), [diff, onlyChanged, threshold, path, collapsed]);
  const showPath = (k: number) => change({ path: k, mode: 'tree' });
  const tab = (value: typeof mode, label: string) => (
    <button
      type="button"
      data-testid={`compare-mode-${value}`}
      aria-pressed={mode === value}
      onClick={() => setMode(value)}
      className="rounded-md px-3 py-1 text-sm font-medium text-slate-600 hover:text-slate-900 aria-pressed:bg-white aria-pressed:text-sky-700 aria-pressed:shadow-sm dark:text-slate-400 dark:hover:text-slate-100 dark:aria-pressed:bg-slate-900 dark:aria-pressed:text-sky-300"
    >
      {label}
    </button>
  );
  return (
    <>
      <DiffSummary diff={diff} traceIdA={traceIdA} traceIdB={traceIdB} onShowPath={showPath} />
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <div className="flex gap-0.5 rounded-lg bg-slate-100 p-0.5 dark:bg-slate-800">
          {tab('tree', 'Span tree')}
          {tab('paths', `By path (${diff.paths.nodeCount.toLocaleString('en-US')})`)}
        </div>
        {mode === 'tree' ? (
          <>
            <label className="flex items-center gap-1.5 text-sm text-slate-700 dark:text-slate-200" title="Hide the spans whose duration moved less than this (their ancestors stay, faded); a span on one side only, or failing on one side only, always shows">
              <input type="checkbox" data-testid="compare-only-changed" checked={onlyChanged} onChange={(e) => change({ onlyChanged: e.target.checked })} />
              Only changed
            </label>
            <select className="input py-0.5 text-xs" aria-label="Change threshold" value={relative} onChange={(e) => change({ relative: Number(e.target.value) })} data-testid="compare-threshold">
              {THRESHOLDS.map((t) => (
                <option key={t} value={t}>
                  beyond ±{t * 100}%
                </option>
              ))}
            </select>
            <span className="text-xs text-slate-500 dark:text-slate-400" title="Changes under 0.5% of the longer trace are noise, whatever their percentage">
              and {formatDuration(threshold.minimumNs)}
            </span>
            {path !== undefined ? (
              <span className="flex items-center gap-1 rounded-full bg-sky-100 py-0.5 pr-1 pl-2.5 text-xs text-sky-900 dark:bg-sky-900/60 dark:text-sky-100" data-testid="compare-path-filter">
                Only {pathName(diff.paths, path)}
                <button type="button" aria-label="Show every path" onClick={() => setPath(undefined)} className="rounded-full px-1 hover:bg-sky-200 dark:hover:bg-sky-800">
                  ✕
                </button>
              </span>
            ) : null}
          </>
        ) : null}
        <Legend />
      </div>
      {mode === 'tree' ? (
        <DiffTree
          diff={diff}
          rows={rows}
          threshold={threshold}
          collapsed={collapsed}
          canOpenB={canOpenB}
          onToggle={(k) =>
            setCollapsed((c) => {
              const next = c.slice();
              next[k] ^= 1;
              return next;
            })
          }
          onOpen={onOpen}
        />
      ) : (
        <PathTable paths={diff.paths} onShowPath={showPath} />
      )}
    </>
  );
}

function Legend() {
  return (
    <span className="ml-auto flex items-center gap-3 text-xs text-slate-500 dark:text-slate-400">
      <span className="flex items-center gap-1">
        <span aria-hidden className="h-2.5 w-4 rounded-sm bg-orange-500" /> slower in B (+)
      </span>
      <span className="flex items-center gap-1">
        <span aria-hidden className="h-2.5 w-4 rounded-sm bg-blue-500" /> faster in B (−)
      </span>
      <span>− only in A · + only in B</span>
    </span>
  );
}
