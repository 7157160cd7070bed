// Reads JSON scalars straight from bytes, for an importer's hot loop: no JSON.parse, no object per
// value, and no new string for a value seen a moment ago — escape-free ASCII strings are looked up in a
// small direct-mapped cache by a hash of their bytes, so keys, enum-like values, service names and
// trace ids that repeat from span to span are decoded once.
//
// It is a fast path only: on anything it does not take in stride (the end of the input, a control
// byte, a malformed number, a nested value where a scalar belongs) it throws JsonBail, and the caller
// reads the same bytes again through JsonCursor, which handles everything and reports errors.
import { decodeUtf8 } from '../bytes.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_A = 0x61;
const LOWER_Z = 0x7a;

/** The fast path gives up here; the caller re-reads the value the ordinary way. */
export class JsonBail extends Error {}
const BAIL = new JsonBail('not on the fast path');

/** What a JSON scalar reads as; integers beyond ±2^53 as their decimal digits (as JsonCursor gives them). */
export type JsonScalar = string | number | boolean | null;

const CACHE_SLOTS = 1 << 14;
/** Longer strings are rarely repeated (and are decoded every time). */
const MAX_CACHED = 64;
// Up to this length a char loop is the quickest way to a string, then fromCharCode over the bytes.
const SHORT_STRING = 12;
const MAX_APPLY = 4096;

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

export class JsonByteReader {
  pos = 0;
  end = 0;
  // The cache: per slot a string, its length (-1: empty) and its bytes.
  private readonly cache: (string | undefined)[] = new Array<string | undefined>(CACHE_SLOTS).fill(undefined);
  private readonly cacheLength = new Int32Array(CACHE_SLOTS).fill(-1);
  private readonly cacheBytes = new BytePool(CACHE_SLOTS * MAX_CACHED);

  /** The same bytes, for reading four at a time. */
  readonly words: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.words = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  bail(): never {
    throw BAIL;
  }

  /**
   * Runs a fast-path read from `at.pos` (up to `at.end`): true, with `at.pos` moved past what it read,
   * unless it bailed; then false, and `at` is as it was.
   */
  readAt(at: { pos: number; readonly end: number }, read: () => void): boolean {
    this.pos = at.pos;
    this.end = at.end;
    try {
      read();
    } catch (err) {
      if (err instanceof JsonBail) return false;
      throw err;
    }
    at.pos = this.pos;
    return true;
  }

  /** Skips whitespace and returns the next byte (-1 at the end of the input). */
  peek(): number {
    const b = this.bytes;
    let p = this.pos;
    while (p < this.end && isWhitespace(b[p])) p++;
    this.pos = p;
    return p < this.end ? b[p] : -1;
  }

  expect(byte: number): void {
    if (this.peek() !== byte) this.bail();
    this.pos++;
  }

  /** After `{` or `[`: true (and consumes it) when the container closes right away. */
  closesAt(close: number): boolean {
    if (this.peek() !== close) return false;
    this.pos++;
    return true;
  }

  /** After an item: true when another follows (consumes the comma), false at the close (consumed). */
  more(close: number): boolean {
    const c = this.peek();
    this.pos++;
    if (c === COMMA) return true;
    if (c !== close) this.bail();
    return false;
  }

  /**
   * An object key and its colon, as its number in `keys` (-1 for any other key). `previous` is the
   * number of the key before it in the object, or for the first key -1 - the kind of object (see
   * KeyTable's `kinds`): keys mostly come in the same order, so the one that followed it last time is
   * tried first, byte by byte.
   */
  key(keys: KeyTable, previous: number): number {
    if (this.peek() !== QUOTE) this.bail();
    const b = this.bytes;
    const end = this.end;
    const guess = keys.predict(previous);
    if (guess >= 0) {
      const start = this.pos + 1;
      if (keys.isAt(guess, b, this.words, start, end)) {
        const close = start + keys.lengthOf(guess);
        if (close < end && b[close] === QUOTE) {
          this.pos = close + 1;
          this.expect(COLON);
          this.peek();
          return guess;
        }
      }
    }
    let p = this.pos + 1;
    const start = p;
    let hash = 0x811c9dc5 | 0;
    for (;;) {
      if (p >= end) this.bail();
      const c = b[p];
      if (c === QUOTE) break;
      if (c === BACKSLASH || c < 0x20) this.bail();
      hash = Math.imul(hash ^ c, 16777619);
      p++;
    }
    this.pos = p + 1;
    this.expect(COLON);
    this.peek();
    const key = keys.find(b, this.words, start, p, hash);
    keys.learn(previous, key);
    return key;
  }

