import { describe, expect, it } from 'vitest';
import { DEFAULT_DETAILS_LAYOUT, createDetailsLayoutStore, readDetailsLayout } from './details-layout-store.ts';

function memoryStorage(initial?: string) {
  const items = new Map<string, string>(initial === undefined ? [] : [['spanscope-details-layout', initial]]);
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items };
}

describe('details layout store', () => {
  it('keeps the placement and sizes a user chose, for the next page', () => {
    const storage = memoryStorage();
    const store = createDetailsLayoutStore(storage);
    expect(store.getState().placement).toBe('side');
    store.getState().setPlacement('inline');
    store.getState().setSideWidth(512.4);
    const next = createDetailsLayoutStore(storage).getState();
    expect([next.placement, next.sideWidthPx, next.bottomHeightPx]).toEqual(['inline', 512, DEFAULT_DETAILS_LAYOUT.bottomHeightPx]);
  });

  it('reads a damaged entry field by field, falling back to the defaults', () => {
    expect(readDetailsLayout(memoryStorage('{not json'))).toEqual(DEFAULT_DETAILS_LAYOUT);
    expect(readDetailsLayout(memoryStorage('{"placement":"left","sideWidthPx":-3,"bottomHeightPx":240}'))).toEqual({ ...DEFAULT_DETAILS_LAYOUT, bottomHeightPx: 240 });
    expect(readDetailsLayout(undefined)).toEqual(DEFAULT_DETAILS_LAYOUT);
  });
});
