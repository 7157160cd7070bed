import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateTrace } from '../../../bench/generate-trace.ts';
import { getSpanDetails } from '../model/span-details.ts';
import type { TraceCollection } from '../model/trace-model.ts';
import { readFixture } from './fixture-test-helpers.ts';
import type { SpanRangeHelper } from './importer.ts';
import { IncomingBytes } from './incoming-bytes.ts';
import { importIncrementally, importTraces } from './index.ts';
import { findJaegerSpanStart, readJaegerSpanRange } from './jaeger-span-range.ts';

const text = (s: string) => new TextEncoder().encode(s);
// Trailing whitespace past what format detection waits for, so a small file takes the incremental path.
const padded = (s: string) => text(s + ' '.repeat(600_000));

/** Everything a user can see of a load: every span's details (attributes, resource, events, links, warnings). */
function fingerprint(c: TraceCollection) {
  return {
    format: c.format,
    warnings: c.warnings,
    traces: c.traces.map((m) => ({
      traceId: m.traceId,
      warnings: m.warnings,
      errorCount: m.errorCount,
      spans: Array.from({ length: m.spanCount }, (_, i) => getSpanDetails(m, i, c.linkTargets)),
    })),
  };
}

/** Imports as the worker does with a helper that read the file from `splitAt` on (its part posted, i.e. cloned). */
async function importSplit(bytes: Uint8Array, splitAt: number): Promise<{ collection: TraceCollection; used: boolean; found: boolean }> {
  let start: number | undefined;
  const part = await readJaegerSpanRange(IncomingBytes.of(bytes.slice(splitAt)), splitAt, (s) => (start = s));
  let used = false;
  const helper: SpanRangeHelper | undefined =
    start === undefined
      ? undefined
      : {
          start,
          get result() {
            used = true;
            return Promise.resolve(part && structuredClone(part));
          },
          cancel() {},
        };
  const input = new IncomingBytes(bytes);
  input.receive(bytes.length);
  const loading = importIncrementally(input, { spanRangeHelper: () => helper });
  await new Promise((resolve) => setTimeout(resolve, 0));
  input.finish();
  return { collection: await loading, used, found: start !== undefined };
}

/** Splits over the first `length` bytes (the JSON, not its padding); returns how often the helper's spans were taken. */
async function expectSameAtEverySplit(bytes: Uint8Array, splits: number, length = bytes.length): Promise<number> {
  const whole = fingerprint(importTraces(bytes));
  let used = 0;
  for (let k = 1; k < splits; k++) {
    const splitAt = Math.floor((length * k) / splits);
    const split = await importSplit(bytes, splitAt);
    expect(fingerprint(split.collection), `split at ${splitAt}`).toEqual(whole);
    if (split.used) used++;
  }
  return used;
}

// Two traces: the first lists its processes after the spans, the second before; an inline process, a
// process id that is not listed, a reference object written traceID-first (not a span), a duplicate id.
const TWO_TRACES = JSON.stringify({
  data: [
    {
      traceID: 'aaaaaaaaaaaaaaaa',
      spans: [
        { traceID: 'aaaaaaaaaaaaaaaa', spanID: '0000000000000001', operationName: 'GET /', references: [], startTime: 1000, duration: 900, processID: 'p1', tags: [{ key: 'span.kind', type: 'string', value: 'server' }], logs: [] },
        ...Array.from({ length: 30 }, (_, k) => ({
          traceID: 'aaaaaaaaaaaaaaaa',
          spanID: (k + 2).toString(16).padStart(16, '0'),
          operationName: `op-${k % 4}`,
          references: [
            { traceID: 'aaaaaaaaaaaaaaaa', spanID: '0000000000000001', refType: 'CHILD_OF' },
            ...(k % 5 === 0 ? [{ refType: 'FOLLOWS_FROM', traceID: 'bbbbbbbbbbbbbbbb', spanID: '00000000000000b1' }] : []),
          ],
          startTime: 1010 + k,
          duration: 20 + k,
          processID: k % 7 === 3 ? 'p9' : k % 2 ? 'p1' : 'p2',
          tags: [
            { key: 'error', type: 'bool', value: k % 6 === 0 },
            { key: 'http.status_code', type: 'int64', value: 200 + k },
            { key: 'big', type: 'int64', value: '9007199254740993' },
            { key: 'note', type: 'string', value: `item "${k}" {"traceID":"x"}, },{"traceID":` },
          ],
          logs: k % 3 ? [] : [{ timestamp: 1012 + k, fields: [{ key: 'event', type: 'string', value: 'retry' }, { key: 'attempt', type: 'int64', value: k }] }],
          warnings: k === 11 ? ['clock skew adjusted'] : null,
          ...(k === 17 ? { process: { serviceName: 'inline-svc', tags: [{ key: 'host', type: 'string', value: 'h1' }] } } : {}),
        })),
        { traceID: 'aaaaaaaaaaaaaaaa', spanID: '0000000000000005', operationName: 'dup', references: [], startTime: 1500, duration: 1, processID: 'p2' },
      ],
      processes: { p1: { serviceName: 'frontend', tags: [{ key: 'version', type: 'string', value: '1.2' }] }, p2: { serviceName: 'backend', tags: [] } },
    },
    {
      traceID: 'bbbbbbbbbbbbbbbb',
      processes: { p1: { serviceName: 'worker', tags: [] } },
      spans: Array.from({ length: 20 }, (_, k) => ({
        traceID: 'bbbbbbbbbbbbbbbb',
        spanID: (0xb1 + k).toString(16).padStart(16, '0'),
        operationName: 'consume',
        references: k === 0 ? [] : [{ refType: 'CHILD_OF', traceID: 'bbbbbbbbbbbbbbbb', spanID: '00000000000000b1' }],
        startTime: 5000 + k,
        duration: 3,
        processID: k === 4 ? 'nope' : 'p1',
        tags: [{ key: 'span.kind', type: 'string', value: 'consumer' }],
      })),
    },
  ],
});

