// Which loaded traces to offer as B: first the other requests to A's endpoint (same root service and
// operation: the comparison that explains a slow request), then the rest; each group fastest first.
import type { TraceSummary } from '../../core/analysis/trace-summary.ts';

export type CandidateTrace = Pick<TraceSummary, 'traceId' | 'rootService' | 'rootName' | 'durationNs' | 'spanCount' | 'errorCount'>;

export type SuggestionKind = 'slowest' | 'median' | 'fastest';

export interface Suggestion<T extends CandidateTrace> {
  /** Several when one trace is both (two candidates: the median is the fastest). */
  readonly kinds: readonly SuggestionKind[];
  readonly trace: T;
}

export interface CompareCandidates<T extends CandidateTrace> {
  readonly sameEndpoint: readonly T[];
  readonly others: readonly T[];
  /**
   * The slowest, median and fastest request of A's endpoint (of everything loaded when A's endpoint has no
   * other request), ranked with A among them; A itself is left out (a slow A gets no "slowest").
   */
  readonly suggestions: readonly Suggestion<T>[];
}

export function compareCandidates<T extends CandidateTrace>(traces: readonly T[], a: CandidateTrace): CompareCandidates<T> {
  const byDuration = (x: CandidateTrace, y: CandidateTrace) => x.durationNs - y.durationNs || (x.traceId < y.traceId ? -1 : x.traceId > y.traceId ? 1 : 0);
  const rest = traces.filter((t) => t.traceId !== a.traceId).sort(byDuration);
  const sameEndpoint = rest.filter((t) => t.rootService === a.rootService && t.rootName === a.rootName);
  const others = rest.filter((t) => !(t.rootService === a.rootService && t.rootName === a.rootName));
  const pool: CandidateTrace[] = [...(sameEndpoint.length ? sameEndpoint : others), a].sort(byDuration);
  const suggestions: { kinds: SuggestionKind[]; trace: T }[] = [];
  if (pool.length > 1) {
    const picks: [SuggestionKind, CandidateTrace][] = [
      ['slowest', pool[pool.length - 1]],
      ['median', pool[Math.floor((pool.length - 1) / 2)]],
      ['fastest', pool[0]],
    ];
    for (const [kind, trace] of picks) {
      if (trace === a) continue;
      const same = suggestions.find((s) => s.trace === trace);
      if (same) same.kinds.push(kind);
      else suggestions.push({ kinds: [kind], trace: trace as T }); // not A: one of `rest`
    }
  }
  return { sameEndpoint, others, suggestions };
}
