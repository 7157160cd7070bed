// Where the selected span's details go (beside the rows, under them, or inline under the span's row) and
// how big the side and bottom panes are: the user's choice, kept in localStorage so it outlives the page.
// Created per app and handed down through context, like the app store.
import { createContext, createElement, useContext, useState, type ReactNode } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';

export type DetailsPlacement = 'side' | 'bottom' | 'inline';
export const DETAILS_PLACEMENTS: readonly DetailsPlacement[] = ['side', 'bottom', 'inline'];

export interface DetailsLayout {
  readonly placement: DetailsPlacement;
  /** The side pane's width and the bottom pane's height as the user left them (clamped where drawn). */
  readonly sideWidthPx: number;
  readonly bottomHeightPx: number;
}

export interface DetailsLayoutState extends DetailsLayout {
  setPlacement(placement: DetailsPlacement): void;
  setSideWidth(px: number): void;
  setBottomHeight(px: number): void;
}

export const DEFAULT_DETAILS_LAYOUT: DetailsLayout = { placement: 'side', sideWidthPx: 380, bottomHeightPx: 300 };
const KEY = 'spanscope-details-layout';

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

/** The stored layout, each field checked: a damaged or older entry falls back field by field. */
export function readDetailsLayout(storage: Storage | undefined): DetailsLayout {
  let raw: unknown;
  try {
    raw = JSON.parse(storage?.getItem(KEY) ?? 'null');
  } catch {
    raw = undefined;
  }
  if (typeof raw !== 'object' || raw === null) return DEFAULT_DETAILS_LAYOUT;
  const placement = 'placement' in raw ? DETAILS_PLACEMENTS.find((p) => p === raw.placement) : undefined;
  const size = (key: 'sideWidthPx' | 'bottomHeightPx') => {
    const v = key in raw ? (raw as Record<string, unknown>)[key] : undefined;
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.round(v) : DEFAULT_DETAILS_LAYOUT[key];
  };
  return { placement: placement ?? DEFAULT_DETAILS_LAYOUT.placement, sideWidthPx: size('sideWidthPx'), bottomHeightPx: size('bottomHeightPx') };
}

export function createDetailsLayoutStore(storage: Storage | undefined): StoreApi<DetailsLayoutState> {
  const store = createStore<DetailsLayoutState>((set) => ({
    ...readDetailsLayout(storage),
    setPlacement: (placement) => set({ placement }),
    setSideWidth: (px) => set({ sideWidthPx: Math.round(px) }),
    setBottomHeight: (px) => set({ bottomHeightPx: Math.round(px) }),
  }));
  store.subscribe((s, before) => {
    if (s.placement === before.placement && s.sideWidthPx === before.sideWidthPx && s.bottomHeightPx === before.bottomHeightPx) return;
    try {
      storage?.setItem(KEY, JSON.stringify({ placement: s.placement, sideWidthPx: s.sideWidthPx, bottomHeightPx: s.bottomHeightPx }));
    } catch {
      // Storage full or denied (private mode): the choice holds for this page only.
    }
  });
  return store;
}

const DetailsLayoutContext = createContext<StoreApi<DetailsLayoutState> | undefined>(undefined);

export function DetailsLayoutProvider({ children }: { children: ReactNode }) {
  const [store] = useState(() => createDetailsLayoutStore(browserStorage()));
  return createElement(DetailsLayoutContext.Provider, { value: store }, children);
}

export function useDetailsLayout<T>(selector: (state: DetailsLayoutState) => T): T {
  const store = useContext(DetailsLayoutContext);
  if (!store) throw new Error('useDetailsLayout outside DetailsLayoutProvider');
  return useStore(store, selector);
}

function browserStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
