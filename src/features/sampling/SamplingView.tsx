// The trace page's Sampling tab (issue #18): replays a Collector tail_sampling config, behind a head
// sampler, over the loaded traces and shows what it keeps, what it drops and what you would lose. Config,
// head sampler and scope live in the URL (Share reproduces the lab); the numbers follow the typing.
import { useEffect, useState } from 'react';
import { formatCount } from '../../components/format.ts';
import type { SampledTraceRow } from '../../core/view-format/analysis-answers.ts';
import { failureText } from '../../queries/api-fetch.ts';
import { useBackends } from '../../queries/backends.ts';
import type { TraceViewProps } from '../../state/navigation.ts';
import { useTraceCount } from '../../state/use-analysis.ts';
import { useUrl } from '../../state/url-context.ts';
import { traceTabEdit, urlStateEdit } from '../../state/url.ts';
import { readSamplingParams, SAMPLING_CONFIG_URL_LIMIT, samplingParamsEdit, samplingVerdictEdit, type SamplingParams } from './sampling-url.ts';
import { StoreRangeField } from './StoreRangeField.tsx';
import { useLabOutcome, type Evaluated, type LabOutcome } from './use-lab-outcome.ts';
import { ConfigEditor } from './ConfigEditor.tsx';
import { DecisionList } from './DecisionList.tsx';
import { HeadSamplerField } from './HeadSamplerField.tsx';
import { LatencyHistogram } from './LatencyHistogram.tsx';
import { DEFAULT_HEAD_SAMPLER, REFERENCE_CONFIG } from '../../core/sampling/reference-config.ts';
import { Card, Headline, KeptDroppedTable, LossPanel, PolicyTable } from './SamplingNumbers.tsx';
import { decisionsCsv, decisionsJson, downloadText } from './sampling-export.ts';
import { plural } from '../../core/plural.ts';

/** The pause in typing after which the URL and the numbers follow. */
const DEBOUNCE_MS = 300;

export function SamplingView({ trace, navigation }: TraceViewProps) {
  const traceId = trace.traceId;
  const traceCount = useTraceCount();
  const backends = useBackends();
  // The embedded store's backend: the store scope reads it on the server (absent, the option says why).
  const store = backends.data?.backends.find((b) => b.type === 'embedded')?.name;
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
  const outcome = useLabOutcome({ traceId, params, configText, headText });
  const changeParams = (next: Partial<SamplingParams>) => navigation.change('replace', [samplingParamsEdit({ ...params, ...next })]);
  const openTrace = (t: SampledTraceRow) => {
    const edits = [traceTabEdit('waterfall'), samplingVerdictEdit({ traceId: t.traceId, kept: t.kept, headDropped: t.head === 'not_sampled', tailSampled: t.decision === 'sampled', policy: t.policy ?? undefined })];
    // A store trace is fetched from the store, wherever the open trace came from.
    if (scope === 'store' && store) navigation.followTrace(t.traceId, [urlStateEdit({ sourceUrl: undefined, shareId: undefined, backend: store }), ...edits]);
    else navigation.openTrace(t.traceId, edits);
  };
  return (
    <div className="flex min-h-0 flex-1 flex-col overflow-auto" data-testid="sampling-view">
      <div className="grid gap-4 p-5 lg:grid-cols-[minmax(22rem,28rem)_minmax(0,1fr)]">
        <div className="flex flex-col gap-4">
          <div className="flex flex-wrap items-end gap-3">
            <label className="flex flex-col gap-1 text-sm">
              <span className="field-label">Over</span>
              <select
                className="input py-1"
                value={scope}
                onChange={(e) => changeParams({ scope: e.target.value === 'trace' || e.target.value === 'store' ? e.target.value : 'all' })}
                data-testid="sampling-scope"
              >
                <option value="all">all {formatCount(traceCount)} loaded traces</option>
                <option value="trace">this trace</option>
                <option value="store" disabled={!store} title={store ? 'Evaluated on the server over a time range' : 'This server has no embedded store'}>
                  the embedded store (time range)
                </option>
              </select>
            </label>
            <button type="button" className="btn-secondary" onClick={() => setDraft({ config: REFERENCE_CONFIG, head: DEFAULT_HEAD_SAMPLER })} data-testid="sampling-reset">
              Reference config
            </button>
          </div>
          {scope === 'store' ? <StoreRangeField range={params.range} onChange={(range) => changeParams({ range })} /> : null}
          <label className="flex flex-col gap-1">
            <span className="field-label">Collector config (otelcol, a tail_sampling block, or its settings)</span>
            <ConfigEditor text={shownConfig} error={outcome.configError} onChange={(config) => setDraft({ config, head: shownHead })} />
          </label>
          {shownConfig.length > SAMPLING_CONFIG_URL_LIMIT ? (
            <p className="text-xs text-amber-700 dark:text-amber-400">This config is longer than {SAMPLING_CONFIG_URL_LIMIT / 1024} KB: the link (Share) does not carry it.</p>
          ) : null}
          <HeadSamplerField text={shownHead} error={outcome.headError} onChange={(head) => setDraft({ config: shownConfig, head })} />
          <p className="text-xs text-slate-500 dark:text-slate-400">
            Replayed as the Collector’s tail_sampling processor decides (drop wins; any sampled policy keeps), at the traces’ own times. Not replayed: the memory limits
            (num_traces), traces split across Collectors, and spans the head sampler would have cut inside a trace.
          </p>
        </div>
        <div className={`flex min-w-0 flex-col gap-4 ${outcome.stale || draft ? 'opacity-70 transition-opacity' : ''}`} aria-busy={outcome.busy || draft !== undefined}>
          <Outcome outcome={outcome} onOpen={openTrace} />
        </div>
      </div>
    </div>
  );
}

