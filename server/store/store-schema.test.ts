import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { importTraces } from '../../src/core/import/index.ts';
import { REAL_FIXTURES, tempDataDir } from '../test-server.ts';
import { SCHEMA_VERSION } from './store-schema.ts';
import { TraceStore } from './trace-store.ts';

/** The layout before schema versions: no foreign keys from the index and batch tables. */
const SCHEMA_V0 = `
CREATE TABLE files (id TEXT PRIMARY KEY, name TEXT NOT NULL, format TEXT NOT NULL, byte_length INTEGER NOT NULL, span_count INTEGER NOT NULL,
  origin TEXT NOT NULL, created_ms INTEGER NOT NULL, content_gzip BLOB NOT NULL);
CREATE TABLE traces (row INTEGER PRIMARY KEY, file_id TEXT REFERENCES files(id) ON DELETE CASCADE, trace_id TEXT NOT NULL, root_service TEXT NOT NULL,
  root_name TEXT NOT NULL, start_ms INTEGER NOT NULL, start_ns_of_ms INTEGER NOT NULL, duration_ns INTEGER NOT NULL, span_count INTEGER NOT NULL,
  error_count INTEGER NOT NULL, services TEXT NOT NULL, UNIQUE (file_id, trace_id));
CREATE INDEX traces_by_trace_id ON traces(trace_id);
CREATE INDEX traces_by_start ON traces(start_ms);
CREATE TABLE spans (trace_row INTEGER NOT NULL, span_no INTEGER NOT NULL, service TEXT NOT NULL, operation TEXT NOT NULL, duration_us INTEGER NOT NULL,
  is_error INTEGER NOT NULL, PRIMARY KEY (trace_row, span_no)) WITHOUT ROWID;
CREATE INDEX spans_by_service ON spans(service, operation);
CREATE TABLE span_tags (trace_row INTEGER NOT NULL, span_no INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX span_tags_by_kv ON span_tags(key, value);
CREATE INDEX span_tags_by_span ON span_tags(trace_row, span_no);
CREATE TABLE received_batches (seq INTEGER PRIMARY KEY, trace_id TEXT NOT NULL, format TEXT NOT NULL, received_ms INTEGER NOT NULL,
  span_count INTEGER NOT NULL, payload_gzip BLOB NOT NULL);
CREATE INDEX received_batches_by_trace ON received_batches(trace_id, seq);
CREATE TABLE live_traces (trace_id TEXT PRIMARY KEY, first_received_ms INTEGER NOT NULL, last_received_ms INTEGER NOT NULL, span_count INTEGER NOT NULL,
  stored_bytes INTEGER NOT NULL, indexed INTEGER NOT NULL DEFAULT 0);
CREATE INDEX live_traces_by_last ON live_traces(last_received_ms);
CREATE INDEX live_traces_unindexed ON live_traces(indexed) WHERE indexed = 0;
`;

const FIXTURE = 'zipkin/zipkin__netflix.json';
const RECEIVED = 'ab'.repeat(16);
const stores: TraceStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

/**
 * A data directory as the previous version left it: a stored file with its index, a received trace with
 * its index and batch, and the orphans a missed delete left (index rows and a batch of a trace gone).
 */
function writeV0DataDir(origin: 'share' | 'demo' = 'demo'): { dir: string; traceId: string } {
  const dir = tempDataDir();
  const bytes = readFileSync(join(REAL_FIXTURES, FIXTURE));
  const [model] = importTraces(bytes).traces;
  const db = new Database(join(dir, 'spanscope.db'));
  db.exec(SCHEMA_V0);
  db.prepare("INSERT INTO files VALUES ('f1', 'netflix.json', 'zipkin-v2', ?, ?, ?, 1, ?)").run(bytes.byteLength, model.spanCount, origin, gzipSync(bytes));
  const trace = db.prepare("INSERT INTO traces VALUES (?, ?, ?, 'svc', 'op', 1000, 0, 5000, ?, 0, '[\"svc\"]')");
  trace.run(1, 'f1', model.traceId, model.spanCount);
  trace.run(2, null, RECEIVED, 1);
  const span = db.prepare('INSERT INTO spans VALUES (?, ?, ?, ?, 5, 0)');
  const tag = db.prepare('INSERT INTO span_tags VALUES (?, ?, ?, ?)');
  for (let i = 0; i < model.spanCount; i++) span.run(1, i, 'edge', `op${i}`);
  tag.run(1, 0, 'http.path', '/api');
  span.run(2, 0, 'received-svc', 'get');
  tag.run(2, 0, 'peer', 'db');
  span.run(99, 0, 'orphan-svc', 'gone');
  tag.run(99, 0, 'orphan', 'yes');
  db.prepare('INSERT INTO live_traces VALUES (?, 10, 10, 1, 3, 1)').run(RECEIVED);
  db.prepare("INSERT INTO received_batches (trace_id, format, received_ms, span_count, payload_gzip) VALUES (?, 'otlp', 10, 1, x'00')").run(RECEIVED);
  db.prepare("INSERT INTO received_batches (trace_id, format, received_ms, span_count, payload_gzip) VALUES ('cd', 'otlp', 10, 1, x'00')").run();
  db.close();
  return { dir, traceId: model.traceId };
}

