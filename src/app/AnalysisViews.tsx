// The trace page's Service graph, Operations and Statistics tabs: worker analyses of this trace or of every loaded trace,
// drawn by the service-graph and stats features. A click on a node, an edge or a row shows those spans
// in the waterfall (a search with "only matches").
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { tracesOfEdges, type ServiceGraph, type ServiceGraphNode } from '../core/analysis/service-graph.ts';
import type { SpanStatsRow, StatsGrouping } from '../core/analysis/span-stats.ts';
import { OperationGraphView } from '../features/service-graph/OperationGraphView.tsx';
import { defaultLayout } from '../core/layout/graph-layout.ts';
import { SelectionTraces } from '../features/service-graph/SelectionTraces.tsx';
import { ServiceGraphView } from '../features/service-graph/ServiceGraphView.tsx';
import { StatsTable } from '../features/stats/StatsTable.tsx';
import { useAppStore } from '../state/app-store.ts';
import { useTraceWorker } from '../state/trace-worker-context.ts';
import { readAnalysisParams, writeAnalysisParams, type AnalysisParams } from '../state/url.ts';
import type { AnalysisScope } from '../worker/analyses.ts';

interface Props {
  readonly traceId: string;
  readonly services: readonly string[];
  /** Show the spans matching this search in the waterfall. */
  onFilter(query: string): void;
}

/** A search query value, quoted. */
export const quote = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;

export function ScopePicker({ scope, onChange }: { scope: AnalysisScope; onChange(scope: AnalysisScope): void }) {
  const traceCount = useAppStore((s) => s.file?.summary.traces.length ?? 1);
  if (traceCount < 2) return null;
  return (
    <label className="flex flex-col gap-1 text-sm">
      <span className="field-label">Over</span>
      <select className="input py-1" value={scope} onChange={(e) => onChange(e.target.value as AnalysisScope)} data-testid="analysis-scope">
        <option value="trace">this trace</option>
        <option value="all">all {traceCount} loaded traces</option>
      </select>
    </label>
  );
}

/** The tabs' settings, kept in the URL (so Share and Back reproduce them). */
function useAnalysisParams(): [AnalysisParams, (change: Partial<AnalysisParams>, mode?: 'push' | 'replace') => void] {
  const [params, setParams] = useState(readAnalysisParams);
  useEffect(() => {
    const onPop = () => setParams(readAnalysisParams());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const update = (change: Partial<AnalysisParams>, mode: 'push' | 'replace' = 'replace') => {
    const next = { ...readAnalysisParams(), ...change };
    writeAnalysisParams(next, mode);
    setParams(next);
  };
  return [params, update];
}

function useScope(): [AnalysisScope, (scope: AnalysisScope) => void] {
  const [params, update] = useAnalysisParams();
  return [params.allTraces ? 'all' : 'trace', (scope) => update({ allTraces: scope === 'all' })];
}

function useAnalysis<T>(key: readonly unknown[], run: () => Promise<T>) {
  const loadKey = useAppStore((s) => s.file?.requestId);
  return useQuery({ queryKey: [...key, loadKey], queryFn: run, staleTime: Infinity });
}

/** What a click on a graph of many traces picked: the traces it involves, listed beside the graph. */
interface GraphPick {
  readonly title: string;
  /** The waterfall search that shows its spans in one of those traces. */
  readonly query: string;
  readonly traceIds: ReadonlySet<string>;
}

export function ServicesView({ traceId, services, onFilter, onOpenTrace }: Props & { onOpenTrace(traceId: string, query: string): void }) {
  const getWorker = useTraceWorker();
  const [params, update] = useAnalysisParams();
  const scope: AnalysisScope = params.allTraces ? 'all' : 'trace';
  const key = ['service-graph', traceId, scope];
  const graph = useAnalysis(key, () => getWorker().analyze({ kind: 'serviceGraph', traceId, scope }));
  const summaries = useAppStore((s) => s.file?.summary.traces);
  const [pick, setPick] = useState<GraphPick | undefined>();
  useEffect(() => setPick(undefined), [graph.data]); // another graph (scope): what was picked is gone
  const nodeQuery = (n: ServiceGraphNode) =>
    n.kind === 'service' ? `service=${quote(n.name)}` : n.kind === 'database' ? `attr.db.system=${quote(n.system)}` : `attr.messaging.system=${quote(n.system)}`;
  // One trace: a click filters its waterfall. Many: it lists the traces involved, each opening filtered.
  const select = (g: ServiceGraph, title: string, query: string, traceIds: () => Iterable<string>) => {
    if (g.traceCount > 1) setPick({ title, query, traceIds: new Set(traceIds()) });
    else onFilter(query);
  };
  const tracesOfNode = (g: ServiceGraph, n: ServiceGraphNode) => {
    // A service is in every trace that has a span of it; a database or queue where a call reaches it.
    if (n.kind === 'service' && summaries) return summaries.filter((t) => t.services.includes(n.name)).map((t) => t.traceId);
    const k = g.nodes.findIndex((m) => m.kind === n.kind && m.name === n.name);
    return [...tracesOfEdges(g, g.edges.flatMap((e, i) => (e.from === k || e.to === k ? [i] : [])))].map((t) => g.traceIds[t]);
  };
  const pickedTraces = pick && summaries ? summaries.filter((t) => pick.traceIds.has(t.traceId)) : [];
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-3 p-5" data-testid="services-view">
      {graph.isError ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          The service graph could not be built: {graph.error.message}
        </p>
      ) : !graph.data ? (
        <p className="text-sm text-slate-500">Building the service graph…</p>
      ) : (
        <ServiceGraphView
          graph={graph.data}
          services={services}
          controls={<ScopePicker scope={scope} onChange={(next) => update({ allTraces: next === 'all' })} />}
          layoutKey={key}
          algorithm={params.layout ?? defaultLayout(graph.data.nodes.length, graph.data.edges.length)}
          metric={params.metric}
          focus={params.graphFocus}
          // Back leaves a service's neighbourhood.
          onChangeView={(view) => update({ layout: view.algorithm, metric: view.metric, graphFocus: view.focus }, view.focus !== params.graphFocus ? 'push' : 'replace')}
          onSelectNode={(n) => select(graph.data, n.name, nodeQuery(n), () => tracesOfNode(graph.data, n))}
          onSelectEdge={(e, from, to) => select(graph.data, `${from.name} → ${to.name}`, nodeQuery(to), () => [...e.traceIndex].map((t) => graph.data.traceIds[t]))}
          aside={
            pick ? <SelectionTraces title={pick.title} traces={pickedTraces} services={services} onOpen={(id) => onOpenTrace(id, pick.query)} onClose={() => setPick(undefined)} /> : undefined
          }
        />
      )}
    </div>
  );
}

