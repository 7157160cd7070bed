// Traces assembled from spans the receivers take in: every request's spans of one trace become one row,
// committed before the sender is answered — an OTLP/JSON line (OTLP and Datadog), or the Zipkin spans as
// they came (Zipkin fragments of one span may arrive in different requests and only merge as Zipkin). A
// trace's document is OTLP/JSON NDJSON, which the OTLP importer merges by trace id — so spans arriving in
// any order, from any service and protocol, in many requests, make one trace. The search index of a trace
// is rebuilt shortly after its last arrival (not on the request path).
import { gunzipSync, gzipSync } from 'node:zlib';
import type { LiveTraceStatus } from '../../src/core/api/backend-api.ts';
import { otlpJsonChunks } from '../../src/core/export/otlp-json.ts';
import { importTraces } from '../../src/core/import/index.ts';
import { normalizeTraceId } from '../../src/core/model/ids.ts';
import type { TraceCollection, TraceModel } from '../../src/core/model/trace-model.ts';
import type { TraceStore } from './trace-store.ts';

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

export class LiveTraces {
  private readonly db: TraceStore['db'];
  private readonly index: ReturnType<TraceStore['traceIndexer']>;
  private readonly statements;

  constructor(
    store: TraceStore,
    readonly options: LiveOptions,
  ) {
    this.db = store.db;
    this.index = store.traceIndexer();
    this.statements = {
      spanCount: this.db.prepare('SELECT span_count AS n FROM live_traces WHERE trace_id = ?'),
      insertBatch: this.db.prepare('INSERT INTO received_batches (trace_id, format, received_ms, span_count, payload_gzip) VALUES (?, ?, ?, ?, ?)'),
      insertLive: this.db.prepare(`INSERT INTO live_traces (trace_id, first_received_ms, last_received_ms, span_count, stored_bytes, indexed)
        VALUES (?, ?, ?, ?, ?, 1)`),
      updateLive: this.db.prepare(`UPDATE live_traces SET last_received_ms = ?, span_count = span_count + ?, stored_bytes = stored_bytes + ?, indexed = 0
        WHERE trace_id = ?`),
      batches: this.db.prepare('SELECT format, payload_gzip AS gz FROM received_batches WHERE trace_id = ? ORDER BY seq'),
      markIndexed: this.db.prepare('UPDATE live_traces SET indexed = 1 WHERE trace_id = ? AND span_count = ?'),
    };
  }

  /**
   * Stores the spans of a received payload; one transaction, committed when this returns. `zipkinSpans`:
   * the payload's Zipkin span objects, kept as they came.
   */
  append(collection: TraceCollection, nowMs = Date.now(), zipkinSpans?: readonly unknown[]): AppendOutcome {
    const zipkinByTrace = zipkinSpans && groupZipkinSpans(zipkinSpans);
    const { spanCount, insertBatch, insertLive, updateLive } = this.statements;
    let acceptedSpans = 0;
    let rejectedSpans = 0;
    let rejectReason: string | undefined;
    this.db.transaction(() => {
      for (const model of collection.traces) {
        const had = (spanCount.get(model.traceId) as { n: number } | undefined)?.n;
        if ((had ?? 0) + model.spanCount > this.options.spansPerTrace) {
          rejectedSpans += model.spanCount;
          rejectReason = `trace ${model.traceId} would exceed ${this.options.spansPerTrace} spans, this server's limit per trace`;
          continue;
        }
        const zipkin = zipkinByTrace?.get(model.traceId);
        const line = gzipSync(zipkin ? JSON.stringify(zipkin) : otlpJsonLine(collection, model), { level: 1 });
        insertBatch.run(model.traceId, zipkin ? 'zipkin' : 'otlp', nowMs, model.spanCount, line);
        if (had === undefined) {
          // A trace's first request: its model is in hand, so index it now rather than parse it again later.
          insertLive.run(model.traceId, nowMs, nowMs, model.spanCount, line.byteLength);
          this.index(model, undefined);
        } else updateLive.run(nowMs, model.spanCount, line.byteLength, model.traceId);
        acceptedSpans += model.spanCount;
      }
    })();
    return { acceptedSpans, rejectedSpans, rejectReason };
  }

