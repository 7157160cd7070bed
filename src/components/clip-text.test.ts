import { describe, expect, it } from 'vitest';
import { clipText, pageBounds } from './clip-text.ts';

describe('clipText', () => {
  it('keeps short text and cuts long text with an ellipsis, never inside a surrogate pair', () => {
    expect(clipText('GET /orders', 20)).toBe('GET /orders');
    expect(clipText('x'.repeat(1 << 20), 240)).toHaveLength(241);
    expect(clipText('ab😀cd', 3)).toBe('ab…');
  });
});

describe('pageBounds', () => {
  it('walks a value page by page to its end, each page bounded', () => {
    const text = 'y'.repeat(45_000);
    expect(pageBounds(text.length, 0, 20_000, text)).toEqual([0, 20_000]);
    expect(pageBounds(text.length, 2, 20_000, text)).toEqual([40_000, 45_000]);
    const emoji = `${'a'.repeat(19_999)}😀b`;
    expect(pageBounds(emoji.length, 0, 20_000, emoji)).toEqual([0, 19_999]);
    expect(pageBounds(emoji.length, 1, 20_000, emoji)).toEqual([19_999, 20_002]);
  });
});
