import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadBytes } from '../src/core/import/index.ts';
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE } from './cli-io.ts';
import { parseConvertArgs, streamChunks } from './convert-lib.ts';
import type { InspectResult } from './inspect-lib.ts';
import { REAL_FIXTURES, lines, makeTempDir, runCli } from './run-cli.ts';

const DATADOG = join(REAL_FIXTURES, 'datadog/dd-trace-py__django-asgi_500.json');
const JAEGER = join(REAL_FIXTURES, 'jaeger/jaeger-ui__petclinic__spanAmongEachOtherGroupedAndSpans.json');

/** The inspect summary without the format, to compare a file with its conversion. */
function summaryOf(file: string): Omit<InspectResult, 'format'> {
  const run = runCli('inspect', [file]);
  expect(run.status, run.stderr).toBe(EXIT_OK);
  const { format: _format, ...rest } = JSON.parse(run.stdout) as InspectResult;
  return rest;
}

describe('spanscope-convert (spawned)', () => {
  it('converts Datadog to OTLP/JSON on stdout', async () => {
    const run = runCli('convert', [DATADOG, '--to', 'otlp']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(EXIT_OK);
    expect(JSON.parse(run.stdout)).toHaveProperty('resourceSpans');
    const converted = await loadBytes(new TextEncoder().encode(run.stdout));
    const original = await loadBytes(new Uint8Array(readFileSync(DATADOG)));
    expect(converted.format).toBe('otlp-json');
    expect(converted.traces.map((t) => [t.traceId, t.spanCount, t.errorCount])).toEqual(original.traces.map((t) => [t.traceId, t.spanCount, t.errorCount]));
  });

  it('writes --out files that inspect the same as the input, in both directions', () => {
    const dir = makeTempDir();
    const otlp = join(dir, 'petclinic.otlp.json');
    const toOtlp = runCli('convert', [JAEGER, '--to', 'otlp', '--out', otlp]);
    expect(toOtlp.status).toBe(EXIT_OK);
    expect(toOtlp.stdout).toBe('');
    expect(toOtlp.stderr).toMatch(/wrote 17 spans in 1 trace as OTLP\/JSON/);
    const back = join(dir, 'petclinic.jaeger.json');
    expect(runCli('convert', [otlp, '--to=jaeger', '-o', back]).status).toBe(EXIT_OK);

    const input = summaryOf(JAEGER);
    expect(input.traces[0].spans).toBe(17);
    expect(summaryOf(otlp)).toEqual(input);
    expect(summaryOf(back)).toEqual(input);
  });

  it('exits 1 with one line and writes nothing for a broken input', () => {
    const dir = makeTempDir();
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '[{"traceId": "1", "id": "2",, "name": "x"}]');
    const out = join(dir, 'out.json');
    const run = runCli('convert', [broken, '--to', 'jaeger', '--out', out]);
    expect(run.status).toBe(EXIT_BAD_INPUT);
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(/Invalid JSON at line 1, column 29/);
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 with the usage for bad arguments', () => {
    for (const args of [[], [JAEGER], [JAEGER, '--to', 'zipkin'], [JAEGER, '--to'], ['/nonexistent.json', '--to', 'otlp']]) {
      const run = runCli('convert', args);
      expect(run.status, args.join(' ')).toBe(EXIT_USAGE);
      expect(run.stderr, args.join(' ')).toMatch(/usage: spanscope-convert/);
    }
  });
});

describe('convert-lib', () => {
  it('parses the target, the output and the file in any order', () => {
    expect(parseConvertArgs(['--to', 'OTLP', 'a.json'])).toEqual({ file: 'a.json', to: 'otlp', out: undefined });
    expect(parseConvertArgs(['a.json', '--out=b.json', '--to=jaeger-json'])).toEqual({ file: 'a.json', to: 'jaeger', out: 'b.json' });
    expect(() => parseConvertArgs(['a.json', 'b.json', '--to', 'otlp'])).toThrow(/one trace file at a time/);
    expect(() => parseConvertArgs(['a.json', '--to', 'zipkin'])).toThrow(/unknown output format "zipkin"/);
  });

  it('waits for the stream to drain instead of buffering everything', async () => {
    let maxBuffered = 0;
    let written = 0;
    // A slow sink with a small buffer: every write completes a tick later.
    const slow: Writable = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, done) {
        maxBuffered = Math.max(maxBuffered, slow.writableLength);
        setImmediate(() => {
          written += chunk.length;
          done();
        });
      },
    });
    function* manyChunks() {
      for (let i = 0; i < 50_000; i++) yield `{"span":${i},"pad":"${'x'.repeat(40)}"},`;
    }
    await streamChunks(manyChunks(), slow);
    slow.end();
    await new Promise((resolve) => slow.on('finish', resolve));
    expect(written).toBeGreaterThan(2_500_000);
    // Never more than one ~64 KB batch queued at a time (without waiting it would be all 2.5 MB).
    expect(maxBuffered).toBeLessThan(200 * 1024);
  });
});