  /**
   * The trace's spans so far: a Zipkin JSON array when only Zipkin sent them (exact Zipkin semantics:
   * shared client/server halves keep their structure), else OTLP/JSON NDJSON — Zipkin spans converted,
   * which flattens Brave-style shared halves. Undefined when nothing was received for the trace.
   */
  document(traceId: string): Uint8Array | undefined {
    const rows = this.statements.batches.all(traceId) as { format: string; gz: Buffer }[];
    if (rows.length === 0) return undefined;
    const zipkin = rows.filter((r) => r.format === 'zipkin').flatMap((r) => JSON.parse(gunzipSync(r.gz).toString()) as unknown[]);
    if (rows.every((r) => r.format === 'zipkin')) return Buffer.from(JSON.stringify(zipkin));
    const lines: Buffer[] = rows.filter((r) => r.format === 'otlp').map((r) => gunzipSync(r.gz));
    if (zipkin.length) {
      const collection = importTraces(Buffer.from(JSON.stringify(zipkin)));
      for (const model of collection.traces) lines.push(otlpJsonLine(collection, model));
    }
    const newline = Buffer.from('\n');
    return Buffer.concat(lines.flatMap((line, i) => (i === 0 ? [line] : [newline, line])));
  }

  status(traceId: string, nowMs = Date.now()): LiveTraceStatus | undefined {
    const row = this.db.prepare('SELECT span_count AS spanCount, last_received_ms AS lastReceivedMs FROM live_traces WHERE trace_id = ?').get(traceId) as
      | { spanCount: number; lastReceivedMs: number }
      | undefined;
    return row && { ...row, receiving: nowMs - row.lastReceivedMs < this.options.quietMs };
  }

  /**
   * Re-indexes traces that received spans since their last indexing, oldest arrival first, until
   * `budgetMs` is spent. Returns how many traces are still waiting.
   */
  indexPending(budgetMs: number): number {
    const deadline = performance.now() + budgetMs;
    const pending = this.db.prepare('SELECT trace_id AS traceId FROM live_traces WHERE indexed = 0 ORDER BY last_received_ms LIMIT 200').all() as { traceId: string }[];
    const { markIndexed, spanCount: spanCountOf } = this.statements;
    // Parse first, then write everything in one transaction: one commit per slice, not per trace.
    const ready: { traceId: string; spanCount: number; model: TraceModel | undefined }[] = [];
    for (const { traceId } of pending) {
      if (performance.now() > deadline) break;
      const spanCount = (spanCountOf.get(traceId) as { n: number }).n;
      let model: TraceModel | undefined;
      try {
        const doc = this.document(traceId);
        model = doc && importTraces(doc).traces.find((t) => t.traceId === traceId);
      } catch {
        model = undefined; // a trace its importer cannot read stays unindexed rather than stopping the indexer
      }
      ready.push({ traceId, spanCount, model });
    }
    this.db.transaction(() => {
      for (const { traceId, spanCount, model } of ready) {
        if (model) this.index(model, undefined);
        markIndexed.run(traceId, spanCount);
      }
    })();
    const done = ready.length;
    // More may wait than this slice looked at.
    return done < pending.length || pending.length === 200 ? 1 : 0;
  }

  /** Drops the oldest received traces beyond the retention limits. Returns how many went. */
  prune(): number {
    const totals = this.db.prepare('SELECT COUNT(*) AS traces, COALESCE(SUM(stored_bytes), 0) AS bytes FROM live_traces').get() as { traces: number; bytes: number };
    let traces = totals.traces;
    let bytes = totals.bytes;
    if (traces <= this.options.maxTraces && bytes <= this.options.maxBytes) return 0;
    const oldest = this.db.prepare('SELECT trace_id AS traceId, stored_bytes AS size FROM live_traces ORDER BY last_received_ms, trace_id LIMIT 1000').iterate() as IterableIterator<{
      traceId: string;
      size: number;
    }>;
    const victims: string[] = [];
    for (const { traceId, size } of oldest) {
      if (traces <= this.options.maxTraces && bytes <= this.options.maxBytes) break;
      victims.push(traceId);
      traces--;
      bytes -= size;
    }
    const rowsOf = this.db.prepare('DELETE FROM traces WHERE file_id IS NULL AND trace_id = ? RETURNING row');
    const deleteSpans = this.db.prepare('DELETE FROM spans WHERE trace_row = ?');
    const deleteTags = this.db.prepare('DELETE FROM span_tags WHERE trace_row = ?');
    const deleteBatches = this.db.prepare('DELETE FROM received_batches WHERE trace_id = ?');
    const deleteLive = this.db.prepare('DELETE FROM live_traces WHERE trace_id = ?');
    this.db.transaction(() => {
      for (const traceId of victims) {
        for (const { row } of rowsOf.all(traceId) as { row: number }[]) {
          deleteSpans.run(row);
          deleteTags.run(row);
        }
        deleteBatches.run(traceId);
        deleteLive.run(traceId);
      }
    })();
    return victims.length;
  }

  /** Spans stored so far, over all received traces (for the ingest benchmark's restart count). */
  totalSpans(): number {
    return (this.db.prepare('SELECT COALESCE(SUM(span_count), 0) AS n FROM live_traces').get() as { n: number }).n;
  }
}

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
