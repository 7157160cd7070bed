// A pull reader over JSON bytes. Containers are walked by hand so a 1 GB file never becomes one
// string (V8 caps strings at ~512 MiB); each leaf value the importer asks for is cut out and handed to
// the native JSON.parse, which is far faster than any JS parser. Integers beyond 2^53 (Datadog ids,
// epoch nanoseconds) come back as decimal strings instead of silently rounded numbers.

import { concatBytes, decodeUtf8 } from '../bytes.ts';
import { locateJsonError } from './json-locate-error.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

export type JsonTokenKind = 'object' | 'array' | 'string' | 'number' | 'literal' | 'end';

/** A syntax problem with the absolute byte offset and 1-based line/column where it was found. */
export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly offset: number,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} at line ${line}, column ${column} (byte ${offset})`);
    this.name = 'JsonSyntaxError';
  }
}

/** Thrown when the input stops in the middle of a value: the sampler uses it to stop early. */
export class JsonEndOfInput extends JsonSyntaxError {}

/**
 * Arrays and objects nested deeper than this are refused where the bytes are scanned, so no reader
 * after the cursor (JSON.parse's result walked by an importer, JSON.stringify) can run out of stack.
 * Real traces nest a dozen levels; attribute values a few more.
 */
export const MAX_JSON_DEPTH = 512;

/** Input nested deeper than MAX_JSON_DEPTH; `offset` is the bracket that went one level too deep. */
export class JsonTooDeepError extends JsonSyntaxError {}


function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isNumberByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45;
}

export function lineAndColumn(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const stop = Math.min(offset, bytes.length);
  const head = bytes.subarray(0, stop);
  for (let i = head.indexOf(0x0a); i !== -1; i = head.indexOf(0x0a, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: stop - lineStart + 1 };
}

export class JsonCursor {
  pos: number;
  /**
   * False while the bytes past `end` are still being read (see IncomingBytes): an incremental importer
   * then waits for more before it reads near `end`, where a value may be cut short.
   */
  complete = true;
  /** While incomplete: where an incremental importer hands control back (so arriving bytes get in). */
  pauseAt = Infinity;
  /** Called every few thousand array items with the current byte offset. */
  onProgress: ((pos: number) => void) | undefined;
  private itemsSinceProgress = 0;
  private sawBigInteger = false;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    public end = bytes.length,
  ) {
    this.pos = start;
    // A UTF-8 byte order mark is not JSON but editors write it.
    if (start === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) this.pos = 3;
  }

  fail(reason: string, at = this.pos): never {
    const { line, column } = lineAndColumn(this.bytes, at);
    if (at >= this.end) throw new JsonEndOfInput(reason, at, line, column);
    throw new JsonSyntaxError(reason, at, line, column);
  }

  skipWhitespace(): void {
    const b = this.bytes;
    let p = this.pos;
    while (p < this.end && isWhitespace(b[p])) p++;
    this.pos = p;
  }

  atEnd(): boolean {
    this.skipWhitespace();
    return this.pos >= this.end;
  }

  peek(): JsonTokenKind {
    this.skipWhitespace();
    if (this.pos >= this.end) return 'end';
    const c = this.bytes[this.pos];
    if (c === LBRACE) return 'object';
    if (c === LBRACKET) return 'array';
    if (c === QUOTE) return 'string';
    if ((c >= 0x30 && c <= 0x39) || c === 0x2d) return 'number';
    if (c === 0x74 || c === 0x66 || c === 0x6e) return 'literal';
    return this.fail(`unexpected character ${describeByte(c)}`);
  }

  private expect(byte: number, what: string): void {
    this.skipWhitespace();
    if (this.pos >= this.end) this.fail(`expected ${what} but the input ended`);
    if (this.bytes[this.pos] !== byte) this.fail(`expected ${what} but found ${describeByte(this.bytes[this.pos])}`);
    this.pos++;
  }

  // ---- objects: beginObject(); while ((key = nextKey()) !== undefined) { read or skip the value }
  private first = false;
  private readonly firstStack: boolean[] = [];

  beginObject(): void {
    this.expect(LBRACE, 'an object "{"');
    if (this.firstStack.length >= MAX_JSON_DEPTH) this.failTooDeep(this.pos - 1);
    this.firstStack.push(this.first);
    this.first = true;
  }

  nextKey(): string | undefined {
    this.skipWhitespace();
    const c = this.bytes[this.pos];
    if (c === RBRACE) {
      this.pos++;
      this.first = this.firstStack.pop() ?? false;
      return undefined;
    }
    if (!this.first) {
      if (c !== COMMA) this.fail(this.pos >= this.end ? 'the input ended inside an object' : `expected "," or "}" but found ${describeByte(c)}`);
      this.pos++;
      this.skipWhitespace();
    }
    this.first = false;
    if (this.bytes[this.pos] !== QUOTE) this.fail('expected a quoted object key');
    const key = this.readString();
    this.expect(COLON, '":" after an object key');
    return key;
  }

  // ---- arrays: beginArray(); while (hasNextItem()) { read or skip the item }
  beginArray(): void {
    this.expect(LBRACKET, 'an array "["');
    if (this.firstStack.length >= MAX_JSON_DEPTH) this.failTooDeep(this.pos - 1);
    this.firstStack.push(this.first);
    this.first = true;
  }

  hasNextItem(): boolean {
    this.skipWhitespace();
    const c = this.bytes[this.pos];
    if (c === RBRACKET) {
      this.pos++;
      this.first = this.firstStack.pop() ?? false;
      return false;
    }
    if (!this.first) {
      if (c !== COMMA) this.fail(this.pos >= this.end ? 'the input ended inside an array' : `expected "," or "]" but found ${describeByte(c)}`);
      this.pos++;
      this.skipWhitespace();
    }
    this.first = false;
    if (this.onProgress && ++this.itemsSinceProgress >= 2048) {
      this.itemsSinceProgress = 0;
      this.onProgress(this.pos);
    }
    return true;
  }

  readString(): string {
    this.skipWhitespace();
    const start = this.pos;
    const end = this.valueEnd(start);
    const b = this.bytes;
    this.pos = end;
    // Fast path for short escape-free ASCII keys and values.
    if (end - start < 64) {
      let s = '';
      for (let i = start + 1; i < end - 1; i++) {
        const c = b[i];
        if (c === BACKSLASH || c >= 0x80) return this.parseSlice(start, end) as string;
        s += String.fromCharCode(c);
      }
      return s;
    }
    return this.parseSlice(start, end) as string;
  }

  /** Reads any value into plain JS (big integers as decimal strings). */
  readValue(): unknown {
    this.skipWhitespace();
    const start = this.pos;
    this.sawBigInteger = false;
    const end = this.valueEnd(start);
    this.pos = end;
    return this.parseSlice(start, end);
  }

  skipValue(): void {
    this.skipWhitespace();
    this.pos = this.valueEnd(this.pos);
  }

  /** Byte offset just past the value that starts at `start`. */
  private valueEnd(start: number): number {
    const b = this.bytes;
    const end = this.end;
    if (start >= end) this.fail('expected a value but the input ended', start);
    const c = b[start];
    if (c === QUOTE) return this.stringEnd(start);
    if (c === LBRACE || c === LBRACKET) {
      let depth = 0;
      let p = start;
      while (p < end) {
        const x = b[p];
        if (x === QUOTE) {
          p = this.stringEnd(p);
          continue;
        }
        if (x === LBRACE || x === LBRACKET) {
          if (++depth + this.firstStack.length > MAX_JSON_DEPTH) this.failTooDeep(p);
        } else if (x === RBRACE || x === RBRACKET) {
          depth--;
          if (depth === 0) return p + 1;
        } else if ((x >= 0x30 && x <= 0x39) || x === 0x2d) {
          p = this.numberEnd(p);
          continue;
        }
        p++;
      }
      return this.fail(c === LBRACE ? 'the input ended inside an object' : 'the input ended inside an array', end);
    }
    if ((c >= 0x30 && c <= 0x39) || c === 0x2d) return this.numberEnd(start);
    let p = start;
    while (p < end && b[p] >= 0x61 && b[p] <= 0x7a) p++;
    if (p === start) this.fail(`unexpected character ${describeByte(c)}`, start);
    return p;
  }

  private failTooDeep(at: number): never {
    const { line, column } = lineAndColumn(this.bytes, at);
    throw new JsonTooDeepError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`, at, line, column);
  }

  private stringEnd(start: number): number {
    const b = this.bytes;
    // Most strings in traces are short: a plain loop beats a native indexOf call for those.
    const stop = Math.min(start + 24, this.end);
    for (let p = start + 1; p < stop; p++) {
      const c = b[p];
      if (c === QUOTE) return p + 1;
      if (c === BACKSLASH) break;
    }
    let q = start;
    for (;;) {
      q = b.indexOf(QUOTE, q + 1);
      if (q === -1 || q >= this.end) return this.fail('the input ended inside a string', this.end);
      let slashes = 0;
      while (b[q - 1 - slashes] === BACKSLASH) slashes++;
      if ((slashes & 1) === 0) return q + 1;
    }
  }

  private numberEnd(start: number): number {
    const b = this.bytes;
    let p = start;
    let plainInteger = true;
    while (p < this.end && isNumberByte(b[p])) {
      const x = b[p];
      if (x === 0x2e || x === 0x65 || x === 0x45 || (x === 0x2b) || (x === 0x2d && p !== start)) plainInteger = false;
      p++;
    }
    const digits = b[start] === 0x2d ? p - start - 1 : p - start;
    if (plainInteger && digits >= 16 && isUnsafeInteger(b, b[start] === 0x2d ? start + 1 : start, p)) this.sawBigInteger = true;
    return p;
  }

  private parseSlice(start: number, end: number): unknown {
    let slice = this.bytes.subarray(start, end);
    if (this.sawBigInteger) slice = quoteBigIntegers(slice);
    this.sawBigInteger = false;
    const text = decodeUtf8(slice);
    try {
      return JSON.parse(text);
    } catch (err) {
      const located = locateJsonError(this.bytes, start, end);
      if (located) return this.fail(located.reason, located.offset);
      return this.fail(err instanceof Error ? err.message : String(err), start);
    }
  }
}

