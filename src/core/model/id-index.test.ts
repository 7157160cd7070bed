import { describe, expect, it } from 'vitest';
import { f64Column } from './growable-column.ts';
import { IdIndex } from './id-index.ts';

describe('IdIndex', () => {
  it('finds the first span of each id, reports repeats, and knows what is missing', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => (i % 4000).toString(16).padStart(16, '0'));
    const index = new IdIndex(ids);
    const repeats = ids.map((_, i) => index.add(i));
    expect(repeats.slice(0, 4000).every((r) => r === undefined)).toBe(true);
    expect(repeats.slice(4000)).toEqual(Array.from({ length: 1000 }, (_, k) => k));
    expect(index.get(ids[4321])).toBe(321);
    expect(index.get('ffffffffffffffff')).toBeUndefined();
  });
});

describe('GrowableColumn', () => {
  it('keeps every value as it doubles', () => {
    const column = f64Column(2);
    for (let i = 0; i < 1000; i++) column.push(i / 2);
    expect(column.length).toBe(1000);
    expect(Array.from(column.view())).toEqual(Array.from({ length: 1000 }, (_, i) => i / 2));
  });
});
