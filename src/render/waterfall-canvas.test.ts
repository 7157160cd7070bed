import { describe, expect, it } from 'vitest';
import { loadFixture } from '../core/import/fixture-test-helpers.ts';
import { buildTraceViewData } from '../worker/trace-view-data.ts';
import { createTimeScale } from './time-scale.ts';
import { LIGHT_THEME, drawBars } from './waterfall-canvas.ts';
import { recordingContext } from './recording-context.ts';

describe('drawBars', () => {
  it('never paints a bar past its span when a child runs long after it (async work)', async () => {
    // smartthings span 12: a 65 µs request at +0.94 s whose child starts 33 s later.
    //   12  |                                   (65µs)
    //   13                    [=====================]   (starts at +34 s)
    const collection = await loadFixture('real/zipkin/zipkin__smartthings-oauth-authorization.json');
    const view = buildTraceViewData(collection.traces[0]);
    expect(view.durationNs[12]).toBe(65_000);
    const { ctx, fills: rects, texts } = recordingContext();
    const width = 845;
    const rowHeight = 24;
    drawBars({
      ctx, width, height: 480, rows: Uint32Array.from({ length: 20 }, (_, i) => i), rowOfSpan: Int32Array.from({ length: view.spanCount }, (_, i) => (i < 20 ? i : -1)), scrollRow: 0, rowHeight, view,
      scale: createTimeScale(0, view.traceDurationNs, width), serviceColors: view.services.map(() => '#123456'),
      selected: -1, hovered: -1, matchMask: undefined, currentMatch: -1, critical: undefined, ticksNs: [], theme: LIGHT_THEME,
    });
    const x1 = ((view.startNs[12] + view.durationNs[12]) / view.traceDurationNs) * width;
    const row12 = rects.filter((r) => r.y >= 12 * rowHeight && r.y < 13 * rowHeight && r.fill === '#123456');
    expect(row12.length).toBeGreaterThan(0);
    for (const r of row12) expect(r.x + r.w).toBeLessThanOrEqual(Math.max(x1, r.x + 1) + 0.001);
    expect(texts.map((t) => t.text)).toContain('65µs');
  });
});

describe('link arrows', () => {
  it('are drawn for links with an end on screen, ending just past the edge when the other end is far away', async () => {
    const collection = await loadFixture('real/zipkin/zipkin__smartthings-oauth-authorization.json');
    const base = buildTraceViewData(collection.traces[0]);
    // Rows 10..29 are on screen (scrollRow 10, 20 rows of 24 px). Span k sits on row k, except:
    //   link 0: 12 → 14          both on screen          drawn
    //   link 1: 15 → far below   (span 3 on row 900000)  drawn, its end clamped to just below the canvas
    //   link 2: 2 → far below    (span 4 on row 800000)  passes by with both ends off screen: not drawn
    const rowOfSpan = Int32Array.from({ length: base.spanCount }, (_, i) => i);
    rowOfSpan[3] = 900_000;
    rowOfSpan[4] = 800_000;
    const view = { ...base, linkFrom: Uint32Array.of(12, 15, 2), linkTo: Uint32Array.of(14, 3, 4), linkInferred: Uint8Array.of(0, 0, 0) };
    const { ctx, curves } = recordingContext();
    const height = 480;
    const rowHeight = 24;
    drawBars({
      ctx, width: 845, height, rows: Uint32Array.from({ length: base.spanCount }, (_, i) => i), rowOfSpan, scrollRow: 10, rowHeight, view,
      scale: createTimeScale(0, view.traceDurationNs, 845), serviceColors: view.services.map(() => '#123456'),
      selected: -1, hovered: -1, matchMask: undefined, currentMatch: -1, critical: undefined, ticksNs: [], theme: LIGHT_THEME,
    });
    expect(curves).toHaveLength(2);
    for (const c of curves) for (const y of [c.y0, c.y1]) expect(Math.abs(y)).toBeLessThanOrEqual(height + rowHeight);
    expect(Math.max(...curves.map((c) => Math.max(c.y0, c.y1)))).toBe(height + rowHeight);
  });
});

describe('link arrows of a fan-out', () => {
  it('are thin arcs bent apart, not vertical lines stacked into one bar, when the hops take no time', async () => {
    // The demo batch: "order-batch import" (span 0, 975 ms) links to 8 orders that start while it runs,
    // so each hop's two ends share one x. Here the same shape on the smartthings trace: span 0 links to
    // spans 5, 10, 15 and 19 at their own start.
    const collection = await loadFixture('real/zipkin/zipkin__smartthings-oauth-authorization.json');
    const base = buildTraceViewData(collection.traces[0]);
    const targets = [5, 10, 15, 19];
    const view = { ...base, linkFrom: Uint32Array.from(targets, () => 0), linkTo: Uint32Array.from(targets), linkInferred: new Uint8Array(targets.length) };
    const { ctx, curves } = recordingContext();
    drawBars({
      ctx, width: 845, height: 480, rows: Uint32Array.from({ length: base.spanCount }, (_, i) => i), rowOfSpan: Int32Array.from({ length: base.spanCount }, (_, i) => i), scrollRow: 0, rowHeight: 24, view,
      scale: createTimeScale(0, view.traceDurationNs, 845), serviceColors: view.services.map(() => '#123456'),
      selected: -1, hovered: -1, matchMask: undefined, currentMatch: -1, critical: undefined, ticksNs: [], theme: LIGHT_THEME,
    });
    expect(curves).toHaveLength(4);
    for (const c of curves) expect(c.lineWidth).toBe(1);
    const vertical = curves.filter((c) => Math.abs(c.x1 - c.x0) < 24);
    expect(vertical.length).toBeGreaterThan(0);
    // Each such hop bows out sideways, the farther target the wider: no two share a path.
    for (const c of vertical) expect(Math.abs(c.c1x - c.x0)).toBeGreaterThanOrEqual(14);
    const bends = vertical.map((c) => Math.abs(c.c1x - c.x0));
    expect(new Set(bends).size).toBe(vertical.length);
  });
});
