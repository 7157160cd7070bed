import { describe, expect, it } from 'vitest';
import { icicleLayout, visibleFlameRects, type FlameRects } from '../core/analysis/flame-tree.ts';
import { loadFixture } from '../core/import/fixture-test-helpers.ts';
import { isErrorSpan, spanName, spanService } from '../core/model/trace-model.ts';
import { cropLabel, drawFlame, FLAME_ERROR_BIT, FLAME_LIGHT_THEME, FLAME_MATCH_BIT, flamePaint, hitTestFlame, rectBox, type FlameViewport } from './flame-canvas.ts';
import { recordingContext } from './recording-context.ts';

// The demo order trace (958.1 ms) on a 1265 px canvas at 1280×800: 1.3 px a millisecond.
const TRACE_NS = 958.1e6;
const view: FlameViewport = { startNs: 0, endNs: TRACE_NS, width: 1265, rowHeight: 20, topDepth: 0, scrollTop: 0, dpr: 1 };

describe('rectBox', () => {
  it('maps time to pixels, snapped to device pixels, with a one-pixel gap to the right and below', () => {
    // inventory-service POST /reserve: +17 ms for 904.1 ms, depth 5 → x 22.45 … 1216.15.
    expect(rectBox(view, 17e6, 921.1e6, 5)).toEqual({ x: 22, y: 100, w: 1193, h: 19 });
    // DPR 2 snaps to half pixels.
    expect(rectBox({ ...view, dpr: 2 }, 17e6, 921.1e6, 5)).toEqual({ x: 22.5, y: 100, w: 1192.5, h: 19 });
  });

  it('keeps a sliver one pixel wide (pg-pool.connect: 118 µs is 0.16 px)', () => {
    expect(rectBox(view, 1e6, 1.118e6, 4)).toEqual({ x: 1, y: 80, w: 1, h: 19 });
  });

  it('clips to just outside the canvas when zoomed in, and counts rows from the focus, scrolled', () => {
    const zoomed = { ...view, startNs: 400e6, endNs: 500e6, topDepth: 3, scrollTop: 10 };
    expect(rectBox(zoomed, 0, TRACE_NS, 5)).toEqual({ x: -1, y: 30, w: 1266, h: 19 });
  });
});

/** Hand-made rects on a 1000 ns, 1000 px window: x in px = time in ns. */
function rectsOf(rows: readonly (readonly [start: number, end: number, depth: number, count?: number])[]): FlameRects {
  return {
    count: rows.length,
    startNs: Float64Array.from(rows, (r) => r[0]),
    endNs: Float64Array.from(rows, (r) => r[1]),
    depth: Uint32Array.from(rows, (r) => r[2]),
    spanIndex: Uint32Array.from(rows, (_, k) => 10 + k),
    spanCount: Uint32Array.from(rows, (r) => r[3] ?? 1),
    bits: new Uint8Array(rows.length),
  };
}

describe('hitTestFlame', () => {
  const px: FlameViewport = { startNs: 0, endNs: 1000, width: 1000, rowHeight: 20, topDepth: 0, scrollTop: 0, dpr: 1 };
  //  depth 0  [0 ............................................ 1000)   root
  //  depth 1  [0 .. 100)  |100.2   [300 ....... 1000)                 a, sliver, c
  //                             [600 .. 700)                          d, parallel with c, drawn over it
  const rects = rectsOf([
    [0, 1000, 0],
    [0, 100, 1],
    [100.2, 100.4, 1, 7],
    [300, 1000, 1],
    [600, 700, 1],
  ]);

  it('finds the rectangle under the point by row and x, the gap to its right included', () => {
    expect(hitTestFlame(rects, px, 500, 5)).toBe(0);
    expect(hitTestFlame(rects, px, 50, 25)).toBe(1);
    expect(hitTestFlame(rects, px, 99.6, 25)).toBe(1);
    expect(hitTestFlame(rects, px, 100.5, 25)).toBe(2);
  });

  it('takes the one drawn last where parallel siblings overlap', () => {
    expect(hitTestFlame(rects, px, 650, 30)).toBe(4);
    expect(hitTestFlame(rects, px, 750, 30)).toBe(3);
  });

  it('reaches a sliver within two pixels, and nothing beyond', () => {
    expect(hitTestFlame(rects, px, 103, 25)).toBe(2);
    expect(hitTestFlame(rects, px, 150, 25)).toBe(-1);
    expect(hitTestFlame(rects, px, 500, 45)).toBe(-1);
  });

  it('follows the focus row and the scroll', () => {
    expect(hitTestFlame(rects, { ...px, topDepth: 1 }, 50, 5)).toBe(1);
    expect(hitTestFlame(rects, { ...px, scrollTop: 20 }, 50, 5)).toBe(1);
  });
});

describe('cropLabel', () => {
  const measure = (s: string) => s.length * 6;

  it('keeps what fits, else the longest prefix with an ellipsis, else nothing', () => {
    const label = 'POST /api/orders → 201';
    expect(cropLabel(label, 200, measure)).toBe(label);
    expect(cropLabel(label, 60, measure)).toBe('POST /api…');
    expect(cropLabel(label, 36, measure)).toBe('POST…');
    expect(cropLabel(label, 24, measure)).toBe('POS…');
    expect(cropLabel(label, 20, measure)).toBe('');
    expect(cropLabel(label, 0, measure)).toBe('');
  });
});

