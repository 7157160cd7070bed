// The span table's order: every span of a trace, filtered (text in its service, label or name; errors
// only) and sorted by a column, as one array of span indices. No object per span: string columns sort by
// the rank of their distinct values, so a million spans are one numeric sort.
import { isErrorSpan, type TraceModel } from '../model/trace-model.ts';
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

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Rank of each value in name order: rank[k] is the place of values[k] (equal values share a rank). */
function ranks(values: readonly string[]): Uint32Array {
  const order = Uint32Array.from(values.keys()).sort((a, b) => collator.compare(values[a], values[b]));
  const rank = new Uint32Array(values.length);
  for (let k = 1; k < order.length; k++) rank[order[k]] = collator.compare(values[order[k - 1]], values[order[k]]) === 0 ? rank[order[k - 1]] : k;
  return rank;
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
  const key = sortKey(model, labels, selfTimeNs, query.sort);
  const sign = query.descending ? -1 : 1;
  return keptSpans(model, labels, query).sort((a, b) => sign * (key(a) - key(b)) || a - b);
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

function sortKey(model: TraceModel, labels: SpanLabels, selfTimeNs: Float64Array, column: SpanTableColumn): (span: number) => number {
  switch (column) {
    case 'service': {
      // The services' string ids, ranked among themselves (the string table holds every name and value too).
      const strings = model.stores.strings;
      const serviceIds = [...new Set(model.serviceId)];
      const rankOf = ranks(serviceIds.map((id) => strings.get(id)));
      const rank = new Uint32Array(strings.size);
      serviceIds.forEach((id, k) => (rank[id] = rankOf[k]));
      return (i) => rank[model.serviceId[i]];
    }
    case 'name': {
      const rank = ranks(labels.labels);
      return (i) => rank[labels.labelId[i]];
    }
    case 'duration':
      return (i) => model.durationNs[i];
    case 'self':
      return (i) => selfTimeNs[i];
    case 'start':
      return (i) => model.startNs[i];
    case 'error':
      return (i) => (isErrorSpan(model, i) ? 1 : 0);
  }
}
