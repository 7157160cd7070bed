import { describe, expect, it } from 'vitest';
import { chainTrace } from '../model/test-traces.ts';
import { collapseAll, collapseBelowDepth, computeVisibleRows, revealSpan } from './visible-rows.ts';

// The tree used below, in pre-order (index: depth):
//   0 A
//   1   B
//   2     C
//   3     D
//   4   E
//   5     F
//   6 G          (a second root)
const tree = {
  subtreeEnd: Uint32Array.from([6, 4, 3, 4, 6, 6, 7]),
  depth: Uint32Array.from([0, 1, 2, 2, 1, 2, 0]),
};
const parent = Int32Array.from([-1, 0, 1, 1, 0, 4, -1]);

describe('computeVisibleRows', () => {
  it('shows every span when nothing is collapsed', () => {
    expect([...computeVisibleRows(tree, new Uint8Array(7))]).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('skips the subtree of a collapsed span but keeps the span', () => {
    const collapsed = new Uint8Array(7);
    collapsed[1] = 1; // B hides C and D
    expect([...computeVisibleRows(tree, collapsed)]).toEqual([0, 1, 4, 5, 6]);
  });

  it('keeps only included spans (matches and their ancestors)', () => {
    const include = Uint8Array.from([1, 0, 0, 0, 1, 1, 0]); // F matched: A, E, F
    expect([...computeVisibleRows(tree, new Uint8Array(7), include)]).toEqual([0, 4, 5]);
  });

  it('collapse-all leaves the roots; collapse below depth 1 leaves A, B, E, G', () => {
    expect([...computeVisibleRows(tree, collapseAll(tree))]).toEqual([0, 6]);
    expect([...computeVisibleRows(tree, collapseBelowDepth(tree, 1))]).toEqual([0, 1, 4, 6]);
  });

  it('reveals a hidden span by expanding its ancestors only', () => {
    const collapsed = collapseAll(tree);
    const revealed = revealSpan(parent, collapsed, 3);
    expect([...computeVisibleRows(tree, revealed)]).toEqual([0, 1, 2, 3, 4, 6]);
    expect(revealed[4]).toBe(1);
  });

  it('handles a 100,000-deep chain in one pass', () => {
    const n = 100_000;
    const deep = chainTrace(n);
    const collapsed = new Uint8Array(n);
    collapsed[50_000] = 1;
    expect(computeVisibleRows(deep, collapsed).length).toBe(50_001);
  });
});
