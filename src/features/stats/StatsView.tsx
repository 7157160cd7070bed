// The trace page's Statistics tab: span statistics of this trace or of every loaded trace, grouped by
// service, operation or an attribute; a click on a row shows its spans in the waterfall.
import type { SpanStatsRow, StatsGrouping } from '../../core/analysis/span-stats.ts';
import { AnalysisOutcome } from '../../components/AnalysisOutcome.tsx';
import { ScopePicker } from '../../components/ScopePicker.tsx';
import { quote } from '../../components/search-query.ts';
import type { TraceViewProps } from '../../state/navigation.ts';
import { useTraceWorker } from '../../state/trace-worker-context.ts';
import { useAnalysis, useAnalysisParams, useTraceCount } from '../../state/use-analysis.ts';
import type { AnalysisParams } from '../../state/url.ts';
import type { AnalysisScope } from '../../core/view-format/analysis-answers.ts';
import { StatsTable } from './StatsTable.tsx';

const GROUPINGS: readonly AnalysisParams['statsBy'][] = ['service', 'operation', 'attribute'];

export function StatsView({ trace, navigation }: TraceViewProps) {
  const traceId = trace.traceId;
  const getWorker = useTraceWorker();
  const [params, update] = useAnalysisParams();
  const traceCount = useTraceCount();
  const scope: AnalysisScope = params.allTraces ? 'all' : 'trace';
  const by = params.statsBy;
  const attribute = params.statsAttribute;
  const grouping: StatsGrouping = by === 'attribute' ? { by, key: attribute } : { by };
  const stats = useAnalysis(['stats', traceId, scope, by, attribute], () => getWorker().analyze({ kind: 'stats', traceId, scope, grouping }));
  const rowQuery = (r: SpanStatsRow) => {
    if (by === 'attribute') return r.value === undefined ? `` : `attr.${attribute}=${quote(r.value)}`;
    return r.operation !== undefined ? `service=${quote(r.service ?? '')} operation=${quote(r.operation)}` : `service=${quote(r.service ?? '')}`;
  };
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-3 p-5" data-testid="stats-view">
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-sm">
          <span className="field-label">Group by</span>
          <select className="input py-1" value={by} onChange={(e) => update({ statsBy: GROUPINGS.find((g) => g === e.target.value) ?? by })} data-testid="stats-group-by">
            <option value="service">Service</option>
            <option value="operation">Operation</option>
            <option value="attribute">Attribute…</option>
          </select>
        </label>
        {by === 'attribute' ? (
          <label className="flex flex-col gap-1 text-sm">
            <span className="field-label">Attribute</span>
            <input className="input py-1 font-mono" value={attribute} onChange={(e) => update({ statsAttribute: e.target.value })} data-testid="stats-attribute" />
          </label>
        ) : null}
        <ScopePicker scope={scope} traceCount={traceCount} onChange={(next) => update({ allTraces: next === 'all' })} />
        {stats.data ? <span className="ml-auto text-sm text-slate-500">{stats.data.rows.length} rows</span> : null}
      </div>
      <AnalysisOutcome result={stats} failure="Statistics could not be computed" pending="Computing statistics…">
        {(data) => <StatsTable stats={data} onSelectRow={(r) => navigation.showInWaterfall(rowQuery(r))} />}
      </AnalysisOutcome>
    </div>
  );
}
