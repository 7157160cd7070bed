import { assert, describe, expect, it } from 'vitest';
import { loadFixture } from '../import/fixture-test-helpers.ts';
import type { AttrValue } from '../model/attributes.ts';
import { generatedTrace, TEST_TRACE_ID } from '../model/test-traces.ts';
import { TraceModelBuilder } from '../model/trace-model-builder.ts';
import { spanName, STATUS_ERROR } from '../model/trace-model.ts';
import { spanNamed, timeline } from './analysis-test-helpers.ts';
import { errorAncestors, errorMessage, errorSpanIndices } from './errors.ts';

describe('errorAncestors / errorSpanIndices', () => {
  it('marks the spans above an error (hollow markers), not the error spans themselves', () => {
    const m = timeline(`
      root   [========================]
        a      [============]
          a1     [====]                   error
          a2           [==]
        b                   [======]      error
          b1                  [==]        error
        c                         [==]
      other  [==]                         orphan
        o1    |                           error
    `);
    const hollow = errorAncestors(m);
    const names = ['root', 'a', 'a1', 'a2', 'b', 'b1', 'c', 'other', 'o1'];
    expect(names.filter((n) => hollow[spanNamed(m, n)] === 1)).toEqual(['root', 'a', 'other']);
    expect(Array.from(errorSpanIndices(m), (i) => spanName(m, i))).toEqual(['a1', 'b', 'b1', 'o1']);
  });

  it('is all zeros without errors', () => {
    const m = timeline(`
      root [====]
        a   [=]
    `);
    expect(Array.from(errorAncestors(m))).toEqual([0, 0]);
    expect(errorSpanIndices(m).length).toBe(0);
  });
});

describe('errorMessage', () => {
  /** One error span with the given status message, attributes and events, for each case. */
  function span(opts: { status?: string; attrs?: Record<string, AttrValue>; events?: { name: string; attrs: Record<string, AttrValue> }[] }) {
    const b = new TraceModelBuilder('otlp-json');
    b.addSpan({ traceId: TEST_TRACE_ID, spanId: '0000000000000001', name: 'x', service: 's', start: { ms: 1e12, nsOfMs: 0 }, durationNs: 5, status: 'error', statusMessage: opts.status });
    for (const [k, v] of Object.entries(opts.attrs ?? {})) b.attr(k, v);
    for (const e of opts.events ?? []) {
      b.addEvent({ ms: 1e12, nsOfMs: 1 }, e.name);
      for (const [k, v] of Object.entries(e.attrs)) b.attr(k, v);
    }
    return errorMessage(b.build().traces[0], 0);
  }

  it('prefers the status message, then the attributes in order, then an exception event', () => {
    const attrs = { error: 'flag text', 'otel.status_description': 'described', 'exception.message': 'thrown', 'error.message': 'the message' };
    const events = [{ name: 'exception', attrs: { 'exception.message': 'from the event' } }];
    expect(span({ status: 'status says', attrs, events })).toBe('status says');
    expect(span({ attrs, events })).toBe('the message');
    const { 'error.message': _skipped, ...withoutErrorMessage } = attrs;
    expect(span({ attrs: withoutErrorMessage, events })).toBe('thrown');
    expect(span({ attrs: { error: 'flag text', 'otel.status_description': 'described' }, events })).toBe('described');
    expect(span({ attrs: { error: 'flag text' }, events })).toBe('flag text');
    expect(span({ events })).toBe('from the event');
  });

  it('ignores a boolean error flag, "true" text, empty text and events that are not exceptions', () => {
    expect(span({ attrs: { error: true } })).toBeUndefined();
    expect(span({ attrs: { error: 'true', 'error.message': '  ' } })).toBeUndefined();
    const events: { name: string; attrs: Record<string, AttrValue> }[] = [
      { name: 'log', attrs: { 'exception.message': 'not an exception event' } },
      { name: 'exception', attrs: { 'exception.type': 'IOError' } },
      { name: 'exception', attrs: { 'exception.message': 'second exception' } },
    ];
    expect(span({ attrs: { error: true }, events })).toBe('second exception');
    expect(span({})).toBeUndefined();
  });
});

describe('errors: real traces', () => {
  it('Django ASGI 500 (Datadog): the view raised, the middleware chain above it is hollow', async () => {
    const m = (await loadFixture('real/datadog/dd-trace-py__django-asgi_500.json')).traces[0];
    const errors = Array.from(errorSpanIndices(m));
    expect(errors.map((i) => spanName(m, i))).toEqual(['django.request', 'django.view']);
    const [request, view] = errors;
    expect(errorMessage(m, view)).toBe('Error 500'); // meta error.message
    expect(errorMessage(m, request)).toBeUndefined(); // error=1 and nothing else
    // Hollow: every span between the request and the view (the nested middleware), nothing else.
    const hollow = errorAncestors(m);
    const expected: number[] = [];
    for (let i = m.parent[view]; i !== request; i = m.parent[i]) expected.push(i);
    expect(expected).toHaveLength(m.depth[view] - 1);
    expect(Array.from(hollow.keys()).filter((i) => hollow[i] === 1)).toEqual(expected.reverse());
    expect(expected.every((i) => spanName(m, i) === 'django.middleware')).toBe(true);
  });

  it('OpenTelemetry demo (OTLP): a message only in an exception event', async () => {
    const c = await loadFixture('real/otlp/otel-tui__otel-demo-collector-file-export.jsonl');
    const m = c.traces.find((t) => t.traceId === '6c83bfb406a118b1a413479c71f295a6');
    assert(m);
    const root = m.roots[0];
    expect(spanName(m, root)).toBe('HTTP GET');
    expect(m.statusMessage.get(root)).toBeUndefined();
    expect(errorMessage(m, root)).toBe('14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 172.25.0.14:9555 (2024-10-30T12:24:08.703Z)');
  });

  it('Zipkin: the error tag text ("401")', async () => {
    const m = (await loadFixture('real/zipkin/zipkin__smartthings-oauth-authorization.json')).traces[0];
    expect(Array.from(errorSpanIndices(m), (i) => errorMessage(m, i))).toEqual(['401', '401']);
  });

  it('is consistent on a generated 200k-span trace', () => {
    const m = generatedTrace(200_000, 3);
    const errors = errorSpanIndices(m);
    expect(errors.length).toBe(m.errorCount);
    expect(errors.length).toBeGreaterThan(1000);
    // Same marks by walking up from every error span (fine at this depth: the walk stops at a marked span).
    const expected = new Uint8Array(m.spanCount);
    for (const e of errors) {
      for (let p = m.parent[e]; p >= 0 && expected[p] === 0; p = m.parent[p]) expected[p] = 1;
    }
    for (const e of errors) expected[e] = 0;
    expect(Buffer.from(errorAncestors(m)).equals(Buffer.from(expected))).toBe(true);
    let withMessage = 0;
    for (const e of errors) if (errorMessage(m, e) !== undefined) withMessage++;
    expect(withMessage).toBe(errors.length);
    for (let i = 0; i < m.spanCount; i++) if (m.status[i] !== STATUS_ERROR && errorMessage(m, i) !== undefined) throw new Error(`span ${i}`);
  });
});
