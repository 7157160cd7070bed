// Traces assembled from spans the receivers take in: every request's spans of one trace become one row,
// committed before the sender is answered — an OTLP/JSON line (OTLP and Datadog), or the Zipkin spans as
// they came (Zipkin fragments of one span may arrive in different requests and only merge as Zipkin). A
// trace's document is OTLP/JSON NDJSON, which the OTLP importer merges by trace id — so spans arriving in
// any order, from any service and protocol, in many requests, make one trace. The search index of a trace
// is rebuilt shortly after its last arrival (not on the request path).
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { LiveTraceStatus } from '../../src/core/api/backend-api.ts';
import { otlpJsonChunks } from '../../src/core/export/otlp-json.ts';
import { loadBytes } from '../../src/core/import/index.ts';
import { importZipkinSpans } from '../../src/core/import/zipkin.ts';
import { normalizeTraceId } from '../../src/core/model/ids.ts';
import type { TraceCollection, TraceModel } from '../../src/core/model/trace-model.ts';
import { allSpans, type ReceivedBatch, type ReindexedTrace, type TraceStore } from './trace-store.ts';

export interface LiveOptions {
  /** A trace with no new spans for this long is complete (the "still receiving" marker goes). */
  readonly quietMs: number;
  readonly spansPerTrace: number;
  /** Retention of received traces: the oldest (by last arrival) go first. Shared files are kept. */
  readonly maxTraces: number;
  readonly maxBytes: number;
}

export interface AppendOutcome {
  readonly acceptedSpans: number;
  readonly rejectedSpans: number;
  /** Why spans were rejected, for OTLP partial success. */
  readonly rejectReason: string | undefined;
}

/** One request's decoded spans; for Zipkin also its span objects as they came (kept as they came). */
export interface ReceivedRequest {
  readonly collection: TraceCollection;
  readonly zipkinSpans: readonly unknown[] | undefined;
}

export class LiveTraces {
  constructor(
    private readonly store: TraceStore,
    readonly options: LiveOptions,
  ) {}

  /**
   * Stores the spans of a received payload; one transaction, committed when this returns. `zipkinSpans`:
   * the payload's Zipkin span objects, kept as they came.
   */
  append(collection: TraceCollection, nowMs = Date.now(), zipkinSpans?: readonly unknown[]): AppendOutcome {
    return this.appendAll([{ collection, zipkinSpans }], nowMs)[0];
  }

  /**
   * Stores the spans of several requests in one transaction (one commit for them all), committed when this
   * returns; an outcome per request. A span received before with the same ids and content (an exporter's
   * retry) is not stored again, and counts as accepted.
   *
   * The batches are made before the transaction (the costly part, while another intake worker may hold
   * the write lock) from what the store says then; inside it, holding the lock, a trace whose stored span
   * count changed meanwhile (another worker stored spans of it) is made again from what the store says now.
   */
  appendAll(requests: readonly ReceivedRequest[], nowMs = Date.now()): AppendOutcome[] {
    const traces = requests.flatMap(({ collection, zipkinSpans }, request) => {
      const zipkinByTrace = zipkinSpans && groupZipkinSpans(zipkinSpans);
      return collection.traces.map((model) => ({ request, collection, model, zipkin: zipkinByTrace?.get(model.traceId) }));
    });
    const early = new AppendRound(this.store, this.options.spansPerTrace);
    const planned = traces.map((t) => early.plan(t));
    return this.store.writeReceived(() => {
      const late = new AppendRound(this.store, this.options.spansPerTrace);
      const final = traces.map((t, k) => (early.storedSpanCount(t.model.traceId) === this.store.receivedSpanCount(t.model.traceId) ? planned[k] : late.plan(t)));
      const outcome = (request: number): AppendOutcome => {
        let acceptedSpans = 0;
        let rejectedSpans = 0;
        let rejectReason: string | undefined;
        traces.forEach(({ model, request: of }, k) => {
          if (of !== request) return;
          if (final[k] !== 'over limit') acceptedSpans += model.spanCount;
          else {
            rejectedSpans += model.spanCount;
            rejectReason = `trace ${model.traceId} would exceed ${this.options.spansPerTrace} spans, this server's limit per trace`;
          }
        });
        return { acceptedSpans, rejectedSpans, rejectReason };
      };
      return { batches: final.filter((b): b is ReceivedBatch => typeof b === 'object'), result: requests.map((_, request) => outcome(request)) };
    }, nowMs);
  }

