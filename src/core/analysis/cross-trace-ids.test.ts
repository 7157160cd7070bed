import { describe, expect, it } from 'vitest';
import { StringTable } from '../model/string-table.ts';
import { NameIds, PairIds } from './cross-trace-ids.ts';

describe('PairIds', () => {
  it('numbers pairs densely in first-seen order, through many rehashes', () => {
    const ids = new PairIds();
    const n = 50_000;
    for (let k = 0; k < n; k++) expect(ids.intern(k % 997, k)).toBe(k);
    for (let k = 0; k < n; k += 7) expect(ids.intern(k % 997, k)).toBe(k);
    expect([ids.size, ids.first(1234), ids.second(1234)]).toEqual([n, 1234 % 997, 1234]);
    expect(ids.intern(0xffffffff, 0xffffffff)).toBe(n);
  });
});

describe('NameIds', () => {
  it('gives equal strings of different tables one id', () => {
    const a = new StringTable();
    const b = new StringTable();
    a.intern('x');
    a.intern('y');
    b.intern('y');
    const names = new NameIds();
    expect([names.of(a, 0), names.of(a, 1), names.of(b, 0), names.of(a, 1)]).toEqual([0, 1, 1, 1]);
    b.intern('z'); // a table that grew since it was first seen
    expect(names.of(b, 1)).toBe(2);
    expect(names.names).toEqual(['x', 'y', 'z']);
  });

  it('numbers names densely in first-seen order through many regrowths, however a name was built', () => {
    const names = new NameIds();
    const n = 30_000;
    for (let k = 0; k < n; k++) expect(names.intern(`GET /items/${k}`)).toBe(k);
    // Equal text from other pieces (a concatenation, a slice) finds the same id; '' and non-ASCII are names too.
    for (let k = 0; k < n; k += 7) expect(names.intern('GET' + ' /items/' + String(k))).toBe(k);
    expect(names.intern('xGET /items/5'.slice(1))).toBe(5);
    expect([names.intern(''), names.intern('ünïcode ✓'), names.intern(''), names.intern('ünïcode ✓')]).toEqual([n, n + 1, n, n + 1]);
    expect(names.names.length).toBe(n + 2);
  });
});
