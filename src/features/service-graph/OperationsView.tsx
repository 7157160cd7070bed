// The trace page's Operations tab: the worker's operation graph of this trace or of every loaded trace;
// a click on an operation shows its spans in the waterfall.
import { AnalysisOutcome } from '../../components/AnalysisOutcome.tsx';
import { ScopePicker } from '../../components/ScopePicker.tsx';
import { quote } from '../../components/search-query.ts';
import type { TraceViewProps } from '../../state/navigation.ts';
import { useTraceWorker } from '../../state/trace-worker-context.ts';
import { useAnalysis, useScope, useTraceCount } from '../../state/use-analysis.ts';
import { OperationGraphView } from './OperationGraphView.tsx';

export function OperationsView({ trace, navigation }: TraceViewProps) {
  const traceId = trace.traceId;
  const getWorker = useTraceWorker();
  const [scope, setScope] = useScope();
  const traceCount = useTraceCount();
  const key = ['operation-graph', traceId, scope];
  const graph = useAnalysis(key, () => getWorker().analyze({ kind: 'operationGraph', traceId, scope }));
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-3 p-5" data-testid="operations-view">
      <div className="flex items-end gap-3">
        <ScopePicker scope={scope} traceCount={traceCount} onChange={setScope} />
        <span className="ml-auto text-xs text-slate-500 dark:text-slate-400">Bar = share of the self time · dashed = does not block the caller · click to filter · wheel to zoom, drag to pan</span>
      </div>
      <AnalysisOutcome result={graph} failure="The operation graph could not be built" pending="Building the operation graph…">
        {(data) => (
          <OperationGraphView
            graph={data}
            layoutKey={key}
            onSelectNode={(n) => navigation.showInWaterfall(`service=${quote(n.service)} operation=${quote(n.operation)}`)}
          />
        )}
      </AnalysisOutcome>
    </div>
  );
}
