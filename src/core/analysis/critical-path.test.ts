import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../import/fixture-test-helpers.ts';
import { knownEntry } from '../known-entry.ts';
import { chainTrace, generatedTrace, TEST_TRACE_ID } from '../model/test-traces.ts';
import { TraceModelBuilder } from '../model/trace-model-builder.ts';
import { spanName, type TraceModel } from '../model/trace-model.ts';
import { spanNamed, timeline } from './analysis-test-helpers.ts';
import { blocksParent, computeCriticalPath, computeCriticalPathFrom, criticalTimeNs, type CriticalPath } from './critical-path.ts';

/** The path as "name start-end" lines, in time order. */
function pathText(model: TraceModel, path: CriticalPath): string[] {
  return Array.from(path.spanIndex, (i, j) => `${spanName(model, i)} ${path.startNs[j]}-${path.endNs[j]}`);
}

/**
 * What holds for every critical path: segments tile the root's interval back to back, each lies inside
 * its span, and onPath marks exactly the spans that own a segment. O(n), so it runs on big traces.
 */
function checkPath(model: TraceModel, path: CriticalPath, root = model.roots[0]): void {
  const broken: string[] = [];
  const fail = (msg: string) => broken.length < 10 && broken.push(msg);
  const n = path.spanIndex.length;
  const rootEnd = model.startNs[root] + model.durationNs[root];
  if (model.durationNs[root] > 0 && n === 0) fail('no segments');
  if (n > 0 && path.startNs[0] !== model.startNs[root]) fail(`first segment starts at ${path.startNs[0]}`);
  if (n > 0 && path.endNs[n - 1] !== rootEnd) fail(`last segment ends at ${path.endNs[n - 1]}, root ends at ${rootEnd}`);
  const owns = new Uint8Array(model.spanCount);
  for (let j = 0; j < n; j++) {
    const i = path.spanIndex[j];
    owns[i] = 1;
    if (!(path.endNs[j] > path.startNs[j])) fail(`segment ${j} is empty`);
    if (j > 0 && path.startNs[j] !== path.endNs[j - 1]) fail(`gap or overlap before segment ${j}`);
    if (path.startNs[j] < model.startNs[i] || path.endNs[j] > model.startNs[i] + model.durationNs[i]) fail(`segment ${j} is outside span ${i}`);
    if (i < root || i >= model.subtreeEnd[root]) fail(`segment ${j}: span ${i} is not under the root`);
  }
  for (let i = 0; i < model.spanCount; i++) if (owns[i] !== path.onPath[i]) fail(`onPath[${i}] = ${path.onPath[i]}`);
  expect(broken).toEqual([]);
}

function criticalPathText(drawing: string): string[] {
  const m = timeline(drawing);
  const path = computeCriticalPath(m);
  checkPath(m, path);
  return pathText(m, path);
}

