// What the waterfall's keys and wheel mean, as values: the row a key moves to, the next match or error,
// and the zoom, pan or scroll a wheel turn asks for. Pure; the hooks apply them to the store.
import { ROW_HEIGHT } from './waterfall-layout.ts';

/** matches + all their ancestors, and the matches alone, as per-span masks. */
export function searchMasks(parent: Int32Array, matches: Uint32Array): { matchMask: Uint8Array; includeMask: Uint8Array } {
  const matchMask = new Uint8Array(parent.length);
  const includeMask = new Uint8Array(parent.length);
  for (const m of matches) {
    matchMask[m] = 1;
    for (let p = m; p >= 0 && !includeMask[p]; p = parent[p]) includeMask[p] = 1;
  }
  return { matchMask, includeMask };
}

/** The match after (or before) `current` (-1: none yet), wrapping around. */
export function nextMatchIndex(current: number, matchCount: number, step: 1 | -1): number {
  if (current < 0) return step === 1 ? 0 : matchCount - 1;
  return (current + step + matchCount) % matchCount;
}

/** The first error span after (or the last before) `selected`, wrapping around; undefined without errors. */
export function nextErrorSpan(errorSpans: Uint32Array, selected: number, step: 1 | -1): number | undefined {
  if (!errorSpans.length) return undefined;
  if (step === 1) return errorSpans.find((e) => e > selected) ?? errorSpans[0];
  return errorSpans.findLast((e) => e < selected) ?? errorSpans[errorSpans.length - 1];
}

/** The row a movement key goes to from `row` (-1: nothing selected), inside the rows; undefined for other keys or no rows. */
export function rowForKey(key: string, row: number, rowCount: number, pageRows: number): number | undefined {
  if (!rowCount) return undefined;
  const target: Record<string, number> = {
    ArrowDown: row + 1,
    ArrowUp: row < 0 ? 0 : row - 1,
    PageDown: row + pageRows,
    PageUp: row - pageRows,
    Home: 0,
    End: rowCount - 1,
  };
  const r = target[key];
  return r === undefined ? undefined : Math.max(0, Math.min(rowCount - 1, r));
}

export interface WheelInput {
  readonly deltaX: number;
  readonly deltaY: number;
  /** 1: deltas in lines, else in pixels. */
  readonly deltaMode: number;
  /** ctrl or ⌘ held. */
  readonly zoomKey: boolean;
  readonly shiftKey: boolean;
}

export type WheelIntent =
  | { readonly kind: 'window'; readonly startNs: number; readonly endNs: number }
  | { readonly kind: 'scroll'; readonly rows: number };

/**
 * ctrl/⌘ + wheel zooms the window around the pointer (at `pointerFraction` of the bars, time `pointerNs`);
 * shift + wheel, or a sideways swipe, pans it; the plain wheel scrolls rows.
 */
export function wheelIntent(
  wheel: WheelInput,
  pointer: { readonly fraction: number; readonly ns: number },
  barsWidth: number,
  window: { readonly startNs: number; readonly endNs: number; readonly traceDurationNs: number },
): WheelIntent {
  const span = window.endNs - window.startNs;
  if (wheel.zoomKey) {
    const factor = Math.exp(wheel.deltaY * 0.002);
    return { kind: 'window', startNs: pointer.ns - pointer.fraction * span * factor, endNs: pointer.ns + (1 - pointer.fraction) * span * factor };
  }
  if (wheel.shiftKey || Math.abs(wheel.deltaX) > Math.abs(wheel.deltaY)) {
    const delta = ((wheel.shiftKey ? wheel.deltaY : wheel.deltaX) / barsWidth) * span;
    const start = Math.max(0, Math.min(window.traceDurationNs - span, window.startNs + delta));
    return { kind: 'window', startNs: start, endNs: start + span };
  }
  return { kind: 'scroll', rows: wheel.deltaMode === 1 ? wheel.deltaY : wheel.deltaY / ROW_HEIGHT };
}