function Outcome({ outcome, onOpen }: { outcome: LabOutcome; onOpen(t: SampledTraceRow): void }) {
  const { evaluated, failure, progress, skipped } = outcome;
  if (failure) {
    return (
      <p role="alert" className="text-sm text-red-700 dark:text-red-300" data-testid="sampling-failure">
        The sampling could not be evaluated: {failureText(failure)}
      </p>
    );
  }
  if (progress && !evaluated) {
    return (
      <div className="flex flex-col gap-2 text-sm text-slate-600 dark:text-slate-300" data-testid="sampling-progress">
        <span>
          Reading the store’s traces: {formatCount(progress.done)} of {formatCount(progress.total)}
        </span>
        <progress className="w-full max-w-md" value={progress.done} max={Math.max(progress.total, 1)} />
      </div>
    );
  }
  if (!evaluated) {
    const fixFirst = outcome.configError || outcome.headError;
    return <p className="text-sm text-slate-500">{fixFirst ? 'Fix the config or the head sampler to see the numbers.' : 'Replaying the sampling…'}</p>;
  }
  return (
    <>
      {skipped.length > 0 ? (
        <p className="text-sm text-amber-700 dark:text-amber-400" data-testid="sampling-skipped">
          {plural(skipped.length, 'stored trace')} could not be read and {skipped.length === 1 ? 'is' : 'are'} not counted: {skipped[0].reason}
          {skipped.length > 1 ? ', …' : ''}
        </p>
      ) : null}
      <Figures evaluated={evaluated} onOpen={onOpen} />
    </>
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
          {plural(summary.lateSpans, 'span')} in {plural(summary.tracesWithLateSpans, 'trace')} end later than decision_wait ({summary.decisionWaitMs / 1000}s) after their trace’s first span: the Collector decides before they
          arrive.
        </p>
      ) : null}
      {summary.headRandomness && summary.headRandomness.assumed > 0 ? (
        <p className="text-sm text-amber-700 dark:text-amber-400" data-testid="sampling-randomness-assumed">
          {plural(summary.headRandomness.assumed, 'trace')} decided by the consistent head sampler carry neither the W3C random flag nor an ot=rv value in their root’s
          tracestate: their trace ids were assumed random.
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