  string(): string {
    const b = this.bytes;
    const end = this.end;
    if (b[this.pos] !== QUOTE) this.bail();
    const start = this.pos + 1;
    let close = start;
    while (close < end && b[close] !== QUOTE) close++;
    if (close >= end) this.bail();
    const length = close - start;
    // A hash of a few bytes picks the slot; a hit is then compared in full (a cached string is plain ASCII,
    // so a full match also proves these bytes hold no escape, control byte or non-ASCII byte).
    const slot = (Math.imul(length, 0x9e3779b1) ^ (b[start] << 16) ^ (b[close - 1] << 8) ^ b[start + (length >> 1)] ^ (b[close - 2] << 4)) & (CACHE_SLOTS - 1);
    if (this.cacheLength[slot] === length && length <= MAX_CACHED && bytesEqual(this.cacheBytes, slot * MAX_CACHED, b, this.words, start, length)) {
      this.pos = close + 1;
      // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- the slot's length matched, so it holds a string; a check here costs on every cached string
      return this.cache[slot]!;
    }
    for (let p = start; p < close; p++) {
      const c = b[p];
      if (c === BACKSLASH || c >= 0x80 || c < 0x20) return this.unusualString(start - 1);
    }
    const s = ascii(b, start, close);
    if (length <= MAX_CACHED) {
      this.cache[slot] = s;
      this.cacheLength[slot] = length;
      this.cacheBytes.copy(slot * MAX_CACHED, b, this.words, start, length);
    }
    this.pos = close + 1;
    return s;
  }

  // Escapes or non-ASCII: JSON.parse of the string's bytes, as JsonCursor does.
  private unusualString(quoteAt: number): string {
    const b = this.bytes;
    let q = quoteAt;
    for (;;) {
      q = b.indexOf(QUOTE, q + 1);
      if (q === -1 || q >= this.end) this.bail();
      let slashes = 0;
      while (b[q - 1 - slashes] === BACKSLASH) slashes++;
      if ((slashes & 1) === 0) break;
    }
    let value: unknown;
    try {
      value = JSON.parse(decodeUtf8(b, quoteAt, q + 1));
    } catch {
      this.bail();
    }
    this.pos = q + 1;
    return value as string;
  }

  number(): number | string {
    const b = this.bytes;
    const end = this.end;
    const start = this.pos;
    let p = start;
    if (b[p] === MINUS) p++;
    const digitsStart = p;
    let value = 0;
    while (p < end && b[p] >= ZERO && b[p] <= NINE) value = value * 10 + (b[p++] - ZERO);
    const digits = p - digitsStart;
    // A number running into the end of the input may go on past it.
    if (digits === 0 || p >= end || (digits > 1 && b[digitsStart] === ZERO)) this.bail();
    const c = b[p];
    if (c === DOT || c === 0x65 || c === 0x45) return this.fraction(start, p);
    this.pos = p;
    if (digits > 15 && value > Number.MAX_SAFE_INTEGER) return ascii(b, start, p);
    return start === digitsStart ? value : -value;
  }

  // The part after the integer digits: [.digits][e[+-]digits], then Number() of the text.
  private fraction(start: number, at: number): number {
    const b = this.bytes;
    const end = this.end;
    let p = at;
    const digitsFrom = (q: number) => {
      const from = q;
      while (q < end && b[q] >= ZERO && b[q] <= NINE) q++;
      if (q === from || q >= end) this.bail();
      return q;
    };
    if (b[p] === DOT) p = digitsFrom(p + 1);
    if (b[p] === 0x65 || b[p] === 0x45) {
      p++;
      if (b[p] === 0x2b || b[p] === MINUS) p++;
      p = digitsFrom(p);
    }
    this.pos = p;
    return Number(ascii(b, start, p));
  }

  scalar(): JsonScalar {
    const c = this.peek();
    if (c === QUOTE) return this.string();
    if ((c >= ZERO && c <= NINE) || c === MINUS) return this.number();
    if (c === 0x74) return this.literal('true', true);
    if (c === 0x66) return this.literal('false', false);
    if (c === 0x6e) return this.literal('null', null);
    return this.bail();
  }

