// The trace page's Sampling tab (issue #18): replays a Collector tail_sampling config, behind a head
// sampler, over the loaded traces and shows what it keeps, what it drops and what you would lose. Config,
// head sampler and scope live in the URL (Share reproduces the lab); the numbers follow the typing.
import { useEffect, useState } from 'react';
import { AnalysisOutcome } from '../../components/AnalysisOutcome.tsx';
import type { SampledTraceRow, SamplingResult } from '../../core/view-format/analysis-answers.ts';
import type { TraceViewProps } from '../../state/navigation.ts';
import { useTraceWorker } from '../../state/trace-worker-context.ts';
import { useAnalysis, useTraceCount } from '../../state/use-analysis.ts';
import { useUrl } from '../../state/url-context.ts';
import { traceTabEdit } from '../../state/url.ts';
import { readSamplingParams, SAMPLING_CONFIG_URL_LIMIT, samplingParamsEdit, samplingVerdictEdit, type SamplingParams } from './sampling-url.ts';
import { ConfigEditor } from './ConfigEditor.tsx';
import { DecisionList } from './DecisionList.tsx';
import { HeadSamplerField } from './HeadSamplerField.tsx';
import { LatencyHistogram } from './LatencyHistogram.tsx';
import { DEFAULT_HEAD_SAMPLER, REFERENCE_CONFIG } from '../../core/sampling/reference-config.ts';
import { Card, Headline, KeptDroppedTable, LossPanel, PolicyTable } from './SamplingNumbers.tsx';
import { decisionsCsv, decisionsJson, downloadText } from './sampling-export.ts';

/** The pause in typing after which the URL and the numbers follow. */
const DEBOUNCE_MS = 300;

type Evaluated = Extract<SamplingResult, { kind: 'evaluated' }>;

