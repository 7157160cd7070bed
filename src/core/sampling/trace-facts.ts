// What the lab needs of a trace that no config or head sampler changes: its size as the Collector
// estimates it, and the service and operation ids of its spans. The lab evaluates again on every edit of
// the YAML; whoever holds the loaded traces (the worker's workspace) keeps one TraceFacts while they stay
// loaded, so an edit costs the policies and the tallies, not the labels of a million spans again.
import { NameIds } from '../analysis/cross-trace-ids.ts';
import { OperationKeys } from '../analysis/span-label.ts';
import type { TraceModel } from '../model/trace-model.ts';
import { TraceSizer } from './sampled-trace.ts';

export type SpanOperationKeys = ReturnType<OperationKeys['of']>;

/**
 * Operation keys are kept for traces of at least this many spans: labelling a 1M-span trace takes ~1 s,
 * while keeping the keys of 100,000 small traces made the summary ~15 % slower (the GC moves their
 * arrays) than labelling them again.
 */
const KEEP_KEYS_FROM_SPANS = 10_000;

export class TraceFacts {
  /** The shared ids of service names and operation labels (keys of operationKeys). */
  readonly names = new NameIds();
  private readonly keys = new OperationKeys(this.names);
  private readonly sizer = new TraceSizer();
  private readonly keysOf = new WeakMap<TraceModel, SpanOperationKeys>();
  private readonly bytesOf = new WeakMap<TraceModel, number>();

  /** Per span, the ids in `names` of its service and of its operation label (span-label.ts). */
  operationKeys(model: TraceModel): SpanOperationKeys {
    const kept = this.keysOf.get(model);
    if (kept !== undefined) return kept;
    const keys = this.keys.of(model);
    if (model.spanCount >= KEEP_KEYS_FROM_SPANS) this.keysOf.set(model, keys);
    return keys;
  }

  /** The whole trace's size as the Collector's bytes_limiting estimates it (TraceSizer). */
  bytes(model: TraceModel): number {
    let bytes = this.bytesOf.get(model);
    if (bytes === undefined) this.bytesOf.set(model, (bytes = this.sizer.bytes(model)));
    return bytes;
  }
}
