// The trace page's Compare tab (being built).
import type { TraceSummary } from '../core/analysis/trace-summary.ts';

interface Props {
  readonly trace: TraceSummary;
  readonly services: readonly string[];
  onFetchTrace(traceId: string): Promise<void>;
}

export function CompareView(_props: Props) {
  return <p className="m-6 text-sm text-slate-500">Trace comparison is being built.</p>;
}
