// Format detection looks at a small partial copy of the first JSON value: the first few items of each
// array and every key up to a byte budget. It never scans the rest of a big file.
import { JsonCursor, JsonEndOfInput } from './json-cursor.ts';

export interface JsonSample {
  /** The first top-level value, cut short where the budget ran out. */
  readonly value: unknown;
  /** Whether another top-level value follows the first (NDJSON / concatenated JSON). */
  readonly isSequence: boolean;
  /** Every top-level value that fits in the budget, for NDJSON files whose first lines are of another kind. */
  readonly values: readonly unknown[];
}

const ITEMS_PER_ARRAY = 3;
const MAX_NESTING = 10;

export function sampleJson(bytes: Uint8Array, budget = 256 * 1024): JsonSample {
  const end = Math.min(bytes.length, budget);
  const values: unknown[] = [];
  const cursor = new JsonCursor(bytes, 0, end);
  let isSequence = false;
  while (!cursor.atEnd() && values.length < 50) {
    const holder: { value?: unknown } = {};
    try {
      sampleInto(cursor, holder, 0);
      values.push(holder.value);
    } catch (err) {
      if (!(err instanceof JsonEndOfInput)) throw err;
      values.push(holder.value);
      break;
    }
    if (values.length > 1) isSequence = true;
    // The first value ends inside the budget: does another one follow?
    if (values.length === 1 && !cursor.atEnd()) isSequence = true;
    if (!isSequence) break;
  }
  // A sequence whose first value was cut short at an array: find out whether a second line exists.
  if (!isSequence && values.length === 1) isSequence = hasSecondLine(bytes, end);
  return { value: values[0], isSequence, values };
}

// Reads the value at the cursor into holder.value, filling containers as it goes so a cut-off input
// still leaves a useful partial structure behind.
function sampleInto(cursor: JsonCursor, holder: { value?: unknown }, nesting: number): void {
  const kind = cursor.peek();
  if (kind === 'object' && nesting < MAX_NESTING) {
    const obj: Record<string, unknown> = {};
    holder.value = obj;
    cursor.beginObject();
    for (let key = cursor.nextKey(); key !== undefined; key = cursor.nextKey()) {
      const child: { value?: unknown } = {};
      try {
        sampleInto(cursor, child, nesting + 1);
      } finally {
        if ('value' in child) obj[key] = child.value;
      }
    }
    return;
  }
  if (kind === 'array' && nesting < MAX_NESTING) {
    const arr: unknown[] = [];
    holder.value = arr;
    cursor.beginArray();
    while (cursor.hasNextItem()) {
      if (arr.length >= ITEMS_PER_ARRAY) {
        cursor.skipValue();
        continue;
      }
      const child: { value?: unknown } = {};
      try {
        sampleInto(cursor, child, nesting + 1);
      } finally {
        if ('value' in child) arr.push(child.value);
      }
    }
    return;
  }
  holder.value = cursor.readValue();
}

function hasSecondLine(bytes: Uint8Array, budget: number): boolean {
  // NDJSON: a newline followed by "{" or "[" at the start of a line, before the budget ends.
  const nl = bytes.subarray(0, budget).indexOf(0x0a);
  if (nl === -1) return false;
  let p = nl + 1;
  while (p < bytes.length && (bytes[p] === 0x20 || bytes[p] === 0x0d || bytes[p] === 0x0a || bytes[p] === 0x09)) p++;
  if (p >= bytes.length) return false;
  // Pretty-printed JSON also has newlines; only count a line that starts a new top-level value,
  // which means the first line itself must be a complete value.
  const first = new JsonCursor(bytes, 0, nl);
  try {
    first.skipValue();
    return first.atEnd() && (bytes[p] === 0x7b || bytes[p] === 0x5b);
  } catch {
    return false;
  }
}
