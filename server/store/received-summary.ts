// What a received trace's index row says (start, end, counts, services, root), computed from one batch's
// spans and merged into the row so far: a trace that keeps growing is indexed from its new spans only,
// never by reading and parsing the whole trace again.
import { addNanos, compareEpoch, type EpochNanos } from '../../src/core/model/time.ts';
import { isErrorSpan, spanName, spanService, type TraceModel } from '../../src/core/model/trace-model.ts';

/** The span a trace row names as its root: one with no parent beats one whose parent is elsewhere, then the earlier start. */
export interface TraceRoot {
  readonly parentless: boolean;
  readonly start: EpochNanos;
  readonly service: string;
  readonly name: string;
}

export interface ReceivedSummary {
  readonly start: EpochNanos;
  readonly end: EpochNanos;
  readonly spanCount: number;
  readonly errorCount: number;
  /** Sorted. */
  readonly services: readonly string[];
  readonly root: TraceRoot;
}

/** The summary of `spans` (indices into `model`, at least one). */
export function summarizeSpans(model: TraceModel, spans: ArrayLike<number>): ReceivedSummary {
  if (spans.length === 0) throw new Error(`summarizeSpans: no spans of trace ${model.traceId}`);
  const services = new Set<string>();
  let start: EpochNanos | undefined;
  let end: EpochNanos | undefined;
  let root: TraceRoot | undefined;
  let errorCount = 0;
  for (let k = 0; k < spans.length; k++) {
    const i = spans[k];
    const spanStart = addNanos(model.traceStart, model.startNs[i]);
    const spanEnd = addNanos(model.traceStart, model.startNs[i] + model.durationNs[i]);
    if (!start || compareEpoch(spanStart, start) < 0) start = spanStart;
    if (!end || compareEpoch(spanEnd, end) > 0) end = spanEnd;
    services.add(spanService(model, i));
    if (isErrorSpan(model, i)) errorCount++;
    const candidate = { parentless: model.parentSpanIds[i] === '', start: spanStart, service: spanService(model, i), name: spanName(model, i) };
    if (!root || isBetterRoot(candidate, root)) root = candidate;
  }
  if (!start || !end || !root) throw new Error('unreachable: spans is not empty');
  return { start, end, spanCount: spans.length, errorCount, services: [...services].sort(), root };
}

/** The row after `next`'s spans joined those `sofar` summarizes. */
export function mergeSummaries(sofar: ReceivedSummary, next: ReceivedSummary): ReceivedSummary {
  return {
    start: compareEpoch(next.start, sofar.start) < 0 ? next.start : sofar.start,
    end: compareEpoch(next.end, sofar.end) > 0 ? next.end : sofar.end,
    spanCount: sofar.spanCount + next.spanCount,
    errorCount: sofar.errorCount + next.errorCount,
    services: [...new Set([...sofar.services, ...next.services])].sort(),
    root: isBetterRoot(next.root, sofar.root) ? next.root : sofar.root,
  };
}

function isBetterRoot(candidate: TraceRoot, current: TraceRoot): boolean {
  if (candidate.parentless !== current.parentless) return candidate.parentless;
  return compareEpoch(candidate.start, current.start) < 0;
}
