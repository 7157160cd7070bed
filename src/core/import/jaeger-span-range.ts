// The helper's side of a parallel Jaeger import (see SpanRangeHelper): given the bytes of a big file
// from somewhere in its middle, find a span object and read spans from there to the end of their
// array into a builder of its own, whose part the importer then absorbs.
import { JsonCursor } from '../json/json-cursor.ts';
import { TraceModelBuilder } from '../model/trace-model-builder.ts';
import { readWhileArriving, waitForBytes, type SpanRangePart } from './importer.ts';
import type { IncomingBytes } from './incoming-bytes.ts';
import { JaegerReader, UnboundSpans } from './jaeger.ts';

const TRACE_ID_KEY = new TextEncoder().encode('"traceID"');
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * The offset of the first object in [from, to) whose first key is "traceID" and that follows another
 * object in an array (`}, {"traceID": "`, whitespace allowed), as Jaeger writes spans. A quote inside
 * a string is escaped, so those bytes are never string content; but the object may be something else
 * than a span (a reference), which is why the importer only takes the helper's work when it arrives at
 * this offset itself. -1 when there is none.
 */
export function findJaegerSpanStart(bytes: Uint8Array, from: number, to: number): number {
  const n = TRACE_ID_KEY.length;
  for (let p = bytes.indexOf(0x22, from); p !== -1 && p + n < to; p = bytes.indexOf(0x22, p + 1)) {
    let k = 1;
    while (k < n && bytes[p + k] === TRACE_ID_KEY[k]) k++;
    if (k < n) continue;
    let after = p + n;
    while (after < to && isSpace(bytes[after])) after++;
    if (bytes[after] !== 0x3a) continue; // the ':' of a key
    const open = skipSpaceBack(bytes, p - 1, from);
    if (open < from || bytes[open] !== 0x7b) continue;
    const comma = skipSpaceBack(bytes, open - 1, from);
    if (comma < from || bytes[comma] !== 0x2c) continue;
    const close = skipSpaceBack(bytes, comma - 1, from);
    if (close >= from && bytes[close] === 0x7d) return open;
  }
  return -1;
}

function skipSpaceBack(bytes: Uint8Array, q: number, from: number): number {
  while (q >= from && isSpace(bytes[q])) q--;
  return q;
}

/** How far into its bytes the helper looks for a span before it gives up. */
const SEARCH_BYTES = 4 << 20;

/**
 * Reads spans from the first span start in `input` to the end of their array. `input` holds a file's
 * bytes from `offset` on; offsets reported (onStart, end) are the file's. Undefined when there is no
 * span start to be found.
 */
export async function readJaegerSpanRange(input: IncomingBytes, offset: number, onStart: (start: number) => void): Promise<SpanRangePart | undefined> {
  await input.atLeast(SEARCH_BYTES);
  const start = findJaegerSpanStart(input.bytes, 0, Math.min(input.received, SEARCH_BYTES));
  if (start < 0) return undefined;
  onStart(offset + start);
  const builder = new TraceModelBuilder('jaeger');
  const cursor = new JsonCursor(input.bytes, start, input.received);
  cursor.complete = input.complete;
  const range = await readWhileArriving(readSpans(cursor, builder), cursor, input);
  return { ...range, end: offset + range.end, builder: builder.exportPart() };
}

function* readSpans(cursor: JsonCursor, builder: TraceModelBuilder): Generator<void, Omit<SpanRangePart, 'builder'>, void> {
  const reader = new JaegerReader(builder);
  const unbound = new UnboundSpans();
  cursor.resumeArray();
  for (;;) {
    yield* waitForBytes(cursor);
    if (!cursor.hasNextItem()) break;
    reader.readSpan(cursor, undefined, unbound);
  }
  return { end: cursor.pos - 1, unbound, spansSeen: reader.spansSeen, skipped: reader.skipped };
}
