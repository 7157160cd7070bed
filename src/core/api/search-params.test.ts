import { describe, expect, it } from 'vitest';
import type { TraceSearchQuery } from './backend-api.ts';
import { parseDurationUs, parseSearchParams, parseTags, searchQueryToParams } from './search-params.ts';

describe('search query string', () => {
  it('round-trips every field the browser sends', () => {
    const query: TraceSearchQuery = {
      service: 'order-service',
      operation: 'POST /orders',
      tags: [
        { kind: 'attribute', key: 'http.status_code', op: '>=', value: '500' },
        { kind: 'attribute', key: 'user.name', op: '=', value: 'a b "c"' },
        { kind: 'attribute', key: 'service', op: '!=', value: '' },
        { kind: 'error', value: true },
      ],
      minDurationUs: 1500,
      maxDurationUs: 2_000_000,
      startMs: 1_700_000_000_000,
      endMs: 1_700_000_360_000,
      limit: 50,
      errorsOnly: true,
      traceQl: '{ status = error }',
    };
    expect(parseSearchParams(searchQueryToParams(query))).toEqual({ query });
  });

  it('defaults the limit and rejects malformed values with the parameter named', () => {
    expect(parseSearchParams(new URLSearchParams(''))).toEqual({ query: { limit: 20 } });
    const cases: [string, RegExp][] = [
      ['minDuration=fast', /minDuration: "fast" is not a duration/],
      ['minDuration=2s&maxDuration=1s', /minDuration is larger than maxDuration/],
      ['start=yesterday', /start: "yesterday" is not a time/],
      ['start=20&end=10', /start is after end/],
      ['limit=0', /limit: expected a number from 1 to 1500, got "0"/],
      ['limit=99999', /limit/],
      ['tags={"a":{"b":1}}', /the value of "a" must be a string/],
      ['tags=a', /^tags: tags are key=value; for the text "a" write a key/],
      ['tags=http.route="/cart', /^tags: unterminated quote: add a closing " \(in ""\/cart"\)$/],
    ];
    for (const [qs, message] of cases) expect(parseSearchParams(new URLSearchParams(qs)).error, qs).toMatch(message);
  });
});

describe('parseTags', () => {
  it('reads the search language (Jaeger\'s logfmt included) and JSON objects', () => {
    expect(parseTags('http.status_code=500  error=true user="a \\"b\\" c" empty=""')).toEqual([
      { kind: 'attribute', key: 'http.status_code', op: '=', value: '500' },
      { kind: 'error', value: true },
      { kind: 'attribute', key: 'user', op: '=', value: 'a "b" c' },
      { kind: 'attribute', key: 'empty', op: '=', value: '' },
    ]);
    expect(parseTags('{"http.status_code": 500, "error": true}')).toEqual([
      { kind: 'attribute', key: 'http.status_code', op: '=', value: '500' },
      { kind: 'error', value: true },
    ]);
    expect(parseTags('   ')).toEqual([]);
  });
});

describe('parseDurationUs', () => {
  it.each([
    ['250ms', 250_000],
    ['1.5s', 1_500_000],
    ['100us', 100],
    ['100µs', 100],
    ['2m', 120_000_000],
    ['1500ns', 2],
  ])('%s → %d µs', (text, us) => expect(parseDurationUs(text)).toBe(us));

  it('rejects text without a unit', () => expect(parseDurationUs('100')).toBeUndefined());
});
