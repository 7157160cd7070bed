// The embedded store: trace files kept in SQLite (WAL), content-addressed, plus a per-span index so they
// can be searched like a Jaeger backend. A file is stored as it came (gzipped), so reopening it gives the
// very same model — and the same span indices a share URL names. Spans the receivers take in are kept
// here too (see LiveTraces). This class holds every SQL statement of the server; the tables are in
// store-schema.ts.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import type { TraceSearchHit, TraceSearchQuery } from '../../src/core/api/backend-api.ts';
import { attributeValueTest, type CompareOp } from '../../src/core/analysis/search.ts';
import { equivalentKeys } from '../../src/core/analysis/semconv-keys.ts';
import { summarizeTrace } from '../../src/core/analysis/trace-summary.ts';
import { findStoredContexts } from '../../src/core/analysis/context-finder.ts';
import { attrValueToString } from '../../src/core/model/attributes.ts';
import { isErrorSpan, type TraceCollection, type TraceModel } from '../../src/core/model/trace-model.ts';
import { mergeSummaries, summarizeSpans, type ReceivedSummary } from './received-summary.ts';
import { openSchema } from './store-schema.ts';

/**
 * `share`: an upload, private: readable only through its id (never searched, listed or found by trace id).
 * `public`: an upload its sender asked to be searchable. `demo`: the seeded demo traces, searchable.
 */
export type StoredOrigin = 'share' | 'public' | 'demo';

export interface StoredFileMeta {
  readonly id: string;
  readonly name: string;
  readonly format: string;
  readonly byteLength: number;
  readonly traceIds: readonly string[];
  readonly spanCount: number;
  /** False for a private share (origin `share`). */
  readonly searchable: boolean;
}

/**
 * The index rows of traces that search, the service/operation/tag lists and trace-by-id may show, as a
 * condition on a `traces t` row: received traces and files that are not private shares.
 */
const SEARCHABLE_TRACE = "(t.file_id IS NULL OR EXISTS (SELECT 1 FROM files f WHERE f.id = t.file_id AND f.origin <> 'share'))";

/** Attribute values longer than this are not indexed (they are still in the stored file). */
const MAX_INDEXED_VALUE_CHARS = 256;

/** How a received trace's spans were kept: an OTLP/JSON line, or the Zipkin spans as they came. */
export type ReceivedFormat = 'otlp' | 'zipkin';

/** One request's spans of one trace, ready to store. */
export interface ReceivedBatch {
  readonly model: TraceModel;
  readonly format: ReceivedFormat;
  /** The spans of `spans`, as kept (see ReceivedFormat). */
  readonly payloadGzip: Uint8Array;
  /** Indices into `model` of the spans stored: those not received alike before (at least one). */
  readonly spans: Uint32Array;
  /** The ids and content hashes of the spans as received, to know each when it is sent again. */
  readonly receivedSpans: readonly { readonly spanId: string; readonly contentHash: Uint8Array }[];
}

export interface StoreOptions {
  /** How long a write waits for another connection's transaction (a worker thread can wait longer than the event loop should). */
  readonly busyTimeoutMs?: number;
  /**
   * Wraps each write transaction: the intake workers take turns at the write lock with it (write-turns.ts).
   * Such a store copies the WAL back into the database after each write, outside its turn.
   */
  readonly takeTurn?: <T>(write: () => T) => T;
}

export interface ReceivedTrace {
  readonly traceId: string;
  readonly spanCount: number;
  readonly lastReceivedMs: number;
}

/** A received trace parsed again for its index; `model` undefined when its spans could not be read. */
export interface ReindexedTrace {
  readonly traceId: string;
  /** The span count the model was read at: a trace that grew since stays waiting. */
  readonly spanCount: number;
  readonly model: TraceModel | undefined;
}

/** One trace of a sampling scope: in a stored (demo) file, or received (`fileId` undefined). */
export interface SamplingScopeTrace {
  readonly traceId: string;
  readonly fileId: string | undefined;
  readonly startMs: number;
}

// Received traces (file_id NULL) and searchable files only; one row per trace id (window: received first,
// then the newest file). Parameters: start ms, end ms, inclusive.
const SAMPLING_SCOPE = `SELECT traceId, fileId, startMs, spanCount FROM (
    SELECT t.trace_id AS traceId, t.file_id AS fileId, t.start_ms AS startMs, t.span_count AS spanCount,
      ROW_NUMBER() OVER (PARTITION BY t.trace_id ORDER BY t.file_id IS NOT NULL, f.created_ms DESC, t.row DESC) AS pick
    FROM traces t LEFT JOIN files f ON f.id = t.file_id
    WHERE (t.file_id IS NULL OR f.origin <> 'share') AND t.start_ms BETWEEN ? AND ?
  ) WHERE pick = 1`;