  private literal<T>(word: string, value: T): T {
    const b = this.bytes;
    const p = this.pos;
    const after = p + word.length;
    if (after >= this.end) this.bail();
    for (let i = 1; i < word.length; i++) if (b[p + i] !== word.charCodeAt(i)) this.bail();
    if (b[after] >= LOWER_A && b[after] <= LOWER_Z) this.bail();
    this.pos = after;
    return value;
  }
}

/** Bytes kept for comparing with the input four at a time (see bytesEqual). */
export class BytePool {
  readonly bytes: Uint8Array;
  readonly words: Int32Array;

  constructor(length: number) {
    this.words = new Int32Array(Math.ceil(length / 4));
    this.bytes = new Uint8Array(this.words.buffer, 0, length);
  }

  /** Copies `length` bytes of `b` (seen as `words`) from `start` to `base` (a multiple of 4). */
  copy(base: number, b: Uint8Array, words: DataView, start: number, length: number): void {
    let i = 0;
    for (const w = base >> 2; i + 4 <= length; i += 4) this.words[w + (i >> 2)] = words.getInt32(start + i, true);
    for (; i < length; i++) this.bytes[base + i] = b[start + i];
  }
}

/**
 * Whether `length` bytes of the pool from `base` (a multiple of 4) equal those of `b` (seen as `words`)
 * from `start`: four at a time, twice as fast as byte by byte for the 20–60 byte runs compared here. (On
 * a big-endian machine words never match: a cache then only misses.)
 */
export function bytesEqual({ bytes: pool, words: poolWords }: BytePool, base: number, b: Uint8Array, words: DataView, start: number, length: number): boolean {
  let i = 0;
  for (const w = base >> 2; i + 4 <= length; i += 4) if (poolWords[w + (i >> 2)] !== words.getInt32(start + i, true)) return false;
  for (; i < length; i++) if (pool[base + i] !== b[start + i]) return false;
  return true;
}

/**
 * Values read before, by the exact bytes they were read from: objects that repeat from span to span
 * (Jaeger tags, OTLP attributes) are then one comparison instead of a parse. Bytes equal to ones read
 * before parse the same way, so a hit is as good as reading them.
 */
export class RepeatCache<T> {
  private static readonly SLOTS = 4096;
  private static readonly MAX_BYTES = 128;
  private readonly length = new Int32Array(RepeatCache.SLOTS).fill(-1);
  private readonly bytes = new BytePool(RepeatCache.SLOTS * RepeatCache.MAX_BYTES);
  private readonly values: (T | undefined)[] = new Array<T | undefined>(RepeatCache.SLOTS).fill(undefined);

  // Where the object lookup() last missed, for remember().
  private missSlot = -1;
  private missStart = 0;

  /**
   * The value read before from the same bytes as the object at the reader, with the reader moved past
   * them; else undefined, and the caller reads the object and hands its value to remember().
   */
  lookup(r: JsonByteReader): T | undefined {
    r.peek();
    const start = r.pos;
    const slot = RepeatCache.slotOf(r.words, start, r.end);
    const length = this.length[slot];
    if (length >= 0 && start + length <= r.end && bytesEqual(this.bytes, slot * RepeatCache.MAX_BYTES, r.bytes, r.words, start, length)) {
      r.pos = start + length;
      return this.values[slot];
    }
    this.missSlot = slot;
    this.missStart = start;
    return undefined;
  }

  /** The value of the object just read after lookup() missed it (the bytes up to the reader's position). */
  remember(r: JsonByteReader, value: T): void {
    const { missSlot: slot, missStart: start } = this;
    if (slot < 0 || r.pos - start > RepeatCache.MAX_BYTES) return;
    this.bytes.copy(slot * RepeatCache.MAX_BYTES, r.bytes, r.words, start, r.pos - start);
    this.length[slot] = r.pos - start;
    this.values[slot] = value;
    this.missSlot = -1;
  }

