import { describe, expect, it } from 'vitest';
import { loadFixture } from '../import/fixture-test-helpers.ts';
import type { AttrValue } from '../model/attributes.ts';
import { hexToDecimal } from '../model/ids.ts';
import { TraceModelBuilder } from '../model/trace-model-builder.ts';
import type { TraceModel } from '../model/trace-model.ts';
import { findStoredContexts } from './context-finder.ts';
import { epochAt, hex16 } from './linked-traces-test-helpers.ts';
import { formatInferredVia } from './span-ref.ts';

// The producer side: a 128-bit trace (as dd-trace writes with _dd.p.tid) and a 64-bit Datadog trace.
const TRACE_128 = '6b02382b0000000014a0727b3fe664ea';
const TRACE_64 = '0000000000000000' + 'c5b4a3f2e1d0c9b8';
const SEND = 'a1b2c3d4e5f60718';
const ROOT = '0000000000000aaa';

function producers(): TraceModel[] {
  return [TRACE_128, TRACE_64].map((traceId) => {
    const b = new TraceModelBuilder('datadog');
    b.addSpan({ traceId, spanId: ROOT, name: 'web.request', service: 'api', start: epochAt(0), durationNs: 100 });
    b.addSpan({ traceId, spanId: SEND, parentSpanId: ROOT, name: 'send', service: 'api', kind: 'producer', start: epochAt(10), durationNs: 5 });
    return b.build().traces[0];
  });
}

/** One consumer trace per case, each its own load; `attrs` on its root span, `event` on it as an event. */
function consumer(n: number, attrs: Record<string, AttrValue>, event?: Record<string, AttrValue>): TraceModel {
  const b = new TraceModelBuilder('otlp-json');
  b.addSpan({ traceId: (0xc0 + n).toString(16).padStart(32, '0'), spanId: hex16(0xc0 + n), name: `consumer ${n}`, service: 'worker', kind: 'consumer', start: epochAt(1000), durationNs: 10 });
  for (const [k, v] of Object.entries(attrs)) b.attr(k, v);
  if (event) {
    b.addEvent(epochAt(1001), 'message received');
    for (const [k, v] of Object.entries(event)) b.attr(k, v);
  }
  return b.build().traces[0];
}

/** "via → trace:span" per inferred link (or "via → traceId/spanId" when the target is not loaded). */
function found(...consumers: TraceModel[]): string[] {
  const traces = [...producers(), ...consumers];
  return findStoredContexts(traces).map((l) => `${l.from.trace}: ${formatInferredVia(l.via)} → ${l.to ? `${l.to.trace}:${traces[l.to.trace].spanIds[l.to.span]}` : `${l.traceId}/${l.spanId}`}`);
}

