// A field of the wrong type is named as a bad field of the format it belongs to: the trace opens with
// a warning that says which span and which field, or (when the shape itself is wrong) the load error
// says what is wrong with what, never "not a trace format".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBytes } from './index.ts';
import { LoadError } from './load-error.ts';
import { readFixture } from './fixture-test-helpers.ts';

const text = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const JAEGER = JSON.parse(readFileSync(join(import.meta.dirname, '../../../e2e/fixtures/jaeger-verbatim-ids.json'), 'utf8')) as {
  data: { spans: Record<string, unknown>[] }[];
};

async function loadError(value: unknown): Promise<LoadError['info']> {
  try {
    await loadBytes(text(value));
  } catch (err) {
    if (err instanceof LoadError) return err.info;
    throw err;
  }
  throw new Error('loaded');
}

describe('fields of the wrong type', () => {
  it('Jaeger: names the span, its trace and the field, and keeps the span', async () => {
    const doc = structuredClone(JAEGER);
    doc.data[0].spans[2].duration = 'invalid';
    const m = (await loadBytes(text(doc))).traces[0];
    expect(m.spanCount).toBe(4);
    expect(m.warnings[0]).toBe('Jaeger span 3 of trace trace-123: duration must be a number (microseconds), got "invalid"');
    const bad = m.spanIds.indexOf('brokenMiddle');
    expect(m.spanWarnings.get(bad)).toContain('duration must be a number (microseconds), got "invalid"');
  });

  it('Jaeger: counts the others after the first', async () => {
    const doc = structuredClone(JAEGER);
    doc.data[0].spans[0].startTime = { at: 'noon' };
    doc.data[0].spans[1].operationName = 42;
    const m = (await loadBytes(text(doc))).traces[0];
    expect(m.warnings[0]).toBe('Jaeger span 1 of trace trace-123: startTime must be a number (microseconds), got {"at":"noon"} (and 1 more field of the wrong type)');
  });

  it('OTLP: startTimeUnixNano {} is named on a real OTLP file', async () => {
    const doc = JSON.parse(new TextDecoder().decode(readFixture('real/otlp/opentelemetry-proto__examples-trace.json')));
    doc.resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano = {};
    const c = await loadBytes(text(doc));
    expect(c.format).toBe('otlp-json');
    expect(c.traces[0].warnings[0]).toMatch(/^OTLP span 1 of trace [0-9a-f]{32}: startTimeUnixNano must be a string of nanoseconds, got \{\}$/);
  });

  it('Zipkin: a timestamp that is not a number', async () => {
    const c = await loadBytes(text([{ traceId: '0af7651916cd43dd', id: '00f067aa0ba902b7', name: 'get', timestamp: 'now', duration: 5, localEndpoint: { serviceName: 'web' } }]));
    expect(c.traces[0].warnings[0]).toBe('Zipkin span 1 of trace 00000000000000000af7651916cd43dd: timestamp must be a number (microseconds), got "now"');
  });

  it('a container of the wrong type is a bad field of the format, not an unknown format', async () => {
    expect(await loadError({ resourceSpans: 'x' })).toMatchObject({ kind: 'bad-shape', message: 'Not valid OTLP JSON data', detail: 'resourceSpans must be an array, got "x"' });
    expect(await loadError({ data: { traceID: 'abc', spans: [] } })).toMatchObject({ kind: 'bad-shape', message: 'Not valid Jaeger JSON data' });
    expect(await loadError({ data: [{ traceID: 'abc', spans: 'oops' }] })).toMatchObject({
      kind: 'bad-shape',
      message: 'Not valid Jaeger JSON data',
      detail: 'Jaeger trace "abc": spans must be an array, got "oops"',
    });
    expect(await loadError([{ traceID: 'abc', spanID: '1', duration: 'invalid' }])).toMatchObject({ kind: 'bad-shape', detail: 'span 1 of trace "abc" has neither operationName nor startTime' });
  });

  it('a long value is quoted cut short', async () => {
    const doc = structuredClone(JAEGER);
    doc.data[0].spans[0].duration = 'x'.repeat(10_000);
    const m = (await loadBytes(text(doc))).traces[0];
    expect(m.warnings[0].length).toBeLessThan(160);
    expect(m.warnings[0]).toContain('…');
  });
});
