// Everything the trace worker keeps: the loaded file, linked traces fetched later and stitched views, each
// collection with its own link targets; the link index over them; the span labels and the view built
// ahead for the open trace; and which load is the latest. One instance per worker, made by its entry.
import { errorMessage } from '../core/analysis/errors.ts';
import { buildLinkIndex, type LinkIndex } from '../core/analysis/link-index.ts';
import { matchSpans, parseSearchQuery } from '../core/analysis/search.ts';
import { operationLabels, spanLabels, type SpanLabels } from '../core/analysis/span-label.ts';
import { getSpanDetails } from '../core/model/span-details.ts';
import { TraceFacts } from '../core/sampling/trace-facts.ts';
import type { TraceCollection, TraceModel } from '../core/model/trace-model.ts';
import type { AsyncPath } from '../core/view-format/analysis-answers.ts';
import type { SpanDetailsView } from '../core/view-format/span-details-view.ts';
import type { SearchOutcome } from './protocol.ts';
import type { TraceViewData } from '../core/view-format/trace-view-format.ts';
import { buildTraceViewData } from './trace-view-data.ts';
import type { ExportFormat } from '../core/export/chunks.ts';
import { exportTraceBlob } from './export-trace.ts';

/** A trace id the workspace does not hold (the file was replaced, or the trace was never fetched). */
export class TraceNotLoaded extends Error {
  constructor(readonly traceId: string) {
    super(`Trace ${traceId} is not loaded`);
    this.name = 'TraceNotLoaded';
  }
}

interface Held {
  readonly collection: TraceCollection;
  /** A stitched view repeats spans of its members: it is left out of the link index. */
  readonly stitched: boolean;
}

export class Workspace {
  private held: Held[] = [];
  private index: { traces: readonly TraceModel[]; links: LinkIndex } | undefined;
  private readonly asyncPaths = new Map<string, AsyncPath>();
  /** Span labels of the trace last drawn or searched, kept for free-text search over them. */
  private labelsOf: { model: TraceModel; labels: SpanLabels } | undefined;
  /** What the sampling lab learnt of the held traces (labels, sizes): an edit of its YAML reuses it. */
  samplingFacts = new TraceFacts();
  /** The view of a trace built before it was asked for (see prepareView), until it is taken. */
  private prepared: { model: TraceModel; view: TraceViewData } | undefined;
  private latestLoad = 0;
  private loadAbort = new AbortController();

  /**
   * Starts a load and returns whether a newer one has started since: the page waits for the latest load
   * only, and an earlier one still parsing gives up, else, ending last, it would replace the newer file.
   */
  startLoad(): () => boolean {
    const ticket = ++this.latestLoad;
    this.loadAbort = new AbortController();
    return () => ticket !== this.latestLoad;
  }

  /** Aborted when the user cancels the latest load (its fetch stops; its parse stops at the next pause). */
  get loadSignal(): AbortSignal {
    return this.loadAbort.signal;
  }

  /** Stops the latest load: it ends with a 'cancelled' error, as a superseded one would with its own. */
  cancelLoad(): void {
    this.loadAbort.abort();
    this.latestLoad++;
  }

  /** Replaces everything with a loaded file (undefined: lets the previous one go before the next is built). */
  reset(main: TraceCollection | undefined): void {
    this.held = main ? [{ collection: main, stitched: false }] : [];
    this.index = undefined;
    this.asyncPaths.clear();
    this.labelsOf = undefined;
    this.prepared = undefined;
    this.samplingFacts = new TraceFacts();
  }

  /** A linked trace fetched from a backend joins the workspace; the open file stays as it is. */
  add(collection: TraceCollection): void {
    this.held.push({ collection, stitched: false });
    this.index = undefined;
  }

  /** Adds a stitched view, dropping one that holds the same trace ids (the same traces stitched again). */
  addStitched(collection: TraceCollection, asyncPath: AsyncPath): void {
    const ids = new Set(collection.traces.map((t) => t.traceId));
    this.held = this.held.filter((h) => !h.collection.traces.some((t) => ids.has(t.traceId)));
    this.held.push({ collection, stitched: true });
    this.index = undefined;
    for (const id of ids) this.asyncPaths.set(id, asyncPath);
  }