describe('findStoredContexts: header formats', () => {
  it('reads traceparent, b3 and uber-trace-id values named by their keys', () => {
    expect(
      found(
        consumer(0, { 'messaging.header.traceparent': `00-${TRACE_128}-${SEND}-01` }),
        consumer(1, { 'http.request.header.uber-trace-id': [`${TRACE_128.replace(/^0+/, '')}:${SEND}:0:1`] }),
        consumer(2, { 'headers.B3': `${TRACE_128}-${SEND}-1` }),
        consumer(3, { 'rabbitmq.x_b3_traceid': TRACE_128, 'rabbitmq.x_b3_spanid': SEND }),
      ),
    ).toEqual([
      `2: traceparent in attribute messaging.header.traceparent → 0:${SEND}`,
      `3: uber-trace-id in attribute http.request.header.uber-trace-id → 0:${SEND}`,
      `4: b3 in attribute headers.B3 → 0:${SEND}`,
      `5: x-b3-* headers in attribute rabbitmq.x_b3_traceid → 0:${SEND}`,
    ]);
  });

  it('recognizes exact header shapes under any key, and nothing looser', () => {
    expect(
      found(
        consumer(0, { 'job.context': `00-${TRACE_128}-${SEND}-01`, 'job.b3': 'x' }),
        consumer(1, { 'stored.ctx': `${TRACE_64.slice(16)}-${SEND}` }),
        consumer(2, { 'stored.ctx': `${TRACE_128}:${SEND}:0:1` }),
        consumer(3, { version: '1.2.3-4', at: '12:30:00:1', short: `${SEND}-${SEND}x`, ab3: `${TRACE_128}-${SEND}` }),
      ),
    ).toEqual([
      `2: traceparent value in attribute job.context → 0:${SEND}`,
      `3: b3 value in attribute stored.ctx → 1:${SEND}`,
      `4: uber-trace-id value in attribute stored.ctx → 0:${SEND}`,
      `5: b3 value in attribute ab3 → 0:${SEND}`, // "ab3" is not a b3 header name, but the value has the exact shape
    ]);
  });

  it('reads Datadog decimal ids: 128-bit with _dd.p.tid, 64-bit, as strings or numbers', () => {
    const lower = BigInt(`0x${TRACE_128.slice(16)}`).toString();
    const span = hexToDecimal(SEND);
    expect(
      found(
        consumer(0, {
          'messaging.header.x-datadog-trace-id': lower,
          'messaging.header.x-datadog-parent-id': span,
          'messaging.header.x-datadog-tags': `_dd.p.tid=${TRACE_128.slice(0, 16)},_dd.p.dm=-1`,
          'messaging.header.x-datadog-sampling-priority': '1',
        }),
        consumer(1, { 'x_datadog_trace_id': hexToDecimal(TRACE_64), 'x_datadog_parent_id': BigInt(span) }),
        consumer(2, { 'dd.x-datadog-trace-id': lower, 'dd.x-datadog-parent-id': span }), // the upper half was lost
        consumer(3, { 'a.x-datadog-trace-id': lower, 'b.x-datadog-parent-id': span }), // not the same header set
      ),
    ).toEqual([
      `2: x-datadog-* ids in attribute messaging.header.x-datadog-trace-id → 0:${SEND}`,
      `3: x-datadog-* ids in attribute x_datadog_trace_id → 1:${SEND}`,
      `4: x-datadog-* ids in attribute dd.x-datadog-trace-id (lower 64 bits of the trace id) → 0:${SEND}`,
    ]);
    expect(findStoredContexts([...producers(), consumer(2, { 'x-datadog-trace-id': lower, 'x-datadog-parent-id': span })])[0]).toMatchObject({
      traceId: TRACE_128,
      spanId: SEND,
      to: { trace: 0, span: 1 },
    });
  });

  it('reads headers stored as JSON in an attribute, as a map attribute, and in event fields', () => {
    const headers = { traceparent: `00-${TRACE_128}-${SEND}-01`, 'x-datadog-trace-id': BigInt(`0x${TRACE_128.slice(16)}`).toString(), 'x-datadog-parent-id': hexToDecimal(SEND) };
    expect(
      found(
        consumer(0, { 'outbox.trace_headers': JSON.stringify(headers) }), // both name the same span: one link
        consumer(1, { 'outbox.row': JSON.stringify({ id: 7, headers: { traceparent: `00-${TRACE_64}-${SEND}-00` } }) }),
        consumer(2, { 'message.headers': { 'x-datadog-trace-id': hexToDecimal(TRACE_64), 'x-datadog-parent-id': hexToDecimal(SEND) } }),
        consumer(3, {}, { 'messaging.header.traceparent': `00-${TRACE_128}-${SEND}-01` }),
        consumer(4, { 'outbox.note': '{not json, but mentions a traceparent}' }),
      ),
    ).toEqual([
      `2: traceparent in JSON of attribute outbox.trace_headers, key traceparent → 0:${SEND}`,
      `3: traceparent in JSON of attribute outbox.row, key headers, key traceparent → 1:${SEND}`,
      `4: x-datadog-* ids in attribute message.headers, key x-datadog-trace-id → 1:${SEND}`,
      `5: traceparent in event "message received" field messaging.header.traceparent → 0:${SEND}`,
    ]);
  });

  it('keeps contexts whose trace is not loaded, and skips the span itself and its own parent', () => {
    const missing = 'feedfacefeedfacefeedfacefeedface';
    const b = new TraceModelBuilder('otlp-json');
    const traceId = 'ab'.repeat(16);
    b.addSpan({ traceId, spanId: hex16(1), name: 'client', service: 'a', kind: 'client', start: epochAt(0), durationNs: 10 });
    b.addSpan({ traceId, spanId: hex16(2), parentSpanId: hex16(1), name: 'server', service: 'b', kind: 'server', start: epochAt(1), durationNs: 8 });
    b.attr('http.request.header.traceparent', [`00-${traceId}-${hex16(1)}-01`]); // the header it received: its parent
    b.addSpan({ traceId, spanId: hex16(3), parentSpanId: hex16(2), name: 'send', service: 'b', kind: 'producer', start: epochAt(2), durationNs: 1 });
    b.attr('messaging.header.traceparent', `00-${traceId}-${hex16(3)}-01`); // what it injected: itself
    b.attr('messaging.header.b3', `${missing}-${hex16(9)}`);
    b.addSpan({ traceId, spanId: hex16(4), parentSpanId: hex16(2), name: 'orphan ctx', service: 'b', start: epochAt(3), durationNs: 1 });
    b.attr('restored.traceparent', `00-${traceId}-${hex16(3)}-01`); // a sibling: kept
    const traces = b.build().traces;
    expect(findStoredContexts(traces)).toEqual([
      { from: { trace: 0, span: 2 }, to: undefined, traceId: missing, spanId: hex16(9), via: { kind: 'stored-context', header: 'b3', where: 'in attribute messaging.header.b3', lower64: false } },
      { from: { trace: 0, span: 3 }, to: { trace: 0, span: 2 }, traceId, spanId: hex16(3), via: { kind: 'stored-context', header: 'traceparent', where: 'in attribute restored.traceparent', lower64: false } },
    ]);
  });
});

