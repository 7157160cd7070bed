// The embedded store: trace files kept in SQLite (WAL), content-addressed, plus a per-span index so they
// can be searched like a Jaeger backend. A file is stored as it came (gzipped), so reopening it gives the
// very same model — and the same span indices a share URL names.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import type { TraceSearchHit, TraceSearchQuery } from '../../src/core/api/backend-api.ts';
import { summarizeTrace } from '../../src/core/analysis/trace-summary.ts';
import { attrValueToString } from '../../src/core/model/attributes.ts';
import { isErrorSpan, type TraceCollection, type TraceModel } from '../../src/core/model/trace-model.ts';

export type StoredOrigin = 'share' | 'demo';

export interface StoredFileMeta {
  readonly id: string;
  readonly name: string;
  readonly format: string;
  readonly byteLength: number;
  readonly traceIds: readonly string[];
  readonly spanCount: number;
}

/** Attribute values longer than this are not indexed (they are still in the stored file). */
const MAX_INDEXED_VALUE_CHARS = 256;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS files (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  format TEXT NOT NULL,
  byte_length INTEGER NOT NULL,
  span_count INTEGER NOT NULL,
  origin TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  content_gzip BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS traces (
  row INTEGER PRIMARY KEY,
  -- NULL for a trace assembled from received spans (see live_traces)
  file_id TEXT REFERENCES files(id) ON DELETE CASCADE,
  trace_id TEXT NOT NULL,
  root_service TEXT NOT NULL,
  root_name TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  start_ns_of_ms INTEGER NOT NULL,
  duration_ns INTEGER NOT NULL,
  span_count INTEGER NOT NULL,
  error_count INTEGER NOT NULL,
  services TEXT NOT NULL,
  UNIQUE (file_id, trace_id)
);
CREATE INDEX IF NOT EXISTS traces_by_trace_id ON traces(trace_id);
CREATE INDEX IF NOT EXISTS traces_by_start ON traces(start_ms);
CREATE TABLE IF NOT EXISTS spans (
  trace_row INTEGER NOT NULL,
  span_no INTEGER NOT NULL,
  service TEXT NOT NULL,
  operation TEXT NOT NULL,
  duration_us INTEGER NOT NULL,
  is_error INTEGER NOT NULL,
  PRIMARY KEY (trace_row, span_no)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS spans_by_service ON spans(service, operation);
CREATE TABLE IF NOT EXISTS span_tags (
  trace_row INTEGER NOT NULL,
  span_no INTEGER NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS span_tags_by_kv ON span_tags(key, value);
CREATE INDEX IF NOT EXISTS span_tags_by_span ON span_tags(trace_row, span_no);
-- Spans received by the OTLP, Zipkin and Datadog receivers, one row per trace per request: an OTLP/JSON
-- line, or for Zipkin the trace's spans as they came (a JSON array; Zipkin merges fragments of a span that
-- arrive apart). The index rows above are rebuilt from them.
CREATE TABLE IF NOT EXISTS received_batches (
  seq INTEGER PRIMARY KEY,
  trace_id TEXT NOT NULL,
  format TEXT NOT NULL,
  received_ms INTEGER NOT NULL,
  span_count INTEGER NOT NULL,
  payload_gzip BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS received_batches_by_trace ON received_batches(trace_id, seq);
CREATE TABLE IF NOT EXISTS live_traces (
  trace_id TEXT PRIMARY KEY,
  first_received_ms INTEGER NOT NULL,
  last_received_ms INTEGER NOT NULL,
  span_count INTEGER NOT NULL,
  stored_bytes INTEGER NOT NULL,
  indexed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS live_traces_by_last ON live_traces(last_received_ms);
CREATE INDEX IF NOT EXISTS live_traces_unindexed ON live_traces(indexed) WHERE indexed = 0;
`;

export class TraceStore {
  /** Shared with LiveTraces, which keeps received spans in the same database. */
  readonly db: Database.Database;

  /** Opens (and creates) `<dataDir>/spanscope.db`. */
  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, 'spanscope.db'));
    this.db.pragma('journal_mode = WAL');
    // FULL: a commit is on disk before the share request is answered, even across a power cut.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  /** True when the database answers (for /readyz). */
  ping(): boolean {
    return this.db.prepare('SELECT 1 AS ok').get() !== undefined;
  }

  static contentId(bytes: Uint8Array): string {
    return createHash('sha256').update(bytes).digest('base64url');
  }

  has(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM files WHERE id = ?').get(id) !== undefined;
  }

  fileMeta(id: string): StoredFileMeta | undefined {
    const file = this.db.prepare('SELECT id, name, format, byte_length AS byteLength, span_count AS spanCount FROM files WHERE id = ?').get(id) as
      | Omit<StoredFileMeta, 'traceIds'>
      | undefined;
    if (!file) return undefined;
    const traceIds = (this.db.prepare('SELECT trace_id FROM traces WHERE file_id = ? ORDER BY row').all(id) as { trace_id: string }[]).map((r) => r.trace_id);
    return { ...file, traceIds };
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
    };
    if (this.has(id)) return meta;
    const content = gzipSync(bytes, { level: 6 });
    const insertFile = this.db.prepare('INSERT INTO files (id, name, format, byte_length, span_count, origin, created_ms, content_gzip) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const index = this.traceIndexer();
    this.db.transaction(() => {
      insertFile.run(id, name, collection.format, bytes.byteLength, meta.spanCount, origin, Date.now(), content);
      for (const model of collection.traces) index(model, id);
    })();
    return meta;
  }

  /**
   * Returns a function that writes a trace's summary, span and attribute rows (call it inside a
   * transaction). `fileId` undefined: a received trace, whose earlier rows it replaces.
   */
  traceIndexer(): (model: TraceModel, fileId: string | undefined) => void {
    const deleteLive = this.db.prepare('DELETE FROM traces WHERE file_id IS NULL AND trace_id = ? RETURNING row');
    const deleteSpans = this.db.prepare('DELETE FROM spans WHERE trace_row = ?');
    const deleteTags = this.db.prepare('DELETE FROM span_tags WHERE trace_row = ?');
    const insertTrace = this.db.prepare(
      'INSERT INTO traces (file_id, trace_id, root_service, root_name, start_ms, start_ns_of_ms, duration_ns, span_count, error_count, services) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertSpan = this.db.prepare('INSERT INTO spans (trace_row, span_no, service, operation, duration_us, is_error) VALUES (?, ?, ?, ?, ?, ?)');
    const insertTag = this.db.prepare('INSERT INTO span_tags (trace_row, span_no, key, value) VALUES (?, ?, ?, ?)');
    return (model, fileId) => {
      if (fileId === undefined) {
        for (const { row: old } of deleteLive.all(model.traceId) as { row: number }[]) {
          deleteSpans.run(old);
          deleteTags.run(old);
        }
      }
      const s = summarizeTrace(model);
      const { lastInsertRowid: row } = insertTrace.run(
        fileId ?? null, model.traceId, s.rootService, s.rootName, s.traceStart.ms, s.traceStart.nsOfMs, Math.round(s.durationNs), s.spanCount, s.errorCount, JSON.stringify(s.services),
      );
      const { strings, attributes } = model.stores;
      for (let i = 0; i < model.spanCount; i++) {
        insertSpan.run(row, i, strings.get(model.serviceId[i]), strings.get(model.nameId[i]), Math.floor(model.durationNs[i] / 1000), isErrorSpan(model, i) ? 1 : 0);
        for (const attr of attributes.read(model.attrStart[i], model.attrCount[i])) {
          const value = attrValueToString(attr.value);
          if (value.length <= MAX_INDEXED_VALUE_CHARS) insertTag.run(row, i, attr.key, value);
        }
      }
    };
  }

  /** The stored file, gzipped, or undefined. */
  fileContent(id: string): { readonly gzip: Buffer; readonly name: string } | undefined {
    const row = this.db.prepare('SELECT content_gzip AS gzip, name FROM files WHERE id = ?').get(id) as { gzip: Buffer; name: string } | undefined;
    return row;
  }

  /** The newest stored file holding this trace. */
  fileOfTrace(traceId: string): string | undefined {
    const row = this.db.prepare('SELECT t.file_id AS id FROM traces t JOIN files f ON f.id = t.file_id WHERE t.trace_id = ? ORDER BY f.created_ms DESC LIMIT 1').get(traceId) as
      | { id: string }
      | undefined;
    return row?.id;
  }

  services(): string[] {
    return (this.db.prepare('SELECT DISTINCT service FROM spans ORDER BY service').all() as { service: string }[]).map((r) => r.service);
  }

  operations(service: string): string[] {
    return (this.db.prepare('SELECT DISTINCT operation FROM spans WHERE service = ? ORDER BY operation').all(service) as { operation: string }[]).map((r) => r.operation);
  }

  tagNames(): string[] {
    return (this.db.prepare('SELECT DISTINCT key FROM span_tags ORDER BY key LIMIT 1000').all() as { key: string }[]).map((r) => r.key);
  }

  tagValues(key: string): string[] {
    return (this.db.prepare('SELECT DISTINCT value FROM span_tags WHERE key = ? ORDER BY value LIMIT 1000').all(key) as { value: string }[]).map((r) => r.value);
  }

  /**
   * Traces with one span matching every span-level filter (Jaeger's rule), newest first. A received
   * trace whose last span came less than `quietMs` ago is marked as still receiving.
   */
  search(query: TraceSearchQuery, limit: number, quietMs = 0, nowMs = Date.now()): TraceSearchHit[] {
    const where: string[] = [];
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
    for (const [key, value] of Object.entries(query.tags ?? {})) {
      spanFilter('EXISTS (SELECT 1 FROM span_tags g WHERE g.trace_row = s.trace_row AND g.span_no = s.span_no AND g.key = ? AND g.value = ?)', key, value);
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
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
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