export function OperationsView({ traceId, services, onFilter }: Props) {
  const getWorker = useTraceWorker();
  const [scope, setScope] = useScope();
  const key = ['operation-graph', traceId, scope];
  const graph = useAnalysis(key, () => getWorker().analyze({ kind: 'operationGraph', traceId, scope }));
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-3 p-5" data-testid="operations-view">
      <div className="flex items-end gap-3">
        <ScopePicker scope={scope} onChange={setScope} />
        <span className="ml-auto text-xs text-slate-500 dark:text-slate-400">Warmer = more of the self time · dashed = does not block the caller · click to filter</span>
      </div>
      {graph.isError ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          The operation graph could not be built: {graph.error.message}
        </p>
      ) : !graph.data ? (
        <p className="text-sm text-slate-500">Building the operation graph…</p>
      ) : (
        <OperationGraphView graph={graph.data} services={services} layoutKey={key} onSelectNode={(n) => onFilter(`service=${quote(n.service)} operation=${quote(n.operation)}`)} />
      )}
    </div>
  );
}

export function StatsView({ traceId, onFilter }: Props) {
  const getWorker = useTraceWorker();
  const [params, update] = useAnalysisParams();
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
          <select className="input py-1" value={by} onChange={(e) => update({ statsBy: e.target.value as typeof by })} data-testid="stats-group-by">
            <option value="service">Service</option>
            <option value="operation">Operation</option>
            <option value="attribute">Attribute…</option>
          </select>
        </label>
        {by === 'attribute' ? (
          <label className="flex flex-col gap-1 text-sm">
            <span className="field-label">Attribute</span>
            <input
              className="input py-1 font-mono"
              value={attribute}
              onChange={(e) => update({ statsAttribute: e.target.value })}
              data-testid="stats-attribute"
            />
          </label>
        ) : null}
        <ScopePicker scope={scope} onChange={(next) => update({ allTraces: next === 'all' })} />
        {stats.data ? <span className="ml-auto text-sm text-slate-500">{stats.data.rows.length} rows</span> : null}
      </div>
      {stats.isError ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          Statistics could not be computed: {stats.error.message}
        </p>
      ) : !stats.data ? (
        <p className="text-sm text-slate-500">Computing statistics…</p>
      ) : (
        <StatsTable stats={stats.data} onSelectRow={(r) => onFilter(rowQuery(r))} />
      )}
    </div>
  );
}
