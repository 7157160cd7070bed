// The trace page's Flamegraph tab (being built).
import type { TraceViewData } from '../worker/trace-view-data.ts';

interface Props {
  readonly traceId: string;
  /** The waterfall's columns of this trace, once laid out. */
  readonly view: TraceViewData | undefined;
  readonly services: readonly string[];
  onFilter(query: string): void;
}

export function FlameView(_props: Props) {
  return <p className="m-6 text-sm text-slate-500">The flamegraph is being built.</p>;
}
