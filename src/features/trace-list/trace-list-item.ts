// What a trace list row and a scatter-plot dot need: a loaded file's TraceSummary and a backend's
// TraceSearchHit both have it.
import type { TraceSummary } from '../../core/analysis/trace-summary.ts';

export type TraceListItem = Pick<TraceSummary, 'traceId' | 'rootService' | 'rootName' | 'traceStart' | 'durationNs' | 'spanCount' | 'errorCount' | 'services'> & {
  /** Spans are still arriving at the server's receivers. */
  readonly receiving?: boolean;
};
