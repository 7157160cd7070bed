// Parsing while the file arrives gives the same traces as parsing it whole, wherever the pieces end.
import { describe, expect, it } from 'vitest';
import { decodeUtf8, isShared, unshared } from '../bytes.ts';
import { dumpCollection } from '../model/dump.ts';
import { getSpanDetails } from '../model/span-details.ts';
import type { TraceCollection } from '../model/trace-model.ts';
import { IncomingBytes } from './incoming-bytes.ts';
import { importIncrementally, importTraces } from './index.ts';

const TRACE = '0af7651916cd43dd8448eb211c80319c';

/** A Jaeger document of `count` spans (binary tree), ~500 bytes each, processes after the spans. */
function jaegerDoc(count: number, pretty: boolean): string {
  const spans = Array.from({ length: count }, (_, i) => ({
    traceID: TRACE,
    spanID: (i + 1).toString(16).padStart(16, '0'),
    operationName: `op-${i % 7}`,
    references: i === 0 ? [] : [{ refType: 'CHILD_OF', traceID: TRACE, spanID: (((i - 1) >> 1) + 1).toString(16).padStart(16, '0') }],
    startTime: 1735689600000000 + i,
    duration: 1000 + (i % 13),
    tags: [
      { key: 'span.kind', type: 'string', value: i % 2 ? 'client' : 'server' },
      { key: 'http.url', type: 'string', value: `http://svc:8080/api/items/${i}` },
      { key: 'http.status_code', type: 'int64', value: 200 + (i % 3) },
    ],
    logs: i % 5 ? [] : [{ timestamp: 1735689600000000 + i, fields: [{ key: 'event', type: 'string', value: 'retry' }] }],
    processID: `p${i % 3}`,
    warnings: null,
  }));
  const processes = { p0: { serviceName: 'a', tags: [] }, p1: { serviceName: 'b', tags: [] }, p2: { serviceName: 'c', tags: [] } };
  return JSON.stringify({ data: [{ traceID: TRACE, spans, processes }] }, null, pretty ? 1 : undefined);
}

function everything(c: TraceCollection): unknown {
  return { dump: dumpCollection(c, Infinity), details: c.traces.map((m) => Array.from({ length: m.spanCount }, (_, i) => getSpanDetails(m, i))) };
}

/** Delivers the bytes in pieces of `piece` bytes, one task apart. */
function arriving(bytes: Uint8Array, piece: number): IncomingBytes {
  const incoming = new IncomingBytes(bytes);
  void (async () => {
    for (let at = 0; at < bytes.length; at = Math.min(bytes.length, at + piece)) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      incoming.receive(at);
    }
    incoming.finish();
  })();
  return incoming;
}

describe('importIncrementally', () => {
  it.each([
    [false, 64 * 1024],
    [true, 300 * 1024],
  ])('reads a Jaeger file arriving in pieces as a whole one (pretty %s, pieces of %i bytes)', async (pretty, piece) => {
    const bytes = new TextEncoder().encode(jaegerDoc(8000, pretty));
    expect(bytes.length).toBeGreaterThan(3_000_000);
    const progress: number[] = [];
    const incremental = await importIncrementally(arriving(bytes, piece), { onProgress: (f) => progress.push(f) });
    expect(everything(incremental)).toEqual(everything(importTraces(bytes)));
    expect(progress.length).toBeGreaterThan(1);
  });

  it('reads a file in shared memory (a dropped file in a cross-origin isolated page) as a whole one', async () => {
    const plain = new TextEncoder().encode(jaegerDoc(8000, false).replace('"op-3"', '"op-\\u0033 ü"'));
    const shared = new Uint8Array(new SharedArrayBuffer(plain.length));
    shared.set(plain);
    expect(isShared(shared) && !isShared(unshared(shared))).toBe(true);
    expect(decodeUtf8(shared, 0, 9)).toBe('{"data":[');
    const incremental = await importIncrementally(arriving(shared, 64 * 1024));
    expect(everything(incremental)).toEqual(everything(importTraces(plain)));
    expect(JSON.stringify(everything(incremental))).toContain('op-3 ü');
  });

  it('stops at its next pause once superseded by a later load', async () => {
    const bytes = new TextEncoder().encode(jaegerDoc(8000, false));
    let asked = 0;
    const outcome = importIncrementally(arriving(bytes, 64 * 1024), { superseded: () => ++asked > 1 });
    await expect(outcome).rejects.toMatchObject({ info: { kind: 'superseded' } });
    expect(asked).toBe(2);
  });

  it('reports a broken file the same way', async () => {
    const bytes = new TextEncoder().encode(jaegerDoc(8000, false).replace('"op-3"', '"op-3" oops'));
    const whole = (() => {
      try {
        importTraces(bytes);
      } catch (err) {
        return err;
      }
    })();
    await expect(importIncrementally(arriving(bytes, 64 * 1024))).rejects.toEqual(whole);
  });

  it.each([
    ['resource first', false],
    ['resource after the spans', true],
  ])('reads an OTLP file arriving in pieces as a whole one (%s)', async (_label, resourceLast) => {
    const spans = Array.from({ length: 6000 }, (_, i) => ({
      traceId: TRACE,
      spanId: (i + 1).toString(16).padStart(16, '0'),
      parentSpanId: i === 0 ? '' : (((i - 1) >> 1) + 1).toString(16).padStart(16, '0'),
      name: `op-${i % 7}`,
      kind: 1 + (i % 5),
      startTimeUnixNano: String(1735689600000000000n + BigInt(i) * 1000n),
      endTimeUnixNano: String(1735689600000000000n + BigInt(i) * 1000n + 900n),
      attributes: [{ key: 'http.url', value: { stringValue: `http://svc:8080/api/items/${i}` } }, { key: 'n', value: { intValue: String(i) } }],
      events: i % 9 ? [] : [{ timeUnixNano: String(1735689600000000000n + BigInt(i) * 1000n + 5n), name: 'retry' }],
      status: i % 11 ? {} : { code: 2, message: 'boom' },
    }));
    const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] };
    const scopeSpans = [{ scope: { name: 'lib' }, spans }];
    const doc = JSON.stringify({ resourceSpans: [resourceLast ? { scopeSpans, resource } : { resource, scopeSpans }] });
    const bytes = new TextEncoder().encode(doc);
    expect(bytes.length).toBeGreaterThan(2_000_000);
    const input = arriving(bytes, 64 * 1024);
    let parsedWhileArriving = false;
    const incremental = await importIncrementally(input, { onProgress: () => (parsedWhileArriving ||= !input.complete) });
    expect(everything(incremental)).toEqual(everything(importTraces(bytes)));
    expect(incremental.traces[0].spanCount).toBe(6000);
    // With the resource last, skipping the spans to find it needs them all: the read starts over whole.
    expect(parsedWhileArriving).toBe(!resourceLast);
  });

  it('reads other formats once they have arrived', async () => {
    const otlp = JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 's' } }] }, scopeSpans: [{ spans: [{ traceId: TRACE, spanId: '00000000000000a1', name: 'x', startTimeUnixNano: '1', endTimeUnixNano: '2' }] }] }] });
    const bytes = new TextEncoder().encode(otlp);
    expect(everything(await importIncrementally(arriving(bytes, 16)))).toEqual(everything(importTraces(bytes)));
  });
});