  /** The trace's spans so far (see receivedDocument); undefined when nothing was received for it. */
  document(traceId: string): Uint8Array | undefined {
    return receivedDocument(this.store, traceId);
  }

  status(traceId: string, nowMs = Date.now()): LiveTraceStatus | undefined {
    const row = this.store.receivedTrace(traceId);
    return row && { spanCount: row.spanCount, lastReceivedMs: row.lastReceivedMs, receiving: nowMs - row.lastReceivedMs < this.options.quietMs };
  }

  /**
   * Re-indexes traces that received spans since their last indexing, oldest arrival first, until
   * `budgetMs` is spent. Returns how many traces are still waiting.
   */
  async indexPending(budgetMs: number): Promise<number> {
    const deadline = performance.now() + budgetMs;
    const pending = this.store.unindexedReceived(INDEX_SLICE);
    // Parse first, then write everything in one transaction: one commit per slice, not per trace.
    const ready: ReindexedTrace[] = [];
    for (const { traceId, spanCount } of pending) {
      if (performance.now() > deadline) break;
      let model: TraceModel | undefined;
      try {
        const doc = this.document(traceId);
        model = doc && (await loadBytes(doc, { fileName: `${traceId}.json` })).traces.find((t) => t.traceId === traceId);
      } catch {
        model = undefined; // a trace its importer cannot read stays unindexed rather than stopping the indexer
      }
      ready.push({ traceId, spanCount, model });
    }
    this.store.reindexReceived(ready);
    // More may wait than this slice looked at.
    return ready.length < pending.length || pending.length === INDEX_SLICE ? 1 : 0;
  }

  /** Drops the oldest received traces beyond the retention limits. Returns how many went. */
  prune(): number {
    return this.store.pruneReceived(this.options.maxTraces, this.options.maxBytes);
  }
}

/**
 * A received trace's spans so far: a Zipkin JSON array when only Zipkin sent them (exact Zipkin semantics:
 * shared client/server halves keep their structure), else OTLP/JSON NDJSON — Zipkin spans converted,
 * which flattens Brave-style shared halves. Undefined when nothing was received for the trace.
 */
export function receivedDocument(store: TraceStore, traceId: string): Uint8Array | undefined {
  const rows = store.receivedBatches(traceId);
  if (rows.length === 0) return undefined;
  const zipkin = rows.filter((r) => r.format === 'zipkin').flatMap((r) => JSON.parse(gunzipSync(r.payloadGzip).toString()) as unknown[]);
  if (rows.every((r) => r.format === 'zipkin')) return Buffer.from(JSON.stringify(zipkin));
  const lines: Buffer[] = rows.filter((r) => r.format === 'otlp').map((r) => gunzipSync(r.payloadGzip));
  if (zipkin.length) {
    const collection = importZipkinSpans(zipkin);
    for (const model of collection.traces) lines.push(otlpJsonLine(collection, model));
  }
  const newline = Buffer.from('\n');
  return Buffer.concat(lines.flatMap((line, i) => (i === 0 ? [line] : [newline, line])));
}

/** One trace of a received request (a request may carry many). */
interface ReceivedTracePart {
  readonly collection: TraceCollection;
  readonly model: TraceModel;
  /** Its Zipkin span objects as they came, for a Zipkin request. */
  readonly zipkin: readonly unknown[] | undefined;
}

/**
 * One appendAll call: which spans are stored already (in the store, or earlier in this call) and how many
 * each trace will hold. Keys are trace id, span id and a hash of everything the span says (with its
 * resource and scope).
 */
class AppendRound {
  private readonly seen = new Set<string>();
  private readonly pendingSpans = new Map<string, number>();
  private readonly storedSpans = new Map<string, number | undefined>();

  constructor(
    private readonly store: TraceStore,
    private readonly spansPerTrace: number,
  ) {}

  /**
   * One trace of one request: the batch of its spans to store (undefined when all were received before),
   * or 'over limit' when they would take the trace past the server's limit per trace.
   */
  plan({ collection, model, zipkin }: ReceivedTracePart): ReceivedBatch | undefined | 'over limit' {
    const batch = zipkin ? this.zipkinBatch(model.traceId, zipkin) : this.otlpBatch(collection, model);
    if (this.spanCount(model.traceId) + (batch?.spans.length ?? 0) > this.spansPerTrace) return 'over limit';
    if (batch) this.commit(batch);
    return batch;
  }

