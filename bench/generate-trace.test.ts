import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBytes } from '../src/core/import/index.ts';
import { formatCount, formatTable, parseBenchArgs } from './bench.ts';
import { generateTrace, parseCount } from './generate-trace.ts';

const dir = mkdtempSync(join(tmpdir(), 'spanscope-gen-'));

describe('generate-trace', () => {
  it('writes the same bytes for the same options, and other bytes for another seed', () => {
    generateTrace(join(dir, 'a.json'), { spans: 3000, format: 'otlp' });
    generateTrace(join(dir, 'b.json'), { spans: 3000, format: 'otlp' });
    generateTrace(join(dir, 'c.json'), { spans: 3000, format: 'otlp', seed: 7 });
    const a = readFileSync(join(dir, 'a.json'));
    expect(a.equals(readFileSync(join(dir, 'b.json')))).toBe(true);
    expect(a.equals(readFileSync(join(dir, 'c.json')))).toBe(false);
  });

  for (const format of ['otlp', 'jaeger'] as const) {
    it(`makes a ${format} file our importer reads as one clean trace with errors, events and links`, async () => {
      const file = join(dir, `trace.${format}.json`);
      const stats = generateTrace(file, { spans: 5000, format });
      const c = await loadBytes(new Uint8Array(readFileSync(file)));
      expect(c.format).toBe(format === 'otlp' ? 'otlp-json' : 'jaeger');
      expect(c.traces).toHaveLength(1);
      const m = c.traces[0];
      expect(m.traceId).toBe(stats.traceId);
      expect(m.spanCount).toBe(5000);
      expect(m.roots).toHaveLength(1);
      // Children start and end inside their parents: no clock-skew warnings.
      expect(m.warnings).toEqual([]);
      expect(c.warnings).toEqual([]);
      expect(m.errorCount).toBe(stats.errors);
      expect(m.errorCount).toBeGreaterThan(50);
      expect(m.maxDepth).toBe(stats.maxDepth);
      let events = 0;
      let links = 0;
      for (let i = 0; i < m.spanCount; i++) {
        events += m.eventCount[i];
        links += m.linkCount[i];
      }
      expect(events).toBe(stats.events);
      expect(links).toBe(stats.links);
      expect(new Set(Array.from(m.serviceId)).size).toBeGreaterThan(15);
    });
  }
});

describe('bench options', () => {
  it('reads span counts with k and M suffixes', () => {
    expect(parseCount('10k')).toBe(10_000);
    expect(parseCount('1M')).toBe(1_000_000);
    expect(parseCount('2500')).toBe(2500);
    expect(() => parseCount('lots')).toThrow(/not a span count/);
    expect(formatCount(100_000)).toBe('100k');
  });

  it('parses the flags', () => {
    const o = parseBenchArgs(['--sizes', '10k,100k', '--runs=5', '--json', 'x.json', '--otlp-from-converter']);
    expect(o).toMatchObject({ sizes: [10_000, 100_000], runs: 5, json: 'x.json', jaegerGen: true, otlpFromConverter: true });
    expect(parseBenchArgs(['--file', 'a.json', '--file', 'b.json']).files).toEqual(['a.json', 'b.json']);
    expect(() => parseBenchArgs(['--bogus'])).toThrow(/unknown option/);
  });

  it('prints a table with one row per input', () => {
    const table = formatTable([
      {
        label: 'otlp 10k',
        file: 'x',
        bytes: 7_300_000,
        format: 'otlp-json',
        traces: 1,
        spans: 10_000,
        runsMs: [150],
        medianMs: 150,
        spansPerSecond: 66_667,
        megabytesPerSecond: 48.7,
        peakRssBytes: 130 * 1024 * 1024,
        peakHeapUsedBytes: 30 * 1024 * 1024,
        heapAfterLoadBytes: 11 * 1024 * 1024,
        modelHeapBytes: 5 * 1024 * 1024,
        rssAfterLoadBytes: 120 * 1024 * 1024,
      },
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^otlp 10k\s+otlp-json\s+10k\s+7\.3\s+150\s+66,667\s+48\.7\s+130\s+30\s+11\s+5\s+–$/);
  });
});
