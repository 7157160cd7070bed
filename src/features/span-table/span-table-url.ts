// The span table's part of the URL (its keys are listed in its registry entry): the sort column and
// direction (`ssort=-duration`: longest first, the default), the filter text and "errors only".
import { SPAN_TABLE_COLUMNS, type SpanTableQuery } from '../../core/analysis/span-table.ts';
import { setOrDelete, type UrlEdit } from '../../state/url.ts';

export const SPAN_TABLE_URL_KEYS = ['ssort', 'sfilter', 'serrors'] as const;

const DEFAULT_SORT = '-duration';

export function readSpanTableParams(search: string): SpanTableQuery {
  const p = new URLSearchParams(search);
  const sort = p.get('ssort') ?? DEFAULT_SORT;
  const descending = sort.startsWith('-');
  const column = SPAN_TABLE_COLUMNS.find((c) => c === sort.replace(/^-/, ''));
  return {
    sort: column ?? 'duration',
    descending: column ? descending : true,
    filter: p.get('sfilter') ?? '',
    errorsOnly: p.get('serrors') === '1',
  };
}

export function spanTableParamsEdit(v: SpanTableQuery): UrlEdit {
  return ({ searchParams: params }) => {
    const sort = `${v.descending ? '-' : ''}${v.sort}`;
    setOrDelete(params, 'ssort', sort === DEFAULT_SORT ? undefined : sort);
    setOrDelete(params, 'sfilter', v.filter || undefined);
    setOrDelete(params, 'serrors', v.errorsOnly ? '1' : undefined);
  };
}
