import { describe, expect, it } from 'vitest';
import { TraceModelBuilder } from '../model/trace-model-builder.ts';
import { traceBytes, TraceSizer, utf8Length } from './sampled-trace.ts';

const start = { ms: 1_700_000_000_000, nsOfMs: 0 };

/** One span of every kind of part the Collector's estimate counts, in trace `traceId`. */
function addRichSpan(b: TraceModelBuilder, traceId: string, resource: number, scope: number): void {
  b.addSpan({ traceId, spanId: `${traceId}-1`, name: 'op', service: 'api', resource, scope, start, durationNs: 1e6 });
  b.attr('s', 'é✓😀', 'string'); // 1 + 2 + 3 + 4
  b.attr('d', 1.5, 'double'); // 1 + 8
  b.attr('b', true, 'bool'); // 1 + 1
  b.attr('list', ['ab', 7], 'array'); // 4 + 2 + 8
  b.setStatus('error', 'boom'); // 4
  b.addEvent(start, 'ev'); // 12 + 2
  b.attr('k', 'v'); // 1 + 1
  b.addLink('0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331', 'link', 'ot=th:8'); // 28 + 7
  b.attr('n', 3, 'int'); // 1 + 8
}

// 68 + "op" 2 + attributes 10 + 9 + 2 + 14, status message 4, event 14 + 2, link 35 + 9.
const SPAN_BYTES = 68 + 2 + 35 + 4 + 14 + 2 + 35 + 9;
// Resource: 4 + "service.name" 12 + "api" 3. Scope: 4 + "lib" 3 + "1.0" 3 + "x" 1 + 8.
const RESOURCE_BYTES = 4 + 12 + 3;
const SCOPE_BYTES = 4 + 3 + 3 + 1 + 8;

describe('TraceSizer (the Collector\'s bytes_limiting estimate)', () => {
  it('counts every part of a span, UTF-8 bytes of strings, and a resource and scope once per trace', () => {
    const b = new TraceModelBuilder('otlp-json');
    const resource = b.addResource('api');
    b.attr('service.name', 'api');
    const scope = b.addScope('lib', '1.0');
    b.attr('x', 2, 'int');
    addRichSpan(b, 'trace-a', resource, scope);
    b.addSpan({ traceId: 'trace-a', spanId: 'trace-a-2', name: 'op', service: 'api', resource, scope, start, durationNs: 1e6 });
    const [model] = b.build().traces;
    expect(utf8Length('é✓😀')).toBe(9);
    expect(traceBytes(model)).toBe(SPAN_BYTES + 68 + 2 + RESOURCE_BYTES + SCOPE_BYTES);
    expect(traceBytes(model, (span) => model.spanIds[span] === 'trace-a-2')).toBe(68 + 2 + RESOURCE_BYTES + SCOPE_BYTES);
  });

  it('one sizer over several loads and a store that grew since it last measured gives what fresh sizers give', () => {
    const b = new TraceModelBuilder('otlp-json');
    const resource = b.addResource('api');
    addRichSpan(b, 'trace-a', resource, -1);
    const first = b.build().traces[0];
    const sizer = new TraceSizer();
    const firstBytes = sizer.bytes(first);
    addRichSpan(b, 'trace-b', resource, -1);
    const [, grown] = b.build().traces;
    const other = new TraceModelBuilder('otlp-json');
    addRichSpan(other, 'trace-c', other.addResource('api'), -1);
    const otherModel = other.build().traces[0];
    expect([firstBytes, sizer.bytes(grown), sizer.bytes(otherModel), sizer.bytes(first)]).toEqual([
      traceBytes(first),
      traceBytes(grown),
      traceBytes(otherModel),
      traceBytes(first),
    ]);
    expect([grown.traceId, firstBytes]).toEqual(['trace-b', SPAN_BYTES + 4]);
  });
});
