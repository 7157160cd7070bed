// The end-to-end critical path across stitched traces: from the first request's root to the last-ending
// span reachable through async hops, with the time spent waiting between hops as its own segments.
//
//   trace api     req  [=======]
//                   send  [=]                 kind=producer
//   trace worker                 work [=====] link=send
//   path          req req send  wait  work
//
// Hops are where work continues asynchronously:
// - span links (and inferred links) between spans of the set, oriented by time: the span that starts
//   first is the producer (on a tie, the link's target: a consumer links to its producer);
// - async children inside one trace: a child that does not block its parent (producer / consumer
//   kinds, FOLLOWS_FROM, see critical-path.ts blocksParent) or that starts after its parent ended.
// The consumer of a hop is an *entry*; the spans under an entry, down to the next entries, are its
// region. The path is a chain start → hop → entry → hop → … → the entry that ends last. When several
// hops reach an entry, the one handed off last wins (as the last-finishing child does in one trace).
// Within an entry's region the path is critical-path.ts's walk, started at the hand-off point: the
// producer's end, or the consumer's start when that is earlier (the consumer started while the producer
// still ran: a batch span and its items). The last entry's path is its own critical path.
// Queue wait = consumer start − producer end, at least 0; a consumer that started before its producer
// ended has an overlap, flagged as clock skew between a PRODUCER and a CONSUMER span (a message
// processed before its send finished) and taken as a fork otherwise.
import { knownEntry } from '../known-entry.ts';
import { spanStart } from '../model/span-details.ts';
import { EPOCH_ZERO, compareEpoch, type EpochNanos, type Nanos } from '../model/time.ts';
import type { TraceModel } from '../model/trace-model.ts';
import { blocksParent, computeCriticalPathFrom } from './critical-path.ts';
import { linksBetween, type LinkIndex } from './link-index.ts';
import { spanEndNs, traceOffsetsNs, type InferredLink, type SpanRef } from './span-ref.ts';

export interface AsyncHop {
  /** The producer: where the work was handed off. */
  readonly from: SpanRef;
  /** The consumer: where it was picked up (an entry of the path). */
  readonly to: SpanRef;
  readonly via: 'link' | 'inferred' | 'async-child';
  /** The queue-wait segment's length: consumer start − producer end, at least 0. */
  readonly queueWaitNs: Nanos;
  /** How long before the producer's end the consumer started (0 when after). */
  readonly overlapNs: Nanos;
  /**
   * A CONSUMER span that starts before its PRODUCER span even started: the clocks disagree. (Starting
   * before the producer *ends* is normal: a send span often lasts until the broker acknowledges, after
   * the message is already consumable.)
   */
  readonly clockSkew: boolean;
}

export type AsyncPathSegment =
  | { readonly kind: 'span'; readonly ref: SpanRef; readonly startNs: Nanos; readonly endNs: Nanos }
  | { readonly kind: 'queue-wait'; readonly hop: AsyncHop; readonly startNs: Nanos; readonly endNs: Nanos };

export interface AsyncCriticalPath {
  /** The absolute time of 0 on the path's axis: the start of the first request's root span. */
  readonly origin: EpochNanos;
  /** In time order, back to back, ns from `origin`. */
  readonly segments: readonly AsyncPathSegment[];
  /** The hops the path takes, in order. */
  readonly hops: readonly AsyncHop[];
  readonly totalNs: Nanos;
  readonly queueWaitNs: Nanos;
}

export interface AsyncCriticalPathOptions {
  /** Where the path starts; default: the first root of the earliest-starting trace of the set. */
  readonly start?: SpanRef;
  /** Links the user chose to stitch by (stored contexts, business keys); unresolved ones are ignored. */
  readonly inferred?: readonly InferredLink[];
}

const KIND_PRODUCER = 4;
const KIND_CONSUMER = 5;

interface CandidateHop {
  readonly from: SpanRef;
  readonly to: SpanRef;
  readonly via: AsyncHop['via'];
}

