import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../import/fixture-test-helpers.ts';
import { generatedTrace, TEST_TRACE_ID } from '../model/test-traces.ts';
import { TraceModelBuilder } from '../model/trace-model-builder.ts';
import type { TraceModel } from '../model/trace-model.ts';
import { timeline } from './analysis-test-helpers.ts';
import { computeSelfTime, topSelfTimeSpans } from './self-time.ts';

function selfTimes(drawing: string): Record<string, number> {
  const m = timeline(drawing);
  const self = computeSelfTime(m);
  return Object.fromEntries(Array.from(self, (ns, i) => [m.stores.strings.get(m.nameId[i]), ns]));
}

describe('computeSelfTime: drawn cases', () => {
  // The drawings' columns are ns: "[===]" at columns 2-6 is [2, 7).
  it('counts overlapping children once and clamps a child that outlives its parent', () => {
    expect(
      selfTimes(`
        parent  [==================]
          a        [======]
          b            [======]
          late                   [=======]
      `),
    ).toEqual({ parent: 20 - 12 - 3, a: 8, b: 8, late: 9 });
  });

  it('subtracts only direct children, nested ones count against their own parent', () => {
    expect(
      selfTimes(`
        root  [==============================]
          a     [============]
            a1    [====]
            a2          [====]
          b                   [====]
      `),
    ).toEqual({ root: 32 - 14 - 6, a: 14 - 12, a1: 6, a2: 6, b: 6 });
  });

  it('ignores children entirely outside their parent and zero-length ones', () => {
    expect(
      selfTimes(`
        root        [========]
          before  []
          after                 [==]
          zero          |
          inner         [==]
      `),
    ).toEqual({ root: 10 - 4, before: 2, after: 4, zero: 0, inner: 4 });
  });

  it('handles a child covering its whole parent, nested containment and identical siblings', () => {
    expect(
      selfTimes(`
        root  [==========]
          big [==============]
            x   [==]
            y   [==]
            z    [========]
      `),
    ).toEqual({ root: 0, big: 16 - 11, x: 4, y: 4, z: 10 });
  });
});

describe('topSelfTimeSpans', () => {
  it('returns the largest first, ties by span order, at most limit (and at most spanCount)', () => {
    const m = timeline(`
      root  [==============================]
        a     [====]
        b           [==========]
        c                         [====]
    `);
    const self = computeSelfTime(m);
    const names = (idx: Uint32Array) => Array.from(idx, (i) => m.stores.strings.get(m.nameId[i]));
    expect(names(topSelfTimeSpans(m, self))).toEqual(['b', 'root', 'a', 'c']);
    expect(names(topSelfTimeSpans(m, self, 2))).toEqual(['b', 'root']);
    expect(topSelfTimeSpans(m, self, 0).length).toBe(0);
  });
});

describe('computeSelfTime: real and generated traces', () => {
  it('spring petclinic: the customers-service handler spends most of its time outside JDBC', async () => {
    const m = (await loadFixture('real/jaeger/jaeger-ui__petclinic__spanAmongEachOtherGroupedAndSpans.json')).traces[0];
    const self = computeSelfTime(m);
    const server = m.spanIds.indexOf('6f9bbe751e5fd944');
    // 1696 µs minus the union of its 14 queries: 1849-1880, 1897-1937, 2522-2568, 2658-2677 µs.
    expect(self[server]).toBe((1696 - 31 - 40 - 46 - 19) * 1000);
    expect(self[m.spanIds.indexOf('6962df17f54c3741')]).toBe((2977 - 1696) * 1000);
    expect(self[0]).toBe((3720 - 2977) * 1000);
    const top = Array.from(topSelfTimeSpans(m, self, 4), (i) => m.spanIds[i]);
    expect(top).toEqual(['6f9bbe751e5fd944', '6962df17f54c3741', '9afcdf2e24e8d70a', '9f0a544e33b693c2']);
  });

  it('is sane on a generated 200k-span trace', () => {
    const m = generatedTrace(200_000, 11);
    const self = computeSelfTime(m);
    let broken = 0;
    for (let i = 0; i < m.spanCount; i++) {
      if (!(self[i] >= 0 && self[i] <= m.durationNs[i])) broken++;
      if (m.childCount[i] === 0 && self[i] !== m.durationNs[i]) broken++;
    }
    expect(broken).toBe(0);
    const top = topSelfTimeSpans(m, self, 50);
    expect(top.length).toBe(50);
    for (let j = 1; j < top.length; j++) expect(self[top[j]]).toBeLessThanOrEqual(self[top[j - 1]]);
    let max = 0;
    for (let i = 0; i < m.spanCount; i++) max = Math.max(max, self[i]);
    expect(self[top[0]]).toBe(max);
  });

  it('matches a sort-and-merge of the children on random traces', () => {
    const arbSpan = fc.record({ parentPick: fc.nat(), start: fc.nat(50), duration: fc.nat(50) });
    fc.assert(
      fc.property(fc.array(arbSpan, { minLength: 1, maxLength: 30 }), (spans) => {
        const b = new TraceModelBuilder('jaeger');
        spans.forEach((s, i) => {
          const parent = i === 0 ? -1 : s.parentPick % (i + 1) === i ? -1 : s.parentPick % i;
          b.addSpan({
            traceId: TEST_TRACE_ID,
            spanId: (i + 1).toString(16).padStart(16, '0'),
            parentSpanId: parent < 0 ? '' : (parent + 1).toString(16).padStart(16, '0'),
            name: `s${i}`,
            service: 's',
            start: { ms: 1e12, nsOfMs: s.start },
            durationNs: s.duration,
          });
        });
        const m = b.build().traces[0];
        expect(Array.from(computeSelfTime(m))).toEqual(referenceSelfTime(m));
        const top = topSelfTimeSpans(m, computeSelfTime(m), 5);
        const ranked = Array.from({ length: m.spanCount }, (_, i) => i).sort((x, y) => referenceSelfTime(m)[y] - referenceSelfTime(m)[x] || x - y);
        expect(Array.from(top)).toEqual(ranked.slice(0, 5));
      }),
      { numRuns: 300 },
    );
  });
});

function referenceSelfTime(m: TraceModel): number[] {
  const out: number[] = [];
  for (let p = 0; p < m.spanCount; p++) {
    const ps = m.startNs[p];
    const pe = ps + m.durationNs[p];
    const intervals: [number, number][] = [];
    for (let c = 0; c < m.spanCount; c++) {
      if (m.parent[c] !== p) continue;
      const s = Math.max(m.startNs[c], ps);
      const e = Math.min(m.startNs[c] + m.durationNs[c], pe);
      if (e > s) intervals.push([s, e]);
    }
    intervals.sort((a, b) => a[0] - b[0]);
    let covered = 0;
    let end = -Infinity;
    for (const [s, e] of intervals) {
      if (e <= end) continue;
      covered += e - Math.max(s, end);
      end = e;
    }
    out.push(m.durationNs[p] - covered);
  }
  return out;
}
