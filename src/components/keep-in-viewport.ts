// The one rule for menus, popovers and hover cards: they stay on screen. A menu drops from its button
// and moves left or up by what would spill over an edge; a hover card sits right-below the pointer and
// goes to its other side when there is no room.
import { useLayoutEffect, type RefObject } from 'react';

/** Space kept between a popover and the window's edge. */
const MARGIN_PX = 8;

export interface Rect {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

export interface Viewport {
  readonly width: number;
  readonly height: number;
}

/** How far to move a box so it lies inside the viewport; one larger than the viewport keeps its top-left corner in. */
export function shiftIntoViewport(box: Rect, viewport: Viewport): { readonly dx: number; readonly dy: number } {
  const axis = (start: number, size: number, room: number) => {
    const over = start + size - (room - MARGIN_PX);
    const moved = over > 0 ? start - over : start;
    return Math.max(MARGIN_PX, moved) - start;
  };
  return { dx: axis(box.left, box.width, viewport.width), dy: axis(box.top, box.height, viewport.height) };
}

/** Where a card beside the pointer goes: right-below it, else on the side that has room, always on screen. */
export function besidePointer(x: number, y: number, size: { readonly width: number; readonly height: number }, viewport: Viewport): { readonly left: number; readonly top: number } {
  const GAP_X = 14;
  const GAP_Y = 16;
  const left = x + GAP_X + size.width <= viewport.width - MARGIN_PX ? x + GAP_X : x - GAP_X - size.width;
  const top = y + GAP_Y + size.height <= viewport.height - MARGIN_PX ? y + GAP_Y : y - GAP_Y - size.height;
  const { dx, dy } = shiftIntoViewport({ left, top, ...size }, viewport);
  return { left: left + dx, top: top + dy };
}

function viewportNow(): Viewport {
  return { width: document.documentElement.clientWidth, height: window.innerHeight };
}

/**
 * Keeps the element on screen after each render. With `pointer`, the element is `position: fixed` and placed
 * beside it (give it no left/top of its own); without, it stays where its CSS puts it, shifted into view.
 */
export function useKeepInViewport(ref: RefObject<HTMLElement | null>, pointer?: { readonly x: number; readonly y: number }): void {
  const x = pointer?.x;
  const y = pointer?.y;
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (x !== undefined && y !== undefined) {
      const { left, top } = besidePointer(x, y, { width: el.offsetWidth, height: el.offsetHeight }, viewportNow());
      el.style.left = `${left}px`;
      el.style.top = `${top}px`;
      return;
    }
    el.style.translate = '';
    const { dx, dy } = shiftIntoViewport(el.getBoundingClientRect(), viewportNow());
    el.style.translate = dx || dy ? `${dx}px ${dy}px` : '';
  });
}
