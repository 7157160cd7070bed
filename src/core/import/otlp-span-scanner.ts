// The fast path for one OTLP/JSON span object: read straight from the bytes into reusable columns (no
// JSON.parse, no object per attribute; repeated strings come from JsonByteReader's cache). It takes the
// shape exporters write: camelCase keys, each once; scalar ids, times, kind and flags; `status` with
// scalar fields; attributes as {key, value: {stringValue|intValue|doubleValue|boolValue|bytesValue}} (or
// `{}`) or arrayValue of those; events and links of those. Anything else (snake_case or unknown keys,
// kvlistValue, nested values where a scalar belongs, the end of the input) makes scan() return false
// and OtlpReader parses the span the ordinary way, so both paths give the same result.
import { JsonByteReader, KeyTable, RepeatCache, type JsonScalar } from '../json/json-bytes.ts';
import type { JsonCursor } from '../json/json-cursor.ts';
import type { AttrType, AttrValue } from '../model/attributes.ts';
import type { EpochNanos } from '../model/time.ts';
import { scalarAnyValue, toEpoch, type ScalarAnyValueField } from './otlp-values.ts';

const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const QUOTE = 0x22;
const ZERO = 0x30;
const NINE = 0x39;

const NAMES = [
  'traceId', 'spanId', 'parentSpanId', 'name', 'kind', 'startTimeUnixNano', 'endTimeUnixNano', 'status', 'traceState', 'flags',
  'attributes', 'events', 'links', 'droppedAttributesCount', 'droppedEventsCount', 'droppedLinksCount',
  'key', 'value', 'timeUnixNano', 'code', 'message', 'deprecatedCode',
  'stringValue', 'intValue', 'doubleValue', 'boolValue', 'bytesValue', 'arrayValue', 'values',
] as const;
// The kinds of object whose keys are read, each with its own guess at the first key (see JsonByteReader.key).
const [SPAN, KEY_VALUE, ANY_VALUE, STATUS, EVENT, LINK] = [-1, -2, -3, -4, -5, -6];
// Deeper arrays of arrays are left to convertAnyValue, which turns them into JSON text past its limit.
const MAX_NESTING = 8;
const KEYS = new KeyTable(NAMES, 6);
const K = Object.fromEntries(NAMES.map((name, k) => [name, k])) as Record<(typeof NAMES)[number], number>;
const FIRST_SCALAR_VALUE = K.stringValue;
const LAST_SCALAR_VALUE = K.bytesValue;

interface Converted {
  readonly type: AttrType;
  readonly value: AttrValue;
}
type KeyValue = Converted & { readonly key: string };
const EMPTY: Converted = { type: 'string', value: '' };

/** Attributes of the span, its events and its links, in one set of columns. */
export interface ScannedAttributes {
  readonly key: string[];
  readonly type: AttrType[];
  readonly value: AttrValue[];
}

export class OtlpSpanScanner {
  private readonly reader: JsonByteReader;
  // Attributes seen before, by their exact bytes: most repeat from span to span.
  private readonly keyValues = new RepeatCache<KeyValue>();

  // The span last scanned; absent fields are undefined.
  traceId: JsonScalar | undefined;
  spanId: JsonScalar | undefined;
  parentSpanId: JsonScalar | undefined;
  name: JsonScalar | undefined;
  kind: JsonScalar | undefined;
  /** As toEpoch gives them. */
  start: EpochNanos | undefined;
  end: EpochNanos | undefined;
  traceState: JsonScalar | undefined;
  flags: JsonScalar | undefined;
  droppedAttributes: JsonScalar | undefined;
  droppedEvents: JsonScalar | undefined;
  droppedLinks: JsonScalar | undefined;
  /** `status` as toOtlpStatus takes it: an object of its scalar fields, or the scalar written. */
  status: JsonScalar | Record<string, JsonScalar> | undefined;
  /** Span attributes are attributes[0 .. spanAttributeCount), then the events' and the links'. */
  spanAttributeCount = 0;
  attributeCount = 0;
  readonly attributes: ScannedAttributes = { key: [], type: [], value: [] };
  eventCount = 0;
  readonly eventTime: (EpochNanos | undefined)[] = [];
  readonly eventName: (JsonScalar | undefined)[] = [];
  readonly eventAttributeEnd: number[] = [];
  linkCount = 0;
  readonly linkTraceId: (JsonScalar | undefined)[] = [];
  readonly linkSpanId: (JsonScalar | undefined)[] = [];
  readonly linkTraceState: (JsonScalar | undefined)[] = [];
  readonly linkFlags: (JsonScalar | undefined)[] = [];
  readonly linkAttributeEnd: number[] = [];

  constructor(bytes: Uint8Array) {
    this.reader = new JsonByteReader(bytes);
  }