  /** The trace's span count in the store when this round first looked (undefined: none received). */
  storedSpanCount(traceId: string): number | undefined {
    return this.stored(traceId);
  }

  /** Spans the trace holds, with those of this round. */
  spanCount(traceId: string): number {
    return (this.stored(traceId) ?? 0) + (this.pendingSpans.get(traceId) ?? 0);
  }

  /** The batch's spans that are new, as an OTLP/JSON line; undefined when none are. */
  otlpBatch(collection: TraceCollection, model: TraceModel): ReceivedBatch | undefined {
    const spans: number[] = [];
    const receivedSpans: { spanId: string; contentHash: Uint8Array }[] = [];
    const single: TraceCollection = { ...collection, traces: [model], linkTargets: new Map() };
    const line = [
      ...otlpJsonChunks(single, (spanJson, groupJson, _trace, span) => {
        const received = { spanId: model.spanIds[span], contentHash: contentHash(groupJson, spanJson) };
        if (this.isKnown(model.traceId, received)) return false;
        spans.push(span);
        receivedSpans.push(received);
        return true;
      }),
    ].join('');
    if (spans.length === 0) return undefined;
    return { model, format: 'otlp', payloadGzip: gzipSync(line, { level: 1 }), spans: Uint32Array.from(spans), receivedSpans };
  }

  /** The trace's Zipkin span objects that are new, kept as they came; undefined when none are. */
  zipkinBatch(traceId: string, zipkinSpans: readonly unknown[]): ReceivedBatch | undefined {
    const kept: unknown[] = [];
    const receivedSpans: { spanId: string; contentHash: Uint8Array }[] = [];
    for (const span of zipkinSpans) {
      const json = JSON.stringify(span);
      const received = { spanId: String((span as { id?: unknown }).id), contentHash: contentHash('zipkin', json) };
      if (this.isKnown(traceId, received)) continue;
      kept.push(span);
      receivedSpans.push(received);
    }
    if (kept.length === 0) return undefined;
    const model = importZipkinSpans(kept).traces.find((t) => t.traceId === traceId);
    if (!model) return undefined;
    return { model, format: 'zipkin', payloadGzip: gzipSync(JSON.stringify(kept), { level: 1 }), spans: allSpans(model), receivedSpans };
  }

  /** Counts the batch in (it will be stored in this round). */
  private commit(batch: ReceivedBatch): void {
    const traceId = batch.model.traceId;
    this.pendingSpans.set(traceId, (this.pendingSpans.get(traceId) ?? 0) + batch.spans.length);
    for (const r of batch.receivedSpans) this.seen.add(seenKey(traceId, r));
  }

  private isKnown(traceId: string, received: { spanId: string; contentHash: Uint8Array }): boolean {
    if (this.seen.has(seenKey(traceId, received))) return true;
    // A trace never received has no span to repeat: no lookup per span.
    return this.stored(traceId) !== undefined && this.store.hasReceivedSpan(traceId, received.spanId, received.contentHash);
  }

  private stored(traceId: string): number | undefined {
    if (!this.storedSpans.has(traceId)) this.storedSpans.set(traceId, this.store.receivedSpanCount(traceId));
    return this.storedSpans.get(traceId);
  }
}

function seenKey(traceId: string, { spanId, contentHash }: { spanId: string; contentHash: Uint8Array }): string {
  return `${traceId}/${spanId}/${Buffer.from(contentHash.buffer, contentHash.byteOffset, contentHash.byteLength).toString('base64')}`;
}

/** 128 bits of SHA-256 over everything a span says. */
function contentHash(groupJson: string, spanJson: string): Uint8Array {
  return createHash('sha256').update(groupJson).update('\n').update(spanJson).digest().subarray(0, 16);
}

/** Received traces looked at per indexPending call. */
const INDEX_SLICE = 200;

/** Zipkin span objects by normalized trace id (as the importer names the trace). */
function groupZipkinSpans(spans: readonly unknown[]): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const span of spans) {
    const id = normalizeTraceId((span as { traceId?: unknown } | null)?.traceId);
    if (!id) continue;
    const group = out.get(id);
    if (group) group.push(span);
    else out.set(id, [span]);
  }
  return out;
}

/** One trace of a collection as a single OTLP/JSON line. */
function otlpJsonLine(collection: TraceCollection, model: TraceModel): Buffer {
  const single: TraceCollection = { ...collection, traces: [model], linkTargets: new Map() };
  return Buffer.from([...otlpJsonChunks(single)].join(''));
}
