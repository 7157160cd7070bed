// The trace page's Service graph tab: the worker's service graph of this trace or of every loaded trace.
// A click on a node or an edge shows those spans in the waterfall (a search with "only matches"); over
// many traces it lists the traces involved, each opening filtered.
import { useEffect, useState } from 'react';
import { tracesOfEdges, type ServiceGraph, type ServiceGraphNode } from '../../core/analysis/service-graph.ts';
import { defaultLayout } from '../../core/layout/graph-layout.ts';
import { AnalysisOutcome } from '../../components/AnalysisOutcome.tsx';
import { ScopePicker } from '../../components/ScopePicker.tsx';
import { quote } from '../../components/search-query.ts';
import { useAppStore } from '../../state/app-store.ts';
import type { TraceViewProps } from '../../state/navigation.ts';
import { useTraceWorker } from '../../state/trace-worker-context.ts';
import { useAnalysis, useAnalysisParams, useTraceCount } from '../../state/use-analysis.ts';
import { NO_VIEW_PARAMS, traceTabEdit, viewParamsEdit } from '../../state/url.ts';
import type { AnalysisScope } from '../../core/view-format/analysis-answers.ts';
import { SelectionTraces } from './SelectionTraces.tsx';
import { ServiceGraphView } from './ServiceGraphView.tsx';

/** What a click on a graph of many traces picked: the traces it involves, listed beside the graph. */
interface GraphPick {
  readonly title: string;
  /** The waterfall search that shows its spans in one of those traces. */
  readonly query: string;
  readonly traceIds: ReadonlySet<string>;
}

export function ServicesView({ trace, navigation }: TraceViewProps) {
  const traceId = trace.traceId;
  const getWorker = useTraceWorker();
  const [params, update] = useAnalysisParams();
  const traceCount = useTraceCount();
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
    else navigation.showInWaterfall(query);
  };
  // From a graph of many traces: one of them, its waterfall showing only those spans.
  const openFiltered = (id: string, query: string) => {
    if (id === traceId) navigation.showInWaterfall(query);
    else navigation.openTrace(id, [viewParamsEdit({ ...NO_VIEW_PARAMS, query, onlyMatches: true }), traceTabEdit('waterfall')]);
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
      <AnalysisOutcome result={graph} failure="The service graph could not be built" pending="Building the service graph…">
        {(data) => (
          <ServiceGraphView
            graph={data}
            controls={<ScopePicker scope={scope} traceCount={traceCount} onChange={(next) => update({ allTraces: next === 'all' })} />}
            layoutKey={key}
            algorithm={params.layout ?? defaultLayout(data.nodes.length, data.edges.length)}
            metric={params.metric}
            focus={params.graphFocus}
            // Back leaves a service's neighbourhood.
            onChangeView={(view) => update({ layout: view.algorithm, metric: view.metric, graphFocus: view.focus }, view.focus !== params.graphFocus ? 'push' : 'replace')}
            onSelectNode={(n) => select(data, n.name, nodeQuery(n), () => tracesOfNode(data, n))}
            onSelectEdge={(e, from, to) => select(data, `${from.name} → ${to.name}`, nodeQuery(to), () => [...e.traceIndex].map((t) => data.traceIds[t]))}
            aside={
              pick ? <SelectionTraces title={pick.title} traces={pickedTraces} onOpen={(id) => openFiltered(id, pick.query)} onClose={() => setPick(undefined)} /> : undefined
            }
          />
        )}
      </AnalysisOutcome>
    </div>
  );
}
