import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTraceparent, parseTraceReference, type TraceReference } from './trace-context.ts';

const DATADOG_FIXTURES = join(import.meta.dirname, '../../../fixtures/real/datadog');

/** hex → decimal with BigInt, as a Datadog tracer prints ids. */
const decimal = (hex: string) => BigInt(`0x${hex}`).toString();

describe('parseTraceReference accepts', () => {
  const W3C_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
  const B3_TRACE = '80f198ee56343ba864fe8b2a57d3eff7'; // openzipkin/b3-propagation README
  const cases: [string, string, TraceReference][] = [
    ['a 32-digit hex id', `  ${W3C_TRACE}\n`, { traceId: W3C_TRACE, format: 'hex' }],
    ['uppercase hex (OTLP spec example)', '5B8EFFF798038103D269B633813FC60C', { traceId: '5b8efff798038103d269b633813fc60c', format: 'hex' }],
    ['a 64-bit hex id, kept at 16 digits', 'a3ce929d0e0e4736', { traceId: 'a3ce929d0e0e4736', format: 'hex' }],
    ['a 31-digit id (Jaeger < 1.16, Tempo search)', '1f92f3577b34da6a3ce929d0e0e4736', { traceId: '01f92f3577b34da6a3ce929d0e0e4736', format: 'hex' }],
    ['a short hex id, padded to 16', '12ab', { traceId: '00000000000012ab', format: 'hex' }],
    // a span id in dd-trace-py's aiokafka fixture: 16 hex digits without a letter
    ['16 decimal digits as hex', '4946278831030841', { traceId: '4946278831030841', format: 'hex' }],
    ['21+ decimal digits as trimmed 128-bit hex', '123456789012345678901', { traceId: '00000000000123456789012345678901', format: 'hex' }],
    ['20 digits above 2^64-1 as hex', '18446744073709551616', { traceId: '00000000000018446744073709551616', format: 'hex' }],
    // W3C trace-context spec examples
    ['a traceparent', `00-${W3C_TRACE}-00f067aa0ba902b7-01`, { traceId: W3C_TRACE, spanId: '00f067aa0ba902b7', sampled: true, format: 'w3c-traceparent' }],
    ['a traceparent header line', 'traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00', { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', sampled: false, format: 'w3c-traceparent' }],
    ['a header name in any case', `TraceParent:00-${W3C_TRACE}-00f067aa0ba902b7-03`, { traceId: W3C_TRACE, spanId: '00f067aa0ba902b7', sampled: true, format: 'w3c-traceparent' }],
    ['a future traceparent version with more fields', `cc-${W3C_TRACE}-00f067aa0ba902b7-01-what-the-future-will-be-like`, { traceId: W3C_TRACE, spanId: '00f067aa0ba902b7', sampled: true, format: 'w3c-traceparent' }],
    ['b3 single', `b3: ${B3_TRACE}-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90`, { traceId: B3_TRACE, spanId: 'e457b5a2e4d86bd1', sampled: true, format: 'b3-single' }],
    ['bare b3 with debug flag', 'a3ce929d0e0e4736-e457b5a2e4d86bd1-d', { traceId: 'a3ce929d0e0e4736', spanId: 'e457b5a2e4d86bd1', sampled: true, format: 'b3-single' }],
    ['b3 without sampling state', `${B3_TRACE}-e457b5a2e4d86bd1`, { traceId: B3_TRACE, spanId: 'e457b5a2e4d86bd1', format: 'b3-single' }],
    ['b3 multi', `X-B3-TraceId: ${B3_TRACE}\nX-B3-ParentSpanId: 05e3ac9a4f6e3b90\nX-B3-SpanId: e457b5a2e4d86bd1\nX-B3-Sampled: 0`,
      { traceId: B3_TRACE, spanId: 'e457b5a2e4d86bd1', sampled: false, format: 'b3-multi' }],
    ['b3 multi with the debug flag', `X-B3-Flags: 1\r\nX-B3-TraceId: ${B3_TRACE}`, { traceId: B3_TRACE, sampled: true, format: 'b3-multi' }],
    ['uber-trace-id', `uber-trace-id: ${W3C_TRACE}:00f067aa0ba902b7:0:1`, { traceId: W3C_TRACE, spanId: '00f067aa0ba902b7', sampled: true, format: 'jaeger-uber-trace-id' }],
    ['uber-trace-id with trimmed ids, URL-encoded', 'fe0e4736%3A2aa902b7%3A0%3A2', { traceId: '00000000fe0e4736', spanId: '000000002aa902b7', sampled: false, format: 'jaeger-uber-trace-id' }],
    ['bare uber-trace-id whose trace id looks like a header name', 'abc:def:0:3', { traceId: '0000000000000abc', spanId: '0000000000000def', sampled: true, format: 'jaeger-uber-trace-id' }],
    // datadog-agent trace_without_rates.json: trace_id 8944265761514513115
    ['a bare Datadog decimal id', '8944265761514513115', { traceId: '7c206a5243c2e2db', format: 'datadog' }],
    ['Datadog headers', 'x-datadog-trace-id: 8944265761514513115\nx-datadog-parent-id: 0\nx-datadog-sampling-priority: -1',
      { traceId: '7c206a5243c2e2db', sampled: false, format: 'datadog' }],
    ['Datadog headers with _dd.p.tid', 'X-Datadog-Tags: _dd.p.dm=-4,_dd.p.tid=640cfd8d00000000\nX-Datadog-Parent-Id: 18446744073709551615\nX-Datadog-Trace-Id: 1\nX-Datadog-Sampling-Priority: 2',
      { traceId: '640cfd8d000000000000000000000001', spanId: 'ffffffffffffffff', sampled: true, format: 'datadog' }],
    ['the first line that carries an id, among other headers', `:authority: example.com\nHost: example.com\nx-datadog-parent-id: 42\ntraceparent: 00-${W3C_TRACE}-00f067aa0ba902b7-01\nb3: ${B3_TRACE}-e457b5a2e4d86bd1`,
      { traceId: W3C_TRACE, spanId: '00f067aa0ba902b7', sampled: true, format: 'w3c-traceparent' }],
    ['a valid line after a broken one', `traceparent: ff-${W3C_TRACE}-00f067aa0ba902b7-01\nb3: ${B3_TRACE}-e457b5a2e4d86bd1`, { traceId: B3_TRACE, spanId: 'e457b5a2e4d86bd1', format: 'b3-single' }],
  ];
  it.each(cases)('%s', (_, input, expected) => {
    expect(parseTraceReference(input)).toEqual(expected);
  });
});

describe('parseTraceReference rejects', () => {
  const Z32 = '0'.repeat(32);
  const cases: [string, string, string][] = [
    ['garbage', '12ab!', '"12ab!" is not a trace id: expected 16 or 32 hex digits, a traceparent, a b3 or uber-trace-id header value, or Datadog decimal ids'],
    ['nothing', ' \n ', 'nothing pasted'],
    ['traceparent version ff', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'.replace(/^00/, 'ff'), 'traceparent version "ff" is invalid'],
    ['an all-zero trace id', `00-${Z32}-00f067aa0ba902b7-01`, 'traceparent trace id is all zeros'],
    ['an all-zero parent id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01', 'traceparent parent id is all zeros'],
    ['a short traceparent trace id', '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01', 'traceparent trace id "4bf92f3577b34da6a3ce929d0e0e473" has 31 hex digits: expected 32'],
    ['version 00 with more fields', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x', 'has 5 fields'],
    ['a future version without a dash after the flags', 'cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01.what-the-future-will-not-be-like', 'traceparent flags "01.what" are invalid'],
    ['a bare zero id', Z32, 'trace id is all zeros'],
    ['a hex id over 32 digits', 'a'.repeat(33), 'has 33 hex digits: expected at most 32'],
    ['ambiguous short digits', '12345', '"12345" is ambiguous'],
    ['a b3 sampling decision alone', 'b3: 0', 'only a sampling decision'],
    ['a b3 sampling state', '80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-2', 'b3 sampling state "2" is invalid'],
    ['uber-trace-id with 3 fields', 'uber-trace-id: abc:def:1', 'has 3 fields'],
    ['uber-trace-id with a zero span id', 'uber-trace-id: abc:0:0:1', 'uber-trace-id span id is all zeros'],
    ['a Datadog id over 2^64-1', 'x-datadog-trace-id: 18446744073709551616', 'x-datadog-trace-id 18446744073709551616 is larger than 2^64-1'],
    ['a Datadog id of zero', 'x-datadog-trace-id: 0', 'x-datadog-trace-id is zero'],
    ['a hex Datadog id', 'x-datadog-trace-id: 7c206a5243c2e2db', 'expected a decimal number'],
    ['a bad _dd.p.tid', 'x-datadog-trace-id: 1\nx-datadog-tags: _dd.p.tid=640cfd8d', '_dd.p.tid "640cfd8d" is invalid'],
    ['headers without a trace id', 'Host: example.com\nx-datadog-parent-id: 42', 'none of the pasted headers (host, x-datadog-parent-id) carries a trace id'],
    ['a broken header before a bare noise line', 'GET / HTTP/1.1\nuber-trace-id: xyz:1:0:1', 'uber-trace-id trace id "xyz" is not hex'],
  ];
  it.each(cases)('%s', (_, input, message) => {
    const result = parseTraceReference(input);
    expect(result).toHaveProperty('error');
    expect((result as { error: string }).error).toContain(message);
  });
});

describe('real Datadog fixtures', () => {
  it('rebuilds the 128-bit span link ids of dd-trace-py aiokafka from decimal headers and _dd.p.tid', () => {
    const traces = JSON.parse(readFileSync(join(DATADOG_FIXTURES, 'dd-trace-py__aiokafka-span-links.json'), 'utf8')) as { meta: Record<string, string> }[][];
    const links = JSON.parse(traces[0][0].meta['_dd.span_links']) as { trace_id: string; span_id: string }[];
    expect(links[0].trace_id).toBe('6a19ef4e0000000013ffe403d788d37c');
    for (const link of links) {
      const headers = [
        `x-datadog-trace-id: ${decimal(link.trace_id.slice(16))}`,
        `x-datadog-parent-id: ${decimal(link.span_id)}`,
        `x-datadog-tags: _dd.p.dm=-0,_dd.p.tid=${link.trace_id.slice(0, 16)}`,
      ].join('\n');
      expect(parseTraceReference(headers)).toEqual({ traceId: link.trace_id, spanId: link.span_id, format: 'datadog' });
    }
    // Hand-checked: 0x13ffe403d788d37c = 1441121110933951356.
    expect(parseTraceReference('1441121110933951356')).toMatchObject({ traceId: '13ffe403d788d37c' });
  });

  it('reads the uint64 trace id above 2^53 of the datadog-agent payload exactly', () => {
    const text = readFileSync(join(DATADOG_FIXTURES, 'datadog-agent__trace_without_rates.json'), 'utf8');
    const traceId = /"trace_id":\s*(\d+)/.exec(text)?.[1] ?? '';
    expect(Number(traceId) > Number.MAX_SAFE_INTEGER).toBe(true);
    expect(parseTraceReference(`x-datadog-trace-id: ${traceId}`)).toMatchObject({ traceId: '7c206a5243c2e2db' });
  });
});

describe('formatTraceparent', () => {
  it('writes version 00 with the sampled flag, padding 64-bit trace ids to 32 digits', () => {
    expect(formatTraceparent('4BF92F3577B34DA6A3CE929D0E0E4736', '00f067aa0ba902b7', true)).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    expect(formatTraceparent('a3ce929d0e0e4736', 'f067aa0ba902b7', false)).toBe('00-0000000000000000a3ce929d0e0e4736-00f067aa0ba902b7-00');
  });

  it('refuses ids that would make an invalid header', () => {
    expect(() => formatTraceparent('0', '00f067aa0ba902b7', true)).toThrow(RangeError);
    expect(() => formatTraceparent('4bf92f35', 'xyz', true)).toThrow(/span id "xyz"/);
  });
});

describe('round trips (fast-check)', () => {
  const hex = (n: bigint, digits: number) => n.toString(16).padStart(digits, '0');
  const uint64 = fc.bigInt(0n, 2n ** 64n - 1n);
  const nonZeroUint64 = fc.bigInt(1n, 2n ** 64n - 1n);
  // A 128-bit trace id whose lower half is non-zero (Datadog cannot send a zero x-datadog-trace-id).
  const traceId = fc.tuple(uint64, nonZeroUint64).map(([high, low]) => hex(high, 16) + hex(low, 16));
  const spanId = nonZeroUint64.map((n) => hex(n, 16));

  it('traceparent, b3 single and multi, uber-trace-id and Datadog headers give back the same ids', () => {
    fc.assert(fc.property(traceId, spanId, fc.boolean(), (trace, span, sampled) => {
      const flag = sampled ? '1' : '0';
      const headers = [
        formatTraceparent(trace, span, sampled),
        `b3: ${trace}-${span}-${flag}`,
        `X-B3-TraceId: ${trace.toUpperCase()}\nX-B3-SpanId: ${span}\nX-B3-Sampled: ${flag}`,
        `x-datadog-trace-id: ${decimal(trace.slice(16))}\nx-datadog-parent-id: ${decimal(span)}\n` +
          `x-datadog-sampling-priority: ${flag}\nx-datadog-tags: _dd.p.tid=${trace.slice(0, 16)}`,
      ];
      for (const header of headers) expect(parseTraceReference(header)).toMatchObject({ traceId: trace, spanId: span, sampled });
      // Jaeger drops leading zeros: the id comes back at 16 or 32 digits, equal once padded to 32.
      const uber = parseTraceReference(`uber-trace-id: ${trace.replace(/^0+/, '')}:${span.replace(/^0+/, '')}:0:${flag}`);
      expect(uber).toMatchObject({ spanId: span, sampled });
      expect((uber as TraceReference).traceId.padStart(32, '0')).toBe(trace);
    }));
  });

  it('a bare 32-digit id in any case gives back the same id', () => {
    fc.assert(fc.property(traceId, (trace) => {
      expect(parseTraceReference(` ${trace.toUpperCase()} `)).toStrictEqual({ traceId: trace, format: 'hex' });
    }));
  });
});
