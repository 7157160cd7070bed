import { describe, expect, it } from 'vitest';
import { parseSearchQuery } from './search.ts';
import { equivalentKeys, SEMCONV_RENAMES } from './semconv-keys.ts';
import { describeSearchError, formatTagFilters, parseTagFilters, tagsAsEqualities, type TagFilter } from './tag-filters.ts';

function filters(text: string): readonly TagFilter[] {
  const r = parseTagFilters(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  return r.filters;
}

/** The message the Search page shows for a bad tag field, or the in-trace box for a bad query. */
function tagProblem(text: string): string {
  const r = parseTagFilters(text);
  if (r.ok) throw new Error(`${text} parsed`);
  return describeSearchError(text, r.error);
}

describe('the tag field reads the in-trace search language', () => {
  it('comparisons, quoting, error=true, Jaeger logfmt', () => {
    expect(filters('http.status_code>=500 error=true user.name="a \\"b\\" c" component=grpc attr.error=1 http.route!=/cart')).toEqual([
      { kind: 'attribute', key: 'http.status_code', op: '>=', value: '500' },
      { kind: 'error', value: true },
      { kind: 'attribute', key: 'user.name', op: '=', value: 'a "b" c' },
      // A bare key that is not a field is an attribute, as Jaeger's tags are.
      { kind: 'attribute', key: 'component', op: '=', value: 'grpc' },
      // attr. reaches a key that reads as a field.
      { kind: 'attribute', key: 'error', op: '=', value: '1' },
      { kind: 'attribute', key: 'http.route', op: '!=', value: '/cart' },
    ]);
    expect(filters('error!=true  ERROR = "false"')).toEqual([
      { kind: 'error', value: false },
      { kind: 'error', value: false },
    ]);
    expect(filters('   ')).toEqual([]);
  });

  it('the in-trace parser reads the same text to the same terms', () => {
    const text = 'http.status_code>=500 error=true user.name="a b" component=grpc';
    const inTrace = parseSearchQuery(text);
    if (!inTrace.ok) throw new Error(inTrace.error.message);
    expect(inTrace.query.terms.map((t) => t.type)).toEqual(['attribute', 'error', 'attribute', 'attribute']);
    expect(inTrace.query.terms[0]).toMatchObject({ key: 'http.status_code', op: '>=', value: '500' });
    expect(inTrace.query.terms[3]).toMatchObject({ key: 'component', op: '=', value: 'grpc' });
  });

  it('writes filters back as text that reads to the same filters', () => {
    const all = filters('http.status_code>=500 error=false user.name="a \\"b\\" c" attr.service="" attr.error=x k=\\\\');
    expect(formatTagFilters(all)).toBe('http.status_code>=500 error=false user.name="a \\"b\\" c" attr.service="" attr.error=x k=\\\\');
    expect(filters(formatTagFilters(all))).toEqual(all);
  });

  it('a bad tag field says what is wrong and echoes what was typed', () => {
    expect(tagProblem('http.route="/cart')).toBe('unterminated quote: add a closing " (in ""/cart")');
    expect(tagProblem('http.status_code=')).toBe('http.status_code= needs a value (write "" for an empty one) (in "http.status_code=")');
    expect(tagProblem('error=maybe')).toBe("error= takes true or false, got 'maybe' (in \"maybe\")");
    expect(tagProblem('checkout')).toBe('tags are key=value; for the text "checkout" write a key, as in http.route=checkout (in "checkout")');
    expect(tagProblem('service=api')).toBe('use the Service field for service (in "service=api")');
    expect(tagProblem('duration>=1s')).toBe('use the Min and Max duration fields for duration (in "duration>=1s")');
    expect(tagProblem('kind=server')).toBe('kind is searched inside a trace only; the tag field takes key=value and error=true (in "kind=server")');
  });

  it('equality-only backends take = and error=true, and name the filter they cannot take', () => {
    expect(tagsAsEqualities(filters('http.status_code=500 error=true'))).toEqual({ tags: { 'http.status_code': '500', error: 'true' } });
    expect(tagsAsEqualities(filters('a.b=1 http.status_code>=500'))).toEqual({ unsupported: 'http.status_code>=500' });
    expect(tagsAsEqualities(filters('error=false'))).toEqual({ unsupported: 'error=false' });
  });
});

describe('equivalentKeys', () => {
  it('old and stable semantic-convention names find each other', () => {
    expect(equivalentKeys('http.status_code')).toEqual(['http.status_code', 'http.response.status_code']);
    expect(equivalentKeys('http.response.status_code')).toEqual(['http.response.status_code', 'http.status_code']);
    expect(equivalentKeys('http.method')).toEqual(['http.method', 'http.request.method']);
    expect(equivalentKeys('url.full')).toEqual(['url.full', 'http.url']);
    expect(equivalentKeys('http.target')).toEqual(['http.target', 'url.path']);
    expect(equivalentKeys('net.peer.name')).toEqual(['net.peer.name', 'server.address']);
    expect(equivalentKeys('order.id')).toEqual(['order.id']);
  });

  it('has at most three names for a key (search.ts compares three key ids per attribute)', () => {
    for (const key of SEMCONV_RENAMES.flat()) expect(equivalentKeys(key).length, key).toBeLessThanOrEqual(3);
    expect(equivalentKeys('server.address')).toEqual(['server.address', 'net.peer.name', 'net.host.name']);
  });
});
