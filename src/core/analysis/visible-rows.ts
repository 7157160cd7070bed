// Which spans are rows of the waterfall: pre-order, minus the descendants of collapsed spans, and,
// with a filter, only the spans in the include mask. One linear pass; collapsed subtrees are skipped
// in O(1) through subtreeEnd.

export interface RowTree {
  readonly subtreeEnd: Uint32Array;
  readonly depth: Uint32Array;
}

export function computeVisibleRows(tree: RowTree, collapsed: Uint8Array, include?: Uint8Array): Uint32Array {
  const n = tree.subtreeEnd.length;
  const rows = new Uint32Array(n);
  let count = 0;
  for (let i = 0; i < n; ) {
    if (include && !include[i]) {
      // Not a match and no match below it: its whole subtree is out (include marks ancestors of matches).
      i = tree.subtreeEnd[i];
      continue;
    }
    rows[count++] = i;
    i = collapsed[i] ? tree.subtreeEnd[i] : i + 1;
  }
  return rows.slice(0, count);
}

/** A collapsed mask that shows spans down to `maxDepth` (0 = roots only). */
export function collapseBelowDepth(tree: RowTree, maxDepth: number): Uint8Array {
  const n = tree.subtreeEnd.length;
  const collapsed = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (tree.depth[i] === maxDepth && tree.subtreeEnd[i] > i + 1) collapsed[i] = 1;
  return collapsed;
}

/** Collapses every span that has children. */
export function collapseAll(tree: RowTree): Uint8Array {
  const n = tree.subtreeEnd.length;
  const collapsed = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (tree.subtreeEnd[i] > i + 1) collapsed[i] = 1;
  return collapsed;
}

/** Expands the ancestors of span i so it becomes a row. */
export function revealSpan(parent: Int32Array, collapsed: Uint8Array, i: number): Uint8Array {
  let changed: Uint8Array | undefined;
  for (let p = parent[i]; p >= 0; p = parent[p]) {
    if (collapsed[p]) {
      changed ??= collapsed.slice();
      changed[p] = 0;
    }
  }
  return changed ?? collapsed;
}
