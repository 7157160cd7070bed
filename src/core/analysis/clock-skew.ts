// Clock skew: a span recorded by another process (another service) whose clock is off shows up
// outside its parent, e.g. a server span that starts before the client call that caused it:
//
//   client (svc a)               [========]  [10, 20)
//   server (svc b)         [====]            [4, 10): before the call that caused it
//   adjusted                       [====]    [12, 18): +8, centred: (10 − 6) / 2 = 2 each way
//
// detectClockSkew finds such children and the shift that would put each back; adjustClockSkew applies
// the shifts (opt-in: the file's times stay the truth, this is a second opinion). The rules are Jaeger's
// clock-skew adjuster and Zipkin's ClockSkew corrector:
// - only parent → child pairs in different services are considered (one process has one clock);
// - a child that fits inside its parent is left alone;
// - CLIENT parent, child not longer: centre the child in the parent, assuming the network latency is
//   the same both ways: shift = parent.start + (parent.duration − child.duration) / 2 − child.start;
// - any other synchronous parent, child not longer: the smallest shift that brings it inside;
// - child longer than its parent: align the starts if it started before the parent; if it started
//   inside and ends after, it is async work (a fire-and-forget call), not skew — left alone;
// - a child that does not block its parent (FOLLOWS_FROM, producer/consumer) may end after it; only a
//   start before the parent's is skew (the effect cannot precede its cause): align the starts.
// A shift moves the child's whole subtree: shifts add up top-down, so a shifted span's descendants move
// with it, and a descendant in yet another service is judged against its parent's recorded times (a
// uniform shift keeps their relation, so the shifts compose).
import type { TraceModel } from '../model/trace-model.ts';
import { blocksParent } from './critical-path.ts';

export interface ClockSkewReport {
  /** Children that sit outside their parent in another service and that a shift puts back; pre-order. */
  readonly spans: Uint32Array;
  /** Per reported span: the signed ns to add to its start (and to its subtree's) to fix it. */
  readonly skewNs: Float64Array;
}

export interface ClockSkewAdjustment {
  /** Per span: the adjusted start, ns relative to the trace start (may fall before 0). */
  readonly startNs: Float64Array;
  /** Per span: the total shift applied, 0 for spans left alone. */
  readonly shiftNs: Float64Array;
}

const KIND_CLIENT = 3;

/** One pass over the parent → child pairs. */
export function detectClockSkew(model: TraceModel): ClockSkewReport {
  const spans: number[] = [];
  const skews: number[] = [];
  for (let i = 0; i < model.spanCount; i++) {
    const p = model.parent[i];
    if (p < 0 || model.serviceId[i] === model.serviceId[p]) continue;
    const skewNs = skewOf(model, p, i);
    if (skewNs !== 0) {
      spans.push(i);
      skews.push(skewNs);
    }
  }
  return { spans: Uint32Array.from(spans), skewNs: Float64Array.from(skews) };
}

/** The shift that puts child `c` back inside parent `p`, or 0 when it fits or no shift is justified. */
function skewOf(model: TraceModel, p: number, c: number): number {
  const parentStart = model.startNs[p];
  const parentDuration = model.durationNs[p];
  const childStart = model.startNs[c];
  const childDuration = model.durationNs[c];
  const startsBefore = childStart < parentStart;
  const endsAfter = childStart + childDuration > parentStart + parentDuration;
  if (!startsBefore && !endsAfter) return 0;
  if (!blocksParent(model, c) || childDuration > parentDuration) return startsBefore ? parentStart - childStart : 0;
  if (model.kind[p] === KIND_CLIENT) {
    // Floor: the child never ends past the parent because of a half nanosecond.
    return parentStart + Math.floor((parentDuration - childDuration) / 2) - childStart;
  }
  return startsBefore ? parentStart - childStart : parentStart + parentDuration - (childStart + childDuration);
}

/**
 * The times with the report's shifts applied to whole subtrees. One pass in pre-order: a parent's
 * total shift is known before its children's. The model is not changed.
 */
export function adjustClockSkew(model: TraceModel, report: ClockSkewReport): ClockSkewAdjustment {
  const n = model.spanCount;
  const shiftNs = new Float64Array(n);
  for (let j = 0; j < report.spans.length; j++) {
    const i = report.spans[j];
    if (i < n) shiftNs[i] += report.skewNs[j];
  }
  const startNs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = model.parent[i];
    if (p >= 0) shiftNs[i] += shiftNs[p];
    startNs[i] = model.startNs[i] + shiftNs[i];
  }
  return { startNs, shiftNs };
}

/** The adjusted times as a timeline of their own: what the axis, the header and the minimap show. */
export interface SkewAdjustedTimeline {
  /** Per span: ns from the adjusted trace start (≥ 0). */
  readonly startNs: Float64Array;
  /**
   * The adjusted trace start, in ns from the recorded one: below 0 when a span moved before the root, above
   * 0 when the span that started the recorded trace was skew and moved later.
   */
  readonly originNs: number;
  /** From the adjusted trace start to the last adjusted span end. */
  readonly traceDurationNs: number;
}

/** Rebases adjusted starts so the earliest is 0, and measures the adjusted trace. */
export function skewAdjustedTimeline(model: TraceModel, adjustment: ClockSkewAdjustment): SkewAdjustedTimeline {
  const n = model.spanCount;
  let originNs = n > 0 ? Infinity : 0;
  for (let i = 0; i < n; i++) if (adjustment.startNs[i] < originNs) originNs = adjustment.startNs[i];
  const startNs = new Float64Array(n);
  let endNs = 0;
  for (let i = 0; i < n; i++) {
    startNs[i] = adjustment.startNs[i] - originNs;
    endNs = Math.max(endNs, startNs[i] + model.durationNs[i]);
  }
  return { startNs, originNs, traceDurationNs: endNs };
}