describe('computeCriticalPath: drawn cases', () => {
  // Columns are ns: "[===]" at columns 2-6 is the interval [2, 7).
  it('walks back-to-back sequential children (Jaeger UI would give b to the root)', () => {
    expect(
      criticalPathText(`
        root  [============================]
          a     [======]
          b             [========]
          c                       [====]
      `),
    ).toEqual(['root 0-2', 'a 2-10', 'b 10-20', 'c 20-26', 'root 26-30']);
  });

  it('takes the last finishing of overlapping children, then returns to the parent at its start', () => {
    // Jaeger UI's test2, scaled: A overlaps C, so after C the path goes back to X at C's start.
    expect(
      criticalPathText(`
        X   [======================================]
          A     [==============]
          C         [==================]
      `),
    ).toEqual(['X 0-8', 'C 8-28', 'X 28-40']);
  });

  it('then picks the child that finished last before that start (d and a overlap the point: skipped)', () => {
    expect(
      criticalPathText(`
        root  [======================================]
          a     [====]
          b        [==]
          c                [==========]
          d                    [==]
      `),
    ).toEqual(['root 0-5', 'b 5-9', 'root 9-13', 'c 13-25', 'root 25-40']);
  });

  it('clamps a child that outlives its parent, and one that starts before it', () => {
    expect(
      criticalPathText(`
        root  [==================]
          a   [=======]
            late    [=================]
          b              [====]
            early     [====]
      `),
    ).toEqual(['a 0-6', 'late 6-9', 'root 9-11', 'early 11-14', 'b 14-17', 'root 17-20']);
  });

  it('drops children entirely outside their parent, with their subtrees (Jaeger UI test9)', () => {
    expect(
      criticalPathText(`
        A                 [========]
          B     [=]
            B1   [============]
          C                             [===]
      `),
    ).toEqual(['A 10-20']);
  });

  it('does not wait for a FOLLOWS_FROM child or anything under it', () => {
    expect(
      criticalPathText(`
        root  [==================]
          a      [========]          follows
            a1     [===]
          b   [==]
      `),
    ).toEqual(['b 0-4', 'root 4-20']);
  });

  it('does not wait for producer / consumer children (async messaging)', () => {
    expect(
      criticalPathText(`
        root  [==================]
          send   [=]                        kind=producer
            recv      [===============]     kind=consumer svc=worker
          call            [====]            kind=client
      `),
    ).toEqual(['root 0-12', 'call 12-18', 'root 18-20']);
  });

  it('descends through nested spans and climbs back at each start', () => {
    expect(
      criticalPathText(`
        root  [========================================]
          a     [================]
            a1    [===]
            a2         [======]
              a21        [==]
          b                       [==========]
            b1                       [===]
      `),
    ).toEqual([
      'root 0-2', 'a 2-4', 'a1 4-9', 'a2 9-11', 'a21 11-15', 'a2 15-17', 'a 17-20',
      'b 20-23', 'b1 23-28', 'b 28-32', 'root 32-42',
    ]);
  });

  it('skips zero-length children; a zero-length root has an empty path', () => {
    expect(
      criticalPathText(`
        root  [========]
          z        |
      `),
    ).toEqual(['root 0-10']);
    const lone = timeline(`
      root |
    `);
    const path = computeCriticalPath(lone);
    expect(path.spanIndex.length).toBe(0);
    expect(Array.from(path.onPath)).toEqual([0]);
  });

  it('uses the first root of a trace with orphans; computeCriticalPathFrom takes any subtree', () => {
    const m = timeline(`
      root    [========]
        a        [=]
      orphan          [========]    orphan
        o1               [==]
    `);
    expect(pathText(m, computeCriticalPath(m))).toEqual(['root 0-3', 'a 3-6', 'root 6-10']);
    const fromOrphan = computeCriticalPathFrom(m, spanNamed(m, 'orphan'));
    checkPath(m, fromOrphan, spanNamed(m, 'orphan'));
    expect(pathText(m, fromOrphan)).toEqual(['orphan 8-11', 'o1 11-15', 'orphan 15-18']);
    expect(pathText(m, computeCriticalPathFrom(m, spanNamed(m, 'a')))).toEqual(['a 3-6']);
    expect(computeCriticalPathFrom(m, 99).spanIndex.length).toBe(0);
  });

  it('adds up the time each span owns', () => {
    const m = timeline(`
      X   [======================================]
        A     [==============]
        C         [==================]
    `);
    expect(Array.from(criticalTimeNs(m, computeCriticalPath(m)))).toEqual([20, 0, 20]);
  });
});

describe('blocksParent', () => {
  it('is false for FOLLOWS_FROM children and messaging spans, true otherwise', () => {
    const m = timeline(`
      root  [==========]
        a    [=]          follows
        b    [=]          kind=producer
        c    [=]          kind=consumer
        d    [=]          kind=client
        e    [=]          kind=server svc=other
    `);
    expect(['root', 'a', 'b', 'c', 'd', 'e'].map((n) => blocksParent(m, spanNamed(m, n)))).toEqual([true, false, false, false, true, true]);
  });

  it('ignores a FOLLOWS_FROM link to a span other than the parent', () => {
    const b = new TraceModelBuilder('jaeger');
    const span = (id: string, parent: string, start: number) =>
      b.addSpan({ traceId: TEST_TRACE_ID, spanId: id, parentSpanId: parent, name: id, service: 's', start: { ms: 1e12, nsOfMs: start }, durationNs: 10 });
    span('0000000000000001', '', 0);
    span('0000000000000002', '0000000000000001', 1);
    span('0000000000000003', '0000000000000001', 2);
    b.addLink(TEST_TRACE_ID, '0000000000000002', 'follows_from');
    const m = b.build().traces[0];
    expect(blocksParent(m, spanNamed(m, '0000000000000003'))).toBe(true);
  });
});

describe('computeCriticalPath: real traces', () => {
  it('spring petclinic (Jaeger): gateway → client → customers-service → JDBC calls', async () => {
    const m = (await loadFixture('real/jaeger/jaeger-ui__petclinic__spanAmongEachOtherGroupedAndSpans.json')).traces[0];
    const path = computeCriticalPath(m);
    checkPath(m, path);
    const us = (ns: number) => ns / 1000;
    expect(Array.from(path.spanIndex, (i, j) => `${m.spanIds[i]} ${us(path.startNs[j])}-${us(path.endNs[j])}`)).toEqual([
      '9afcdf2e24e8d70a 0-376', // api-gateway GET /api/customer/owners (server)
      '6962df17f54c3741 376-1016', // api-gateway GET /owners (client)
      '6f9bbe751e5fd944 1016-1849', // customers-service GET /owners (server)
      'd293d7d80690ce74 1849-1880', // the first query; the 8 that overlap it are skipped
      '6f9bbe751e5fd944 1880-1897',
      '0000000000000001 1897-1937', // three queries 1897-1937: the first of them
      '6f9bbe751e5fd944 1937-2522',
      '9f0a544e33b693c2 2522-2568',
      '6f9bbe751e5fd944 2568-2658',
      'c045fb92504eb97f 2658-2677',
      '6f9bbe751e5fd944 2677-2712',
      '6962df17f54c3741 2712-3353',
      '9afcdf2e24e8d70a 3353-3720',
    ]);
  });

  it('Zipkin messaging: the producer and its consumer do not hold up the server', async () => {
    const m = (await loadFixture('real/zipkin/zipkin__messaging.json')).traces[0];
    const path = computeCriticalPath(m);
    checkPath(m, path);
    expect(pathText(m, path)).toEqual([`get / 0-${m.durationNs[0]}`]);
  });

  it('Jaeger issue 115: a FOLLOWS_FROM-only child is off the path', async () => {
    const m = (await loadFixture('real/jaeger/jaeger-ui__issue115-follows-from__2992f2a5b5d037a8aabffd08ef384237.json')).traces[0];
    const path = computeCriticalPath(m);
    expect(Array.from(path.onPath)).toEqual([1, 0]);
    expect(path.endNs[0] - path.startNs[0]).toBe(m.durationNs[0]);
  });
});

