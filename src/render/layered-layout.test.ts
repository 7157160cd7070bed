import { describe, expect, it } from 'vitest';
import { layeredLayout } from './layered-layout.ts';

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
