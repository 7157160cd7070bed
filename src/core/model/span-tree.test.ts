import { describe, expect, it } from 'vitest';
import { childLists, indexSpanIds, preOrder, preOrderCuttingCycles, resolveParents, rootCandidates, sortChildrenByStart } from './span-tree.ts';

const byIndex = (a: number, b: number) => a - b;

describe('indexSpanIds', () => {
  it('lists later spans with a taken id as duplicates, except a Zipkin shared half under its client', () => {
    //  insertion  id   explicit parent
    //  0          a
    //  1          b
    //  2          a    -            ← duplicate of 0
    //  3          b    1            ← the server half sharing its client's id: not a duplicate
    const explicit = Int32Array.from([-1, -1, -1, 1]);
    const { idIndex, duplicates } = indexSpanIds(['a', 'b', 'a', 'b'], explicit);
    expect(duplicates).toEqual([2]);
    expect(idIndex.get('a')).toBe(0);
    expect(idIndex.get('b')).toBe(1);
  });
});

describe('resolveParents', () => {
  it('resolves parent ids to the first span with that id, and turns missing or self parents into orphans', () => {
    //  insertion  id  parent id
    //  0          r   ''          root
    //  1          c   r
    //  2          x   gone        parent not in the trace → orphan
    //  3          s   s           names itself → orphan
    //  4          e   (explicit 1, parent id ignored)
    const ids = ['r', 'c', 'x', 's', 'e'];
    const explicit = Int32Array.from([-1, -1, -1, -1, 1]);
    const { parentOf, orphans } = resolveParents(explicit, ['', 'r', 'gone', 's', 'whatever'], indexSpanIds(ids, explicit).idIndex);
    expect(Array.from(parentOf)).toEqual([-1, 0, -1, -1, 1]);
    expect(orphans).toEqual([
      { span: 2, message: 'parent span gone is not in the trace' },
      { span: 3, message: 'span names itself as its parent; shown as a root' },
    ]);
  });
});

describe('childLists', () => {
  it('lists each span\'s children in insertion order', () => {
    //  0 ─┬─ 2
    //     └─ 3
    //  1 ─── 4
    const lists = childLists(Int32Array.from([-1, -1, 0, 0, 1]));
    expect(Array.from(lists.offset)).toEqual([0, 2, 3, 3, 3, 3]);
    expect(Array.from(lists.children)).toEqual([2, 3, 4]);
  });
});

describe('preOrderCuttingCycles', () => {
  it('walks from the roots, then cuts each cycle at its earliest span and walks on from there', () => {
    //  0 (root) ── 1
    //  2 under 4, 3 under 2, 4 under 3: a cycle no root reaches; 3 starts first (by compare)
    //  5 under 4
    const parentOf = Int32Array.from([-1, 0, 4, 2, 3, 4]);
    const lists = childLists(parentOf);
    const earliestFirst = (a: number, b: number) => [9, 9, 5, 1, 7, 9][a] - [9, 9, 5, 1, 7, 9][b] || a - b;
    const { order, cuts } = preOrderCuttingCycles(rootCandidates(parentOf), lists, parentOf, earliestFirst);
    expect(cuts).toEqual([3]);
    //  cut at 3:  3 → 4 → {2, 5}
    expect(Array.from(order)).toEqual([0, 1, 3, 4, 2, 5]);
  });

  it('finds no cuts in a tree, and handles a 100,000-deep chain without recursion', () => {
    const n = 100_000;
    const parentOf = Int32Array.from({ length: n }, (_, i) => i - 1);
    const { order, cuts } = preOrderCuttingCycles(rootCandidates(parentOf), childLists(parentOf), parentOf, byIndex);
    expect(cuts).toEqual([]);
    expect(order[n - 1]).toBe(n - 1);
  });
});

describe('sortChildrenByStart + preOrder', () => {
  it('orders siblings by start, ties by insertion, and walks the roots in the order given', () => {
    //  time →      0    10   20   30
    //  0 root      [==============]
    //  1   c              [==]         listed first
    //  2   a        [==]
    //  3   b        [==]               same start as a: after it (inserted later)
    //  4 other root  (given first)
    const parentOf = Int32Array.from([-1, 0, 0, 0, -1]);
    const lists = childLists(parentOf);
    sortChildrenByStart(lists, Float64Array.from([0, 20, 5, 5, 0]));
    expect(Array.from(preOrder([4, 0], lists, parentOf))).toEqual([4, 0, 2, 3, 1]);
  });
});
