import { describe, expect, it } from 'vitest';
import { JsonCursor, JsonSyntaxError, JsonTooDeepError, MAX_JSON_DEPTH, quoteBigIntegers } from './json-cursor.ts';
import { sampleJson } from './json-sample.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('JsonCursor', () => {
  it('reads values nested 512 deep and refuses 513 at the bracket that goes too deep, walked or skipped', () => {
    const nested = (depth: number) => bytes('['.repeat(depth) + ']'.repeat(depth));
    expect(MAX_JSON_DEPTH).toBe(512);
    expect(() => new JsonCursor(nested(512)).readValue()).not.toThrow();
    expect(() => new JsonCursor(nested(513)).skipValue()).toThrow(new JsonTooDeepError('JSON nested deeper than 512 levels', 512, 1, 513));
    // Levels entered by hand count too.
    const walked = new JsonCursor(nested(513));
    for (let level = 0; level < 10; level++) walked.beginArray();
    expect(() => walked.readValue()).toThrow(JsonTooDeepError);
    const byHand = new JsonCursor(nested(513));
    for (let level = 0; level < 512; level++) byHand.beginArray();
    expect(() => byHand.beginArray()).toThrow(/JSON nested deeper than 512 levels at line 1, column 513 \(byte 512\)/);
  });

  it('walks objects and arrays and materializes leaves', () => {
    const c = new JsonCursor(bytes('{"a": [1, {"b": "x\\"y"}, [2]], "c": true, "d": null}'));
    c.beginObject();
    expect(c.nextKey()).toBe('a');
    c.beginArray();
    const items: unknown[] = [];
    while (c.hasNextItem()) items.push(c.readValue());
    expect(items).toEqual([1, { b: 'x"y' }, [2]]);
    expect(c.nextKey()).toBe('c');
    expect(c.readValue()).toBe(true);
    expect(c.nextKey()).toBe('d');
    c.skipValue();
    expect(c.nextKey()).toBeUndefined();
    expect(c.atEnd()).toBe(true);
  });

  it('keeps integers beyond 2^53 exact as decimal strings, and leaves safe ones as numbers', () => {
    const c = new JsonCursor(bytes('{"span_id": 13835058055282163712, "start": 1700000000123456789, "small": 9007199254740991, "neg": -9007199254740993, "f": 1.5e300, "s": "12345678901234567890"}'));
    expect(c.readValue()).toEqual({
      span_id: '13835058055282163712',
      start: '1700000000123456789',
      small: 9007199254740991,
      neg: '-9007199254740993',
      f: 1.5e300,
      s: '12345678901234567890',
    });
  });

  it('does not touch digits inside strings when quoting', () => {
    const input = bytes('["a 12345678901234567890 b", 12345678901234567890, "\\"", 1]');
    expect(new TextDecoder().decode(quoteBigIntegers(input))).toBe('["a 12345678901234567890 b", "12345678901234567890", "\\"", 1]');
  });

  it('reports the line and column of a syntax error', () => {
    const c = new JsonCursor(bytes('{\n  "a": [1,\n  2,, 3]\n}'));
    let error: unknown;
    try {
      c.readValue();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JsonSyntaxError);
    expect((error as JsonSyntaxError).line).toBe(3);
    expect((error as JsonSyntaxError).column).toBeGreaterThanOrEqual(4);
  });

  it('reports a truncated file', () => {
    const c = new JsonCursor(bytes('{"data": [{"a": 1}, {"b": "unterminated'));
    expect(() => c.readValue()).toThrow(/ended inside a string/);
  });

  it('skips a UTF-8 byte order mark', () => {
    const c = new JsonCursor(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('[1]')]));
    expect(c.readValue()).toEqual([1]);
  });
});

describe('sampleJson', () => {
  it('samples the first items of big arrays and keeps the keys', () => {
    const big = { data: [{ traceID: 'a', spans: Array.from({ length: 1000 }, (_, i) => ({ spanID: String(i) })) }], total: 0 };
    const s = sampleJson(bytes(JSON.stringify(big)));
    expect(s.isSequence).toBe(false);
    const v = s.value as { data: { spans: unknown[] }[]; total: number };
    expect(v.data[0].spans).toHaveLength(3);
    expect(v.total).toBe(0);
  });

  it('returns a partial value when the budget cuts the file', () => {
    const text = `{"resourceSpans": [{"resource": {}, "scopeSpans": [{"spans": [${'{"name": "x"},'.repeat(10000)}{"name": "y"}]}]}]}`;
    const s = sampleJson(bytes(text), 4096);
    expect(Object.keys(s.value as object)).toEqual(['resourceSpans']);
  });

  it('recognizes NDJSON', () => {
    const s = sampleJson(bytes('{"resourceMetrics": []}\n{"resourceSpans": []}\n'));
    expect(s.isSequence).toBe(true);
    expect(s.values).toEqual([{ resourceMetrics: [] }, { resourceSpans: [] }]);
  });

  it('does not mistake pretty-printed JSON for NDJSON', () => {
    const s = sampleJson(bytes('{\n  "a": 1\n}\n'));
    expect(s.isSequence).toBe(false);
  });
});

describe('locating syntax errors', () => {
  const cases: [string, number, number, RegExp][] = [
    // input, line, column, reason
    ['{"a": 1,}', 1, 9, /quoted key/],
    ['[1, 2\n, 3 4]', 2, 5, /expected "," or "]"/],
    ['{"a": tru}', 1, 10, /expected true/],
    ['{"a": "x\ty"}', 1, 9, /control character/],
    ['{"a": 01}', 1, 8, /expected "," or "}"/],
  ];
  for (const [input, line, column, reason] of cases) {
    it(JSON.stringify(input), () => {
      try {
        new JsonCursor(bytes(input)).readValue();
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(JsonSyntaxError);
        const err = e as JsonSyntaxError;
        expect([err.line, err.column]).toEqual([line, column]);
        expect(err.reason).toMatch(reason);
      }
    });
  }
});
