import { describe, expect, it } from 'vitest';
import { besidePointer, shiftIntoViewport } from './keep-in-viewport.ts';

const screen = { width: 1280, height: 800 };

describe('keeping popovers on screen', () => {
  it('moves a menu that runs off the right edge back in by what spills over, keeping an 8 px margin', () => {
    // The Top self time menu (448 px) dropped from a button at x = 1100.
    expect(shiftIntoViewport({ left: 1100, top: 200, width: 448, height: 300 }, screen)).toEqual({ dx: -276, dy: 0 });
    expect(shiftIntoViewport({ left: 100, top: 200, width: 448, height: 300 }, screen)).toEqual({ dx: 0, dy: 0 });
  });

  it('keeps the top-left corner in when the box is larger than the window', () => {
    expect(shiftIntoViewport({ left: -40, top: 700, width: 2000, height: 900 }, screen)).toEqual({ dx: 48, dy: -692 });
  });

  it('puts a hover card right-below the pointer, or on the side that has room', () => {
    const card = { width: 360, height: 120 };
    expect(besidePointer(100, 100, card, screen)).toEqual({ left: 114, top: 116 });
    expect(besidePointer(1200, 760, card, screen)).toEqual({ left: 826, top: 624 });
  });
});
