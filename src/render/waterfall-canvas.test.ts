import { describe, expect, it } from 'vitest';
import { loadFixture } from '../core/import/fixture-test-helpers.ts';
import { buildTraceViewData } from '../worker/trace-view-data.ts';
import { createTimeScale } from './time-scale.ts';
import { LIGHT_THEME, drawBars } from './waterfall-canvas.ts';

/** A 2D context that records what is drawn. */
function recordingContext() {
  const rects: { x: number; y: number; w: number; h: number; fill: string }[] = [];
  const texts: { text: string; x: number }[] = [];
  const ctx = {
    fillStyle: '',
    strokeStyle: '',
    globalAlpha: 1,
    lineWidth: 1,
    font: '',
    textBaseline: '',
    clearRect() {},
    beginPath() {},
    moveTo() {},
    lineTo() {},
    stroke() {},
    fillRect(x: number, y: number, w: number, h: number) {
      rects.push({ x, y, w, h, fill: String(this.fillStyle) });
    },
    fillText(text: string, x: number) {
      texts.push({ text, x });
    },
    measureText: (s: string) => ({ width: s.length * 6 }),
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, rects, texts };
}

describe('drawBars', () => {
  it('never paints a bar past its span when a child runs long after it (async work)', async () => {
    // smartthings span 12: a 65 µs request at +0.94 s whose child starts 33 s later.
    //   12  |                                   (65µs)
    //   13                    [=====================]   (starts at +34 s)
    const collection = await loadFixture('real/zipkin/zipkin__smartthings-oauth-authorization.json');
    const view = buildTraceViewData(collection.traces[0]);
    expect(view.durationNs[12]).toBe(65_000);
    const { ctx, rects, texts } = recordingContext();
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