export function computeAsyncCriticalPath(index: LinkIndex, traceSet: readonly number[], options: AsyncCriticalPathOptions = {}): AsyncCriticalPath {
  const { traces, spanOffset } = index;
  const set = [...new Set([...traceSet, ...(options.start ? [options.start.trace] : [])])].filter((t) => traces[t].spanCount > 0);
  if (set.length === 0) return { origin: EPOCH_ZERO, segments: [], hops: [], totalNs: 0, queueWaitNs: 0 };
  const earliest = set.reduce((a, b) => (compareEpoch(traces[b].traceStart, traces[a].traceStart) < 0 ? b : a));
  const start = options.start ?? { trace: earliest, span: traces[earliest].roots[0] };
  const origin = spanStart(traces[start.trace], start.span);
  const offset = traceOffsetsNs(traces, origin);
  const startOf = (r: SpanRef) => offset[r.trace] + traces[r.trace].startNs[r.span];
  const endOf = (r: SpanRef) => offset[r.trace] + spanEndNs(traces[r.trace], r.span);
  const id = (r: SpanRef) => spanOffset[r.trace] + r.span;

  // Candidate hops, each (producer, consumer) pair once.
  const hops: CandidateHop[] = [];
  const pairSeen = new Set<string>();
  const addHop = (from: SpanRef, to: SpanRef, via: CandidateHop['via']) => {
    const key = `${id(from)}>${id(to)}`;
    if (!pairSeen.has(key)) {
      pairSeen.add(key);
      hops.push({ from, to, via });
    }
  };
  const inSet = new Set(set);
  const orient = (from: SpanRef, to: SpanRef, via: CandidateHop['via']) => {
    // `from` holds the link, `to` is its target: on equal starts the target is the producer.
    if (startOf(from) < startOf(to)) addHop(from, to, via);
    else addHop(to, from, via);
  };
  for (const pair of linksBetween(index, set)) orient(pair.from, pair.to, 'link');
  for (const l of options.inferred ?? []) if (l.to && inSet.has(l.from.trace) && inSet.has(l.to.trace)) orient(l.from, l.to, 'inferred');
  for (const t of set) {
    const model = traces[t];
    for (let i = 0; i < model.spanCount; i++) {
      const p = model.parent[i];
      if (p >= 0 && (!blocksParent(model, i) || model.startNs[i] >= spanEndNs(model, p))) addHop({ trace: t, span: p }, { trace: t, span: i }, 'async-child');
    }
  }

  // Entries and, for every span, the entry whose region it is in (-1: none).
  const isEntry = new Set<number>([id(start), ...hops.map((h) => id(h.to))]);
  const headOf = new Map<number, Int32Array>();
  for (const t of set) {
    const model = traces[t];
    const head = new Int32Array(model.spanCount);
    for (let i = 0; i < model.spanCount; i++) {
      const p = model.parent[i];
      head[i] = isEntry.has(spanOffset[t] + i) ? i : p >= 0 ? head[p] : -1;
    }
    headOf.set(t, head);
  }
  const regionOf = (r: SpanRef): SpanRef | undefined => {
    const head = knownEntry(headOf, r.trace)[r.span];
    return head < 0 ? undefined : { trace: r.trace, span: head };
  };

  // Entries reachable from the start, and for each the hop handed off last.
  const hopsFrom = new Map<number, CandidateHop[]>();
  for (const hop of hops) {
    const region = regionOf(hop.from);
    if (!region) continue;
    const list = hopsFrom.get(id(region));
    if (list) list.push(hop);
    else hopsFrom.set(id(region), [hop]);
  }
  const handOff = (hop: CandidateHop) => Math.max(startOf(hop.from), Math.min(endOf(hop.from), startOf(hop.to)));
  const reached: SpanRef[] = [start];
  const firstHop = new Map<number, CandidateHop>(); // the hop that first reached each entry: a tree
  const bestHop = new Map<number, CandidateHop>();
  for (let q = 0; q < reached.length; q++) {
    for (const hop of hopsFrom.get(id(reached[q])) ?? []) {
      const to = id(hop.to);
      if (to === id(start)) continue;
      const best = bestHop.get(to);
      if (!best || handOff(hop) > handOff(best) || (handOff(hop) === handOff(best) && endOf(hop.from) > endOf(best.from))) bestHop.set(to, hop);
      if (!firstHop.has(to)) {
        firstHop.set(to, hop);
        reached.push(hop.to);
      }
    }
  }

  // The entry that ends last, and the chain of hops back to the start. Best hops go back in time, so
  // they lead to the start; only equal times could make a loop, and then the first hops are taken.
  let last = start;
  for (const entry of reached) {
    if (endOf(entry) > endOf(last) || (endOf(entry) === endOf(last) && startOf(entry) > startOf(last))) last = entry;
  }
  const chainBack = (hopInto: ReadonlyMap<number, CandidateHop>): CandidateHop[] | undefined => {
    const chain: CandidateHop[] = [];
    const visited = new Set<number>();
    for (let entry = last; id(entry) !== id(start); ) {
      const hop = visited.has(id(entry)) ? undefined : hopInto.get(id(entry));
      const from = hop && regionOf(hop.from);
      if (!hop || !from) return undefined;
      visited.add(id(entry));
      chain.push(hop);
      entry = from;
    }
    return chain.reverse();
  };
  // The first hops form a tree rooted at the start, so they always lead back.
  const chain = chainBack(bestHop) ?? chainBack(firstHop);
  if (!chain) throw new Error('asyncCriticalPath: no chain of hops back to the start');

  // Segments: each entry's region up to its hand-off, the wait, then the last entry's own critical path.
  const segments: AsyncPathSegment[] = [];
  const pathHops: AsyncHop[] = [];
  let queueWaitNs = 0;
  const addSpanSegment = (ref: SpanRef, s: Nanos, e: Nanos) => segments.push({ kind: 'span', ref, startNs: s, endNs: e });
  let entry = start;
  for (const hop of chain) {
    const model = traces[entry.trace];
    const path = criticalPathToPoint(model, hop.from.span, handOff(hop) - offset[entry.trace], entry.span);
    let handedOffAt = startOf(entry);
    for (let j = 0; j < path.spanIndex.length; j++) {
      addSpanSegment({ trace: entry.trace, span: path.spanIndex[j] }, offset[entry.trace] + path.startNs[j], offset[entry.trace] + path.endNs[j]);
      handedOffAt = offset[entry.trace] + path.endNs[j];
    }
    const overlapNs = Math.max(0, endOf(hop.from) - startOf(hop.to));
    const wait = Math.max(0, startOf(hop.to) - handedOffAt);
    const clockSkew =
      startOf(hop.to) < startOf(hop.from) && traces[hop.from.trace].kind[hop.from.span] === KIND_PRODUCER && traces[hop.to.trace].kind[hop.to.span] === KIND_CONSUMER;
    const asyncHop: AsyncHop = { ...hop, queueWaitNs: wait, overlapNs, clockSkew };
    pathHops.push(asyncHop);
    if (wait > 0) segments.push({ kind: 'queue-wait', hop: asyncHop, startNs: handedOffAt, endNs: handedOffAt + wait });
    queueWaitNs += wait;
    entry = hop.to;
  }
  const lastPath = computeCriticalPathFrom(traces[entry.trace], entry.span);
  for (let j = 0; j < lastPath.spanIndex.length; j++) {
    addSpanSegment({ trace: entry.trace, span: lastPath.spanIndex[j] }, offset[entry.trace] + lastPath.startNs[j], offset[entry.trace] + lastPath.endNs[j]);
  }
  return { origin, segments, hops: pathHops, totalNs: endOf(entry), queueWaitNs };
}

