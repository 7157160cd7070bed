import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainTrace } from './test-traces.ts';
import type { EpochNanos } from './time.ts';
import { TraceModelBuilder, type SpanHandle } from './trace-model-builder.ts';
import { spanName, type TraceCollection, type TraceModel } from './trace-model.ts';

const TRACE_A = '0000000000000000000000000000000a';

const hex = (n: number) => n.toString(16).padStart(16, '0');

/** Start at `ns` nanoseconds after an epoch ms far from zero (so ns never go through one float). */
const at = (ns: number): EpochNanos => ({ ms: 1_700_000_000_000 + Math.floor(ns / 1e6), nsOfMs: ns % 1e6 });

interface TestSpan {
  readonly id: number;
  /** 0 or undefined: root. */
  readonly parent?: number;
  /** ns after the trace start; undefined: missing. */
  readonly start: number | undefined;
  readonly duration: number;
  readonly name?: string;
  readonly trace?: string;
}

function build(spans: readonly TestSpan[]): TraceCollection {
  const b = new TraceModelBuilder('jaeger');
  spans.forEach((s, i) =>
    b.addSpan({
      traceId: s.trace ?? TRACE_A,
      spanId: hex(s.id),
      parentSpanId: s.parent ? hex(s.parent) : '',
      name: s.name ?? `s${i}`,
      service: 'svc',
      start: s.start === undefined ? undefined : at(s.start),
      durationNs: s.duration,
    }),
  );
  return b.build();
}

function one(spans: readonly TestSpan[]): TraceModel {
  const c = build(spans);
  expect(c.traces).toHaveLength(1);
  return c.traces[0];
}

/** Names in model order, indented by depth: a picture of the tree. */
function tree(m: TraceModel): string[] {
  return Array.from({ length: m.spanCount }, (_, i) => `${'  '.repeat(m.depth[i])}${spanName(m, i)}`);
}

/**
 * Every structural invariant of a built model, in O(n) so it also runs on 100,000-deep chains.
 * Collects what is broken and fails with the list (an expect() per span would take minutes).
 */
function checkInvariants(m: TraceModel): void {
  const n = m.spanCount;
  const broken: string[] = [];
  const fail = (msg: string) => broken.length < 10 && broken.push(msg);
  if (m.parent.length !== n || m.depth.length !== n || m.subtreeEnd.length !== n) fail('column lengths differ from spanCount');
  // Descendant counts from the parent column alone (a parent comes before its children).
  const size = new Uint32Array(n).fill(1);
  const children = new Uint32Array(n);
  for (let k = n - 1; k >= 0; k--) {
    const p = m.parent[k];
    if (p === -1) continue;
    if (!(p >= 0 && p < k)) fail(`span ${k}: parent ${p} does not come before it (not a pre-order)`);
    else {
      size[p] += size[k];
      children[p]++;
    }
  }
  // Walking the order with a stack of open subtrees: each span's parent must be the innermost open one,
  // so every subtree [k, subtreeEnd[k]) is contiguous; with the counts above it holds exactly the descendants.
  const open: number[] = [];
  const roots: number[] = [];
  let maxDepth = 0;
  for (let k = 0; k < n; k++) {
    while (open.length > 0 && m.subtreeEnd[open[open.length - 1]] <= k) open.pop();
    const p = m.parent[k];
    const innermost = open.length > 0 ? open[open.length - 1] : -1;
    if (p !== innermost) fail(`span ${k}: parent ${p} but the enclosing subtree is ${innermost}`);
    if (m.subtreeEnd[k] !== k + size[k]) fail(`span ${k}: subtreeEnd ${m.subtreeEnd[k]}, expected ${k + size[k]}`);
    if (m.childCount[k] !== children[k]) fail(`span ${k}: childCount ${m.childCount[k]}, expected ${children[k]}`);
    if (p === -1) {
      roots.push(k);
      if (m.depth[k] !== 0) fail(`root ${k} has depth ${m.depth[k]}`);
    } else if (m.depth[k] !== m.depth[p] + 1) fail(`span ${k}: depth ${m.depth[k]}, parent depth ${m.depth[p]}`);
    maxDepth = Math.max(maxDepth, m.depth[k]);
    open.push(k);
    // Times are finite, non-negative, relative to the trace start.
    if (!(Number.isFinite(m.startNs[k]) && m.startNs[k] >= 0)) fail(`span ${k}: start ${m.startNs[k]}`);
    if (!(Number.isFinite(m.durationNs[k]) && m.durationNs[k] >= 0)) fail(`span ${k}: duration ${m.durationNs[k]}`);
    if (m.startNs[k] + m.durationNs[k] > m.traceDurationNs) fail(`span ${k} ends after the trace`);
  }
  if (n > 0 && m.parent[0] !== -1) fail('the first span is not a root');
  if (Array.from(m.roots).sort((a, b) => a - b).join() !== roots.join()) fail(`roots ${Array.from(m.roots).join()} != spans with parent -1 ${roots.join()}`);
  if (m.maxDepth !== maxDepth) fail(`maxDepth ${m.maxDepth}, expected ${maxDepth}`);
  // Siblings (children of one parent) are sorted by the start they are shown at.
  const lastChildStart = new Map<number, number>();
  for (let k = 0; k < n; k++) {
    const p = m.parent[k];
    if (p < 0) continue;
    const prev = lastChildStart.get(p);
    if (prev !== undefined && m.startNs[k] < prev) fail(`span ${k} starts at ${m.startNs[k]}, before its previous sibling (${prev})`);
    lastChildStart.set(p, m.startNs[k]);
  }
  expect(broken).toEqual([]);
}