export class TraceStore {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly path: string;
  private readonly takeTurn: (<T>(write: () => T) => T) | undefined;
  private readonly indexTrace: (model: TraceModel, fileId: string) => void;
  private readonly indexReceived: ReturnType<TraceStore['receivedIndexer']>;
  private readonly shareStatements: ReturnType<typeof shareQuotaStatements>;

  /** Opens (and creates, or migrates) `<dataDir>/spanscope.db`. */
  constructor(dataDir: string, { busyTimeoutMs = 5000, takeTurn }: StoreOptions = {}) {
    mkdirSync(dataDir, { recursive: true });
    this.path = join(dataDir, 'spanscope.db');
    this.db = new Database(this.path, { timeout: busyTimeoutMs });
    this.takeTurn = takeTurn;
    // A store that takes turns checkpoints after its writes, outside its turn (see write()), not within
    // the commit that crosses SQLite's threshold.
    if (takeTurn) this.db.pragma('wal_autocheckpoint = 0');
    this.db.pragma('journal_mode = WAL');
    // FULL: a commit is on disk before the share request is answered, even across a power cut.
    this.db.pragma('synchronous = FULL');
    // Per connection, off by default: the index rows' ON DELETE CASCADE needs it.
    this.db.pragma('foreign_keys = ON');
    openSchema(this.db);
    registerTagCompare(this.db);
    const db = this.db;
    this.statements = {
      // Reads the schema page: a file damaged under the open connection fails here.
      ping: db.prepare('SELECT count(*) FROM sqlite_master'),
      fileMeta: db.prepare("SELECT id, name, format, byte_length AS byteLength, span_count AS spanCount, origin <> 'share' AS searchable FROM files WHERE id = ?"),
      publishFile: db.prepare("UPDATE files SET origin = ? WHERE id = ? AND origin = 'share'"),
      fileTraceIds: db.prepare('SELECT trace_id AS traceId FROM traces WHERE file_id = ? ORDER BY row').pluck(),
      insertFile: db.prepare('INSERT INTO files (id, name, format, byte_length, span_count, origin, created_ms, content_gzip) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      fileContent: db.prepare('SELECT content_gzip AS gzip, name FROM files WHERE id = ?'),
      fileOfTrace: db.prepare("SELECT t.file_id FROM traces t JOIN files f ON f.id = t.file_id WHERE t.trace_id = ? AND f.origin <> 'share' ORDER BY f.created_ms DESC LIMIT 1").pluck(),
      // Each distinct value (from the index) kept when one searchable trace holds it: EXISTS stops at the first.
      services: db.prepare(`SELECT d.service FROM (SELECT DISTINCT service FROM spans) d
        WHERE EXISTS (SELECT 1 FROM spans s JOIN traces t ON t.row = s.trace_row WHERE s.service = d.service AND ${SEARCHABLE_TRACE}) ORDER BY d.service`).pluck(),
      operations: db.prepare(`SELECT d.operation FROM (SELECT DISTINCT operation FROM spans WHERE service = @service) d
        WHERE EXISTS (SELECT 1 FROM spans s JOIN traces t ON t.row = s.trace_row WHERE s.service = @service AND s.operation = d.operation AND ${SEARCHABLE_TRACE})
        ORDER BY d.operation`).pluck(),
      tagNames: db.prepare(`SELECT d.key FROM (SELECT DISTINCT key FROM span_tags) d
        WHERE EXISTS (SELECT 1 FROM span_tags g JOIN traces t ON t.row = g.trace_row WHERE g.key = d.key AND ${SEARCHABLE_TRACE}) ORDER BY d.key LIMIT 1000`).pluck(),
      tagValues: db.prepare(`SELECT d.value FROM (SELECT DISTINCT value FROM span_tags WHERE key = @key) d
        WHERE EXISTS (SELECT 1 FROM span_tags g JOIN traces t ON t.row = g.trace_row WHERE g.key = @key AND g.value = d.value AND ${SEARCHABLE_TRACE})
        ORDER BY d.value LIMIT 1000`).pluck(),
      contextCarriers: db.prepare(`SELECT t.trace_id FROM traces t
        WHERE t.row IN (SELECT c.trace_row FROM span_contexts c WHERE c.context_trace_id IN (?, ?)) AND t.trace_id <> ?
          AND t.start_ms BETWEEN ? AND ? AND ${SEARCHABLE_TRACE}
        GROUP BY t.trace_id ORDER BY MAX(t.start_ms) DESC LIMIT ?`),
      receivedSpanCount: db.prepare('SELECT span_count FROM live_traces WHERE trace_id = ?').pluck(),
      receivedTrace: db.prepare('SELECT trace_id AS traceId, span_count AS spanCount, last_received_ms AS lastReceivedMs FROM live_traces WHERE trace_id = ?'),
      insertLive: db.prepare(`INSERT INTO live_traces (trace_id, first_received_ms, last_received_ms, span_count, stored_bytes, indexed)
        VALUES (?, ?, ?, ?, ?, 1)`),
      // indexed = 0: the whole trace is read again for its index (Zipkin: halves of a span merge only then).
      updateLive: db.prepare(`UPDATE live_traces SET last_received_ms = ?, span_count = span_count + ?, stored_bytes = stored_bytes + ?,
        indexed = indexed AND ? WHERE trace_id = ?`),
      insertReceivedSpan: db.prepare('INSERT OR IGNORE INTO received_spans (trace_id, span_id, content_hash) VALUES (?, ?, ?)'),
      hasReceivedSpan: db.prepare('SELECT 1 FROM received_spans WHERE trace_id = ? AND span_id = ? AND content_hash = ?').pluck(),
      insertBatch: db.prepare('INSERT INTO received_batches (trace_id, format, received_ms, span_count, payload_gzip) VALUES (?, ?, ?, ?, ?)'),
      batches: db.prepare('SELECT format, payload_gzip AS payloadGzip FROM received_batches WHERE trace_id = ? ORDER BY seq'),
      unindexed: db.prepare('SELECT trace_id AS traceId, span_count AS spanCount FROM live_traces WHERE indexed = 0 ORDER BY last_received_ms LIMIT ?'),
      markIndexed: db.prepare('UPDATE live_traces SET indexed = 1 WHERE trace_id = ? AND span_count = ?'),
      receivedTotals: db.prepare('SELECT COUNT(*) AS traces, COALESCE(SUM(stored_bytes), 0) AS bytes FROM live_traces'),
      oldestReceived: db.prepare('SELECT trace_id AS traceId, stored_bytes AS size FROM live_traces ORDER BY last_received_ms, trace_id LIMIT 1000'),
      // Cascades: the batches go with the live_traces row, the span and tag rows with the traces row.
      deleteReceivedIndex: db.prepare('DELETE FROM traces WHERE file_id IS NULL AND trace_id = ?'),
      deleteReceived: db.prepare('DELETE FROM live_traces WHERE trace_id = ?'),
      samplingScope: db.prepare(`${SAMPLING_SCOPE} ORDER BY startMs, traceId`),
      samplingScopeSize: db.prepare(`SELECT COUNT(*) AS traces, COALESCE(SUM(spanCount), 0) AS spans FROM (${SAMPLING_SCOPE})`),
    };
    this.indexTrace = this.traceIndexer();
    this.indexReceived = this.receivedIndexer();
    this.shareStatements = shareQuotaStatements(db);
  }

  close(): void {
    this.db.close();
  }

  /**
   * A write transaction, taking the write lock when it begins (BEGIN IMMEDIATE): several connections write
   * (the intake workers, the documents worker, the main thread), and a transaction that read before it wrote
   * could not take the lock once another had committed.
   */
  private write<T>(body: () => T): T {
    if (!this.takeTurn) return this.db.transaction(body).immediate();
    const result = this.takeTurn(() => this.db.transaction(body).immediate());
    // Outside the turn: copying the WAL back does not hold up the other writer.
    this.db.pragma('wal_checkpoint(PASSIVE)');
    return result;
  }

  /** Throws the database's error when the store cannot be read (for /readyz). */
  ping(): void {
    this.statements.ping.get();
    // The open connection keeps its file open even once it is deleted or moved: open it again by its path.
    const fresh = new Database(this.path, { readonly: true, fileMustExist: true, timeout: 0 });
    try {
      fresh.pragma('schema_version');
    } finally {
      fresh.close();
    }
  }

  static contentId(bytes: Uint8Array): string {
    return createHash('sha256').update(bytes).digest('base64url');
  }

  fileMeta(id: string): StoredFileMeta | undefined {
    const file = this.statements.fileMeta.get(id) as (Omit<StoredFileMeta, 'traceIds' | 'searchable'> & { searchable: number }) | undefined;
    if (!file) return undefined;
    return { ...file, searchable: file.searchable === 1, traceIds: this.statements.fileTraceIds.all(id) as string[] };
  }

  /** Makes a private share searchable (`public` or `demo`); a searchable file stays as it is. */
  publish(id: string, origin: Exclude<StoredOrigin, 'share'>): void {
    this.statements.publishFile.run(origin, id);
  }

  /**
   * Stores a parsed file and its index in one transaction; a file already stored is left as it is.
   * `id` is contentId(bytes), when the caller has it already (hashing 200 MB twice is noticeable).
   */
  put(bytes: Uint8Array, collection: TraceCollection, name: string, origin: StoredOrigin, id = TraceStore.contentId(bytes)): StoredFileMeta {
    const meta: StoredFileMeta = {
      id,
      name,
      format: collection.format,
      byteLength: bytes.byteLength,
      traceIds: collection.traces.map((t) => t.traceId),
      spanCount: collection.traces.reduce((n, t) => n + t.spanCount, 0),
      searchable: origin !== 'share',
    };
    const stored = this.fileMeta(id);
    if (stored) {
      if (origin !== 'share') this.publish(id, origin);
      return { ...stored, searchable: stored.searchable || origin !== 'share' };
    }
    const content = gzipSync(bytes, { level: 6 });
    this.write(() => {
      this.statements.insertFile.run(id, name, collection.format, bytes.byteLength, meta.spanCount, origin, Date.now(), content);
      for (const model of collection.traces) this.indexTrace(model, id);
    });
    return meta;
  }

  /** A function that writes a stored file's trace: its summary, span and attribute rows (call it inside a transaction). */
  private traceIndexer(): (model: TraceModel, fileId: string) => void {
    const insertTrace = this.db.prepare(
      'INSERT INTO traces (file_id, trace_id, root_service, root_name, start_ms, start_ns_of_ms, duration_ns, span_count, error_count, services) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const writeSpans = this.spanRowWriter();
    return (model, fileId) => {
      const s = summarizeTrace(model);
      const { lastInsertRowid: row } = insertTrace.run(
        fileId, model.traceId, s.rootService, s.rootName, s.traceStart.ms, s.traceStart.nsOfMs, Math.round(s.durationNs), s.spanCount, s.errorCount, JSON.stringify(s.services),
      );
      writeSpans(row, model, allSpans(model), 0);
    };
  }

  /** Writes the span and attribute rows of `spans` (indices into `model`), numbered from `firstSpanNo`. */
  private spanRowWriter(): (row: number | bigint, model: TraceModel, spans: ArrayLike<number>, firstSpanNo: number) => void {
    const insertSpan = this.db.prepare('INSERT INTO spans (trace_row, span_no, service, operation, duration_us, is_error) VALUES (?, ?, ?, ?, ?, ?)');
    const insertTag = this.db.prepare('INSERT INTO span_tags (trace_row, span_no, key, value) VALUES (?, ?, ?, ?)');
    const insertContext = this.db.prepare('INSERT INTO span_contexts (trace_row, span_no, context_trace_id) VALUES (?, ?, ?)');
    return (row, model, spans, firstSpanNo) => {
      const { strings, attributes } = model.stores;
      // Each written span's number, -1 for the model's spans not written here (the contexts below need it).
      const spanNoOf = new Int32Array(model.spanCount).fill(-1);
      for (let k = 0; k < spans.length; k++) {
        const i = spans[k];
        const spanNo = firstSpanNo + k;
        spanNoOf[i] = spanNo;
        insertSpan.run(row, spanNo, strings.get(model.serviceId[i]), strings.get(model.nameId[i]), Math.floor(model.durationNs[i] / 1000), isErrorSpan(model, i) ? 1 : 0);
        for (const attr of attributes.read(model.attrStart[i], model.attrCount[i])) {
          const value = attrValueToString(attr.value);
          if (value.length <= MAX_INDEXED_VALUE_CHARS) insertTag.run(row, spanNo, attr.key, value);
        }
      }
      for (const context of findStoredContexts([model])) {
        const spanNo = spanNoOf[context.from.span];
        if (context.traceId !== model.traceId && spanNo >= 0) insertContext.run(row, spanNo, context.traceId);
      }
    };
  }

  /** The stored file, gzipped, or undefined. */
  fileContent(id: string): { readonly gzip: Buffer; readonly name: string } | undefined {
    return this.statements.fileContent.get(id) as { gzip: Buffer; name: string } | undefined;
  }

  /** The newest searchable stored file holding this trace (never a private share). */
  fileOfTrace(traceId: string): string | undefined {
    return this.statements.fileOfTrace.get(traceId) as string | undefined;
  }

  /** Spans received so far for a trace; undefined when none were. */
  receivedSpanCount(traceId: string): number | undefined {
    return this.statements.receivedSpanCount.get(traceId) as number | undefined;
  }

  receivedTrace(traceId: string): ReceivedTrace | undefined {
    return this.statements.receivedTrace.get(traceId) as ReceivedTrace | undefined;
  }

  /** True when this span (trace id, span id, content hash) was received already. */
  hasReceivedSpan(traceId: string, spanId: string, contentHash: Uint8Array): boolean {
    return this.statements.hasReceivedSpan.get(traceId, spanId, contentHash) !== undefined;
  }

  /**
   * Stores the received batches `plan` makes, in one transaction, committed when this returns. `plan` runs
   * inside it, holding the write lock: what it reads of the received traces stays true until the commit,
   * whoever else writes (another intake worker). Returns what `plan` returned with them. The index grows by each
   * batch's spans (a trace's row is updated, never rebuilt); a Zipkin batch joining a trace marks it for
   * re-indexing instead, as halves of one Zipkin span merge only when the whole trace is read.
   */
  writeReceived<T>(plan: () => { readonly batches: readonly ReceivedBatch[]; readonly result: T }, nowMs: number): T {
    const { receivedSpanCount, insertLive, updateLive, insertBatch, insertReceivedSpan } = this.statements;
    return this.write(() => {
      const { batches, result } = plan();
      for (const batch of batches) {
        const { model, format, payloadGzip, spans, receivedSpans } = batch;
        const traceId = model.traceId;
        if (receivedSpanCount.get(traceId) === undefined) {
          insertLive.run(traceId, nowMs, nowMs, spans.length, payloadGzip.byteLength);
          this.indexReceived.first(model, spans);
        } else {
          const incremental = format === 'otlp' && this.indexReceived.append(model, spans);
          updateLive.run(nowMs, spans.length, payloadGzip.byteLength, incremental ? 1 : 0, traceId);
        }
        insertBatch.run(traceId, format, nowMs, spans.length, payloadGzip);
        for (const { spanId, contentHash } of receivedSpans) insertReceivedSpan.run(traceId, spanId, contentHash);
      }
      return result;
    });
  }

  /**
   * Index rows of received traces: `first` writes a new trace's row, `append` adds a batch's spans to the
   * row there is (false when there is none: the trace waits for re-indexing).
   */
  private receivedIndexer() {
    const db = this.db;
    const { deleteReceivedIndex } = this.statements;
    const insertTrace = db.prepare(
      'INSERT INTO traces (file_id, trace_id, root_service, root_name, start_ms, start_ns_of_ms, duration_ns, span_count, error_count, services) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const updateTrace = db.prepare(
      'UPDATE traces SET root_service = ?, root_name = ?, start_ms = ?, start_ns_of_ms = ?, duration_ns = ?, span_count = ?, error_count = ?, services = ? WHERE row = ?',
    );
    const setRoot = db.prepare('UPDATE live_traces SET root_parentless = ?, root_start_ms = ?, root_start_ns_of_ms = ? WHERE trace_id = ?');
    const currentRow = db.prepare(`SELECT t.row, t.root_service AS rootService, t.root_name AS rootName, t.start_ms AS startMs, t.start_ns_of_ms AS startNsOfMs,
        t.duration_ns AS durationNs, t.span_count AS spanCount, t.error_count AS errorCount, t.services,
        l.root_parentless AS rootParentless, l.root_start_ms AS rootStartMs, l.root_start_ns_of_ms AS rootStartNsOfMs
      FROM traces t JOIN live_traces l ON l.trace_id = t.trace_id WHERE t.file_id IS NULL AND t.trace_id = ?`);
    const writeSpans = this.spanRowWriter();
    const rowValues = (s: ReceivedSummary) => {
      const durationNs = (s.end.ms - s.start.ms) * 1e6 + (s.end.nsOfMs - s.start.nsOfMs);
      return [s.root.service, s.root.name, s.start.ms, s.start.nsOfMs, Math.round(durationNs), s.spanCount, s.errorCount, JSON.stringify(s.services)] as const;
    };
    return {
      first: (model: TraceModel, spans: Uint32Array): void => {
        deleteReceivedIndex.run(model.traceId);
        const summary = summarizeSpans(model, spans);
        const { lastInsertRowid: row } = insertTrace.run(model.traceId, ...rowValues(summary));
        setRoot.run(summary.root.parentless ? 1 : 0, summary.root.start.ms, summary.root.start.nsOfMs, model.traceId);
        writeSpans(row, model, spans, 0);
      },
      append: (model: TraceModel, spans: Uint32Array): boolean => {
        const r = currentRow.get(model.traceId) as CurrentReceivedRow | undefined;
        if (!r) return false;
        const start = { ms: r.startMs, nsOfMs: r.startNsOfMs };
        const sofar: ReceivedSummary = {
          start,
          end: { ms: r.startMs + Math.floor((r.startNsOfMs + r.durationNs) / 1e6), nsOfMs: (r.startNsOfMs + r.durationNs) % 1e6 },
          spanCount: r.spanCount,
          errorCount: r.errorCount,
          services: JSON.parse(r.services) as string[],
          root: { parentless: r.rootParentless === 1, start: { ms: r.rootStartMs, nsOfMs: r.rootStartNsOfMs }, service: r.rootService, name: r.rootName },
        };
        const merged = mergeSummaries(sofar, summarizeSpans(model, spans));
        updateTrace.run(...rowValues(merged), r.row);
        if (merged.root !== sofar.root) setRoot.run(merged.root.parentless ? 1 : 0, merged.root.start.ms, merged.root.start.nsOfMs, model.traceId);
        writeSpans(r.row, model, spans, r.spanCount);
        return true;
      },
    };
  }

  /** A received trace's batches in arrival order. */
  receivedBatches(traceId: string): { readonly format: ReceivedFormat; readonly payloadGzip: Buffer }[] {
    return this.statements.batches.all(traceId) as { format: ReceivedFormat; payloadGzip: Buffer }[];
  }

  /** Received traces that got spans since their last indexing, oldest arrival first. */
  unindexedReceived(limit: number): { readonly traceId: string; readonly spanCount: number }[] {
    return this.statements.unindexed.all(limit) as { traceId: string; spanCount: number }[];
  }

  /** Writes the new index of received traces, one transaction for them all. */
  reindexReceived(traces: readonly ReindexedTrace[]): void {
    this.write(() => {
      for (const { traceId, spanCount, model } of traces) {
        if (model) this.indexReceived.first(model, allSpans(model));
        this.statements.markIndexed.run(traceId, spanCount);
      }
    });
  }

  /** Drops the received traces that arrived last longest ago, beyond the limits. Returns how many went. */
  pruneReceived(maxTraces: number, maxBytes: number): number {
    const totals = this.statements.receivedTotals.get() as { traces: number; bytes: number };
    let { traces, bytes } = totals;
    if (traces <= maxTraces && bytes <= maxBytes) return 0;
    const victims: string[] = [];
    for (const { traceId, size } of this.statements.oldestReceived.iterate() as IterableIterator<{ traceId: string; size: number }>) {
      if (traces <= maxTraces && bytes <= maxBytes) break;
      victims.push(traceId);
      traces--;
      bytes -= size;
    }
    this.write(() => {
      for (const traceId of victims) {
        this.statements.deleteReceivedIndex.run(traceId);
        this.statements.deleteReceived.run(traceId);
      }
    });
    return victims.length;
  }

  /** Uploads, private and public (not demo files): how many, and their bytes as uploaded. */
  shareUsage(): ShareUsage {
    return this.shareStatements.usage.get() as ShareUsage;
  }

  /** Records that a stored file was opened (or shared again): it is the last the quota evicts. */
  markShareOpened(id: string, nowMs: number): void {
    this.shareStatements.markOpened.run(nowMs, id);
  }

  /** Deletes the shares last opened before `cutoffMs`; returns how many went. */
  deleteSharesOpenedBefore(cutoffMs: number): number {
    return this.shareStatements.deleteOpenedBefore.run(cutoffMs).changes;
  }

  /** Deletes the least recently opened shares until theirs total at most `maxBytes`; returns their ids. */
  evictSharesBeyond(maxBytes: number): string[] {
    let { bytes } = this.shareUsage();
    if (bytes <= maxBytes) return [];
    const victims: string[] = [];
    for (const { id, size } of this.shareStatements.leastRecentlyOpened.iterate() as IterableIterator<{ id: string; size: number }>) {
      if (bytes <= maxBytes) break;
      victims.push(id);
      bytes -= size;
    }
    this.write(() => victims.forEach((id) => this.shareStatements.deleteFile.run(id)));
    return victims;
  }

  /**
   * The traces a sampling evaluation of the store covers, trace start in [startMs, endMs], earliest
   * first: received traces, the seeded demo files and public uploads — never private shares, which are
   * readable only through their id. A trace held twice counts once: received spans first (they grow), else the newest file.
   */
  samplingScope(startMs: number, endMs: number): SamplingScopeTrace[] {
    return (this.statements.samplingScope.all(startMs, endMs) as { traceId: string; fileId: string | null; startMs: number }[]).map((r) => ({
      traceId: r.traceId,
      fileId: r.fileId ?? undefined,
      startMs: r.startMs,
    }));
  }

  /** How many traces and spans samplingScope would give. */
  samplingScopeSize(startMs: number, endMs: number): { readonly traces: number; readonly spans: number } {
    return this.statements.samplingScopeSize.get(startMs, endMs) as { traces: number; spans: number };
  }

  services(): string[] {
    return this.statements.services.all() as string[];
  }

  operations(service: string): string[] {
    return this.statements.operations.all({ service }) as string[];
  }

  tagNames(): string[] {
    return this.statements.tagNames.all() as string[];
  }

  tagValues(key: string): string[] {
    return this.statements.tagValues.all({ key }) as string[];
  }

  /**
   * Searchable traces starting in [startMs, endMs] that store `traceId`'s context in their span data
   * (see span_contexts), newest first. A context written with only the low 64 bits (Datadog) counts too.
   */
  contextCarriers(traceId: string, startMs: number, endMs: number, limit: number): string[] {
    const rows = this.statements.contextCarriers.all(traceId, traceId.slice(-16), traceId, startMs, endMs, limit) as { trace_id: string }[];
    return rows.map((r) => r.trace_id);
  }

  /**
   * Searchable traces (no private share) with one span matching every span-level filter (Jaeger's rule),
   * newest first. A received
   * trace whose last span came less than `quietMs` ago is marked as still receiving.
   */
  search(query: TraceSearchQuery, limit: number, quietMs = 0, nowMs = Date.now()): TraceSearchHit[] {
    const where: string[] = [SEARCHABLE_TRACE];
    const params: (string | number)[] = [];
    const spanFilters: string[] = [];
    const spanFilter = (sql: string, ...values: (string | number)[]) => {
      spanFilters.push(sql);
      params.push(...values);
    };
    if (query.service) spanFilter('s.service = ?', query.service);
    if (query.operation) spanFilter('s.operation = ?', query.operation);
    if (query.minDurationUs !== undefined) spanFilter('s.duration_us >= ?', query.minDurationUs);
    if (query.maxDurationUs !== undefined) spanFilter('s.duration_us <= ?', query.maxDurationUs);
    if (query.errorsOnly) spanFilter('s.is_error = 1');
    for (const filter of query.tags ?? []) {
      // error=true: the span is an error by its status (OTel ERROR), as in a trace and in Jaeger.
      if (filter.kind === 'error') {
        spanFilter('s.is_error = ?', filter.value ? 1 : 0);
        continue;
      }
      // Either name of a renamed semantic-convention key, compared as search.ts compares in a trace.
      const keys = equivalentKeys(filter.key);
      spanFilter(
        `EXISTS (SELECT 1 FROM span_tags g WHERE g.trace_row = s.trace_row AND g.span_no = s.span_no AND g.key IN (${keys.map(() => '?').join(', ')}) AND tag_compare(g.value, ?, ?))`,
        ...keys,
        filter.op,
        filter.value,
      );
    }
    if (spanFilters.length) where.push(`t.row IN (SELECT s.trace_row FROM spans s WHERE ${spanFilters.join(' AND ')})`);
    if (query.startMs !== undefined) {
      where.push('t.start_ms >= ?');
      params.push(query.startMs);
    }
    if (query.endMs !== undefined) {
      where.push('t.start_ms <= ?');
      params.push(query.endMs);
    }
    const sql = `SELECT t.trace_id, t.root_service, t.root_name, t.start_ms, t.start_ns_of_ms, t.duration_ns, t.span_count, t.error_count, t.services,
        l.last_received_ms
      FROM traces t LEFT JOIN live_traces l ON t.file_id IS NULL AND l.trace_id = t.trace_id
      WHERE ${where.join(' AND ')}
      ORDER BY t.start_ms DESC, t.row DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, limit) as SearchRow[];
    const seen = new Set<string>();
    const hits: TraceSearchHit[] = [];
    for (const r of rows) {
      if (seen.has(r.trace_id)) continue; // the same trace in two stored files
      seen.add(r.trace_id);
      hits.push({
        traceId: r.trace_id,
        rootService: r.root_service,
        rootName: r.root_name,
        traceStart: { ms: r.start_ms, nsOfMs: r.start_ns_of_ms },
        durationNs: r.duration_ns,
        spanCount: r.span_count,
        errorCount: r.error_count,
        services: JSON.parse(r.services) as string[],
        ...(r.last_received_ms !== null ? { receiving: nowMs - r.last_received_ms < quietMs } : {}),
      });
    }
    return hits;
  }
}

// The share quota's statements (policy in share-quota.ts). Uploads count, private or public (both come
// from anonymous clients), never the demo files; one never opened counts as opened when it was stored.
// Deleting a file row takes its trace, span and attribute rows with it (ON DELETE CASCADE).
const SHARE_LAST_OPENED = 'COALESCE(last_opened_ms, created_ms)';
const UPLOADED = "origin IN ('share', 'public')";
function shareQuotaStatements(db: Database.Database) {
  return {
    usage: db.prepare(`SELECT COUNT(*) AS files, COALESCE(SUM(byte_length), 0) AS bytes FROM files WHERE ${UPLOADED}`),
    leastRecentlyOpened: db.prepare(`SELECT id, byte_length AS size FROM files WHERE ${UPLOADED} ORDER BY ${SHARE_LAST_OPENED}, created_ms, id`),
    deleteFile: db.prepare(`DELETE FROM files WHERE id = ? AND ${UPLOADED}`),
    deleteOpenedBefore: db.prepare(`DELETE FROM files WHERE ${UPLOADED} AND ${SHARE_LAST_OPENED} < ?`),
    markOpened: db.prepare('UPDATE files SET last_opened_ms = ? WHERE id = ?'),
  };
}

export interface ShareUsage {
  readonly files: number;
  readonly bytes: number;
}

/** Every span of a model, as the index writers take them. */
export function allSpans(model: TraceModel): Uint32Array {
  const spans = new Uint32Array(model.spanCount);
  for (let i = 0; i < spans.length; i++) spans[i] = i;
  return spans;
}

interface CurrentReceivedRow {
  row: number;
  rootService: string;
  rootName: string;
  startMs: number;
  startNsOfMs: number;
  durationNs: number;
  spanCount: number;
  errorCount: number;
  services: string;
  rootParentless: number;
  rootStartMs: number;
  rootStartNsOfMs: number;
}

interface SearchRow {
  trace_id: string;
  root_service: string;
  root_name: string;
  start_ms: number;
  start_ns_of_ms: number;
  duration_ns: number;
  span_count: number;
  error_count: number;
  services: string;
  last_received_ms: number | null;
}

const COMPARE_OPS: readonly CompareOp[] = ['=', '!=', '>', '>=', '<', '<='];

/** tag_compare(value, op, wanted): the search language's attribute comparison (search.ts) inside SQL. */
function registerTagCompare(db: Database.Database): void {
  // One query compares many rows against the same few filters: keep the compiled tests of the last ones.
  const compiled = new Map<string, (value: string) => boolean>();
  db.function('tag_compare', { deterministic: true }, (value: unknown, op: unknown, wanted: unknown) => {
    const key = `${String(op)}\u0000${String(wanted)}`;
    let test = compiled.get(key);
    if (!test) {
      const compareOp = COMPARE_OPS.find((o) => o === op);
      if (compareOp === undefined) throw new Error(`tag_compare: unknown operator ${String(op)}`);
      if (compiled.size > 64) compiled.clear();
      compiled.set(key, (test = attributeValueTest(compareOp, String(wanted))));
    }
    return test(String(value)) ? 1 : 0;
  });
}
