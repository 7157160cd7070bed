// Dense integer ids for what the multi-trace analyses group by. Each load has its own StringTable, so a
// service id means nothing across loads (search results, several files): NameIds maps every table's
// local ids to one shared space, through a typed array per table, so a hot loop pays an array read per
// span rather than a string hash. PairIds numbers pairs of such ids (service + operation, parent node +
// step) in a hash table of typed arrays: a Map keyed by a * 2^k + b would box every key beyond 2^31.
import type { StringTable } from '../model/string-table.ts';

export class NameIds {
  readonly names: string[] = [];
  // An open-addressing table of ids by a hash of their name: labels built per span (a statement with its
  // literals) are new strings of several pieces, which a Map flattened and hashed in ~1.5× the time of
  // this (the Sampling lab's operations of the 1M-span bench trace).
  private hashes = new Uint32Array(64);
  private slots = new Int32Array(128).fill(-1);
  private readonly byTable = new Map<StringTable, Int32Array>();
  private lastTable: StringTable | undefined;
  private lastMap: Int32Array = new Int32Array(0);

  /** The shared id of string `localId` of `strings`. */
  of(strings: StringTable, localId: number): number {
    if (strings !== this.lastTable || localId >= this.lastMap.length) this.useTable(strings);
    const known = this.lastMap[localId];
    if (known >= 0) return known;
    return (this.lastMap[localId] = this.intern(strings.get(localId)));
  }

  intern(name: string): number {
    const hash = stringHash(name);
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = slots[slot];
      if (id < 0) return this.add(name, hash, slot);
      if (this.hashes[id] === hash && this.names[id] === name) return id;
    }
  }

  /** A new id for `name`, placed at `slot` (free) of the table. */
  private add(name: string, hash: number, slot: number): number {
    const id = this.names.length;
    this.names.push(name);
    if (id === this.hashes.length) {
      const hashes = new Uint32Array(2 * id);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.hashes[id] = hash;
    this.slots[slot] = id;
    // At most half full: the table doubles and every id is placed again by its hash.
    if (2 * (id + 1) > this.slots.length) {
      const slots = new Int32Array(2 * this.slots.length).fill(-1);
      const mask = slots.length - 1;
      for (let known = 0; known <= id; known++) {
        let at = this.hashes[known] & mask;
        while (slots[at] >= 0) at = (at + 1) & mask;
        slots[at] = known;
      }
      this.slots = slots;
    }
    return id;
  }

  private useTable(strings: StringTable): void {
    let map = this.byTable.get(strings);
    if (!map || map.length < strings.size) {
      const grown = new Int32Array(strings.size).fill(-1);
      if (map) grown.set(map);
      map = grown;
      this.byTable.set(strings, map);
    }
    this.lastTable = strings;
    this.lastMap = map;
  }
}

/**
 * Pairs of uint32 → dense ids, in an open-addressing table over typed arrays (no per-pair objects; a
 * probe reads one slot of [a, b, id + 1], so a miss-heavy million-pair table costs ~1 cache miss a lookup).
 */
export class PairIds {
  private firstOf: Uint32Array;
  private secondOf: Uint32Array;
  private table: Uint32Array;
  private count = 0;

  /** @param expected how many pairs to size for (it grows past that). */
  constructor(expected = 512) {
    this.firstOf = new Uint32Array(Math.max(16, expected));
    this.secondOf = new Uint32Array(Math.max(16, expected));
    let slots = 32;
    while (slots < expected * 2) slots *= 2;
    this.table = new Uint32Array(slots * 3);
  }

  get size(): number {
    return this.count;
  }

  /** The first / second part of pair `id`. */
  first(id: number): number {
    return this.firstOf[id];
  }

  second(id: number): number {
    return this.secondOf[id];
  }

  intern(a: number, b: number): number {
    const table = this.table;
    const mask = table.length / 3 - 1;
    for (let slot = pairHash(a, b) & mask; ; slot = (slot + 1) & mask) {
      const at = slot * 3;
      const stored = table[at + 2];
      if (stored === 0) {
        const id = this.add(a, b);
        table[at] = a;
        table[at + 1] = b;
        table[at + 2] = id + 1;
        if (this.count * 2 > mask + 1) this.rehash();
        return id;
      }
      if (table[at] === a && table[at + 1] === b) return stored - 1;
    }
  }

  private add(a: number, b: number): number {
    const id = this.count++;
    if (id === this.firstOf.length) {
      this.firstOf = grown(this.firstOf);
      this.secondOf = grown(this.secondOf);
    }
    this.firstOf[id] = a;
    this.secondOf[id] = b;
    return id;
  }

  private rehash(): void {
    const table = new Uint32Array(this.table.length * 2);
    const mask = table.length / 3 - 1;
    for (let id = 0; id < this.count; id++) {
      const a = this.firstOf[id];
      const b = this.secondOf[id];
      let slot = pairHash(a, b) & mask;
      while (table[slot * 3 + 2] !== 0) slot = (slot + 1) & mask;
      table[slot * 3] = a;
      table[slot * 3 + 1] = b;
      table[slot * 3 + 2] = id + 1;
    }
    this.table = table;
  }
}

/** FNV-1a over the UTF-16 code units. */
function stringHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

function pairHash(a: number, b: number): number {
  const h = Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b);
  return h ^ (h >>> 13);
}

function grown(from: Uint32Array): Uint32Array {
  const to = new Uint32Array(from.length * 2);
  to.set(from);
  return to;
}
