import type { JsonCursor } from '../json/json-cursor.ts';
import type { JsonSample } from '../json/json-sample.ts';
import type { IncomingBytes } from './incoming-bytes.ts';
import type { BuilderPart, TraceModelBuilder } from '../model/trace-model-builder.ts';
import type { TraceFormat } from '../model/trace-model.ts';

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
   * control back (see waitForBytes); the caller extends cursor.end and resumes it. A yielded promise
   * is awaited first (a helper's result). The helper, when given, reads the end of a span array on
   * another thread.
   */
  readIncrementally?(cursor: JsonCursor, builder: TraceModelBuilder, helper?: SpanRangeHelper): Generator<Promise<unknown> | void, void, void>;
}

/**
 * Another thread reading a big file's span array from its middle to its end while the importer reads
 * up to there (see jaeger-span-range.ts). Where it starts is found by a byte pattern, so it is only a
 * guess: its work is used when the importer arrives at exactly that offset at the start of a span.
 */
export interface SpanRangeHelper {
  /** The byte offset of the span object the helper starts at, once it has found one. */
  readonly start: number | undefined;
  /** The helper's spans; undefined when it could not read them. */
  readonly result: Promise<SpanRangePart | undefined>;
  /** The helper's work is no use (the importer went past its start, or is done): stop it. */
  cancel(): void;
}

export interface SpanRangePart {
  /** The offset of the `]` that closes the span array. */
  readonly end: number;
  readonly builder: BuilderPart;
  /** Spans waiting for their trace's processes: trace id, index within the part's trace, process id. */
  readonly unbound: { readonly traceIds: readonly string[]; readonly indices: readonly number[]; readonly processIds: readonly unknown[] };
  readonly spansSeen: number;
  readonly skipped: number;
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

/** Calls `readOne` for each top-level value: a single document, or each line of NDJSON. */
export function forEachTopLevelValue(cursor: JsonCursor, readOne: (cursor: JsonCursor) => void): void {
  while (!cursor.atEnd()) readOne(cursor);
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

/** Bytes of input an incremental read parses before it lets the next slices in (see waitForBytes). */
const PAUSE_BYTES = 1 << 20;

/**
 * Runs an incremental read over bytes still arriving: resumes it as bytes come in, and awaits the
 * promises it yields. Returns what the read returns.
 */
export async function readWhileArriving<T>(reading: Generator<Promise<unknown> | void, T, void>, cursor: JsonCursor, input: IncomingBytes): Promise<T> {
  for (;;) {
    cursor.pauseAt = cursor.pos + PAUSE_BYTES;
    const step = reading.next();
    if (step.done) return step.value;
    if (step.value) await step.value;
    else if (cursor.end - cursor.pos < MORE_BYTES_MARGIN) await input.more();
    else await macrotask();
    cursor.end = input.received;
    cursor.complete = input.complete;
  }
}

/** Resolves after the tasks already queued (messages bringing slices) have run; a microtask would not. */
function macrotask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}
