import { describe, expect, it } from 'vitest';
import { loadFixture } from '../core/import/fixture-test-helpers.ts';
import { createTimeScale } from '../render/time-scale.ts';
import { buildTraceViewData } from '../worker/trace-view-data.ts';
import { clampWindow, createTraceViewStore } from './trace-view-store.ts';

async function skewStore() {
  const view = buildTraceViewData((await loadFixture('real/zipkin/zipkin__smartthings-oauth-authorization.json')).traces[0]);
  return { view, store: createTraceViewStore(view) };
}

describe('trace view store: zoom against the drawn view', () => {
  it('SmartThings OAuth (Zipkin): adjusting 8 skewed server spans makes the trace 1.11 s shorter', async () => {
    const { view } = await skewStore();
    expect(view.skew?.adjustedSpans).toBe(8);
    expect(view.traceDurationNs).toBe(100_348_445_000);
    expect(view.skew?.traceDurationNs).toBe(99_238_411_000);
  });

  it('with skew adjusted, a window past the end stops at the adjusted duration', async () => {
    const { view, store } = await skewStore();
    store.getState().setSkewAdjusted(true);
    expect(store.getState().view.traceDurationNs).toBe(99_238_411_000);
    store.getState().setWindow(0, 10 * view.traceDurationNs);
    expect([store.getState().windowStartNs, store.getState().windowEndNs]).toEqual([0, 99_238_411_000]);
  });

  it('with skew adjusted, resetZoom shows the whole adjusted trace', async () => {
    const { store } = await skewStore();
    store.getState().setSkewAdjusted(true);
    store.getState().setWindow(20e9, 30e9);
    expect([store.getState().windowStartNs, store.getState().windowEndNs]).toEqual([20e9, 30e9]);
    store.getState().resetZoom();
    expect([store.getState().windowStartNs, store.getState().windowEndNs]).toEqual([0, 99_238_411_000]);
  });

  it('restoring skew from the URL with the whole file as the window shows the whole adjusted trace', async () => {
    const { view, store } = await skewStore();
    store.getState().restore({ skewAdjusted: true, windowStartNs: 0, windowEndNs: view.traceDurationNs });
    expect(store.getState().skewAdjusted).toBe(true);
    expect([store.getState().windowStartNs, store.getState().windowEndNs]).toEqual([0, 99_238_411_000]);
  });

  it('back to the file times, the window follows the file duration again', async () => {
    const { view, store } = await skewStore();
    store.getState().setSkewAdjusted(true);
    store.getState().setSkewAdjusted(false);
    store.getState().setWindow(0, 10 * view.traceDurationNs);
    expect([store.getState().windowStartNs, store.getState().windowEndNs]).toEqual([0, view.traceDurationNs]);
  });
});

describe('trace view store: adjusting clock skew rebases the timeline', () => {
  it('Zipkin skew.json: the axis, the duration and the minimap start at the root once the early server span moves', async () => {
    const view = buildTraceViewData((await loadFixture('real/zipkin/zipkin__skew.json')).traces[0]);
    const store = createTraceViewStore(view);
    expect(view.traceDurationNs).toBe(161_718_000);
    store.getState().setSkewAdjusted(true);
    const adjusted = store.getState();
    // The drawn trace is its root (99,411 µs), which now starts at 0: no empty 62 ms before it.
    expect(adjusted.view.traceDurationNs).toBe(99_411_000);
    expect(adjusted.view.skew?.originNs).toBe(62_307_000);
    expect(adjusted.view.startNs[view.parent.indexOf(-1)]).toBe(0);
    expect([adjusted.windowStartNs, adjusted.windowEndNs]).toEqual([0, 99_411_000]);
    // The axis domain is the window: its ticks run from 0 to the adjusted end.
    const ticks = createTimeScale(adjusted.windowStartNs, adjusted.windowEndNs, 1000).ticks(10);
    expect(ticks[0]).toBe(0);
    expect(ticks[ticks.length - 1]).toBeLessThanOrEqual(99_411_000);
    expect(ticks[ticks.length - 1]).toBeGreaterThan(80_000_000);
    // The minimap's density grid covers the adjusted trace: the root fills every time column of row 0.
    const { density } = adjusted.view;
    expect(density).toBe(view.skew?.density);
    expect(density.columns).toBeGreaterThan(0);
    const firstRow = Array.from({ length: density.columns }, (_, c) => density.counts[c]);
    expect(firstRow.every((count) => count > 0)).toBe(true);
  });
});

describe('trace view store: the critical-path filter follows the drawn view', () => {
  it('with skew adjusted, "only critical path" keeps the adjusted path, and the file\'s again when off', async () => {
    const { view, store } = await skewStore();
    const rowsOf = () => Array.from(store.getState().rows);
    const hasAll = (spans: Uint32Array) => Array.from(spans).every((s) => store.getState().rowOfSpan[s] >= 0);
    store.getState().setCriticalOnly(true);
    const fileRows = rowsOf();
    expect(hasAll(view.criticalSpan)).toBe(true);
    store.getState().setSkewAdjusted(true);
    const skewCritical = store.getState().view.criticalSpan;
    expect(hasAll(skewCritical)).toBe(true);
    expect(rowsOf().length).toBeLessThan(view.spanCount);
    store.getState().setSkewAdjusted(false);
    expect(rowsOf()).toEqual(fileRows);
  });
});

describe('clampWindow', () => {
  it('keeps a window inside the trace', () => {
    expect(clampWindow(-5000, 50_000, 100_000)).toEqual({ windowStartNs: 0, windowEndNs: 50_000 });
    expect(clampWindow(80_000, 500_000, 100_000)).toEqual({ windowStartNs: 80_000, windowEndNs: 100_000 });
    expect(clampWindow(60_000, 20_000, 100_000)).toEqual({ windowStartNs: 20_000, windowEndNs: 60_000 });
  });

  it('widens a window narrower than 1 µs around its middle, or to the whole trace when shorter', () => {
    expect(clampWindow(5000, 5010, 1e6)).toEqual({ windowStartNs: 4505, windowEndNs: 5505 });
    expect(clampWindow(10, 10, 300)).toEqual({ windowStartNs: 0, windowEndNs: 300 });
    expect(clampWindow(0, 0, 0)).toEqual({ windowStartNs: 0, windowEndNs: 1 });
  });
});