describe('findJaegerSpanStart', () => {
  it('finds the next span object after another, with or without whitespace, and nothing inside strings', () => {
    const compact = text('{"spans":[{"traceID":"a","spanID":"1"},{"traceID":"a","spanID":"2"}]}');
    expect(findJaegerSpanStart(compact, 0, compact.length)).toBe(39);
    const pretty = text('[\n  {"traceID": "a"},\n  {\n    "traceID" : "b"\n  }\n]');
    expect(findJaegerSpanStart(pretty, 0, pretty.length)).toBe(pretty.indexOf(text('{')[0], 20));
    // The first object of an array, a value "traceID", and the same bytes escaped inside a string: none.
    const none = text('[{"traceID":"a"}],{"k":"traceID"},{"v":"},{\\"traceID\\":\\"x"}');
    expect(findJaegerSpanStart(none, 0, none.length)).toBe(-1);
  });
});

describe('a Jaeger file read by two threads', () => {
  it('gives what one thread gives, wherever the second starts (two traces, processes before and after, odd spans)', async () => {
    const used = await expectSameAtEverySplit(padded(TWO_TRACES), 40, TWO_TRACES.length);
    expect(used).toBeGreaterThan(20); // most splits land in a span array and the helper's spans are taken
  });

  it('gives the same on a generated 5,000-span trace, and on the same trace pretty-printed', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'spanscope-range-')), 'trace.json');
    generateTrace(file, { spans: 5000, format: 'jaeger' });
    const compact = new Uint8Array(readFileSync(file));
    expect(await expectSameAtEverySplit(compact, 8)).toBe(7);
    const pretty = text(JSON.stringify(JSON.parse(new TextDecoder().decode(compact)), null, 2));
    expect(await expectSameAtEverySplit(pretty, 4)).toBe(3);
  });

  it('gives the same on the real Jaeger exports', async () => {
    for (const name of ['jaeger__ui_01.json', 'jaeger-ui__petclinic__spanAmongEachOtherGroupedAndSpans.json', 'jaeger-analytics-java__ui-trace.json']) {
      const file = new TextDecoder().decode(readFixture(`real/jaeger/${name}`));
      expect(await expectSameAtEverySplit(padded(file), 12, file.length), name).toBeGreaterThan(0);
    }
  });

  it('falls back to one thread when the helper fails', async () => {
    const bytes = padded(TWO_TRACES);
    const start = findJaegerSpanStart(bytes, TWO_TRACES.length >> 1, bytes.length);
    let cancelled = false;
    const helper: SpanRangeHelper = { start, result: Promise.resolve(undefined), cancel: () => (cancelled = true) };
    const input = new IncomingBytes(bytes);
    input.receive(bytes.length);
    const loading = importIncrementally(input, { spanRangeHelper: () => helper });
    await new Promise((resolve) => setTimeout(resolve, 0));
    input.finish();
    expect(fingerprint(await loading)).toEqual(fingerprint(importTraces(bytes)));
    expect(cancelled).toBe(true);
  });
});