// ---- random spans: ids from a small pool (duplicates), parents from a slightly larger pool (missing
// parents, self references, cycles), starts missing or not, durations anything a broken file holds.
const arbDuration = fc.oneof(
  fc.integer({ min: 0, max: 1_000_000 }),
  fc.constantFrom(NaN, -1, -1e9, 0, -0, Infinity, -Infinity),
  fc.double(),
);
const arbSpan = (pool: number) =>
  fc.record({
    id: fc.integer({ min: 1, max: pool }),
    parent: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: pool + 3 })),
    start: fc.option(fc.integer({ min: 0, max: 2_000_000 }), { nil: undefined }),
    duration: arbDuration,
    trace: fc.constantFrom(TRACE_A, '0000000000000000000000000000000b'),
  });
const arbSpans = fc.integer({ min: 1, max: 40 }).chain((pool) => fc.array(arbSpan(pool), { minLength: 1, maxLength: 60 }));

describe('TraceModelBuilder properties', () => {
  it('builds any span soup into valid pre-ordered models holding every span once', () => {
    fc.assert(
      fc.property(arbSpans, (spans) => {
        const c = build(spans);
        const seen: string[] = [];
        for (const m of c.traces) {
          checkInvariants(m);
          for (let k = 0; k < m.spanCount; k++) {
            seen.push(spanName(m, k));
            // Parent links follow the ids of the file whenever a parent was found.
            if (m.parent[k] >= 0) expect(m.spanIds[m.parent[k]]).toBe(m.parentSpanIds[k]);
          }
        }
        expect(seen.sort()).toEqual(spans.map((_, i) => `s${i}`).sort());
      }),
      { numRuns: 500 },
    );
  });

  it('keeps invariants with explicit setParent calls, including self and cross-links into cycles', () => {
    const arb = fc.tuple(
      fc.array(fc.record({ start: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }), duration: arbDuration }), { minLength: 1, maxLength: 30 }),
      fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 30 }),
    );
    fc.assert(
      fc.property(arb, ([spans, edges]) => {
        const b = new TraceModelBuilder('zipkin-v2');
        const handles: SpanHandle[] = spans.map((s, i) =>
          b.addSpan({ traceId: TRACE_A, spanId: hex(i + 1), name: `s${i}`, service: 'svc', start: s.start === undefined ? undefined : at(s.start), durationNs: s.duration }),
        );
        for (const [c, p] of edges) b.setParent(handles[c % handles.length], handles[p % handles.length]);
        const [m] = b.build().traces;
        checkInvariants(m);
        expect(m.spanCount).toBe(spans.length);
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent: building twice gives the same warnings', () => {
    fc.assert(
      fc.property(arbSpans, (spans) => {
        const b = new TraceModelBuilder('jaeger');
        for (const s of spans) b.addSpan({ traceId: s.trace, spanId: hex(s.id), parentSpanId: s.parent ? hex(s.parent) : '', name: 'x', service: 'svc', start: s.start === undefined ? undefined : at(s.start), durationNs: s.duration });
        const first = b.build().traces.map((m) => [m.warnings.slice(), [...m.spanWarnings]]);
        const second = b.build().traces.map((m) => [m.warnings.slice(), [...m.spanWarnings]]);
        expect(second).toEqual(first);
      }),
      { numRuns: 100 },
    );
  });
});

