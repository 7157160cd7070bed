// The statistics table: spans grouped per service, per operation (service + operation label, span-label.ts), or by the value
// of any attribute (the span's own, else its resource's: host.name, service.version, k8s.pod.name…),
// over one trace or many. Durations are whole span durations; self time is self-time.ts's; p50 / p95
// are exact (duration-groups.ts: linear between closest ranks).
import { attrValueToString } from '../model/attributes.ts';
import type { ResourceInfo } from '../model/trace-model.ts';
import { STATUS_ERROR, type TraceModel } from '../model/trace-model.ts';
import { NameIds, PairIds } from './cross-trace-ids.ts';
import { bucketByGroup, gatherGroup, groupQuantiles } from './duration-groups.ts';
import { computeSelfTime } from './self-time.ts';
import { OperationKeys } from './span-label.ts';

export type StatsGrouping = { readonly by: 'service' } | { readonly by: 'operation' } | { readonly by: 'attribute'; readonly key: string };

export interface SpanStatsRow {
  /** By service and by operation. */
  readonly service?: string;
  /** By operation: the operation label (span-label.ts). */
  readonly operation?: string;
  /** By attribute: the value as text; undefined on the row of the spans that do not have the attribute. */
  readonly value?: string;
  readonly count: number;
  readonly totalDurationNs: number;
  readonly selfTimeNs: number;
  /** Share of the self time of all the given spans (which sums to the time some span was running alone). */
  readonly selfTimePercent: number;
  readonly avgDurationNs: number;
  readonly p50Ns: number;
  readonly p95Ns: number;
  readonly maxNs: number;
  readonly errorCount: number;
  /** The row's spans: index into the given traces and span index in that trace, in trace then span order. */
  readonly traceIndex: Uint32Array;
  readonly spanIndex: Uint32Array;
}

export interface SpanStats {
  /** Most self time first. */
  readonly rows: readonly SpanStatsRow[];
  readonly spanCount: number;
  readonly totalSelfTimeNs: number;
}

export function computeSpanStats(traces: readonly TraceModel[], grouping: StatsGrouping): SpanStats {
  const total = traces.reduce((n, m) => n + m.spanCount, 0);
  // Per span (of all traces, in order): its group, duration and where it is; sums per group as they come.
  const groupOf = new Uint32Array(total);
  const durationNs = new Float64Array(total);
  const traceOf = new Uint32Array(total);
  const spanOf = new Uint32Array(total);
  const sums = { totalDurationNs: [] as number[], selfTimeNs: [] as number[], errorCount: [] as number[] };
  const keys = groupKeys(grouping);
  let totalSelfTimeNs = 0;
  let k = 0;
  traces.forEach((model, t) => {
    const selfTimeNs = computeSelfTime(model);
    const groupOfSpan = keys.forTrace(model);
    for (let i = 0; i < model.spanCount; i++, k++) {
      const g = groupOfSpan(i);
      while (sums.totalDurationNs.length <= g) {
        sums.totalDurationNs.push(0);
        sums.selfTimeNs.push(0);
        sums.errorCount.push(0);
      }
      sums.totalDurationNs[g] += model.durationNs[i];
      sums.selfTimeNs[g] += selfTimeNs[i];
      if (model.status[i] === STATUS_ERROR) sums.errorCount[g]++;
      totalSelfTimeNs += selfTimeNs[i];
      groupOf[k] = g;
      durationNs[k] = model.durationNs[i];
      traceOf[k] = t;
      spanOf[k] = i;
    }
  });

  const buckets = bucketByGroup(groupOf, keys.count());
  const quantiles = groupQuantiles(buckets, durationNs);
  const rows = keys.labels().flatMap((label, g): SpanStatsRow[] => {
    const count = buckets.offsets[g + 1] - buckets.offsets[g];
    if (count === 0) return []; // no span lacks the attribute
    const selfTimeNs = sums.selfTimeNs[g];
    return [
      {
        ...label,
        count,
        totalDurationNs: sums.totalDurationNs[g],
        selfTimeNs,
        selfTimePercent: totalSelfTimeNs > 0 ? (100 * selfTimeNs) / totalSelfTimeNs : 0,
        avgDurationNs: sums.totalDurationNs[g] / count,
        p50Ns: quantiles.p50Ns[g],
        p95Ns: quantiles.p95Ns[g],
        maxNs: quantiles.maxNs[g],
        errorCount: sums.errorCount[g],
        traceIndex: gatherGroup(buckets, g, traceOf),
        spanIndex: gatherGroup(buckets, g, spanOf),
      },
    ];
  });
  rows.sort((a, b) => b.selfTimeNs - a.selfTimeNs);
  return { rows, spanCount: total, totalSelfTimeNs };
}

type RowLabel = Pick<SpanStatsRow, 'service' | 'operation' | 'value'>;

/** Dense group ids for the spans of each trace, and the label of each group. */
interface GroupKeys {
  forTrace(model: TraceModel): (i: number) => number;
  count(): number;
  labels(): RowLabel[];
}

function groupKeys(grouping: StatsGrouping): GroupKeys {
  const names = new NameIds();
  const keys = new OperationKeys(names);
  if (grouping.by === 'service') {
    return {
      forTrace: (model) => (i) => names.of(model.stores.strings, model.serviceId[i]),
      count: () => names.names.length,
      labels: () => names.names.map((service) => ({ service })),
    };
  }
  if (grouping.by === 'operation') {
    const operations = new PairIds();
    return {
      forTrace: (model) => {
        const { serviceOf, operationOf } = keys.of(model);
        return (i) => operations.intern(serviceOf[i], operationOf[i]);
      },
      count: () => operations.size,
      labels: () => Array.from({ length: operations.size }, (_, k) => ({ service: names.names[operations.first(k)], operation: names.names[operations.second(k)] })),
    };
  }
  const values = new NameIds(); // group = value id + 1; group 0: the spans without the attribute
  const MISSING = 0;
  const resourceValues = new Map<ResourceInfo, number>();
  return {
    forTrace: (model) => {
      const { attributes, strings, resources } = model.stores;
      const keyId = strings.idOf(grouping.key);
      if (keyId === undefined) return () => MISSING;
      const keyIds = attributes.keys;
      const find = (start: number, count: number) => {
        for (let a = start; a < start + count; a++) if (keyIds[a] === keyId) return values.intern(attrValueToString(attributes.values[a])) + 1;
        return MISSING;
      };
      return (i) => {
        const own = find(model.attrStart[i], model.attrCount[i]);
        if (own !== MISSING || model.resourceId[i] < 0) return own;
        const resource = resources[model.resourceId[i]];
        let value = resourceValues.get(resource);
        if (value === undefined) resourceValues.set(resource, (value = find(resource.attrStart, resource.attrCount)));
        return value;
      };
    },
    count: () => values.names.length + 1,
    labels: () => [{}, ...values.names.map((value) => ({ value }))],
  };
}
