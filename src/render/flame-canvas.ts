// Draws a flamegraph — the icicle of a trace or the merged service + operation tree — from the rectangles
// core computed for the window (flame-tree.ts: sub-pixel runs already merged): service colours, a label
// cropped to the rectangle, errors outlined, search matches kept bright while the rest fades. Plain
// canvas code plus the geometry the view needs for hit testing; React only decides when to call it.
import type { FlameRects } from '../core/analysis/flame-tree.ts';

/** Bits of FlameWindow.bits as the flamegraph sets them. */
export const FLAME_ERROR_BIT = 1;
export const FLAME_MATCH_BIT = 2;

/** Where the window of items lands on the canvas, in CSS pixels. */
export interface FlameViewport {
  readonly startNs: number;
  readonly endNs: number;
  readonly width: number;
  readonly rowHeight: number;
  /** The depth drawn in the first row (the node zoomed into). */
  readonly topDepth: number;
  readonly scrollTop: number;
  /** Device pixels per CSS pixel: edges snap to device pixels so neighbours neither blur nor overlap. */
  readonly dpr: number;
}

export interface FlameBox {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** A rectangle narrower than this is drawn this wide, so a lone sliver stays visible and hoverable. */
const MIN_RECT_PX = 1;
/** The gap left between neighbours (and between rows), once a rectangle is wide enough to spare it. */
const GAP_PX = 1;
const GAP_FROM_PX = 3;
/** Pointer slack around slivers. */
const HIT_SLOP_PX = 2;

export function rectBox(v: FlameViewport, startNs: number, endNs: number, depth: number): FlameBox {
  const pxPerNs = v.width / Math.max(Number.MIN_VALUE, v.endNs - v.startNs);
  const snap = (x: number) => Math.round(x * v.dpr) / v.dpr;
  // Clipped just outside the canvas: far-off edges stay finite and the clipped side shows no gap.
  const x0 = snap(Math.max(-GAP_PX, (startNs - v.startNs) * pxPerNs));
  const x1 = snap(Math.min(v.width + GAP_PX, (endNs - v.startNs) * pxPerNs));
  const span = x1 - x0;
  const w = span >= GAP_FROM_PX ? span - GAP_PX : Math.max(MIN_RECT_PX, span);
  return { x: x0, y: (depth - v.topDepth) * v.rowHeight - v.scrollTop, w, h: v.rowHeight - GAP_PX };
}

/**
 * The rectangle under (x, y) in CSS pixels, or -1. Rectangles are scanned in drawing order and the last
 * one containing the point wins (it is drawn on top); else the nearest sliver within a couple of pixels.
 */
export function hitTestFlame(rects: FlameRects, v: FlameViewport, x: number, y: number): number {
  const depth = v.topDepth + Math.floor((y + v.scrollTop) / v.rowHeight);
  let hit = -1;
  let nearest = -1;
  let nearestPx = HIT_SLOP_PX;
  for (let k = 0; k < rects.count; k++) {
    if (rects.depth[k] !== depth) continue;
    const box = rectBox(v, rects.startNs[k], rects.endNs[k], depth);
    // The gap right of a rectangle belongs to it: no dead pixel between neighbours.
    const right = box.x + Math.max(box.w + GAP_PX, MIN_RECT_PX);
    if (x >= box.x && x < right) hit = k;
    else {
      const px = x < box.x ? box.x - x : x - right;
      if (px < nearestPx) {
        nearest = k;
        nearestPx = px;
      }
    }
  }
  return hit >= 0 ? hit : nearest;
}

/** Labels narrower than this many characters (plus the ellipsis) are not worth drawing. */
const MIN_LABEL_CHARS = 3;

/** The longest prefix of `text` (with '…' when cut) that fits `maxWidth`; '' when not even a few characters fit. */
export function cropLabel(text: string, maxWidth: number, measure: (s: string) => number): string {
  if (maxWidth <= 0 || text === '') return '';
  // No character is narrower than a pixel: of a longer text (a name can be a megabyte) only this
  // prefix can fit, and measuring all of it would take seconds.
  const fits = Math.ceil(maxWidth);
  if (text.length <= fits && measure(text) <= maxWidth) return text;
  // Binary search on the prefix length: measureText is the cost here, not the loop.
  let lo = 0;
  let hi = Math.min(text.length, fits) - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (measure(`${text.slice(0, mid)}…`) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return lo >= MIN_LABEL_CHARS ? `${text.slice(0, lo).trimEnd()}…` : '';
}

export interface FlamePaint {
  readonly fill: string;
  /** The label colour with the better contrast on `fill`. */
  readonly text: string;
}

const DARK_TEXT = '#0f172a';
const LIGHT_TEXT = '#ffffff';

/** WCAG relative luminance of '#rrggbb'. */
function luminance(hex: string): number {
  const channel = (k: number) => {
    const c = parseInt(hex.slice(1 + 2 * k, 3 + 2 * k), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** A service colour with the label colour (dark or white) that contrasts more with it. */
export function flamePaint(fill: string): FlamePaint {
  const l = luminance(fill);
  const onDark = (1 + 0.05) / (l + 0.05);
  const onLight = (l + 0.05) / (luminance(DARK_TEXT) + 0.05);
  return { fill, text: onLight >= onDark ? DARK_TEXT : LIGHT_TEXT };
}

export interface FlameTheme {
  readonly grid: string;
  /** Runs of spans too narrow to draw one by one. */
  readonly run: FlamePaint;
  readonly error: string;
  readonly selected: string;
  /** Opacity of what does not match the search. */
  readonly dimAlpha: number;
}

export const FLAME_LIGHT_THEME: FlameTheme = {
  grid: 'rgba(100,116,139,0.14)',
  run: { fill: '#cbd5e1', text: DARK_TEXT },
  error: '#D62728',
  selected: '#0284c7',
  dimAlpha: 0.22,
};

export const FLAME_DARK_THEME: FlameTheme = {
  grid: 'rgba(148,163,184,0.12)',
  run: { fill: '#475569', text: '#e2e8f0' },
  error: '#F0565A',
  selected: '#38bdf8',
  dimAlpha: 0.28,
};

export interface FlameFrame {
  readonly ctx: CanvasRenderingContext2D;
  readonly viewport: FlameViewport;
  readonly height: number;
  readonly rects: FlameRects;
  paintOf(item: number): FlamePaint;
  /** The label (an operation, a span's summary) and what follows it when there is room (its service). */
  labelOf(item: number): string;
  detailOf(item: number): string;
  /** A search is on: rectangles without FLAME_MATCH_BIT fade. */
  readonly searching: boolean;
  /** Rectangle index under the pointer, or -1. */
  readonly hovered: number;
  /** Item outlined as the selection, or -1. */
  readonly selected: number;
  readonly ticksNs: readonly number[];
  readonly theme: FlameTheme;
}

export const FLAME_FONT = '11.5px ui-sans-serif, system-ui, sans-serif';
const LABEL_PAD_PX = 5;
const ERROR_STRIP_PX = 4;
/** Rectangles narrower than this get no label at all (no measuring either). */
const LABEL_FROM_PX = 2 * LABEL_PAD_PX + 18;

export function drawFlame(f: FlameFrame): void {
  const { ctx, viewport: v, height, rects, theme } = f;
  ctx.clearRect(0, 0, v.width, height);
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const t of f.ticksNs) {
    const x = Math.round(((t - v.startNs) / (v.endNs - v.startNs)) * v.width) + 0.5;
    ctx.moveTo(x, 0);
    ctx.lineTo(x, height);
  }
  ctx.stroke();

  const firstDepth = v.topDepth + Math.floor(v.scrollTop / v.rowHeight);
  const lastDepth = v.topDepth + Math.ceil((v.scrollTop + height) / v.rowHeight);
  const measure = (s: string) => ctx.measureText(s).width;
  ctx.font = FLAME_FONT;
  ctx.textBaseline = 'middle';
  let selectedBox: FlameBox | undefined;
  const labelled: number[] = [];
  const boxes: FlameBox[] = [];
  for (let k = 0; k < rects.count; k++) {
    const depth = rects.depth[k];
    if (depth < firstDepth || depth > lastDepth) continue;
    const box = rectBox(v, rects.startNs[k], rects.endNs[k], depth);
    const item = rects.spanIndex[k];
    const isRun = rects.spanCount[k] > 1;
    const paint = isRun ? theme.run : f.paintOf(item);
    ctx.globalAlpha = f.searching && !(rects.bits[k] & FLAME_MATCH_BIT) ? theme.dimAlpha : 1;
    ctx.fillStyle = paint.fill;
    ctx.fillRect(box.x, box.y, box.w, box.h);
    if (rects.bits[k] & FLAME_ERROR_BIT) drawErrorMark(ctx, box, theme.error);
    if (!isRun && box.w >= LABEL_FROM_PX) {
      labelled.push(k);
      boxes[k] = box;
    }
    if (!isRun && item === f.selected) selectedBox = box;
  }
  drawLabels(f, labelled, boxes, measure);
  ctx.globalAlpha = 1;
  if (selectedBox) outline(ctx, selectedBox, f.theme.selected, 2);
  const h = f.hovered;
  if (h >= 0 && h < rects.count) {
    // In the label colour: it contrasts with the fill, whatever the service.
    const paint = rects.spanCount[h] > 1 ? theme.run : f.paintOf(rects.spanIndex[h]);
    outline(ctx, rectBox(v, rects.startNs[h], rects.endNs[h], rects.depth[h]), paint.text, 1.5);
  }
}

/** Red inner border and a solid red strip at the left: the strip says "error" without relying on hue. */
function drawErrorMark(ctx: CanvasRenderingContext2D, box: FlameBox, color: string): void {
  ctx.fillStyle = color;
  if (box.w < 4) {
    ctx.fillRect(box.x, box.y, box.w, box.h);
    return;
  }
  ctx.fillRect(box.x, box.y, Math.min(ERROR_STRIP_PX, box.w), box.h);
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5;
  ctx.strokeRect(box.x + 0.75, box.y + 0.75, box.w - 1.5, box.h - 1.5);
}

/**
 * Labels after every rectangle is filled, row by row from the left. Parallel siblings overlap in a
 * trace's icicle, so a label keeps to the part of its rectangle no sibling drawn later covers, ends
 * where the next label of its row begins and starts after the previous one ends: labels never overlap.
 */
function drawLabels(f: FlameFrame, labelled: number[], boxes: readonly FlameBox[], measure: (s: string) => number): void {
  const { ctx, rects, theme } = f;
  labelled.sort((a, b) => rects.depth[a] - rects.depth[b] || boxes[a].x - boxes[b].x || a - b);
  let rowStart = 0;
  let rowEnd = -Infinity;
  for (let n = 0; n < labelled.length; n++) {
    const k = labelled[n];
    const box = boxes[k];
    if (n === 0 || rects.depth[k] !== rects.depth[labelled[n - 1]]) {
      rowStart = n;
      rowEnd = -Infinity;
    }
    // Text starts at the visible left edge, so a rectangle that begins off-canvas still shows its name.
    let left = Math.max(box.x + (rects.bits[k] & FLAME_ERROR_BIT ? ERROR_STRIP_PX : 0), 0);
    let right = Math.min(box.x + box.w, f.viewport.width);
    // Rectangles of the row that start earlier and were drawn over this one hide its start.
    for (let m = rowStart; m < n; m++) if (labelled[m] > k) left = Math.max(left, boxes[labelled[m]].x + boxes[labelled[m]].w);
    // The next rectangle of the row ends the room (its label, or its fill over this one).
    const next = n + 1 < labelled.length && rects.depth[labelled[n + 1]] === rects.depth[k] ? labelled[n + 1] : -1;
    if (next >= 0) right = Math.min(right, boxes[next].x);
    left = Math.max(left, rowEnd) + LABEL_PAD_PX;
    right -= LABEL_PAD_PX;
    ctx.globalAlpha = f.searching && !(rects.bits[k] & FLAME_MATCH_BIT) ? theme.dimAlpha : 1;
    const end = drawLabel(ctx, f, rects.spanIndex[k], left, right, box.y + box.h / 2 + 0.5, f.paintOf(rects.spanIndex[k]).text, measure);
    if (end !== undefined) rowEnd = end;
  }
}

/** Draws the label (and its detail when it fits) in [left, right); returns where the text ends. */
function drawLabel(ctx: CanvasRenderingContext2D, f: FlameFrame, item: number, left: number, right: number, y: number, color: string, measure: (s: string) => number): number | undefined {
  const room = right - left;
  const label = cropLabel(f.labelOf(item), room, measure);
  if (label === '') return undefined;
  ctx.fillStyle = color;
  ctx.fillText(label, left, y);
  const used = measure(label);
  if (!label.endsWith('…')) {
    const detail = f.detailOf(item);
    const detailWidth = detail === '' ? 0 : measure(detail);
    if (detail !== '' && detailWidth <= room - used - 8) {
      const alpha = ctx.globalAlpha;
      ctx.globalAlpha = alpha * 0.72;
      ctx.fillText(detail, left + used + 8, y);
      ctx.globalAlpha = alpha;
      return left + used + 8 + detailWidth;
    }
  }
  return left + used;
}

function outline(ctx: CanvasRenderingContext2D, box: FlameBox, color: string, width: number): void {
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.strokeRect(box.x + width / 2, box.y + width / 2, Math.max(1, box.w - width), Math.max(1, box.h - width));
}
