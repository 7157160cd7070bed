// The fast path for one Jaeger span object: read straight from the bytes into reusable columns (no
// JSON.parse, no object per tag, log or reference; repeated strings come from JsonByteReader's cache).
// It takes the shape the Jaeger query API writes: ids and names as strings, tags as {key, type, value}
// with scalar values, logs as {timestamp, fields}, references as {refType, traceID, spanID}, warnings as
// null or strings. Anything else (an inline `process`, nested tag values, escapes it cannot handle, the
// end of the input) makes scan() return false and the importer parses the span the ordinary way, so
// both paths give the same result.
import { JsonByteReader, KeyTable, RepeatCache, type JsonScalar } from '../json/json-bytes.ts';
import type { JsonCursor } from '../json/json-cursor.ts';
import { JaegerSpanFields } from './jaeger-span.ts';

const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const NULL_BYTE = 0x6e;

// The keys read, numbered by their place in KEYS.
const KEYS = new KeyTable([
  'traceID', 'spanID', 'parentSpanID', 'operationName', 'startTime', 'duration', 'processID', 'tags', 'logs', 'references',
  'warnings', 'process', 'key', 'type', 'value', 'timestamp', 'fields', 'refType',
]);
const [TRACE_ID, SPAN_ID, PARENT_SPAN_ID, OPERATION_NAME, START_TIME, DURATION, PROCESS_ID, TAGS, LOGS, REFERENCES, WARNINGS, PROCESS, KEY, TYPE, VALUE, TIMESTAMP, FIELDS, REF_TYPE] =
  Array.from({ length: 18 }, (_, k) => k);

export class JaegerSpanScanner {
  private readonly reader: JsonByteReader;
  // Tag objects seen before, by their exact bytes: most tags repeat from span to span
  // ({"key":"span.kind","type":"string","value":"server"}).
  private readonly tagCache = new RepeatCache<{ key: string; type: JsonScalar | undefined; value: JsonScalar | undefined }>();

  /** The span last scanned. */
  readonly span = new JaegerSpanFields();
  /** Whether the object has the keys that make it a span (see isJaegerSpan). */
  looksLikeSpan = false;

  constructor(bytes: Uint8Array) {
    this.reader = new JsonByteReader(bytes);
  }

  /** Scans the span object at the cursor; on success moves the cursor past it. */
  scan(cursor: JsonCursor): boolean {
    return this.reader.readAt(cursor, this.read);
  }

  // Made once: a closure per span would be garbage a million times over.
  private readonly read = () => this.readSpan();

  private readSpan(): void {
    const r = this.reader;
    const span = this.span;
    span.reset();
    let hasSpanID = false;
    let hasNameOrStart = false;
    let seenLists = 0;
    r.expect(LBRACE);
    if (r.closesAt(RBRACE)) r.bail();
    let key = -1;
    do {
      key = r.key(KEYS, key);
      switch (key) {
        case TRACE_ID:
          span.traceID = r.string();
          break;
        case SPAN_ID:
          span.spanID = r.string();
          hasSpanID = true;
          break;
        case PARENT_SPAN_ID:
          span.parentSpanID = r.peek() === NULL_BYTE ? (r.scalar(), undefined) : r.string();
          break;
        case OPERATION_NAME:
          span.operationName = r.scalar();
          hasNameOrStart = true;
          break;
        case START_TIME:
          span.startTime = r.scalar();
          hasNameOrStart = true;
          break;
        case DURATION:
          span.duration = r.scalar();
          break;
        case PROCESS_ID:
          span.processID = r.string();
          break;
        // A list given twice would be merged here but replaced by JSON.parse: leave it to the slow path.
        case TAGS:
          seenLists = this.once(seenLists, 1);
          // Span tags come first in the columns; logs written before the tags are rare: go slow.
          if (span.tagCount !== 0) r.bail();
          this.readTags();
          span.spanTagCount = span.tagCount;
          break;
        case LOGS:
          seenLists = this.once(seenLists, 2);
          this.readLogs();
          break;
        case REFERENCES:
          seenLists = this.once(seenLists, 4);
          this.readReferences();
          break;
        case WARNINGS:
          seenLists = this.once(seenLists, 8);
          this.readWarnings();
          break;
        default:
          // `process` (inline processes) and unknown keys with nested values go the slow way.
          if (key === PROCESS || r.peek() === LBRACE || r.peek() === LBRACKET) r.bail();
          r.scalar();
      }
    } while (r.more(RBRACE));
    this.looksLikeSpan = hasSpanID && hasNameOrStart;
  }

  private once(seen: number, bit: number): number {
    if (seen & bit) this.reader.bail();
    return seen | bit;
  }

  private readTags(): void {
    const r = this.reader;
    r.expect(LBRACKET);
    if (r.closesAt(RBRACKET)) return;
    const span = this.span;
    const cache = this.tagCache;
    do {
      const tag = cache.lookup(r);
      if (tag) {
        span.addTag(tag.key, tag.type, tag.value);
        continue;
      }
      r.expect(LBRACE);
      let k: string | undefined;
      let t: JsonScalar | undefined;
      let v: JsonScalar | undefined;
      if (!r.closesAt(RBRACE)) {
        let name = -1;
        do {
          name = r.key(KEYS, name);
          if (name === KEY) k = r.string();
          else if (name === TYPE) t = r.scalar();
          else if (name === VALUE) v = r.scalar();
          else r.scalar();
        } while (r.more(RBRACE));
      }
      if (k === undefined) return r.bail();
      span.addTag(k, t, v);
      cache.remember(r, { key: k, type: t, value: v });
    } while (r.more(RBRACKET));
  }

  private readLogs(): void {
    const r = this.reader;
    r.expect(LBRACKET);
    if (r.closesAt(RBRACKET)) return;
    do {
      r.expect(LBRACE);
      let timestamp: JsonScalar | undefined;
      let fields = false;
      const start = this.span.tagCount;
      if (!r.closesAt(RBRACE)) {
        let name = -1;
        do {
          name = r.key(KEYS, name);
          if (name === TIMESTAMP) timestamp = r.scalar();
          else if (name === FIELDS && !fields) {
            fields = true;
            this.readTags();
          } else r.bail();
        } while (r.more(RBRACE));
      }
      this.span.addLog(timestamp, start);
    } while (r.more(RBRACKET));
  }

  private readReferences(): void {
    const r = this.reader;
    r.expect(LBRACKET);
    if (r.closesAt(RBRACKET)) return;
    do {
      r.expect(LBRACE);
      let refType: string | undefined;
      let traceID: string | undefined;
      let spanID: string | undefined;
      if (!r.closesAt(RBRACE)) {
        let name = -1;
        do {
          name = r.key(KEYS, name);
          if (name === REF_TYPE) refType = r.string();
          else if (name === TRACE_ID) traceID = r.string();
          else if (name === SPAN_ID) spanID = r.string();
          else r.bail();
        } while (r.more(RBRACE));
      }
      this.span.addReference(refType, traceID, spanID);
    } while (r.more(RBRACKET));
  }

  private readWarnings(): void {
    const r = this.reader;
    if (r.peek() === NULL_BYTE) {
      r.scalar();
      return;
    }
    r.expect(LBRACKET);
    if (r.closesAt(RBRACKET)) return;
    do this.span.warnings.push(r.string());
    while (r.more(RBRACKET));
  }
}
