// A column header that sorts its table: a button with the column's name and ▼/▲ on the sorted one.
import { ariaSortOf, type SortState } from './sort-state.ts';

interface Props<K extends string> {
  readonly column: K;
  readonly label: string;
  readonly sort: SortState<K>;
  onSort(column: K): void;
  readonly align?: 'left' | 'right';
  readonly title?: string;
  readonly testId?: string;
  /** Extra classes of the button (e.g. `uppercase` where the header row is not). */
  readonly buttonClassName?: string;
  /** An order with no direction to show (tree order): no arrow. */
  readonly directionless?: boolean;
}

export function SortableHeader<K extends string>({ column, label, sort, onSort, align = 'right', title, testId, buttonClassName, directionless = false }: Props<K>) {
  const sorted = sort.key === column;
  return (
    <th scope="col" title={title} className={`px-3 py-2 font-medium ${align === 'left' ? 'text-left' : 'text-right'}`} aria-sort={ariaSortOf(sort, column)}>
      <button type="button" data-testid={testId} className={buttonClassName ? `${buttonClassName} hover:text-sky-600` : 'hover:text-sky-600'} onClick={() => onSort(column)}>
        {label} {sorted && !directionless ? (sort.descending ? '▼' : '▲') : ''}
      </button>
    </th>
  );
}
