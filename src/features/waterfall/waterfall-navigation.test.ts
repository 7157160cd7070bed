import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../core/import/fixture-test-helpers.ts';
import { spanLabelOf } from '../../core/view-format/trace-view-format.ts';
import { buildTraceViewData } from '../../worker/trace-view-data.ts';
import { nextErrorSpan, nextMatchIndex, rowForKey, searchMasks, wheelIntent, type WheelInput } from './waterfall-navigation.ts';

async function viewOf(fixture: string) {
  return buildTraceViewData((await loadFixture(fixture)).traces[0]);
}

describe('searchMasks', () => {
  it('Yelp: a match deep in the tree brings its ancestors along, and only it is marked', async () => {
    const view = await viewOf('real/zipkin/zipkin__yelp.json');
    // 0 routing post ─ 9 yelp-main post ─ 10 mobile_api POST ─ 13 mobile_api get ─ 14 spectre get
    expect(spanLabelOf(view, 14)).toBe('get');
    const { matchMask, includeMask } = searchMasks(view.parent, Uint32Array.of(14));
    expect(Array.from(matchMask.keys()).filter((i) => matchMask[i])).toEqual([14]);
    expect(Array.from(includeMask.keys()).filter((i) => includeMask[i])).toEqual([0, 9, 10, 13, 14]);
  });
});

describe('nextMatchIndex', () => {
  it('starts at the first (or last) match and wraps around', () => {
    expect(nextMatchIndex(-1, 5, 1)).toBe(0);
    expect(nextMatchIndex(-1, 5, -1)).toBe(4);
    expect(nextMatchIndex(4, 5, 1)).toBe(0);
    expect(nextMatchIndex(0, 5, -1)).toBe(4);
    expect(nextMatchIndex(2, 5, 1)).toBe(3);
  });
});

describe('nextErrorSpan', () => {
  it('Django 500: walks the error spans from the selection, both ways, wrapping around', async () => {
    const view = await viewOf('real/datadog/dd-trace-py__django-asgi_500.json');
    const errors = Array.from(view.errorSpans);
    expect(errors).toEqual([0, 19]);
    expect(nextErrorSpan(view.errorSpans, -1, 1)).toBe(0);
    expect(nextErrorSpan(view.errorSpans, 0, 1)).toBe(19);
    expect(nextErrorSpan(view.errorSpans, 19, 1)).toBe(0);
    expect(nextErrorSpan(view.errorSpans, 5, -1)).toBe(0);
    expect(nextErrorSpan(view.errorSpans, 0, -1)).toBe(19);
    expect(nextErrorSpan(new Uint32Array(0), 3, 1)).toBeUndefined();
  });
});

describe('rowForKey', () => {
  it('moves by one, by a page and to the ends, inside the rows', () => {
    expect(rowForKey('ArrowDown', -1, 30, 10)).toBe(0);
    expect(rowForKey('ArrowUp', -1, 30, 10)).toBe(0);
    expect(rowForKey('ArrowDown', 29, 30, 10)).toBe(29);
    expect(rowForKey('ArrowUp', 0, 30, 10)).toBe(0);
    expect(rowForKey('PageDown', 25, 30, 10)).toBe(29);
    expect(rowForKey('PageUp', 12, 30, 10)).toBe(2);
    expect(rowForKey('Home', 12, 30, 10)).toBe(0);
    expect(rowForKey('End', 12, 30, 10)).toBe(29);
  });

  it('is not a move for other keys, nor when there are no rows', () => {
    expect(rowForKey('ArrowLeft', 3, 30, 10)).toBeUndefined();
    expect(rowForKey('n', 3, 30, 10)).toBeUndefined();
    expect(rowForKey('ArrowDown', -1, 0, 10)).toBeUndefined();
  });
});

describe('wheelIntent', () => {
  const wheel = (w: Partial<WheelInput>): WheelInput => ({ deltaX: 0, deltaY: 0, deltaMode: 0, zoomKey: false, shiftKey: false, ...w });
  const window = { startNs: 1000, endNs: 2000, traceDurationNs: 10_000 };

  it('the plain wheel scrolls rows: pixels by the row height, lines as rows', () => {
    expect(wheelIntent(wheel({ deltaY: 48 }), { fraction: 0.5, ns: 1500 }, 500, window)).toEqual({ kind: 'scroll', rows: 2 });
    expect(wheelIntent(wheel({ deltaY: 3, deltaMode: 1 }), { fraction: 0.5, ns: 1500 }, 500, window)).toEqual({ kind: 'scroll', rows: 3 });
  });

  it('ctrl/⌘ zooms around the pointer: the time under it stays where it is', () => {
    const out = wheelIntent(wheel({ deltaY: -100, zoomKey: true }), { fraction: 0.25, ns: 1250 }, 500, window);
    if (out.kind !== 'window') throw new Error(out.kind);
    const factor = Math.exp(-0.2);
    expect(out.endNs - out.startNs).toBeCloseTo(1000 * factor, 6);
    expect((1250 - out.startNs) / (out.endNs - out.startNs)).toBeCloseTo(0.25, 9);
  });

  it('shift or a sideways swipe pans by the pixels moved, inside the trace', () => {
    expect(wheelIntent(wheel({ deltaY: 50, shiftKey: true }), { fraction: 0, ns: 0 }, 500, window)).toEqual({ kind: 'window', startNs: 1100, endNs: 2100 });
    expect(wheelIntent(wheel({ deltaX: -40, deltaY: 10 }), { fraction: 0, ns: 0 }, 500, window)).toEqual({ kind: 'window', startNs: 920, endNs: 1920 });
    expect(wheelIntent(wheel({ deltaX: 50_000 }), { fraction: 0, ns: 0 }, 500, window)).toEqual({ kind: 'window', startNs: 9000, endNs: 10_000 });
    expect(wheelIntent(wheel({ deltaX: -50_000 }), { fraction: 0, ns: 0 }, 500, window)).toEqual({ kind: 'window', startNs: 0, endNs: 1000 });
  });
});
