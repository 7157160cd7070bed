// The merged trees (flamegraph call tree, trace comparison) are built node by node, each parent before
// its children. This puts such a tree in pre-order with its siblings sorted, without recursion.

export interface TreeOrder {
  /** Created node → its pre-order position. */
  readonly position: Uint32Array;
  /** Pre-order position → created node. */
  readonly node: Uint32Array;
  /** Per created node: itself and its descendants. */
  readonly subtreeSize: Uint32Array;
}

/**
 * @param parent per created node, its parent's creation index (always smaller) or -1 for a root
 * @param compare orders siblings (roots among themselves too)
 */
export function preorder(parent: Int32Array, count: number, compare: (a: number, b: number) => number): TreeOrder {
  const subtreeSize = new Uint32Array(count).fill(1);
  for (let c = count - 1; c >= 0; c--) if (parent[c] >= 0) subtreeSize[parent[c]] += subtreeSize[c];
  // Children of each node, the roots under the extra slot `count`; sorted; then a stack walk.
  const slotOf = (c: number) => (parent[c] < 0 ? count : parent[c]);
  const offset = new Uint32Array(count + 2);
  for (let c = 0; c < count; c++) offset[slotOf(c) + 1]++;
  for (let k = 0; k <= count; k++) offset[k + 1] += offset[k];
  const children = new Uint32Array(count);
  const fill = offset.slice(0, count + 1);
  for (let c = 0; c < count; c++) children[fill[slotOf(c)]++] = c;
  for (let k = 0; k <= count; k++) if (offset[k + 1] - offset[k] > 1) children.subarray(offset[k], offset[k + 1]).sort(compare);

  const position = new Uint32Array(count);
  const node = new Uint32Array(count);
  const stack = new Uint32Array(count);
  let top = 0;
  const pushChildren = (slot: number) => {
    for (let k = offset[slot + 1]; k > offset[slot]; k--) stack[top++] = children[k - 1];
  };
  pushChildren(count);
  for (let next = 0; top > 0; next++) {
    const c = stack[--top];
    position[c] = next;
    node[next] = c;
    pushChildren(c);
  }
  return { position, node, subtreeSize };
}
