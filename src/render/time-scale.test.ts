import { describe, expect, it } from 'vitest';
import { GAP_PX, createTimeScale } from './time-scale.ts';

describe('createTimeScale', () => {
  it('is linear without gaps', () => {
    const s = createTimeScale(100, 1100, 500);
    expect(s.x(100)).toBe(0);
    expect(s.x(600)).toBe(250);
    expect(s.ns(500)).toBe(1100);
  });

  it('squeezes an idle gap to a fixed width and keeps both sides linear', () => {
    // 0 ──busy── 100 ····idle···· 10,000 ──busy── 10,100      width 228 = 100 + 28 + 100
    const s = createTimeScale(0, 10_100, 200 + GAP_PX, [{ startNs: 100, endNs: 10_000 }]);
    expect(s.x(50)).toBeCloseTo(100 / 2);
    expect(s.x(100)).toBeCloseTo(100);
    expect(s.x(10_000)).toBeCloseTo(100 + GAP_PX);
    expect(s.x(10_050)).toBeCloseTo(100 + GAP_PX + 50);
    expect(s.ns(s.x(10_050))).toBeCloseTo(10_050);
    expect(s.ns(s.x(30))).toBeCloseTo(30);
    expect(s.gaps).toHaveLength(1);
    for (const t of s.ticks(6)) expect(t <= 100 || t >= 10_000).toBe(true);
  });
});
