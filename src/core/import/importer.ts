import type { JsonCursor } from '../json/json-cursor.ts';
import type { JsonSample } from '../json/json-sample.ts';
import type { TraceModelBuilder } from '../model/trace-model-builder.ts';
import type { TraceCollection, TraceFormat } from '../model/trace-model.ts';
import { LoadError } from './load-error.ts';

/** One input format: a structural guard over a partial sample, and a reader into the builder. */
export interface TraceImporter {
  readonly format: TraceFormat;
  /** Shown to users: "Jaeger JSON". */
  readonly label: string;
  /** File names that hint at this format (a hint only: the content decides). */
  readonly fileNameHint: RegExp;
  /** Whether the sample (the start of the file, cut short) has this format's shape. */
  looksLike(sample: JsonSample): boolean;
  /**
   * Reads every top-level value at the cursor (one document, or NDJSON lines) into the builder.
   * Skips what it cannot use with builder.warn(); throws FormatError only when nothing is usable.
   */
  read(cursor: JsonCursor, builder: TraceModelBuilder): void;
  /**
   * read() while the file is still arriving: yields whenever it wants more bytes or the caller wants
   * control back (see waitForBytes); the caller extends cursor.end and resumes it.
   */
  readIncrementally?(cursor: JsonCursor, builder: TraceModelBuilder): Generator<void, void, void>;
}

/** The collection an import built; a LoadError 'no-spans' when the input held none. */
export function buildCollection(builder: TraceModelBuilder, label: string, fileName?: string): TraceCollection {
  if (builder.spanCount === 0) {
    throw new LoadError({
      kind: 'no-spans',
      fileName,
      message: `The file is ${label} but holds no spans`,
      detail: builder.warningList.length ? builder.warningList.join('; ') : undefined,
    });
  }
  return builder.build();
}

/** Bytes an incremental importer keeps ahead of its position: more than any single span needs. */
export const MORE_BYTES_MARGIN = 1 << 20;

/**
 * Called by an incremental importer before each array item and object key: yields until the cursor
 * has MORE_BYTES_MARGIN bytes ahead or the input is complete, and once past cursor.pauseAt.
 */
export function* waitForBytes(cursor: JsonCursor): Generator<void, void, void> {
  while (!cursor.complete) {
    cursor.skipWhitespace();
    if (cursor.end - cursor.pos >= MORE_BYTES_MARGIN && cursor.pos < cursor.pauseAt) return;
    yield;
  }
}

/** The content does not have the shape the importer expects. */
export class FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormatError';
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as a wrong-type message quotes it: `"invalid"`, `{}`, `[1,2]`, cut at 40 characters. */
export function quoteValue(value: unknown): string {
  const text = typeof value === 'bigint' ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Calls `readOne` for each top-level value: a single document, or each line of NDJSON. */
export function forEachTopLevelValue(cursor: JsonCursor, readOne: (cursor: JsonCursor) => void): void {
  while (!cursor.atEnd()) readOne(cursor);
}

/** Runs a reader that never waits to its end (all the bytes are there: see waitForBytes). */
export function drain(reading: Generator<void, void, void>): void {
  while (!reading.next().done);
}

/**
 * readObject for a read that may wait for bytes (before each key). The callback returns true when it read
 * the value, false to skip it, or a generator that reads it.
 */
export function* readObjectWaiting(cursor: JsonCursor, onKey: (key: string) => boolean | Generator<void, void, void>): Generator<void, void, void> {
  cursor.beginObject();
  for (;;) {
    yield* waitForBytes(cursor);
    const key = cursor.nextKey();
    if (key === undefined) return;
    const read = onKey(key);
    if (read === false) cursor.skipValue();
    else if (read !== true) yield* read;
  }
}

/** readArray for a read that may wait for bytes (before each item); the callback may return a generator. */
export function* readArrayWaiting(cursor: JsonCursor, onItem: () => void | Generator<void, void, void>): Generator<void, void, void> {
  cursor.beginArray();
  for (;;) {
    yield* waitForBytes(cursor);
    if (!cursor.hasNextItem()) return;
    const inner = onItem();
    if (inner) yield* inner;
  }
}

/** Iterates an object's keys at the cursor, skipping values the callback leaves unread. */
export function readObject(cursor: JsonCursor, onKey: (key: string) => boolean): void {
  cursor.beginObject();
  for (let key = cursor.nextKey(); key !== undefined; key = cursor.nextKey()) {
    if (!onKey(key)) cursor.skipValue();
  }
}

/** Iterates an array's items at the cursor; the callback must read or skip each item. */
export function readArray(cursor: JsonCursor, onItem: () => void): void {
  cursor.beginArray();
  while (cursor.hasNextItem()) onItem();
}