  // Three words where an object's first key or value usually is and three a little further (the
  // comparison in lookup() decides; the hash only has to spread the usual objects apart).
  private static slotOf(words: DataView, start: number, end: number): number {
    if (start + 50 > end) return 0;
    let hash = 0x811c9dc5 | 0;
    hash = Math.imul(hash ^ words.getInt32(start + 7, true), 16777619);
    hash = Math.imul(hash ^ words.getInt32(start + 11, true), 16777619);
    hash = Math.imul(hash ^ words.getInt32(start + 15, true), 16777619);
    hash = Math.imul(hash ^ words.getInt32(start + 38, true), 16777619);
    hash = Math.imul(hash ^ words.getInt32(start + 42, true), 16777619);
    hash = Math.imul(hash ^ words.getInt32(start + 46, true), 16777619);
    return (hash ^ (hash >>> 12) ^ (hash >>> 24)) & (RepeatCache.SLOTS - 1);
  }
}

/** Object keys an importer dispatches on, found by the hash of their bytes (see JsonByteReader.key). */
export class KeyTable {
  private readonly slots: Int16Array;
  private readonly length: Uint8Array;
  /** Name k's bytes are at k * MAX_KEY_BYTES. */
  private readonly names: BytePool;
  // The key that last followed each key, then the first key last seen in each kind of object.
  private readonly next: Int16Array;

  /** @param kinds how many kinds of object the keys are read in (a first key is predicted per kind) */
  constructor(names: readonly string[], kinds = 1) {
    const encoded = names.map((n) => new TextEncoder().encode(n));
    if (encoded.some((name) => name.length > MAX_KEY_BYTES)) throw new Error(`KeyTable: keys are at most ${MAX_KEY_BYTES} bytes`);
    this.length = Uint8Array.from(encoded, (name) => name.length);
    this.names = new BytePool(names.length * MAX_KEY_BYTES);
    encoded.forEach((name, k) => this.names.bytes.set(name, k * MAX_KEY_BYTES));
    this.next = new Int16Array(names.length + kinds).fill(-1);
    this.slots = new Int16Array(KEY_SLOTS).fill(-1);
    encoded.forEach((name, k) => {
      let slot = keySlot(fnv(name, 0, name.length));
      while (this.slots[slot] >= 0) slot = (slot + 1) & (KEY_SLOTS - 1);
      this.slots[slot] = k;
    });
  }

  /** Whether key k's bytes are at `start` of `b` (seen as `words`), given they run to `end` at most. */
  isAt(key: number, b: Uint8Array, words: DataView, start: number, end: number): boolean {
    const length = this.length[key];
    return start + length <= end && bytesEqual(this.names, key * MAX_KEY_BYTES, b, words, start, length);
  }

  lengthOf(key: number): number {
    return this.length[key];
  }

  predict(previous: number): number {
    return this.next[previous < 0 ? this.length.length - 1 - previous : previous];
  }

  learn(previous: number, key: number): void {
    this.next[previous < 0 ? this.length.length - 1 - previous : previous] = key;
  }

  find(b: Uint8Array, words: DataView, start: number, end: number, hash: number): number {
    for (let slot = keySlot(hash); ; slot = (slot + 1) & (KEY_SLOTS - 1)) {
      const k = this.slots[slot];
      if (k < 0) return -1;
      if (this.length[k] === end - start && this.isAt(k, b, words, start, end)) return k;
    }
  }
}

const MAX_KEY_BYTES = 32;
const KEY_SLOTS = 256;
const keySlot = (hash: number) => (hash ^ (hash >>> 8) ^ (hash >>> 16)) & (KEY_SLOTS - 1);

function fnv(b: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ b[i], 16777619);
  return hash;
}

/** Plain ASCII bytes as a string. (TextDecoder costs about a microsecond a call in Chromium.) */
function ascii(b: Uint8Array, start: number, end: number): string {
  // Span ids: spelled out, five times faster than apply over a subarray.
  if (end - start === 16) {
    const p = start;
    return String.fromCharCode(b[p], b[p + 1], b[p + 2], b[p + 3], b[p + 4], b[p + 5], b[p + 6], b[p + 7], b[p + 8], b[p + 9], b[p + 10], b[p + 11], b[p + 12], b[p + 13], b[p + 14], b[p + 15]);
  }
  if (end - start > MAX_APPLY) return decodeUtf8(b, start, end);
  if (end - start > SHORT_STRING) return String.fromCharCode.apply(null, b.subarray(start, end) as unknown as number[]);
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]);
  return s;
}
