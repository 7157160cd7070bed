// The span table's order: every span of a trace, filtered (text in its service, label or name; errors
// only) and sorted by a column, as one array of span indices. No object per span: string columns sort by
// the rank of their distinct values, so a million spans are one numeric sort.
import { isErrorSpan, STATUS_ERROR, type TraceModel } from '../model/trace-model.ts';
import type { SpanLabels } from './span-label.ts';

export const SPAN_TABLE_COLUMNS = ['service', 'name', 'duration', 'self', 'start', 'error'] as const;
export type SpanTableColumn = (typeof SPAN_TABLE_COLUMNS)[number];

export interface SpanTableQuery {
  readonly sort: SpanTableColumn;
  readonly descending: boolean;
  /** Case-insensitive text in the span's service, label or raw name; '' keeps every span. */
  readonly filter: string;
  readonly errorsOnly: boolean;
}

/** Rank of each value in name order, case aside: rank[k] is the place of values[k] among the distinct values. */
function ranks(values: readonly string[]): Uint32Array {
  // The distinct lower-cased values sorted by the engine's own string order (no comparator: a collator
  // or a JS comparator took seconds over 200k distinct labels).
  const keys = values.map((v) => v.toLowerCase());
  const rankOf = new Map<string, number>();
  [...new Set(keys)].sort().forEach((key, rank) => rankOf.set(key, rank));
  return Uint32Array.from(keys, (key) => rankOf.get(key) ?? 0);
}

/** Whether value k holds `needle` (already lower-case), tested once per value on first ask. */
function matcher(count: number, valueOf: (k: number) => string, needle: string): (k: number) => boolean {
  const known = new Int8Array(count).fill(-1);
  return (k) => {
    if (known[k] < 0) known[k] = valueOf(k).toLowerCase().includes(needle) ? 1 : 0;
    return known[k] === 1;
  };
}

/**
 * The spans of `model` the query keeps, in its order; ties keep the trace's pre-order (parents first,
 * then by start), whichever way the sort goes.
 */
export function spanTableOrder(model: TraceModel, labels: SpanLabels, selfTimeNs: Float64Array, query: SpanTableQuery): Uint32Array {
  const key = sortKeys(model, labels, selfTimeNs, query.sort);
  if (query.descending) for (let i = 0; i < key.length; i++) key[i] = -key[i];
  return keptSpans(model, labels, query).sort((a, b) => key[a] - key[b] || a - b);
}

function keptSpans(model: TraceModel, labels: SpanLabels, query: SpanTableQuery): Uint32Array {
  const n = model.spanCount;
  const needle = query.filter.trim().toLowerCase();
  if (needle === '' && !query.errorsOnly) return Uint32Array.from({ length: n }, (_, i) => i);
  // Service and raw name are string ids, labels are interned: each distinct value is tested once.
  const strings = model.stores.strings;
  const stringHas = needle ? matcher(strings.size, (id) => strings.get(id), needle) : undefined;
  const labelHas = needle ? matcher(labels.labels.length, (k) => labels.labels[k], needle) : undefined;
  const kept = new Uint32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (query.errorsOnly && !isErrorSpan(model, i)) continue;
    if (stringHas && labelHas && !stringHas(model.serviceId[i]) && !labelHas(labels.labelId[i]) && !stringHas(model.nameId[i])) continue;
    kept[count++] = i;
  }
  return kept.slice(0, count);
}

/** Per span, the number the column sorts by (a fresh array: the caller may negate it). */
function sortKeys(model: TraceModel, labels: SpanLabels, selfTimeNs: Float64Array, column: SpanTableColumn): Float64Array {
  const n = model.spanCount;
  switch (column) {
    case 'service': {
      // The services' string ids, ranked among themselves (the string table holds every name and value too).
      const strings = model.stores.strings;
      const serviceIds = [...new Set(model.serviceId)];
      const rankOf = ranks(serviceIds.map((id) => strings.get(id)));
      const rank = new Uint32Array(strings.size);
      serviceIds.forEach((id, k) => (rank[id] = rankOf[k]));
      return Float64Array.from(model.serviceId, (id) => rank[id]);
    }
    case 'name': {
      const rank = ranks(labels.labels);
      return Float64Array.from(labels.labelId, (k) => rank[k]);
    }
    case 'duration':
      return model.durationNs.slice();
    case 'self':
      return selfTimeNs.slice(0, n);
    case 'start':
      return model.startNs.slice();
    case 'error':
      return Float64Array.from(model.status, (s) => (s === STATUS_ERROR ? 1 : 0));
  }
}
