import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE } from './cli-io.ts';
import { parseInspectArgs, runInspect, type InspectResult } from './inspect-lib.ts';
import { REAL_FIXTURES, lines, makeTempDir, runCli } from './run-cli.ts';

const JAEGER_UI_01 = join(REAL_FIXTURES, 'jaeger/jaeger__ui_01.json');

describe('spanscope-inspect (spawned)', () => {
  it('summarizes a Jaeger file with the values of the fixture', () => {
    const run = runCli('inspect', [JAEGER_UI_01]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(EXIT_OK);
    const result = JSON.parse(run.stdout) as InspectResult;
    expect(result.format).toBe('jaeger');
    expect(result.traces).toEqual([
      {
        traceId: '00000000000000000000000000000001',
        spans: 5,
        services: ['service-x', 'service-y'],
        errors: 1,
        roots: 2,
        durationUs: 5,
        rootService: 'service-x',
        rootName: 'test-general-conversion',
        warnings: ['1 span has the same id as another span'],
      },
    ]);
    // The trace-level "warnings" of the Jaeger file concern the file.
    expect(result.warnings).toEqual(['Jaeger: some trace warning']);
  });

  it('summarizes every trace of an OTLP NDJSON export, and the same file gzip-compressed', () => {
    const file = join(REAL_FIXTURES, 'otlp/otel-tui__otel-demo-collector-file-export.jsonl');
    const plain = runCli('inspect', [file]);
    expect(plain.status).toBe(EXIT_OK);
    const result = JSON.parse(plain.stdout) as InspectResult;
    expect(result.format).toBe('otlp-json');
    expect(result.traces[0]).toMatchObject({ traceId: 'b0a6f062c2099ee37591d62d1cefbb49', spans: 1, services: ['flagd'], rootName: 'flagSync', durationUs: 3214.907 });
    for (const t of result.traces) expect(t.traceId).toMatch(/^[0-9a-f]{32}$/);

    const gz = join(makeTempDir(), 'export.jsonl.gz');
    writeFileSync(gz, gzipSync(readFileSync(file)));
    const zipped = runCli('inspect', [gz]);
    expect(zipped.status).toBe(EXIT_OK);
    expect(JSON.parse(zipped.stdout)).toEqual(result);
  });

  it('exits 1 with one stderr line giving line and column for invalid JSON', () => {
    const file = join(makeTempDir(), 'broken.json');
    writeFileSync(file, '{"data": [\n  {"traceID": "abc", "spans": [}\n]}');
    const run = runCli('inspect', [file]);
    expect(run.status).toBe(EXIT_BAD_INPUT);
    expect(run.stdout).toBe('');
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(/broken\.json: Invalid JSON at line 2, column 32: unexpected character "}"/);
  });

  it('exits 1 for an empty file, a binary file and JSON that is no trace format', () => {
    const dir = makeTempDir();
    const cases: [string, Uint8Array | string, RegExp][] = [
      ['empty.json', '', /The file is empty/],
      ['blank.json', '  \n ', /only whitespace/],
      ['image.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), /binary, not JSON.*89 50 4e 47/],
      ['hello.json', '{"hello": "world"}', /Not a trace format Spanscope knows: .*keys hello/],
      ['bad.gz', new Uint8Array([0x1f, 0x8b, 1, 2, 3]), /gzip-compressed but does not decompress/],
    ];
    for (const [name, content, reason] of cases) {
      const file = join(dir, name);
      writeFileSync(file, content);
      const run = runCli('inspect', [file]);
      expect(run.status, name).toBe(EXIT_BAD_INPUT);
      expect(lines(run.stderr), name).toHaveLength(1);
      expect(run.stderr, name).toMatch(reason);
    }
  });

  it('prints the usage and exits 2 without an argument or for a missing file', () => {
    const none = runCli('inspect', []);
    expect(none.status).toBe(EXIT_USAGE);
    expect(none.stderr).toMatch(/no trace file given\nusage: spanscope-inspect <trace-file>/);
    const missing = runCli('inspect', ['/nonexistent/trace.json']);
    expect(missing.status).toBe(EXIT_USAGE);
    expect(missing.stderr).toMatch(/cannot open \/nonexistent\/trace\.json: no such file\nusage:/);
  });
});

describe('inspect-lib', () => {
  function capture() {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const text = { out: '', err: '' };
    stdout.on('data', (c: Buffer) => (text.out += c.toString()));
    stderr.on('data', (c: Buffer) => (text.err += c.toString()));
    return { io: { stdout, stderr }, text };
  }

  it('parses one file argument and rejects the rest', () => {
    expect(parseInspectArgs(['--', 'a.json'])).toEqual({ file: 'a.json' });
    expect(() => parseInspectArgs(['a.json', 'b.json'])).toThrow(/one trace file/);
    expect(() => parseInspectArgs(['--verbose'])).toThrow(/unknown option --verbose/);
  });

  it('prints the usage on stdout for --help and exits 0', async () => {
    const { io, text } = capture();
    expect(await runInspect(['--help'], io)).toBe(EXIT_OK);
    expect(text.out).toMatch(/^usage: spanscope-inspect/);
    expect(text.err).toBe('');
  });

  it('runs in-process on a Zipkin fixture', async () => {
    const { io, text } = capture();
    expect(await runInspect([join(REAL_FIXTURES, 'zipkin/zipkin__netflix.json')], io)).toBe(EXIT_OK);
    const result = JSON.parse(text.out) as InspectResult;
    expect(result.format).toBe('zipkin-v2');
    expect(result.traces.length).toBeGreaterThan(0);
  });
});