const MAX_SAFE = '9007199254740991';

function isUnsafeInteger(b: Uint8Array, from: number, to: number): boolean {
  const digits = to - from;
  if (digits > 16) return true;
  for (let i = 0; i < 16; i++) {
    const d = b[from + i] - 0x30;
    const m = MAX_SAFE.charCodeAt(i) - 0x30;
    if (d !== m) return d > m;
  }
  return false;
}

/** Wraps every integer literal beyond ±2^53 (outside strings) in quotes so JSON.parse keeps its digits. */
export function quoteBigIntegers(slice: Uint8Array): Uint8Array {
  let i = 0;
  let copied = 0;
  const parts: Uint8Array[] = [];
  while (i < slice.length) {
    const c = slice[i];
    if (c === QUOTE) {
      let q = i;
      for (;;) {
        q = slice.indexOf(QUOTE, q + 1);
        if (q === -1) return slice;
        let slashes = 0;
        while (slice[q - 1 - slashes] === BACKSLASH) slashes++;
        if ((slashes & 1) === 0) break;
      }
      i = q + 1;
      continue;
    }
    if ((c >= 0x30 && c <= 0x39) || c === 0x2d) {
      let p = i;
      let plain = true;
      while (p < slice.length && isNumberByte(slice[p])) {
        const x = slice[p];
        if (x === 0x2e || x === 0x65 || x === 0x45 || x === 0x2b || (x === 0x2d && p !== i)) plain = false;
        p++;
      }
      const neg = c === 0x2d;
      if (plain && p - i - (neg ? 1 : 0) >= 16 && isUnsafeInteger(slice, neg ? i + 1 : i, p)) {
        parts.push(slice.subarray(copied, i), QUOTE_BYTES, slice.subarray(i, p), QUOTE_BYTES);
        copied = p;
      }
      i = p;
      continue;
    }
    i++;
  }
  if (parts.length === 0) return slice;
  parts.push(slice.subarray(copied));
  return concatBytes(parts);
}

const QUOTE_BYTES = new Uint8Array([QUOTE]);

function describeByte(c: number | undefined): string {
  if (c === undefined) return 'the end of the input';
  if (c >= 0x20 && c < 0x7f) return `"${String.fromCharCode(c)}"`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}
