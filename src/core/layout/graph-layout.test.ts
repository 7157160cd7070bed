import { describe, expect, it } from 'vitest';
import { defaultLayout, forceLayout, layeredLayout } from './graph-layout.ts';

describe('layeredLayout', () => {
  it('puts three requests in one layer, their publisher in the next, its workers after: left to right', () => {
    //   0 ┐        ┌ 4
    //   1 ┼→ 3 →───┼ 5
    //   2 ┘        └ 6
    const edges = [0, 1, 2].map((k) => ({ from: k, to: 3 })).concat([4, 5, 6].map((k) => ({ from: 3, to: k })));
    const g = layeredLayout({ nodeCount: 7, edges, nodeWidth: 200, nodeHeight: 64 });
    expect(new Set([g.x[0], g.x[1], g.x[2]]).size).toBe(1);
    expect(g.x[3]).toBeGreaterThan(g.x[0] + 200);
    expect(new Set([g.x[4], g.x[5], g.x[6]]).size).toBe(1);
    expect(g.x[4]).toBeGreaterThan(g.x[3] + 200);
    expect(new Set([g.y[0], g.y[1], g.y[2]]).size).toBe(3);
    for (const route of g.routes) expect(route.length).toBeGreaterThanOrEqual(2);
    expect(g.width).toBeGreaterThan(3 * 200);
  });
});

describe('forceLayout', () => {
  // 0 → 1 → 2, 0 → 3, and a 4 ⇄ 5 cycle nobody calls.
  const edges = [
    { from: 0, to: 1 },
    { from: 1, to: 2 },
    { from: 0, to: 3 },
    { from: 4, to: 5 },
    { from: 5, to: 4 },
  ];
  const g = forceLayout({ nodeCount: 6, edges, nodeWidth: 190, nodeHeight: 56 });

  it('never overlaps two nodes', () => {
    for (let a = 0; a < 6; a++)
      for (let b = a + 1; b < 6; b++) expect(Math.abs(g.x[a] - g.x[b]) >= 190 || Math.abs(g.y[a] - g.y[b]) >= 56, `${a} and ${b} overlap`).toBe(true);
  });

  it('keeps callers left of what they call', () => {
    expect(g.x[1]).toBeGreaterThan(g.x[0]);
    expect(g.x[2]).toBeGreaterThan(g.x[1]);
  });

  it('fits every node in its width and height, from the margin', () => {
    expect(Math.min(...g.x)).toBe(16);
    expect(Math.min(...g.y)).toBe(16);
    for (let n = 0; n < 6; n++) {
      expect(g.x[n] + 190).toBeLessThanOrEqual(g.width);
      expect(g.y[n] + 56).toBeLessThanOrEqual(g.height);
    }
  });

  it('routes each edge from the border of its source to the border of its target', () => {
    const [start, end] = g.routes[0];
    const onBorder = (p: { x: number; y: number }, n: number) =>
      (Math.abs(p.x - g.x[n]) < 1e-6 || Math.abs(p.x - g.x[n] - 190) < 1e-6 || Math.abs(p.y - g.y[n]) < 1e-6 || Math.abs(p.y - g.y[n] - 56) < 1e-6) &&
      p.x >= g.x[n] - 1e-6 && p.x <= g.x[n] + 190 + 1e-6 && p.y >= g.y[n] - 1e-6 && p.y <= g.y[n] + 56 + 1e-6;
    expect(onBorder(start, 0)).toBe(true);
    expect(onBorder(end, 1)).toBe(true);
  });

  it('is the same every time', () => {
    const again = forceLayout({ nodeCount: 6, edges, nodeWidth: 190, nodeHeight: 56 });
    expect([...again.x]).toEqual([...g.x]);
  });
});

describe('defaultLayout', () => {
  it('lays out in layers until a graph is big or dense, then force-directed', () => {
    expect(defaultLayout(27, 120)).toBe('layered');
    expect(defaultLayout(27, 774)).toBe('force'); // the 1M-span generated trace: almost every pair calls
    expect(defaultLayout(423, 400)).toBe('force');
  });
});
