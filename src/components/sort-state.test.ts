import { describe, expect, it } from 'vitest';
import { ariaSortOf, nextSort, type SortState } from './sort-state.ts';

type Key = 'name' | 'count' | 'total';

describe('nextSort', () => {
  const byCount: SortState<Key> = { key: 'count', descending: true };

  it('a click on the sorted column flips its direction', () => {
    expect(nextSort(byCount, 'count', ['name'])).toEqual({ key: 'count', descending: false });
    expect(nextSort({ key: 'name', descending: false }, 'name', ['name'])).toEqual({ key: 'name', descending: true });
  });

  it('another column starts biggest first, a name column A→Z', () => {
    expect(nextSort(byCount, 'total', ['name'])).toEqual({ key: 'total', descending: true });
    expect(nextSort(byCount, 'name', ['name'])).toEqual({ key: 'name', descending: false });
  });
});

describe('ariaSortOf', () => {
  it('names the direction of the sorted column only', () => {
    expect(ariaSortOf<Key>({ key: 'count', descending: true }, 'count')).toBe('descending');
    expect(ariaSortOf<Key>({ key: 'count', descending: false }, 'count')).toBe('ascending');
    expect(ariaSortOf<Key>({ key: 'count', descending: true }, 'name')).toBe('none');
  });
});
