// The embedded store's tables, and the step from each older layout to this one. `PRAGMA user_version`
// holds the layout's number; 0 is a new database or one written before the number was kept.
import type Database from 'better-sqlite3';

export const SCHEMA_VERSION = 4;

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
-- The index rows of a trace go with it (ON DELETE CASCADE): deleting a trace row is all it takes.
CREATE TABLE IF NOT EXISTS spans (
  trace_row INTEGER NOT NULL REFERENCES traces(row) ON DELETE CASCADE,
  span_no INTEGER NOT NULL,
  service TEXT NOT NULL,
  operation TEXT NOT NULL,
  duration_us INTEGER NOT NULL,
  is_error INTEGER NOT NULL,
  PRIMARY KEY (trace_row, span_no)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS spans_by_service ON spans(service, operation);
CREATE TABLE IF NOT EXISTS span_tags (
  trace_row INTEGER NOT NULL REFERENCES traces(row) ON DELETE CASCADE,
  span_no INTEGER NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS span_tags_by_kv ON span_tags(key, value);
CREATE INDEX IF NOT EXISTS span_tags_by_span ON span_tags(trace_row, span_no);
-- Version 4: the trace contexts a span stores as data (a traceparent in a queue message's headers…), by the
-- trace they name, so "which traces carry this trace's context" is an index lookup. Often in values too
-- long for span_tags. Traces indexed before version 4 have none until they are indexed again.
CREATE TABLE IF NOT EXISTS span_contexts (
  trace_row INTEGER NOT NULL REFERENCES traces(row) ON DELETE CASCADE,
  span_no INTEGER NOT NULL,
  context_trace_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS span_contexts_by_trace ON span_contexts(context_trace_id);
CREATE INDEX IF NOT EXISTS span_contexts_by_row ON span_contexts(trace_row);
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
-- Spans received by the OTLP, Zipkin and Datadog receivers, one row per trace per request: an OTLP/JSON
-- line, or for Zipkin the trace's spans as they came (a JSON array; Zipkin merges fragments of a span that
-- arrive apart). The index rows above are rebuilt from them.
CREATE TABLE IF NOT EXISTS received_batches (
  seq INTEGER PRIMARY KEY,
  trace_id TEXT NOT NULL REFERENCES live_traces(trace_id) ON DELETE CASCADE,
  format TEXT NOT NULL,
  received_ms INTEGER NOT NULL,
  span_count INTEGER NOT NULL,
  payload_gzip BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS received_batches_by_trace ON received_batches(trace_id, seq);
`;

// Version 4. A received span's ids and a hash of its content: a span sent again alike (an exporter's
// retry) is stored once. Same ids, other content: both kept (the importer flags the duplicate id).
const RECEIVED_SPANS = `
CREATE TABLE IF NOT EXISTS received_spans (
  trace_id TEXT NOT NULL REFERENCES live_traces(trace_id) ON DELETE CASCADE,
  span_id TEXT NOT NULL,
  content_hash BLOB NOT NULL,
  PRIMARY KEY (trace_id, span_id, content_hash)
) WITHOUT ROWID;
`;

/**
 * Version 4: the received spans' content hashes (above), and which span a received trace's index row
 * names as its root, so an appended batch updates the row without reading the trace again: a span with
 * no parent beats one whose parent is elsewhere, then the earlier start wins.
 */
function addReceivedSpansAndRoot(db: Database.Database): void {
  db.exec(RECEIVED_SPANS);
  const columns = (db.pragma('table_info(live_traces)') as { name: string }[]).map((c) => c.name);
  if (!columns.includes('root_parentless')) {
    db.exec('ALTER TABLE live_traces ADD COLUMN root_parentless INTEGER NOT NULL DEFAULT 0');
    db.exec('ALTER TABLE live_traces ADD COLUMN root_start_ms INTEGER NOT NULL DEFAULT 0');
    db.exec('ALTER TABLE live_traces ADD COLUMN root_start_ns_of_ms INTEGER NOT NULL DEFAULT 0');
  }
}

/**
 * Version 3: a shared file's last opening, for the share quota (least recently opened go first, and
 * a share unopened for sharing.maxAgeDays is deleted). Added when missing, so it runs alike on a
 * version 0, 1 or 2 database and on a new one; a file counts as opened when it was stored.
 */
function addShareOpenedColumn(db: Database.Database): void {
  const columns = (db.pragma('table_info(files)') as { name: string }[]).map((c) => c.name);
  // NULL until first opened: the file counts as opened when it was stored (inserts need not know the column).
  if (!columns.includes('last_opened_ms')) db.exec('ALTER TABLE files ADD COLUMN last_opened_ms INTEGER');
  db.exec('CREATE INDEX IF NOT EXISTS files_by_last_opened ON files(origin, COALESCE(last_opened_ms, created_ms))');
}

/** The tables that gained a foreign key in version 1, with the parent a kept row must have. */
const GAINED_FOREIGN_KEY_IN_V1 = [
  { table: 'spans', indexes: ['spans_by_service'], keep: 'trace_row IN (SELECT row FROM traces)' },
  { table: 'span_tags', indexes: ['span_tags_by_kv', 'span_tags_by_span'], keep: 'trace_row IN (SELECT row FROM traces)' },
  { table: 'received_batches', indexes: ['received_batches_by_trace'], keep: 'trace_id IN (SELECT trace_id FROM live_traces)' },
] as const;

/** Creates the tables, or brings an older database up to SCHEMA_VERSION, in one transaction. */
export function openSchema(db: Database.Database): void {
  // IMMEDIATE, and the version read inside: the server's threads open the store at once; the first
  // migrates, the others wait for it and find the layout current.
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`The data directory was written by a newer Spanscope (store schema ${version}); this one reads schema ${SCHEMA_VERSION} and older`);
    }
    const hasTables = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'spans'").get() !== undefined;
    if (version === 0 && hasTables) migrateToV1(db);
    else db.exec(SCHEMA);
    addShareOpenedColumn(db);
    addReceivedSpansAndRoot(db);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

/**
 * Version 0 had no foreign keys on the index and batch tables. SQLite cannot add one to a table, so each
 * is re-created and its rows copied over: the rows that lost their parent (left by a delete that missed
 * them) are the ones not copied.
 */
function migrateToV1(db: Database.Database): void {
  for (const { table, indexes } of GAINED_FOREIGN_KEY_IN_V1) {
    for (const index of indexes) db.exec(`DROP INDEX IF EXISTS ${index}`);
    db.exec(`ALTER TABLE ${table} RENAME TO ${table}_v0`);
  }
  db.exec(SCHEMA);
  for (const { table, keep } of GAINED_FOREIGN_KEY_IN_V1) {
    const columns = (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name).join(', ');
    db.exec(`INSERT INTO ${table} (${columns}) SELECT ${columns} FROM ${table}_v0 WHERE ${keep}`);
    db.exec(`DROP TABLE ${table}_v0`);
  }
}
