// The sort of a table: which column, which way. A click on the sorted column flips it; a click on
// another starts with the biggest first, except for the columns read in order (names, tree order).
import { useState } from 'react';

export interface SortState<K extends string> {
  readonly key: K;
  readonly descending: boolean;
}

/** The sort after a click on column `key`; `ascendingFirst` lists the columns that start A→Z. */
export function nextSort<K extends string>(sort: SortState<K>, key: K, ascendingFirst: readonly K[]): SortState<K> {
  return { key, descending: sort.key === key ? !sort.descending : !ascendingFirst.includes(key) };
}

export function ariaSortOf<K extends string>(sort: SortState<K>, key: K): 'ascending' | 'descending' | 'none' {
  if (sort.key !== key) return 'none';
  return sort.descending ? 'descending' : 'ascending';
}

export function useSortState<K extends string>(initial: SortState<K>, ascendingFirst: readonly K[]): readonly [SortState<K>, (key: K) => void] {
  const [sort, setSort] = useState(initial);
  return [sort, (key: K) => setSort((current) => nextSort(current, key, ascendingFirst))] as const;
}