export interface PathToPoint {
  /** Per segment, in time order: the span that owns it, and its interval in ns from the trace start. */
  readonly spanIndex: readonly number[];
  readonly startNs: readonly number[];
  readonly endNs: readonly number[];
}

/**
 * critical-path.ts's walk started in span `from` at `pointNs` (ns from the trace start) instead of at a
 * root's end, climbing up to its ancestor `head`: the chain of work that led to that point since `head`
 * started. Children are clamped to their parent's (clamped) interval and non-blocking children are left
 * out, as there; from a root's end up to the root it gives the same path as computeCriticalPathFrom.
 */
export function criticalPathToPoint(model: TraceModel, from: number, pointNs: number, head: number): PathToPoint {
  const clampedStart = new Map<number, number>();
  const clampedEnd = new Map<number, number>();
  // The ancestors from `head` down to `from`, clamped top-down.
  const chain: number[] = [];
  for (let i = from; ; i = model.parent[i]) {
    if (i < 0) throw new Error(`criticalPathToPoint: span ${head} is not an ancestor of span ${from}`);
    chain.push(i);
    if (i === head) break;
  }
  let lo = -Infinity;
  let hi = Infinity;
  for (let j = chain.length - 1; j >= 0; j--) {
    const i = chain[j];
    lo = Math.max(model.startNs[i], lo);
    hi = Math.max(lo, Math.min(spanEndNs(model, i), hi));
    clampedStart.set(i, lo);
    clampedEnd.set(i, hi);
  }

  // Kept children of a span, latest end first (ties: earliest in pre-order), built when first needed.
  const children = new Map<number, { readonly list: number[]; cursor: number }>();
  const keptChildren = (k: number) => {
    let entry = children.get(k);
    if (entry) return entry;
    const list: number[] = [];
    for (let j = k + 1; j < model.subtreeEnd[k]; j = model.subtreeEnd[j]) {
      if (!blocksParent(model, j)) continue;
      const s = Math.max(model.startNs[j], knownEntry(clampedStart, k));
      const e = Math.min(spanEndNs(model, j), knownEntry(clampedEnd, k));
      if (e <= s) continue;
      clampedStart.set(j, s);
      clampedEnd.set(j, e);
      list.push(j);
    }
    list.sort((a, b) => knownEntry(clampedEnd, b) - knownEntry(clampedEnd, a) || a - b);
    children.set(k, (entry = { list, cursor: 0 }));
    return entry;
  };

  const spanIndex: number[] = [];
  const startNs: number[] = [];
  const endNs: number[] = [];
  // Emits span k's segment [s, e) if not empty; the walk goes on from s.
  const emit = (k: number, s: number, e: number) => {
    if (e > s) {
      spanIndex.push(k);
      startNs.push(s);
      endNs.push(e);
    }
    return s;
  };
  let k = from;
  let point = Math.min(Math.max(pointNs, knownEntry(clampedStart, from)), knownEntry(clampedEnd, from));
  for (;;) {
    const kids = keptChildren(k);
    while (kids.cursor < kids.list.length && knownEntry(clampedEnd, kids.list[kids.cursor]) > point) kids.cursor++;
    if (kids.cursor < kids.list.length) {
      const child = kids.list[kids.cursor++];
      point = emit(k, knownEntry(clampedEnd, child), point);
      k = child;
      continue;
    }
    point = emit(k, knownEntry(clampedStart, k), point);
    if (k === head) break;
    k = model.parent[k];
  }
  return { spanIndex: spanIndex.reverse(), startNs: startNs.reverse(), endNs: endNs.reverse() };
}
