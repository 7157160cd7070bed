// The numbers in a trace page header and a trace list row.
import { formatLabel } from '../import/index.ts';
import { epochToIso, type EpochNanos } from '../model/time.ts';
import { spanService, type TraceCollection, type TraceModel } from '../model/trace-model.ts';
import { operationLabel } from './span-label.ts';

export interface TraceSummary {
  readonly traceId: string;
  readonly rootService: string;
  readonly rootName: string;
  readonly traceStart: EpochNanos;
  readonly durationNs: number;
  readonly spanCount: number;
  readonly services: readonly string[];
  readonly errorCount: number;
  /** Levels of nesting: a lone span has depth 1. */
  readonly depth: number;
  readonly rootCount: number;
  readonly orphanCount: number;
  readonly warnings: readonly string[];
}

export function summarizeTrace(model: TraceModel): TraceSummary {
  const services = new Set<number>();
  for (let i = 0; i < model.spanCount; i++) services.add(model.serviceId[i]);
  const root = model.roots[0];
  return {
    traceId: model.traceId,
    rootService: spanService(model, root),
    // The root's operation label (span-label.ts), as Statistics and the operation graph name it.
    rootName: operationLabel(model, root),
    traceStart: model.traceStart,
    durationNs: model.traceDurationNs,
    spanCount: model.spanCount,
    services: [...services].map((id) => model.stores.strings.get(id)).sort(),
    errorCount: model.errorCount,
    depth: model.maxDepth + 1,
    rootCount: model.roots.length,
    orphanCount: model.orphanCount,
    warnings: model.warnings,
  };
}

export interface CollectionSummary {
  readonly format: string;
  readonly formatLabel: string;
  readonly spanCount: number;
  readonly warnings: readonly string[];
  readonly traces: readonly TraceSummary[];
}

export function summarizeCollection(collection: TraceCollection): CollectionSummary {
  const traces = collection.traces.map(summarizeTrace);
  return {
    format: collection.format,
    formatLabel: formatLabel(collection.format),
    spanCount: traces.reduce((n, t) => n + t.spanCount, 0),
    warnings: collection.warnings,
    traces,
  };
}

export function describeTraceStart(t: EpochNanos): string {
  return epochToIso(t);
}
