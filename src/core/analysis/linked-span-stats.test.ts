import { describe, expect, it } from 'vitest';
import { loadFixture } from '../import/fixture-test-helpers.ts';
import { TraceModelBuilder } from '../model/trace-model-builder.ts';
import { spanName } from '../model/trace-model.ts';
import { buildLinkIndex } from './link-index.ts';
import { linkedSpanStats } from './linked-span-stats.ts';
import { drawnTraceId, drawTraces, epochAt, hex16 } from './linked-traces-test-helpers.ts';

describe('linkedSpanStats: drawn batch', () => {
  // The batch links to its three items; i1 and i2 also link back (counted once with 'both').
  // Columns are ns: batch starts at 0; i1 [1, 5), i2 [2, 10), i3 [4, 10).
  const drawn = drawTraces(`
    trace batch
      batch   [==================]     link=i1,i2,i3,batch
    trace item-1
      i1       [==]                    link=batch
    trace item-2
      i2        [======]               link=batch error
    trace item-3
      i3          [====]
  `);
  const index = buildLinkIndex(drawn.traces);
  const batch = drawn.ref('batch');

  it('summarizes the linked spans both ways, each once, without the self-link', () => {
    const stats = linkedSpanStats(index, batch, 'both', { slowest: 2 });
    expect(stats).toEqual({
      count: 3,
      unresolvedCount: 0,
      durationNs: { min: 4, p50: 6, p95: 8, max: 8 },
      histogram: { edgesNs: new Float64Array([4, 6, 8]), counts: new Uint32Array([1, 2]) }, // ⌈√3⌉ = 2 bins
      errorCount: 1,
      failed: [drawn.ref('i2')],
      slowest: [drawn.ref('i2'), drawn.ref('i3')],
      startOffsetNs: { min: 1, p50: 2, p95: 4, max: 4 },
    });
  });

  it('counts one direction at a time, and works from an item too', () => {
    expect(linkedSpanStats(index, batch, 'incoming').count).toBe(2);
    expect(linkedSpanStats(index, batch, 'outgoing').count).toBe(3);
    const fromItem = linkedSpanStats(index, drawn.ref('i2'), 'outgoing');
    expect([fromItem.count, fromItem.durationNs, fromItem.startOffsetNs?.min]).toEqual([1, { min: 20, p50: 20, p95: 20, max: 20 }, -2]);
    const none = linkedSpanStats(index, drawn.ref('i3'), 'outgoing');
    expect(none).toMatchObject({ count: 0, durationNs: undefined, startOffsetNs: undefined, slowest: [], failed: [] });
  });
});

describe('linkedSpanStats: the demo batch', () => {
  it('8 order traces linked both ways to the batch span', async () => {
    const { traces } = await loadFixture('demo/demo-batch-links.jsonl');
    const index = buildLinkIndex(traces);
    const stats = linkedSpanStats(index, { trace: 0, span: 0 }, 'both', { slowest: 3 });
    expect(stats.count).toBe(8);
    expect([stats.errorCount, stats.unresolvedCount]).toEqual([0, 0]);
    // Item durations (ms): 71.4, 77.8, 79.9, 80.7, 96.8, 96.8, then two orders held up by the slow
    // inventory reservation (every 7th): 953.7 and 959.8.
    expect(stats.durationNs).toEqual({ min: 71_433_105, p50: 80_652_026, p95: 959_828_883, max: 959_828_883 });
    expect(stats.slowest).toEqual([{ trace: 8, span: 0 }, { trace: 1, span: 0 }, { trace: 7, span: 0 }]);
    expect(spanName(traces[8], 0)).toBe('order-batch process-order');
    expect(Array.from(stats.histogram.counts)).toEqual([6, 0, 2]); // ⌈√8⌉ = 3 bins
    // Items started 1, 12, 13, 13, 15, 15, 15 and 16 ms after the batch span.
    expect(stats.startOffsetNs).toEqual({ min: 1e6, p50: 13e6, p95: 16e6, max: 16e6 });
  });
});

describe('linkedSpanStats: 10,000 links', () => {
  it('summarizes a batch span with 10,000 links (time printed, not asserted)', () => {
    const n = 10_000;
    const b = new TraceModelBuilder('otlp-json');
    b.addSpan({ traceId: drawnTraceId(0), spanId: hex16(1), name: 'batch', service: 'b', start: epochAt(0), durationNs: 2e9 });
    for (let k = 0; k < n; k++) b.addLink(drawnTraceId(k + 1), hex16(k + 2), 'link');
    b.addLink(drawnTraceId(n + 5), hex16(99), 'link'); // not loaded
    for (let k = 0; k < n; k++) {
      b.addSpan({ traceId: drawnTraceId(k + 1), spanId: hex16(k + 2), name: 'item', service: 'i', start: epochAt(1000 * k), durationNs: 1e6 + ((k * 7919) % n) * 100, status: k % 100 === 0 ? 'error' : 'unset' });
      b.addLink(drawnTraceId(0), hex16(1), 'link');
    }
    const index = buildLinkIndex(b.build().traces);
    const batch = { trace: 0, span: 0 };
    const runs: number[] = [];
    let stats = linkedSpanStats(index, batch);
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      stats = linkedSpanStats(index, batch);
      runs.push(performance.now() - t0);
    }
    expect([stats.count, stats.unresolvedCount, stats.errorCount]).toEqual([n, 1, 100]);
    expect(stats.durationNs).toEqual({ min: 1e6, p50: 1e6 + 4999 * 100, p95: 1e6 + 9499 * 100, max: 1e6 + 9999 * 100 });
    expect(stats.startOffsetNs).toEqual({ min: 0, p50: 4999_000, p95: 9499_000, max: 9999_000 });
    expect(stats.histogram.counts.length).toBe(20);
    runs.sort((a, b) => a - b);
    console.log(`linkedSpanStats, 10,000 links both ways: median ${runs[2].toFixed(2)} ms of 5 runs (min ${runs[0].toFixed(2)}, max ${runs[4].toFixed(2)})`);
  });
});
