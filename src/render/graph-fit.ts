// Where a graph drawn at (0,0)–(width,height) goes in a viewport so all of it shows: the scale and
// offset a graph view applies when it opens and when its "Fit" button is pressed.

export interface Size {
  readonly width: number;
  readonly height: number;
}

export interface FitTransform {
  readonly k: number;
  readonly x: number;
  readonly y: number;
}

/** Never magnified past its own size when it fits; never shrunk below what d3-zoom allows. */
export const FIT_MAX_SCALE = 1;
export const FIT_MIN_SCALE = 0.02;

/** The whole graph inside the viewport less `padding` on each side, centred. */
export function fitTransform(viewport: Size, content: Size, padding = 16): FitTransform {
  const room = { width: Math.max(1, viewport.width - 2 * padding), height: Math.max(1, viewport.height - 2 * padding) };
  const k = Math.min(FIT_MAX_SCALE, Math.max(FIT_MIN_SCALE, Math.min(room.width / Math.max(1, content.width), room.height / Math.max(1, content.height))));
  return { k, x: (viewport.width - content.width * k) / 2, y: (viewport.height - content.height * k) / 2 };
}