describe('findStoredContexts: real files', () => {
  it('the demo publisher logs the outbox row it could not continue: each send span points at the request that wrote it', async () => {
    // Without restoring, outbox-publisher records the row's stored headers as outbox.trace_headers (JSON
    // with traceparent and x-datadog-*): the finder rejoins each send to the jobs-api span behind it.
    const { traces } = await loadFixture('demo/demo-async-lost.jsonl');
    const found = findStoredContexts(traces);
    const name = (t: number, i: number) => `${t}:${traces[t].stores.strings.get(traces[t].nameId[i])}`;
    expect(found.map((f) => [name(f.from.trace, f.from.span), f.to && name(f.to.trace, f.to.span), formatInferredVia(f.via)])).toEqual(
      [0, 1, 2].map((k) => ['3:send job-events', `${k}:jobs.enqueue`, 'traceparent in JSON of attribute outbox.trace_headers, key traceparent']),
    );
    for (const f of found) expect(f.traceId).toBe(f.to && traces[f.to.trace].traceId);
    // With the context restored the flow is one trace: nothing is stored as data there.
    for (const file of ['demo/demo-async-restored.jsonl', 'demo/demo-batch-links.jsonl']) {
      expect(findStoredContexts((await loadFixture(file)).traces)).toEqual([]);
    }
  });

  it('finds nothing in the real fixtures with links (their links are recorded, not stored as data)', async () => {
    for (const file of [
      'real/otlp/otel-tui__otel-demo-collector-file-export.jsonl',
      'real/datadog/dd-trace-py__aiokafka-span-links.json',
      'real/datadog/dd-trace-py__ray-serve-grpc-context-propagation.json',
    ]) {
      const { traces } = await loadFixture(file);
      expect(findStoredContexts(traces)).toEqual([]);
    }
  });
});
