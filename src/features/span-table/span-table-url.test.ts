import { describe, expect, it } from 'vitest';
import { readSpanTableParams, spanTableParamsEdit } from './span-table-url.ts';

describe('the span table in the URL', () => {
  it('defaults to every span, longest first, and writes nothing for it', () => {
    expect(readSpanTableParams('')).toEqual({ sort: 'duration', descending: true, filter: '', errorsOnly: false });
    const url = new URL('http://x/?tab=spans');
    spanTableParamsEdit(readSpanTableParams(''))(url);
    expect(url.search).toBe('?tab=spans');
  });

  it('round-trips a sort, a filter and errors only; an unknown column falls back to duration', () => {
    const url = new URL('http://x/');
    spanTableParamsEdit({ sort: 'service', descending: false, filter: 'payment service', errorsOnly: true })(url);
    expect(readSpanTableParams(url.search)).toEqual({ sort: 'service', descending: false, filter: 'payment service', errorsOnly: true });
    expect(readSpanTableParams('?ssort=-self').sort).toBe('self');
    expect(readSpanTableParams('?ssort=colour')).toMatchObject({ sort: 'duration', descending: true });
  });
});