describe('computeCriticalPath: scale and random traces', () => {
  it('walks a 100,000-deep chain without recursion', () => {
    const n = 100_000;
    const m = chainTrace(n);
    const path = computeCriticalPath(m);
    checkPath(m, path);
    expect(path.spanIndex.length).toBe(2 * n - 1);
    expect(path.spanIndex[n - 1]).toBe(n - 1);
  });

  it('gives a sane path on a generated 200k-span trace', () => {
    const m = generatedTrace(200_000, 7);
    const path = computeCriticalPath(m);
    checkPath(m, path);
    let onPath = 0;
    for (let i = 0; i < m.spanCount; i++) onPath += path.onPath[i];
    expect(onPath).toBeGreaterThan(1);
    expect(onPath).toBeLessThan(m.spanCount);
    // Nothing below a non-blocking child is on the path.
    for (let j = 0; j < path.spanIndex.length; j++) {
      for (let i = path.spanIndex[j]; i !== m.roots[0]; i = m.parent[i]) if (!blocksParent(m, i)) throw new Error(`span ${i} is non-blocking`);
    }
  });

  it('matches a direct transcription of the algorithm on random traces', () => {
    const arbSpan = fc.record({ parentPick: fc.nat(), start: fc.nat(40), duration: fc.nat(40), async: fc.nat(9) });
    fc.assert(
      fc.property(fc.array(arbSpan, { minLength: 1, maxLength: 25 }), (spans) => {
        const b = new TraceModelBuilder('jaeger');
        spans.forEach((s, i) => {
          const parent = i === 0 ? -1 : s.parentPick % i;
          b.addSpan({
            traceId: TEST_TRACE_ID,
            spanId: (i + 1).toString(16).padStart(16, '0'),
            parentSpanId: parent < 0 ? '' : (parent + 1).toString(16).padStart(16, '0'),
            name: `s${i}`,
            service: 's',
            kind: s.async === 0 ? 'producer' : undefined,
            start: { ms: 1e12, nsOfMs: s.start },
            durationNs: s.duration,
          });
          if (s.async === 1 && parent >= 0) b.addLink(TEST_TRACE_ID, (parent + 1).toString(16).padStart(16, '0'), 'follows_from');
        });
        const m = b.build().traces[0];
        const path = computeCriticalPath(m);
        checkPath(m, path);
        expect(pathText(m, path)).toEqual(referencePath(m));
      }),
      { numRuns: 300 },
    );
  });
});

/** The algorithm as the module comment states it, with no care for speed: O(n²), fine for tiny traces. */
function referencePath(m: TraceModel): string[] {
  const root = m.roots[0];
  const s = new Map<number, number>();
  const e = new Map<number, number>();
  s.set(root, m.startNs[root]);
  e.set(root, m.startNs[root] + m.durationNs[root]);
  for (let i = root + 1; i < m.subtreeEnd[root]; i++) {
    const p = m.parent[i];
    if (!s.has(p) || !blocksParent(m, i)) continue;
    const cs = Math.max(m.startNs[i], knownEntry(s, p));
    const ce = Math.min(m.startNs[i] + m.durationNs[i], knownEntry(e, p));
    if (ce > cs) {
      s.set(i, cs);
      e.set(i, ce);
    }
  }
  const out: string[] = [];
  const visited = new Set<number>();
  let cur = root;
  let point = knownEntry(e, root);
  for (;;) {
    let best = -1;
    for (const [c] of s) {
      if (m.parent[c] !== cur || visited.has(c) || knownEntry(e, c) > point) continue;
      if (best < 0 || knownEntry(e, c) > knownEntry(e, best) || (knownEntry(e, c) === knownEntry(e, best) && c < best)) best = c;
    }
    if (best >= 0) {
      visited.add(best);
      if (point > knownEntry(e, best)) out.push(`${spanName(m, cur)} ${e.get(best)}-${point}`);
      cur = best;
      point = knownEntry(e, best);
      continue;
    }
    if (point > knownEntry(s, cur)) out.push(`${spanName(m, cur)} ${s.get(cur)}-${point}`);
    if (cur === root) break;
    point = knownEntry(s, cur);
    cur = m.parent[cur];
  }
  return out.reverse();
}