  /** Scans the span object at the cursor; on success moves the cursor past it. */
  scan(cursor: JsonCursor): boolean {
    return this.reader.readAt(cursor, this.read);
  }

  // Made once: a closure per span (or per attribute list) would be garbage a million times over.
  private readonly read = () => this.readSpan();
  private readonly readKeyValueItem = () => this.readKeyValue();

  private readSpan(): void {
    const r = this.reader;
    this.traceId = this.spanId = this.parentSpanId = this.name = this.kind = this.start = this.end = undefined;
    this.traceState = this.flags = this.droppedAttributes = this.droppedEvents = this.droppedLinks = this.status = undefined;
    this.spanAttributeCount = this.attributeCount = this.eventCount = this.linkCount = 0;
    let seen = 0;
    r.expect(LBRACE);
    if (r.closesAt(RBRACE)) return;
    let key = SPAN;
    do {
      key = r.key(KEYS, key);
      // Unknown keys may be other spellings of known ones (snake_case): the slow path knows them all.
      if (key < 0 || key > K.droppedLinksCount || seen & (1 << key)) r.bail();
      seen |= 1 << key;
      switch (key) {
        case K.traceId: this.traceId = r.scalar(); break;
        case K.spanId: this.spanId = r.scalar(); break;
        case K.parentSpanId: this.parentSpanId = r.scalar(); break;
        case K.name: this.name = r.scalar(); break;
        case K.kind: this.kind = r.scalar(); break;
        case K.startTimeUnixNano: this.start = this.readTime(); break;
        case K.endTimeUnixNano: this.end = this.readTime(); break;
        case K.traceState: this.traceState = r.scalar(); break;
        case K.flags: this.flags = r.scalar(); break;
        case K.droppedAttributesCount: this.droppedAttributes = r.scalar(); break;
        case K.droppedEventsCount: this.droppedEvents = r.scalar(); break;
        case K.droppedLinksCount: this.droppedLinks = r.scalar(); break;
        case K.status: this.status = this.readStatus(); break;
        // The columns fill in the order of the bytes: span attributes, then events, then links.
        case K.attributes:
          if (seen & ((1 << K.events) | (1 << K.links))) r.bail();
          this.readAttributes();
          this.spanAttributeCount = this.attributeCount;
          break;
        case K.events:
          if (seen & (1 << K.links)) r.bail();
          this.readList(() => this.readEvent());
          break;
        case K.links:
          this.readList(() => this.readLink());
          break;
      }
    } while (r.more(RBRACE));
  }

  /**
   * A *TimeUnixNano as toEpoch reads it; the usual quoted string of digits straight from the bytes, as
   * whole milliseconds (at most 15 digits: exact) and the nanoseconds after them, without a string.
   */
  private readTime(): EpochNanos | undefined {
    const r = this.reader;
    const b = r.bytes;
    if (r.peek() === QUOTE) {
      const first = r.pos + 1;
      let p = first;
      while (p < r.end && b[p] >= ZERO && b[p] <= NINE) p++;
      if (p < r.end && b[p] === QUOTE && p > first && p - first <= 21) {
        r.pos = p + 1;
        const split = Math.max(first, p - 6);
        let ms = 0;
        let nsOfMs = 0;
        for (let q = first; q < split; q++) ms = ms * 10 + (b[q] - ZERO);
        for (let q = split; q < p; q++) nsOfMs = nsOfMs * 10 + (b[q] - ZERO);
        return ms !== 0 || nsOfMs !== 0 ? { ms, nsOfMs } : undefined;
      }
    }
    return toEpoch(r.scalar());
  }

  private readStatus(): JsonScalar | Record<string, JsonScalar> {
    const r = this.reader;
    if (r.peek() !== LBRACE) return r.scalar();
    r.pos++;
    const status: Record<string, JsonScalar> = {};
    if (r.closesAt(RBRACE)) return status;
    let key = STATUS;
    do {
      key = r.key(KEYS, key);
      if ((key !== K.code && key !== K.message && key !== K.deprecatedCode) || NAMES[key] in status) r.bail();
      status[NAMES[key]] = r.scalar();
    } while (r.more(RBRACE));
    return status;
  }

  /** A list of objects (or a scalar, null mostly, which means none). */
  private readList(readItem: () => void): void {
    const r = this.reader;
    const c = r.peek();
    if (c !== LBRACKET) {
      if (c === LBRACE) r.bail();
      r.scalar();
      return;
    }
    r.pos++;
    if (r.closesAt(RBRACKET)) return;
    do readItem();
    while (r.more(RBRACKET));
  }

  private readAttributes(): void {
    this.readList(this.readKeyValueItem);
  }