describe('TraceModelBuilder edge cases', () => {
  it('shows orphans as extra roots after the true root, with a warning', () => {
    //  time →   0    10   20   30
    //  A        [==============]          root
    //  B             [====]               parent A
    //  C                  [====]          parent 99: not in the trace → extra root
    //  D                       [=]        parent C
    const m = one([
      { id: 1, start: 0, duration: 30, name: 'A' },
      { id: 2, parent: 1, start: 10, duration: 10, name: 'B' },
      { id: 3, parent: 99, start: 20, duration: 10, name: 'C' },
      { id: 4, parent: 3, start: 30, duration: 1, name: 'D' },
    ]);
    expect(tree(m)).toEqual(['A', '  B', 'C', '  D']);
    expect(Array.from(m.roots)).toEqual([0, 2]);
    expect(m.orphanCount).toBe(1);
    expect(m.parentSpanIds[2]).toBe(hex(99));
    expect(m.warnings.join('\n')).toMatch(/1 span references a parent not in the trace; shown as extra roots/);
    expect(m.spanWarnings.get(2)).toEqual([`parent span ${hex(99)} is not in the trace`]);
    checkInvariants(m);
  });

  it('cuts a 2-cycle and a 3-cycle into roots at their earliest span, with a warning', () => {
    //  time →   0    10   20   30   40
    //  R        [=]                          true root
    //  X             [=========]             parent Y ┐ 2-cycle: cut at X (earliest)
    //  Y                  [====]             parent X ┘
    //  P                       [=========]   parent Q ┐
    //  Q                            [====]   parent S │ 3-cycle: cut at P (earliest)
    //  S                            [=]      parent P ┘
    const m = one([
      { id: 9, start: 0, duration: 5, name: 'R' },
      { id: 2, parent: 1, start: 20, duration: 10, name: 'Y' },
      { id: 1, parent: 2, start: 10, duration: 20, name: 'X' },
      { id: 5, parent: 3, start: 35, duration: 5, name: 'S' },
      { id: 4, parent: 5, start: 35, duration: 10, name: 'Q' },
      { id: 3, parent: 4, start: 30, duration: 20, name: 'P' },
    ]);
    expect(tree(m)).toEqual(['R', 'X', '  Y', 'P', '  S', '    Q']);
    expect(Array.from(m.roots)).toEqual([0, 1, 3]);
    expect(m.warnings.join('\n')).toMatch(/parent references form 2 cycles; cut and shown as extra roots/);
    expect(m.spanWarnings.get(1)?.[0]).toMatch(/is its own descendant \(a cycle\)/);
    expect(m.spanWarnings.get(3)?.[0]).toMatch(/is its own descendant \(a cycle\)/);
    checkInvariants(m);
  });

  it('keeps duplicate span ids: children attach to the first, the second is kept with a warning', () => {
    //  time →   0    10   20
    //  A#1      [=========]
    //  B#2 (A)    [===]         first span with id 2
    //  B'#2 (A)        [==]     same id 2: kept, warned
    //  C#3 (2)     [=]          parent 2 → the first B
    const m = one([
      { id: 1, start: 0, duration: 20, name: 'A' },
      { id: 2, parent: 1, start: 2, duration: 8, name: 'B' },
      { id: 2, parent: 1, start: 12, duration: 4, name: "B'" },
      { id: 3, parent: 2, start: 4, duration: 2, name: 'C' },
    ]);
    expect(tree(m)).toEqual(['A', '  B', '    C', "  B'"]);
    expect(m.spanIds.filter((id) => id === hex(2))).toHaveLength(2);
    expect(m.warnings.join('\n')).toMatch(/1 span has the same id as another span/);
    expect(m.spanWarnings.get(3)).toEqual([`duplicate span id ${hex(2)}`]);
    checkInvariants(m);
  });

  it('shows a self-referencing span as a root with a warning', () => {
    //  A  [====]   parent A (itself)
    const m = one([{ id: 1, parent: 1, start: 0, duration: 5, name: 'A' }]);
    expect(m.parent[0]).toBe(-1);
    expect(m.spanWarnings.get(0)).toEqual(['span names itself as its parent; shown as a root']);
    expect(m.orphanCount).toBe(1);
  });

  it('builds a 10,000-deep chain given leaf first and a 100,000-deep chain without overflowing the stack', () => {
    //  time →  0 1 2 3 …
    //  s0      [=========…]
    //  s1        [=======…]    parent s0
    //  s2          [=====…]    parent s1
    //  …                        (10,000 listed leaf first; 100,000 root first)
    const m10k = chainTrace(10_000, { leafFirst: true });
    expect(m10k.maxDepth).toBe(9_999);
    expect(spanName(m10k, 9_999)).toBe('s9999');
    expect(m10k.subtreeEnd[0]).toBe(10_000);
    checkInvariants(m10k);

    const m = chainTrace(100_000);
    expect(m.spanCount).toBe(100_000);
    expect(m.maxDepth).toBe(99_999);
    expect(m.depth[99_999]).toBe(99_999);
    expect(m.parent[99_999]).toBe(99_998);
    expect(m.subtreeEnd[0]).toBe(100_000);
    expect(m.subtreeEnd[99_999]).toBe(100_000);
    expect(m.warnings).toEqual([]);
  });

  it('places a child listed before its parent under it', () => {
    //  time →   0    10   20
    //  P        [=========]     listed second
    //  C          [====]        listed first, parent P
    const m = one([
      { id: 2, parent: 1, start: 5, duration: 10, name: 'C' },
      { id: 1, start: 0, duration: 20, name: 'P' },
    ]);
    expect(tree(m)).toEqual(['P', '  C']);
    expect(m.warnings).toEqual([]);
  });

  it('sorts siblings by start whatever the input order', () => {
    //  time →   0    10   20   30
    //  P        [==============]
    //  c3                 [==]      listed first
    //  c1         [==]
    //  c2            [==]
    const m = one([
      { id: 1, start: 0, duration: 30, name: 'P' },
      { id: 4, parent: 1, start: 20, duration: 3, name: 'c3' },
      { id: 2, parent: 1, start: 2, duration: 3, name: 'c1' },
      { id: 3, parent: 1, start: 8, duration: 3, name: 'c2' },
    ]);
    expect(tree(m)).toEqual(['P', '  c1', '  c2', '  c3']);
  });

  it('shows negative, NaN and infinite durations as 0 with warnings', () => {
    //  time →   0    10
    //  P        [=========]
    //  neg        |           duration -5   → 0
    //  nan          |         duration NaN  → 0
    //  inf            |       duration ∞    → 0
    const m = one([
      { id: 1, start: 0, duration: 10, name: 'P' },
      { id: 2, parent: 1, start: 2, duration: -5, name: 'neg' },
      { id: 3, parent: 1, start: 4, duration: NaN, name: 'nan' },
      { id: 4, parent: 1, start: 6, duration: Infinity, name: 'inf' },
    ]);
    expect(Array.from(m.durationNs)).toEqual([10, 0, 0, 0]);
    expect(m.traceDurationNs).toBe(10);
    expect(m.warnings.join('\n')).toMatch(/3 spans have a missing or negative duration; shown as 0/);
    expect(m.spanWarnings.get(1)).toEqual(['negative duration (-5 ns); shown as 0']);
    expect(m.spanWarnings.get(2)).toEqual(['no duration in the file; shown as 0']);
    expect(m.spanWarnings.get(3)?.[0]).toMatch(/duration/);
    checkInvariants(m);
  });

  it("places a span without a start at its parent's start, sorted among its siblings by that start", () => {
    //  time →   0    10   20
    //  P             [=========]     starts at 10
    //  a                 [==]        starts at 14
    //  ?             [=]             no start → at P's start (10), so before a
    //  ?? (child of ?)  [=]          no start → at ?'s start (10)
    const m = one([
      { id: 1, start: 10, duration: 10, name: 'P' },
      { id: 2, parent: 1, start: 14, duration: 3, name: 'a' },
      { id: 3, parent: 1, start: undefined, duration: 1, name: '?' },
      { id: 4, parent: 3, start: undefined, duration: 1, name: '??' },
    ]);
    expect(tree(m)).toEqual(['P', '  ?', '    ??', '  a']);
    expect(Array.from(m.startNs)).toEqual([0, 0, 0, 4]);
    expect(m.warnings.join('\n')).toMatch(/2 spans have no start time; placed at the parent's start/);
    checkInvariants(m);
  });

  it('warns about a child outside its parent (async work or clock skew) but keeps it under the parent', () => {
    //  time →   0    10   20   30
    //  P        [====]
    //  C             [=========]    parent P, ends 20 ns after P
    //  E      [=]                   parent P, starts before it (the trace start moves to E)
    const m = one([
      { id: 1, start: 10, duration: 10, name: 'P' },
      { id: 2, parent: 1, start: 20, duration: 20, name: 'C' },
      { id: 3, parent: 1, start: 5, duration: 3, name: 'E' },
    ]);
    expect(tree(m)).toEqual(['P', '  E', '  C']);
    expect(Array.from(m.startNs)).toEqual([5, 0, 15]);
    expect(m.warnings.join('\n')).toMatch(/2 spans start before or end after their parent/);
    checkInvariants(m);
  });

  it('keeps traces apart and orders them by start', () => {
    const c = build([
      { id: 1, start: 50, duration: 1, name: 'late', trace: '000000000000000000000000000000b2' },
      { id: 1, start: 10, duration: 1, name: 'early', trace: '000000000000000000000000000000b1' },
    ]);
    expect(c.traces.map((t) => spanName(t, 0))).toEqual(['early', 'late']);
  });
});