  /** Nothing loaded: none yet, or the file was let go for a load that then failed. */
  get empty(): boolean {
    return this.held.length === 0;
  }

  /** Spans of everything held. */
  get spanCount(): number {
    return this.held.reduce((n, h) => n + h.collection.traces.reduce((m, t) => m + t.spanCount, 0), 0);
  }

  get traces(): readonly TraceModel[] {
    return this.held.flatMap((h) => h.collection.traces);
  }

  find(traceId: string): TraceModel {
    return this.locate(traceId).model;
  }

  /** The loaded (not stitched) traces and the links between them. */
  links(): { traces: readonly TraceModel[]; links: LinkIndex } {
    if (!this.index) {
      const traces = this.held.filter((h) => !h.stitched).flatMap((h) => h.collection.traces);
      this.index = { traces, links: buildLinkIndex(traces) };
    }
    return this.index;
  }

  /** One span's record, its links resolved in the collection its trace came with. */
  spanDetails(traceId: string, spanIndex: number): SpanDetailsView {
    const { model, collection } = this.locate(traceId);
    const details = getSpanDetails(model, spanIndex, collection.linkTargets);
    const links = details.links.map((l) => ({
      ...l,
      target: l.target && { traceId: l.target.trace === undefined ? model.traceId : collection.traces[l.target.trace].traceId, span: l.target.span },
    }));
    return { ...details, links, errorMessage: errorMessage(model, spanIndex) };
  }

  /** The trace as a file in this format (a download). */
  exportTrace(traceId: string, format: ExportFormat): Blob {
    const { model, collection } = this.locate(traceId);
    return exportTraceBlob(collection, model, format);
  }

  search(traceId: string, text: string): SearchOutcome {
    const model = this.find(traceId);
    const parsed = parseSearchQuery(text);
    if (!parsed.ok) return { matches: undefined, error: parsed.error };
    const needsOperations = parsed.query.terms.some((t) => t.type === 'operation');
    const labels = { spans: this.spanLabels(model), operations: needsOperations ? operationLabels(model) : undefined };
    return { matches: matchSpans(model, parsed.query, labels), error: undefined };
  }

  /** Builds a trace's view ahead (a file of one trace opens that trace next), for takeView. */
  prepareView(traceId: string): void {
    const model = this.find(traceId);
    this.prepared = { model, view: this.buildView(model) };
  }

  /** A trace's view, built now unless prepared; the caller moves its buffers away, so it is not kept. */
  takeView(traceId: string): TraceViewData {
    const model = this.find(traceId);
    const view = this.prepared?.model === model ? this.prepared.view : this.buildView(model);
    this.prepared = undefined;
    return view;
  }

  private buildView(model: TraceModel): TraceViewData {
    const view = buildTraceViewData(model, this.spanLabels(model));
    // A stitched view's critical path is the end-to-end one across its traces (with the queue waits as gaps).
    const asyncPath = this.asyncPaths.get(model.traceId);
    if (!asyncPath) return view;
    return {
      ...view,
      criticalSpan: Uint32Array.from(asyncPath.spans),
      criticalStartNs: asyncPath.startNs.slice(),
      criticalEndNs: asyncPath.endNs.slice(),
      queueWaitSpan: Uint32Array.from(asyncPath.queueWaitSpans),
      queueWaitStartNs: Float64Array.from({ length: asyncPath.queueWaitSpans.length }, (_, k) => asyncPath.queueWaits[2 * k]),
      queueWaitEndNs: Float64Array.from({ length: asyncPath.queueWaitSpans.length }, (_, k) => asyncPath.queueWaits[2 * k + 1]),
    };
  }

  /** The labels of the trace last drawn or searched are kept: search, the span table and views share them. */
  spanLabels(model: TraceModel): SpanLabels {
    if (this.labelsOf?.model !== model) this.labelsOf = { model, labels: spanLabels(model) };
    return this.labelsOf.labels;
  }

  /** The model with this id and the collection it came with; the latest added wins (a stitched view made again). */
  private locate(traceId: string): { model: TraceModel; collection: TraceCollection } {
    for (let h = this.held.length - 1; h >= 0; h--) {
      const { collection } = this.held[h];
      const model = collection.traces.find((t) => t.traceId === traceId);
      if (model) return { model, collection };
    }
    throw new TraceNotLoaded(traceId);
  }
}