  // {key, value}: a key that is not a string drops the pair, as addKeyValues does.
  private readKeyValue(): void {
    const r = this.reader;
    let kv = this.keyValues.lookup(r);
    if (!kv) {
      r.expect(LBRACE);
      let k: JsonScalar | undefined;
      let converted: Converted | undefined;
      if (!r.closesAt(RBRACE)) {
        let key = KEY_VALUE;
        do {
          key = r.key(KEYS, key);
          if (key === K.key && k === undefined) k = r.scalar();
          else if (key === K.value && converted === undefined) converted = this.readAnyValue(0);
          else r.bail();
        } while (r.more(RBRACE));
      }
      if (typeof k !== 'string') return;
      kv = { key: k, ...(converted ?? EMPTY) };
      this.keyValues.remember(r, kv);
    }
    const at = this.attributeCount++;
    this.attributes.key[at] = kv.key;
    this.attributes.type[at] = kv.type;
    this.attributes.value[at] = kv.value;
  }

  // As convertAnyValue: `{}` and null are the empty string, a bare scalar is itself, one scalar field is
  // its value, arrayValue the list of its values; kvlists and anything else go slow.
  private readAnyValue(nesting: number): Converted {
    const r = this.reader;
    if (r.peek() !== LBRACE) {
      const v = r.scalar();
      if (v === null) return EMPTY;
      if (typeof v === 'number') return { type: Number.isInteger(v) ? 'int' : 'double', value: v };
      return typeof v === 'string' ? { type: 'string', value: v } : { type: 'bool', value: v };
    }
    r.pos++;
    if (r.closesAt(RBRACE)) return EMPTY;
    const field = r.key(KEYS, ANY_VALUE);
    let converted: Converted;
    if (field >= FIRST_SCALAR_VALUE && field <= LAST_SCALAR_VALUE) converted = scalarAnyValue(NAMES[field] as ScalarAnyValueField, r.scalar());
    else if (field === K.arrayValue && nesting < MAX_NESTING) converted = { type: 'array', value: this.readArrayValue(nesting) };
    else return r.bail();
    if (r.more(RBRACE)) r.bail();
    return converted;
  }

  // {"values": [AnyValue…]} (or null, or {}: no values).
  private readArrayValue(nesting: number): AttrValue[] {
    const r = this.reader;
    const values: AttrValue[] = [];
    if (r.peek() !== LBRACE) {
      if (r.scalar() !== null) r.bail();
      return values;
    }
    r.pos++;
    if (r.closesAt(RBRACE)) return values;
    if (r.key(KEYS, K.arrayValue) !== K.values) r.bail();
    if (r.peek() === LBRACKET) {
      r.pos++;
      if (!r.closesAt(RBRACKET)) {
        do values.push(this.readAnyValue(nesting + 1).value);
        while (r.more(RBRACKET));
      }
    } else if (r.scalar() !== null) r.bail();
    if (r.more(RBRACE)) r.bail();
    return values;
  }

  // An object of known keys, each once, for events and links (few: a closure per object is fine).
  private readKnownKeys(kind: number, onKey: (key: number) => void): void {
    const r = this.reader;
    r.expect(LBRACE);
    if (r.closesAt(RBRACE)) return;
    let seen = 0;
    let key = kind;
    do {
      key = r.key(KEYS, key);
      if (key < 0 || seen & (1 << key)) r.bail();
      seen |= 1 << key;
      onKey(key);
    } while (r.more(RBRACE));
  }

  private readEvent(): void {
    const r = this.reader;
    let time: EpochNanos | undefined;
    let name: JsonScalar | undefined;
    this.readKnownKeys(EVENT, (key) => {
      if (key === K.timeUnixNano) time = this.readTime();
      else if (key === K.name) name = r.scalar();
      else if (key === K.droppedAttributesCount) r.scalar();
      else if (key === K.attributes) this.readAttributes();
      else r.bail();
    });
    const at = this.eventCount++;
    this.eventTime[at] = time;
    this.eventName[at] = name;
    this.eventAttributeEnd[at] = this.attributeCount;
  }

  private readLink(): void {
    const r = this.reader;
    let traceId: JsonScalar | undefined;
    let spanId: JsonScalar | undefined;
    let traceState: JsonScalar | undefined;
    let flags: JsonScalar | undefined;
    this.readKnownKeys(LINK, (key) => {
      if (key === K.traceId) traceId = r.scalar();
      else if (key === K.spanId) spanId = r.scalar();
      else if (key === K.traceState) traceState = r.scalar();
      else if (key === K.flags) flags = r.scalar();
      else if (key === K.droppedAttributesCount) r.scalar();
      else if (key === K.attributes) this.readAttributes();
      else r.bail();
    });
    const at = this.linkCount++;
    this.linkTraceId[at] = traceId;
    this.linkSpanId[at] = spanId;
    this.linkTraceState[at] = traceState;
    this.linkFlags[at] = flags;
    this.linkAttributeEnd[at] = this.attributeCount;
  }
}