describe('flamePaint', () => {
  it('picks the label colour with the better contrast on each service colour', () => {
    expect(flamePaint('#0072B2').text).toBe('#ffffff');
    expect(flamePaint('#882255').text).toBe('#ffffff');
    expect(flamePaint('#009E73').text).toBe('#0f172a');
    expect(flamePaint('#E69F00').text).toBe('#0f172a');
    expect(flamePaint('#F0E442').text).toBe('#0f172a');
  });
});

describe('drawFlame', () => {
  it('draws the demo order trace: a rect per span, labels inside their rect, errors marked, non-matches faded', async () => {
    const { traces } = await loadFixture('demo/demo-orders.jsonl');
    // The third request: its payment fails.
    const model = traces.find((m) => Array.from({ length: m.spanCount }, (_, i) => isErrorSpan(m, i)).some(Boolean));
    if (!model) throw new Error('the demo orders file has a failing request');
    const bits = Uint8Array.from({ length: model.spanCount }, (_, i) => (isErrorSpan(model, i) ? FLAME_ERROR_BIT : 0) | (spanService(model, i) === 'payment-service' ? FLAME_MATCH_BIT : 0));
    const window = { ...view, endNs: model.traceDurationNs };
    const rects = visibleFlameRects(model, icicleLayout(model), { startNs: 0, endNs: model.traceDurationNs, widthPx: window.width, bits });
    const paint = flamePaint('#0072B2');
    const { ctx, fills, strokes, texts } = recordingContext();
    drawFlame({
      ctx, viewport: window, height: 400, rects, paintOf: () => paint, labelOf: (i) => spanName(model, i), detailOf: (i) => spanService(model, i),
      searching: true, hovered: -1, selected: -1, ticksNs: [], theme: FLAME_LIGHT_THEME,
    });

    const bodies = fills.filter((f) => f.h === 19 && f.fill !== FLAME_LIGHT_THEME.error);
    expect(bodies).toHaveLength(rects.count);
    const root = bodies[0];
    expect([root.x, root.w, root.alpha]).toEqual([0, 1264, FLAME_LIGHT_THEME.dimAlpha]);
    const matches = bodies.filter((f) => f.alpha === 1);
    expect(matches.length).toBeGreaterThan(0);
    expect(matches.length).toBe(Array.from(rects.bits).filter((b) => b & FLAME_MATCH_BIT).length);

    const errorRects = Array.from(rects.bits).filter((b) => b & FLAME_ERROR_BIT).length;
    expect(errorRects).toBeGreaterThan(0);
    // Each error rect: a red strip at its left edge (or all red when it is a sliver), outlined when wide.
    const marks = fills.filter((f) => f.fill === FLAME_LIGHT_THEME.error);
    expect(marks).toHaveLength(errorRects);
    for (const m of marks) expect(bodies.some((b) => b.x === m.x && b.y === m.y)).toBe(true);
    expect(strokes.filter((s) => s.stroke === FLAME_LIGHT_THEME.error).length).toBe(marks.filter((m) => m.w === 4).length);

    expect(texts[0]).toEqual({ text: 'POST /api/orders', x: 5, y: 10 });
    expect(texts[1].text).toBe('api-gateway');
    // Every label stays inside the rect it names.
    for (const t of texts) {
      const body = bodies.find((b) => t.y > b.y && t.y < b.y + b.h && t.x >= b.x && t.x < b.x + b.w);
      if (!body) throw new Error(`the label ${t.text} is in no rect`);
      expect(t.x + t.text.length * 6).toBeLessThanOrEqual(body.x + body.w);
    }
  });
});

describe('drawFlame labels', () => {
  const px: FlameViewport = { startNs: 0, endNs: 1000, width: 1000, rowHeight: 20, topDepth: 0, scrollTop: 0, dpr: 1 };
  const paint = flamePaint('#0072B2');
  const draw = (rects: FlameRects) => {
    const { ctx, texts } = recordingContext();
    drawFlame({
      ctx, viewport: px, height: 200, rects, paintOf: () => paint, labelOf: (i) => `operation number ${i} with a long name`, detailOf: (i) => `service-${i}`,
      searching: false, hovered: -1, selected: -1, ticksNs: [], theme: FLAME_LIGHT_THEME,
    });
    return texts.map((t) => ({ ...t, end: t.x + t.text.length * 6 }));
  };

  it('never overlap where parallel siblings share a row, whatever order they are drawn in', () => {
    //  depth 1  [100 ............................ 700)        a (drawn first)
    //                 [160 ................. 560)             b, parallel, drawn over a
    //                                [400 ............ 900)   c, drawn over both
    //           [50 ... 150)                                  d, drawn last, under a's start
    const texts = draw(rectsOf([[0, 1000, 0], [100, 700, 1], [160, 560, 1], [400, 900, 1], [50, 150, 1]]));
    const row = texts.filter((t) => t.y > 20 && t.y < 40).sort((p, q) => p.x - q.x);
    expect(row.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < row.length; i++) expect(row[i].x).toBeGreaterThanOrEqual(row[i - 1].end);
    // a's label is not drawn where d, drawn later, covers a's start.
    expect(row.every((t) => !(t.text.startsWith('operation number 11') && t.x < 150))).toBe(true);
  });
});