export function SamplingView({ trace, navigation }: TraceViewProps) {
  const traceId = trace.traceId;
  const getWorker = useTraceWorker();
  const traceCount = useTraceCount();
  const params = useUrl((s) => readSamplingParams(s.search));
  const configText = params.config ?? REFERENCE_CONFIG;
  const headText = params.head ?? DEFAULT_HEAD_SAMPLER;
  // What is being typed, until the pause after which it goes into the URL (and so into the query).
  const [draft, setDraft] = useState<{ readonly config: string; readonly head: string } | undefined>();
  useEffect(() => {
    if (!draft) return;
    const timer = setTimeout(() => {
      navigation.change('replace', [samplingParamsEdit({ ...params, config: draft.config === REFERENCE_CONFIG ? undefined : draft.config, head: draft.head === DEFAULT_HEAD_SAMPLER ? undefined : draft.head })]);
      setDraft(undefined);
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [draft, params, navigation]);
  const shownConfig = draft?.config ?? configText;
  const shownHead = draft?.head ?? headText;
  const scope = params.scope;
  const result = useAnalysis(
    ['sampling', traceId, scope, configText, headText],
    () => getWorker().analyze({ kind: 'sampling', traceId, scope, configText, headText }),
    { keepPrevious: true },
  );
  const answer = result.data;
  const changeParams = (next: Partial<SamplingParams>) => navigation.change('replace', [samplingParamsEdit({ ...params, ...next })]);
  const openTrace = (t: SampledTraceRow) =>
    navigation.openTrace(t.traceId, [traceTabEdit('waterfall'), samplingVerdictEdit({ traceId: t.traceId, kept: t.kept, headDropped: t.head === 'not_sampled', tailSampled: t.decision === 'sampled', policy: t.policy ?? undefined })]);
  const evaluated = answer?.kind === 'evaluated' ? answer : undefined;
  return (
    <div className="flex min-h-0 flex-1 flex-col overflow-auto" data-testid="sampling-view">
      <div className="grid gap-4 p-5 lg:grid-cols-[minmax(22rem,28rem)_minmax(0,1fr)]">
        <div className="flex flex-col gap-4">
          <div className="flex flex-wrap items-end gap-3">
            <label className="flex flex-col gap-1 text-sm">
              <span className="field-label">Over</span>
              <select className="input py-1" value={scope} onChange={(e) => changeParams({ scope: e.target.value === 'trace' ? 'trace' : 'all' })} data-testid="sampling-scope">
                <option value="all">all {traceCount} loaded traces</option>
                <option value="trace">this trace</option>
                {/* TODO(store scope): POST /api/sampling/evaluate (src/core/api/sampling-api.ts) evaluates the
                    embedded store over a time range, streaming progress; the lab does not call it yet. */}
                <option value="store" disabled title="Not in the lab yet">
                  Embedded store (time range)
                </option>
              </select>
            </label>
            <button type="button" className="btn-secondary" onClick={() => setDraft({ config: REFERENCE_CONFIG, head: DEFAULT_HEAD_SAMPLER })} data-testid="sampling-reset">
              Reference config
            </button>
          </div>
          <label className="flex flex-col gap-1">
            <span className="field-label">Collector config (otelcol, a tail_sampling block, or its settings)</span>
            <ConfigEditor text={shownConfig} error={answer?.kind === 'config-error' ? answer.error : undefined} onChange={(config) => setDraft({ config, head: shownHead })} />
          </label>
          {shownConfig.length > SAMPLING_CONFIG_URL_LIMIT ? (
            <p className="text-xs text-amber-700 dark:text-amber-400">This config is longer than {SAMPLING_CONFIG_URL_LIMIT / 1024} KB: the link (Share) does not carry it.</p>
          ) : null}
          <HeadSamplerField text={shownHead} error={answer?.kind === 'head-error' ? answer.message : undefined} onChange={(head) => setDraft({ config: shownConfig, head })} />
          <p className="text-xs text-slate-500 dark:text-slate-400">
            Replayed as the Collector’s tail_sampling processor decides (drop wins; any sampled policy keeps), at the traces’ own times. Not replayed: the memory limits
            (num_traces), traces split across Collectors, and spans the head sampler would have cut inside a trace.
          </p>
        </div>
        <div className={`flex min-w-0 flex-col gap-4 ${result.isPlaceholderData || draft ? 'opacity-70 transition-opacity' : ''}`} aria-busy={result.isFetching || draft !== undefined}>
          <AnalysisOutcome result={result} failure="The sampling could not be evaluated" pending="Replaying the sampling…">
            {() => (evaluated ? <Figures evaluated={evaluated} onOpen={openTrace} /> : <p className="text-sm text-slate-500">Fix the config or the head sampler to see the numbers.</p>)}
          </AnalysisOutcome>
        </div>
      </div>
    </div>
  );
}

function Figures({ evaluated, onOpen }: { evaluated: Evaluated; onOpen(t: SampledTraceRow): void }) {
  const { summary, traces } = evaluated;
  return (
    <>
      <div className="flex flex-wrap items-start gap-3">
        <Headline summary={summary} />
        <div className="ml-auto flex gap-2">
          <button type="button" className="btn-secondary" onClick={() => downloadText('sampling-decisions.csv', 'text/csv', decisionsCsv(traces))} data-testid="sampling-export-csv">
            CSV
          </button>
          <button type="button" className="btn-secondary" onClick={() => downloadText('sampling-decisions.json', 'application/json', decisionsJson(evaluated))} data-testid="sampling-export-json">
            JSON
          </button>
        </div>
      </div>
      {summary.lateSpans > 0 ? (
        <p className="text-sm text-amber-700 dark:text-amber-400" data-testid="sampling-late">
          {summary.lateSpans} spans in {summary.tracesWithLateSpans} traces end later than decision_wait ({summary.decisionWaitMs / 1000}s) after their trace’s first span: the Collector decides before they
          arrive.
        </p>
      ) : null}
      <Card title="Kept and dropped">
        <KeptDroppedTable summary={summary} />
      </Card>
      <div className="grid gap-4 2xl:grid-cols-2">
        <Card title="What you would lose" testId="sampling-loss">
          <LossPanel summary={summary} />
        </Card>
        <div className="flex min-w-0 flex-col gap-4">
          <Card title="Per policy (tail sampler alone)">
            <PolicyTable summary={summary} />
          </Card>
          <Card title="Trace duration">
            <LatencyHistogram histogram={summary.latencyHistogram} />
          </Card>
        </div>
      </div>
      <Card title="Dropped traces">
        <DecisionList traces={traces} onOpen={onOpen} />
      </Card>
    </>
  );
}
