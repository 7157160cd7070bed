// Spans across several loads. Traces may come from a file, the embedded store and a backend, each a
// TraceCollection with its own stores, so the cross-trace analyses take a list of TraceModels and name a
// span by its position in that list: { trace, span }.
import { nanosBetween, type EpochNanos, type Nanos } from '../model/time.ts';
import type { TraceModel } from '../model/trace-model.ts';

/** Up to this many spans, a scan beats building a table (10,000 small traces would make 10,000 Maps). */
const SCAN_LIMIT = 64;

export interface SpanRef {
  /** Index in the list of traces the analysis was given. */
  readonly trace: number;
  /** Model index of the span in that trace (pre-order). */
  readonly span: number;
}

/** A link found by inference rather than recorded by the tracer (drawn dashed, "inferred by …"). */
export interface InferredLink {
  readonly from: SpanRef;
  /** The target span when its trace is loaded and holds that span id, else undefined. */
  readonly to: SpanRef | undefined;
  /** Normalized: 32 lowercase hex. */
  readonly traceId: string;
  /** 16 lowercase hex. */
  readonly spanId: string;
  /** What the link was inferred from; formatInferredVia gives the label. */
  readonly via: InferredVia;
}

/** How a link was inferred: a business-key value two traces share, or a trace context stored in span data. */
export type InferredVia =
  | { readonly kind: 'business-key'; readonly key: string; readonly value: string }
  | {
      readonly kind: 'stored-context';
      /** The header (or header family) read: "traceparent", "x-b3-* headers". */
      readonly header: string;
      /** Where it was found: "in attribute messaging.header.traceparent", "value in event \"x\" field y". */
      readonly where: string;
      /** Whether a 64-bit trace id matched a loaded trace's lower 64 bits. */
      readonly lower64: boolean;
    };

/** The label of an inferred link: "job.id = 4", "traceparent in attribute messaging.header.traceparent". */
export function formatInferredVia(via: InferredVia): string {
  if (via.kind === 'business-key') return `${via.key} = ${via.value}`;
  return `${via.header} ${via.where}${via.lower64 ? ' (lower 64 bits of the trace id)' : ''}`;
}

/**
 * Finds spans by (trace id, span id) in a list of traces. The same trace id may appear in several
 * loads (a partial trace from the store and the full one from a backend): each is searched, in order.
 * Span-id tables are built per trace on first use, so only traces that are looked into pay for one.
 */
export class SpanLocator {
  private readonly byTraceId = new Map<string, number[]>();
  private byLower64: Map<string, number[]> | undefined;
  private readonly spanTables = new Map<number, Map<string, number>>();

  constructor(private readonly traces: readonly TraceModel[]) {
    traces.forEach((model, t) => push(this.byTraceId, model.traceId, t));
  }

  /** Trace indices with this (normalized) trace id. */
  tracesWithId(traceId: string): readonly number[] {
    return this.byTraceId.get(traceId) ?? [];
  }

  /**
   * Trace indices whose id ends in these 16 hex digits: a 64-bit id seen in a Datadog or B3 header
   * names a 128-bit trace by its lower half when the upper half (`_dd.p.tid`) was not propagated.
   */
  tracesWithLower64(lower16: string): readonly number[] {
    if (!this.byLower64) {
      const byLower64 = new Map<string, number[]>();
      this.traces.forEach((model, t) => push(byLower64, model.traceId.slice(16), t));
      this.byLower64 = byLower64;
    }
    return this.byLower64.get(lower16) ?? [];
  }

  /** The first span with this id in a trace with this id, or undefined. */
  find(traceId: string, spanId: string): SpanRef | undefined {
    for (const trace of this.tracesWithId(traceId)) {
      const span = this.spanIndex(trace, spanId);
      if (span !== undefined) return { trace, span };
    }
    return undefined;
  }

  /** Model index of the first span with this id in trace `trace`. */
  spanIndex(trace: number, spanId: string): number | undefined {
    const ids = this.traces[trace].spanIds;
    if (ids.length <= SCAN_LIMIT) {
      const i = ids.indexOf(spanId);
      return i < 0 ? undefined : i;
    }
    let table = this.spanTables.get(trace);
    if (!table) {
      table = new Map();
      for (let i = ids.length - 1; i >= 0; i--) table.set(ids[i], i); // backwards: the first one wins
      this.spanTables.set(trace, table);
    }
    return table.get(spanId);
  }
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Per trace: ns from `origin` to the trace's start, so offset[t] + startNs[i] is on a shared axis. */
export function traceOffsetsNs(traces: readonly TraceModel[], origin: EpochNanos): Float64Array {
  return Float64Array.from(traces, (model) => nanosBetween(origin, model.traceStart));
}

export function spanEndNs(model: TraceModel, i: number): Nanos {
  return model.startNs[i] + model.durationNs[i];
}
