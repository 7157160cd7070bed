// Jaeger ids that are not hex (Jaeger UI opens them; see e2e/fixtures/README.md): kept as written for
// display and search, with a stable hex stand-in where an output needs hex (OTLP).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchSpans, parseSearchQuery } from '../analysis/search.ts';
import { otlpJsonChunks } from '../export/otlp-json.ts';
import { jaegerJsonChunks } from '../export/jaeger-json.ts';
import { hexIdFor, readJaegerSpanId, verbatimId } from '../model/ids.ts';
import { loadBytes } from './index.ts';

const FIXTURE = join(import.meta.dirname, '../../../e2e/fixtures/jaeger-verbatim-ids.json');
const load = (bytes: Uint8Array | string) => loadBytes(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes);

describe('Jaeger ids that are not hex', () => {
  it('opens the trace with its ids as written and the tree from references and parentSpanID', async () => {
    const c = await load(new Uint8Array(readFileSync(FIXTURE)));
    expect(c.format).toBe('jaeger');
    const m = c.traces[0];
    expect(m.traceId).toBe('trace-123');
    expect(m.spanIds).toEqual(['span-1', 'span-2', 'brokenMiddle', '000000000000a1b2']);
    expect(Array.from(m.parent)).toEqual([-1, 0, 0, 2]);
    expect(m.warnings).toEqual([]);
  });

  it('finds spans by the id as written', async () => {
    const m = (await load(new Uint8Array(readFileSync(FIXTURE)))).traces[0];
    const find = (q: string) => {
      const parsed = parseSearchQuery(q);
      if (!parsed.ok) throw new Error(parsed.error.message);
      return Array.from(matchSpans(m, parsed.query));
    };
    expect(find('spanId=brokenMiddle')).toEqual([2]);
    expect(find('traceId=trace-123 spanId=span-2')).toEqual([1]);
    expect(find('spanId=span-9')).toEqual([]);
  });

  it('writes them back as written to Jaeger JSON, and as the same hex stand-ins to OTLP on every export', async () => {
    const m = (await load(new Uint8Array(readFileSync(FIXTURE)))).traces[0];
    const c = await load(new Uint8Array(readFileSync(FIXTURE)));
    const again = await load([...jaegerJsonChunks(c)].join(''));
    expect(again.traces[0].spanIds).toEqual(m.spanIds);
    expect(again.traces[0].traceId).toBe('trace-123');

    const otlp = [...otlpJsonChunks(c)].join('');
    expect(otlp).not.toContain('span-1');
    const viaOtlp = (await load(otlp)).traces[0];
    expect(viaOtlp.traceId).toBe(hexIdFor('trace-123', 32));
    expect(viaOtlp.spanIds).toEqual(m.spanIds.map((id) => hexIdFor(id, 16)));
    expect(Array.from(viaOtlp.parent)).toEqual(Array.from(m.parent));
    expect([...otlpJsonChunks(c)].join('')).toBe(otlp);
  });

  it('keeps custom tracers\' ids: a UUID, an id longer than 128 bits', async () => {
    const uuid = '6f1c3a52-9d4e-4b7a-8c21-0e5f7d9b3a10';
    const long = 'ab'.repeat(20);
    const span = (spanID: string, parent?: string) => ({
      traceID: uuid, spanID, operationName: spanID.slice(0, 8), startTime: 1735689600000000, duration: 10, processID: 'p1',
      references: parent ? [{ refType: 'CHILD_OF', traceID: uuid, spanID: parent }] : [],
    });
    const doc = { data: [{ traceID: uuid, spans: [span(long), span('job#42', long)], processes: { p1: { serviceName: 'worker' } } }] };
    const m = (await load(JSON.stringify(doc))).traces[0];
    expect(m.traceId).toBe(uuid);
    expect(m.spanIds).toEqual([long, 'job#42']);
    expect(Array.from(m.parent)).toEqual([-1, 0]);
  });

  it('keeps hex ids normalized, and refuses ids that are empty, too long or hold control characters', () => {
    expect(readJaegerSpanId('A1B2')).toBe('000000000000a1b2');
    expect(readJaegerSpanId(' span-1 ')).toBe('span-1');
    expect(readJaegerSpanId('')).toBe('');
    expect(verbatimId('x'.repeat(257))).toBeUndefined();
    expect(verbatimId('a\nb')).toBeUndefined();
    expect(verbatimId(42)).toBeUndefined();
    expect(hexIdFor('span-1', 16)).toMatch(/^[0-9a-f]{16}$/);
    expect(hexIdFor('trace-123', 32)).toMatch(/^[0-9a-f]{32}$/);
    expect(hexIdFor('span-1', 16)).not.toBe(hexIdFor('span-2', 16));
    expect(hexIdFor('00000000000000a1', 16)).toBe('00000000000000a1');
  });
});