function count(dir: string, sql: string): number {
  const db = new Database(join(dir, 'spanscope.db'), { readonly: true });
  try {
    return (db.prepare(sql).pluck().get() as number);
  } finally {
    db.close();
  }
}

describe('store schema', () => {
  it('opens a data directory written before schema versions: rows kept, orphans dropped, foreign keys in place', () => {
    const { dir, traceId } = writeV0DataDir();
    const store = new TraceStore(dir);
    stores.push(store);
    expect(store.fileMeta('f1')?.traceIds).toEqual([traceId]);
    expect(store.services()).toEqual(['edge', 'received-svc']);
    expect(store.search({ tags: [{ kind: 'attribute', key: 'http.path', op: '=', value: '/api' }] }, 10).map((h) => h.traceId)).toEqual([traceId]);
    expect(store.tagNames()).toEqual(['http.path', 'peer']);
    expect(store.receivedBatches(RECEIVED)).toHaveLength(1);
    expect(store.receivedBatches('cd')).toHaveLength(0);
    expect(count(dir, 'PRAGMA user_version')).toBe(SCHEMA_VERSION);
    for (const table of ['spans', 'span_tags', 'received_batches']) {
      expect(count(dir, `SELECT COUNT(*) FROM pragma_foreign_key_list('${table}')`), table).toBe(1);
    }

    // Deleting a trace now takes its index rows and batches with it.
    expect(store.pruneReceived(0, 0)).toBe(1);
    expect(store.services()).toEqual(['edge']);
    expect(count(dir, 'SELECT COUNT(*) FROM span_tags WHERE trace_row NOT IN (SELECT row FROM traces)')).toBe(0);
    expect(count(dir, 'SELECT COUNT(*) FROM received_batches')).toBe(0);
  });

  it.each([1, 2])('opens a version %i data directory: files gain their last opening, the share quota works on them', (version) => {
    const dir = tempDataDir();
    const bytes = readFileSync(join(REAL_FIXTURES, FIXTURE));
    const current = new TraceStore(dir);
    const { id } = current.put(bytes, importTraces(bytes), 'netflix.json', 'share');
    current.close();
    // Back to the layout of that version: the files table without last_opened_ms.
    const db = new Database(join(dir, 'spanscope.db'));
    db.exec('DROP INDEX files_by_last_opened; ALTER TABLE files DROP COLUMN last_opened_ms');
    db.pragma(`user_version = ${version}`);
    db.close();
    expect(count(dir, "SELECT COUNT(*) FROM pragma_table_info('files') WHERE name = 'last_opened_ms'")).toBe(0);

    const store = new TraceStore(dir);
    stores.push(store);
    expect(count(dir, 'PRAGMA user_version')).toBe(SCHEMA_VERSION);
    expect(store.shareUsage()).toEqual({ files: 1, bytes: bytes.byteLength });
    store.markShareOpened(id, 5);
    expect(store.deleteSharesOpenedBefore(6)).toBe(1);
    expect(store.fileMeta(id)).toBeUndefined();
    expect(store.services()).toEqual([]);
  });

  it('keeps an uploaded share of an older version private: readable by its id, in no search, list or trace-by-id', () => {
    // Every version so far marks an upload `share`; only the searches changed, so no rows need rewriting.
    const { dir, traceId } = writeV0DataDir('share');
    const store = new TraceStore(dir);
    stores.push(store);
    expect(store.fileMeta('f1')).toMatchObject({ traceIds: [traceId], searchable: false });
    expect(store.fileContent('f1')?.name).toBe('netflix.json');
    expect(store.search({}, 10).map((h) => h.traceId)).toEqual([RECEIVED]);
    expect(store.search({ tags: [{ kind: 'attribute', key: 'http.path', op: '=', value: '/api' }] }, 10)).toEqual([]);
    expect(store.services()).toEqual(['received-svc']);
    expect(store.tagNames()).toEqual(['peer']);
    expect(store.tagValues('http.path')).toEqual([]);
    expect(store.fileOfTrace(traceId)).toBeUndefined();
  });

  it('reopens a current data directory as it is, and refuses one from a newer version', () => {
    const dir = tempDataDir();
    const bytes = readFileSync(join(REAL_FIXTURES, FIXTURE));
    const first = new TraceStore(dir);
    const { id } = first.put(bytes, importTraces(bytes), 'netflix.json', 'share');
    first.close();
    const second = new TraceStore(dir);
    expect(second.fileMeta(id)?.spanCount).toBe(importTraces(bytes).traces[0].spanCount);
    second.close();

    const db = new Database(join(dir, 'spanscope.db'));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => new TraceStore(dir)).toThrow(/newer Spanscope/);
  });
});
