// What the lab needs of a trace that no config or head sampler changes: its size as the Collector
// estimates it, and the distinct operations (service + operation label) of its spans. The lab evaluates
// again on every edit of the YAML; whoever holds the loaded traces (the worker's workspace) keeps one
// TraceFacts while they stay loaded, so an edit costs the policies and the tallies, not the labels of a
// million spans again. It holds the traces it was last asked about: drop it with them.
import { NameIds, PairIds } from '../analysis/cross-trace-ids.ts';
import { OperationKeys, type SpanOperationKeys } from '../analysis/span-label.ts';
import type { TraceModel } from '../model/trace-model.ts';
import { TraceSizer } from './sampled-trace.ts';

export class TraceFacts {
  /** The shared ids of service names and operation labels. */
  readonly names = new NameIds();
  /** Operations: pairs of (service id, operation label id) in `names`. */
  readonly operations = new PairIds();
  private readonly keys = new OperationKeys(this.names);
  /** Sizes of the traces' loads (also what a bytes_limiting policy weighs traces with). */
  readonly sizer = new TraceSizer();
  // Facts by position in the traces last asked about: the lab asks about the same traces edit after
  // edit. (Maps or WeakMaps by trace cost more than the lab's whole evaluation of 100,000 small traces,
  // mostly in the garbage collector.)
  private models: readonly TraceModel[] = [];
  /** Per trace, its size; NaN: not measured yet. */
  private bytesAt = new Float64Array(0);
  /** Per trace, where its run of operations starts in `runs`; -1: not listed yet. */
  private runAt = new Int32Array(0);
  /** Every trace's distinct operations, one run after another, each preceded by its length. */
  private runs = new Uint32Array(1024);
  private runsEnd = 0;
  /** Per operation id, the last listing (a counter) that met it. */
  private listedIn = new Uint32Array(256);
  private listing = 0;
  /** Scratch: the keys of the spans of the trace being listed. */
  private spanKeys: SpanOperationKeys = { serviceOf: new Uint32Array(256), operationOf: new Uint32Array(256) };

  /** The size of `models[index]` as the Collector's bytes_limiting estimates it (TraceSizer). */
  bytes(models: readonly TraceModel[], index: number): number {
    this.track(models);
    if (Number.isNaN(this.bytesAt[index])) this.bytesAt[index] = this.sizer.bytes(models[index]);
    return this.bytesAt[index];
  }

  /** The distinct operations (ids in `operations`) of the spans of `models[index]`, in the order first met. */
  operationsOf(models: readonly TraceModel[], index: number): Uint32Array {
    this.track(models);
    if (this.runAt[index] < 0) this.runAt[index] = this.listOperations(models[index]);
    const at = this.runAt[index];
    return this.runs.subarray(at + 1, at + 1 + this.runs[at]);
  }

  /** Keeps what is known when `models` are the traces last asked about, in the same order; else starts over. */
  private track(models: readonly TraceModel[]): void {
    if (models === this.models) return;
    const same = models.length === this.models.length && models.every((model, i) => model === this.models[i]);
    this.models = models;
    if (same) return;
    this.bytesAt = new Float64Array(models.length).fill(NaN);
    this.runAt = new Int32Array(models.length).fill(-1);
    this.runsEnd = 0;
  }

  private listOperations(model: TraceModel): number {
    const keys = this.keys.of(model, this.spanKeys);
    this.spanKeys = keys;
    const { serviceOf, operationOf } = keys;
    const at = this.runsEnd;
    if (this.runs.length < at + 1 + model.spanCount) {
      const runs = new Uint32Array(Math.max(2 * this.runs.length, at + 1 + model.spanCount));
      runs.set(this.runs.subarray(0, at));
      this.runs = runs;
    }
    const runs = this.runs;
    const listing = ++this.listing;
    let end = at + 1;
    for (let i = 0; i < model.spanCount; i++) {
      const operation = this.operations.intern(serviceOf[i], operationOf[i]);
      if (operation >= this.listedIn.length) {
        const grown = new Uint32Array(2 * Math.max(operation, this.listedIn.length));
        grown.set(this.listedIn);
        this.listedIn = grown;
      }
      if (this.listedIn[operation] === listing) continue;
      this.listedIn[operation] = listing;
      runs[end++] = operation;
    }
    runs[at] = end - at - 1;
    this.runsEnd = end;
    return at;
  }
}
