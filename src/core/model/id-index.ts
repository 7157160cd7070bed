// Span id → first span with that id, for a million ids: an open-addressing table over typed arrays.
// A Map of a million fresh strings spends most of its time growing and rehashing in the JS heap.

export class IdIndex {
  private readonly slots: Int32Array;
  private readonly mask: number;

  /** @param ids the spans' ids by index (the table stores indices into it). */
  constructor(private readonly ids: readonly string[]) {
    let size = 1024;
    while (size < ids.length * 2) size *= 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
  }

  /** The index of the first span with this id, or undefined. */
  get(id: string): number | undefined {
    for (let slot = hashOf(id) & this.mask; ; slot = (slot + 1) & this.mask) {
      const i = this.slots[slot];
      if (i < 0) return undefined;
      if (this.ids[i] === id) return i;
    }
  }

  /** Adds span i unless an earlier span has its id; returns that earlier span's index, if any. */
  add(i: number): number | undefined {
    const id = this.ids[i];
    for (let slot = hashOf(id) & this.mask; ; slot = (slot + 1) & this.mask) {
      const j = this.slots[slot];
      if (j < 0) {
        this.slots[slot] = i;
        return undefined;
      }
      if (this.ids[j] === id) return j;
    }
  }
}

function hashOf(s: string): number {
  let hash = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) hash = Math.imul(hash ^ s.charCodeAt(i), 16777619);
  return hash ^ (hash >>> 15);
}
