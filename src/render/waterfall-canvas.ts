// Draws the bar column of the waterfall for the rows on screen: row backgrounds, grid, bars (solid where
// the span's own time is, pale where children cover it), critical path strips, event ticks and duration
// labels. Plain canvas code; React only decides when to call it.
import { formatDuration } from '../core/model/time.ts';
import { FLAG_ERROR, type TraceViewData } from '../core/view-format/trace-view-format.ts';
import { GAP_PX, type TimeScale } from './time-scale.ts';

export interface WaterfallTheme {
  readonly text: string;
  readonly muted: string;
  readonly grid: string;
  readonly selectedRow: string;
  readonly hoverRow: string;
  readonly matchRow: string;
  readonly currentMatchRow: string;
  readonly error: string;
  readonly critical: string;
  readonly eventTick: string;
  readonly barLabelBg: string;
  /** Opacity of the part of a bar its children cover. */
  readonly coveredAlpha: number;
  readonly gap: string;
  /** Link arrows between spans. */
  readonly link: string;
}

export const LIGHT_THEME: WaterfallTheme = {
  link: '#7c3aed',
  text: '#0f172a',
  muted: '#64748b',
  grid: 'rgba(100,116,139,0.16)',
  selectedRow: 'rgba(14,165,233,0.16)',
  hoverRow: 'rgba(100,116,139,0.08)',
  matchRow: 'rgba(250,204,21,0.22)',
  currentMatchRow: 'rgba(250,204,21,0.45)',
  error: '#D62728',
  critical: 'rgba(15,23,42,0.85)',
  eventTick: 'rgba(15,23,42,0.75)',
  barLabelBg: 'rgba(255,255,255,0.85)',
  coveredAlpha: 0.35,
  gap: 'rgba(148,163,184,0.18)',
};

export const DARK_THEME: WaterfallTheme = {
  link: '#c4b5fd',
  text: '#e2e8f0',
  muted: '#94a3b8',
  grid: 'rgba(148,163,184,0.14)',
  selectedRow: 'rgba(56,189,248,0.20)',
  hoverRow: 'rgba(148,163,184,0.10)',
  matchRow: 'rgba(250,204,21,0.16)',
  currentMatchRow: 'rgba(250,204,21,0.34)',
  error: '#F0565A',
  critical: 'rgba(241,245,249,0.9)',
  eventTick: 'rgba(241,245,249,0.8)',
  barLabelBg: 'rgba(15,23,42,0.8)',
  coveredAlpha: 0.5,
  gap: 'rgba(71,85,105,0.35)',
};

/** Critical path segments sorted by span: entry k is segment order[k] of span spans[k] (spans ascending). */
export interface CriticalIndex {
  readonly spans: Uint32Array;
  readonly order: Uint32Array;
}

// Sort keys: span * SEGMENT_SLOTS + segment, exact in a float64 for 2^27 spans of 2^26 segments.
const SEGMENT_SLOTS = 2 ** 26;

/** O(segments · log segments), not O(spans): it runs on the main thread as a trace opens. */
export function indexCriticalPath(view: TraceViewData): CriticalIndex {
  const segments = view.criticalSpan;
  const keys = new Float64Array(segments.length);
  for (let k = 0; k < segments.length; k++) keys[k] = segments[k] * SEGMENT_SLOTS + k;
  keys.sort();
  const spans = new Uint32Array(keys.length);
  const order = new Uint32Array(keys.length);
  for (let k = 0; k < keys.length; k++) {
    spans[k] = Math.floor(keys[k] / SEGMENT_SLOTS);
    order[k] = keys[k] - spans[k] * SEGMENT_SLOTS;
  }
  return { spans, order };
}

/** The first entry of `span` in the index, or where it would be. */
function firstEntry(index: CriticalIndex, span: number): number {
  let lo = 0;
  let hi = index.spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (index.spans[mid] < span) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface BarsFrame {
  readonly ctx: CanvasRenderingContext2D;
  readonly width: number;
  readonly height: number;
  readonly rows: Uint32Array;
  /** Row of each span, -1 when hidden (collapsed or filtered out). */
  readonly rowOfSpan: Int32Array;
  readonly scrollRow: number;
  readonly rowHeight: number;
  readonly view: TraceViewData;
  readonly scale: TimeScale;
  readonly serviceColors: readonly string[];
  readonly selected: number;
  readonly hovered: number;
  readonly matchMask: Uint8Array | undefined;
  readonly currentMatch: number;
  readonly critical: CriticalIndex | undefined;
  readonly ticksNs: readonly number[];
  readonly theme: WaterfallTheme;
}

const BAR_HEIGHT_RATIO = 0.58;
const LABEL_FONT = '11px ui-sans-serif, system-ui, sans-serif';

export function drawBars(f: BarsFrame): void {
  const { ctx, width, height, rowHeight, view, theme, scale } = f;
  ctx.clearRect(0, 0, width, height);
  const x = scale.x;

  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const t of f.ticksNs) {
    const gx = Math.round(x(t)) + 0.5;
    ctx.moveTo(gx, 0);
    ctx.lineTo(gx, height);
  }
  ctx.stroke();
  drawGaps(ctx, f);

  const first = Math.floor(f.scrollRow);
  const last = Math.min(f.rows.length, Math.ceil(f.scrollRow + height / rowHeight));
  const barH = Math.round(rowHeight * BAR_HEIGHT_RATIO);
  ctx.font = LABEL_FONT;
  ctx.textBaseline = 'middle';
  for (let r = first; r < last; r++) {
    const s = f.rows[r];
    const y = Math.round((r - f.scrollRow) * rowHeight);
    const rowBg =
      s === f.selected ? theme.selectedRow : s === f.currentMatch ? theme.currentMatchRow : f.matchMask?.[s] ? theme.matchRow : s === f.hovered ? theme.hoverRow : undefined;
    if (rowBg) {
      ctx.fillStyle = rowBg;
      ctx.fillRect(0, y, width, rowHeight);
    }
    const start = view.startNs[s];
    const end = start + view.durationNs[s];
    if (end < scale.startNs || start > scale.endNs) {
      drawOffscreenHint(ctx, f, s, y, start < scale.startNs ? 'left' : 'right');
      continue;
    }
    const x0 = Math.max(-1, x(start));
    const x1 = Math.min(width + 1, Math.max(x(end), x0 + 1));
    const by = y + Math.round((rowHeight - barH) / 2);
    const isError = (view.flags[s] & FLAG_ERROR) !== 0;
    const color = isError ? theme.error : f.serviceColors[view.service[s]];

    // Pale for the whole span, solid where no child covers it (its self time).
    ctx.globalAlpha = theme.coveredAlpha;
    ctx.fillStyle = color;
    ctx.fillRect(x0, by, x1 - x0, barH);
    ctx.globalAlpha = 1;
    drawSelfTime(ctx, view, s, x, x0, x1, by, barH);

    if (f.critical) drawCritical(ctx, f, f.critical, s, x, by + barH / 2 - 1.5);
    drawEventTicks(ctx, f, s, x, by, barH);

    // Duration label right of the bar, else left of it, else inside it (wide bars); none on slivers.
    const label = formatDuration(view.durationNs[s]);
    const tw = ctx.measureText(label).width;
    const ty = y + rowHeight / 2;
    ctx.fillStyle = theme.muted;
    if (x1 + 6 + tw < width) ctx.fillText(label, x1 + 5, ty);
    else if (x0 - 6 - tw > 0) ctx.fillText(label, x0 - 5 - tw, ty);
    else if (x1 - x0 > tw + 10) {
      const lx = Math.max(0, x0) + 5;
      ctx.fillStyle = theme.barLabelBg;
      ctx.fillRect(lx - 3, ty - 7, tw + 6, 14);
      ctx.fillStyle = theme.text;
      ctx.fillText(label, lx, ty);
    }
  }
  drawQueueWaits(ctx, f, first, last, barH);
  drawLinkArrows(ctx, f, first, last, barH);
}

/** A stitched flow's time in queues: a hatched band before the span that picked the work up. */
function drawQueueWaits(ctx: CanvasRenderingContext2D, f: BarsFrame, first: number, last: number, barH: number): void {
  const { view, rowOfSpan, rowHeight, scale, theme } = f;
  for (let k = 0; k < view.queueWaitSpan.length; k++) {
    const row = rowOfSpan[view.queueWaitSpan[k]];
    if (row < first || row >= last) continue;
    const x0 = scale.x(view.queueWaitStartNs[k]);
    const x1 = scale.x(view.queueWaitEndNs[k]);
    const y = Math.round((row - f.scrollRow) * rowHeight + (rowHeight - barH) / 2);
    ctx.save();
    ctx.fillStyle = theme.link;
    ctx.globalAlpha = 0.12;
    ctx.fillRect(x0, y, Math.max(1, x1 - x0), barH);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = theme.link;
    ctx.setLineDash([3, 3]);
    ctx.strokeRect(x0 + 0.5, y + 0.5, Math.max(1, x1 - x0 - 1), barH - 1);
    const label = `queue ${formatDuration(view.queueWaitEndNs[k] - view.queueWaitStartNs[k])}`;
    const tw = ctx.measureText(label).width;
    if (x1 - x0 > tw + 8) {
      ctx.fillStyle = theme.link;
      ctx.fillText(label, x0 + (x1 - x0 - tw) / 2, y + barH / 2);
    }
    ctx.restore();
  }
}

/** A hop shorter than this (px) would be drawn as a vertical line: it is bent sideways instead. */
const STRAIGHT_HOP_PX = 24;

/**
 * Links between spans on screen as thin arrows from the earlier span's end to the later span's start:
 * the hop of an async flow. Dashed when inferred (business key, stored context). A hop with no time
 * between its ends (a batch whose children start while it runs) bends out to the left, more the
 * farther it goes, so a fan-out reads as nested arcs rather than one thick bar over the rows.
 */
function drawLinkArrows(ctx: CanvasRenderingContext2D, f: BarsFrame, first: number, last: number, barH: number): void {
  const { view, rowOfSpan, rowHeight, scale } = f;
  if (view.linkFrom.length === 0) return;
  ctx.save();
  ctx.strokeStyle = f.theme.link;
  ctx.fillStyle = f.theme.link;
  ctx.lineWidth = 1;
  ctx.globalAlpha = 0.8;
  for (let k = 0; k < view.linkFrom.length; k++) {
    const ra = rowOfSpan[view.linkFrom[k]];
    const rb = rowOfSpan[view.linkTo[k]];
    // At least one end on screen: links passing by with both ends off screen would be a thicket of
    // lines that say nothing (1,800 per frame in the 1M-span peer trace, where they froze scrolling).
    if (ra < 0 || rb < 0 || ((ra < first || ra >= last) && (rb < first || rb >= last))) continue;
    // Direction of the work: the span that starts first hands over to the other.
    const [early, late, rowEarly, rowLate] =
      view.startNs[view.linkFrom[k]] <= view.startNs[view.linkTo[k]] ? [view.linkFrom[k], view.linkTo[k], ra, rb] : [view.linkTo[k], view.linkFrom[k], rb, ra];
    const x0 = scale.x(Math.min(view.startNs[early] + view.durationNs[early], view.startNs[late]));
    const x1 = scale.x(view.startNs[late]);
    // An end far off screen is brought to just past the edge: stroking (and dashing) a curve millions
    // of pixels long costs time in proportion to its length.
    const clampY = (y: number) => Math.min(f.height + rowHeight, Math.max(-rowHeight, y));
    const down = rowEarly < rowLate;
    const y0 = clampY((rowEarly - f.scrollRow) * rowHeight + rowHeight / 2 + (down ? barH / 2 : -barH / 2));
    const y1 = clampY((rowLate - f.scrollRow) * rowHeight + rowHeight / 2 + (down ? -barH / 2 : barH / 2));
    const hop = hopControls(x0, y0, x1, y1);
    ctx.setLineDash(view.linkInferred[k] ? [4, 3] : []);
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.bezierCurveTo(hop.c1x, hop.c1y, hop.c2x, hop.c2y, x1, y1);
    ctx.stroke();
    ctx.setLineDash([]);
    drawArrowHead(ctx, hop.c2x, hop.c2y, x1, y1);
  }
  ctx.restore();
}

/** Control points of a hop's curve: an S from end to start, or an arc bent left when the ends line up. */
export function hopControls(x0: number, y0: number, x1: number, y1: number): { c1x: number; c1y: number; c2x: number; c2y: number } {
  const midY = (y0 + y1) / 2;
  if (Math.abs(x1 - x0) >= STRAIGHT_HOP_PX) return { c1x: x0, c1y: midY, c2x: x1, c2y: midY };
  const bend = Math.min(160, 14 + Math.abs(y1 - y0) * 0.12);
  // Leftwards, into the time before the later span starts; rightwards only when the canvas edge is near.
  const side = Math.min(x0, x1) - bend > 4 ? -1 : 1;
  return { c1x: x0 + side * bend, c1y: y0 + (y1 - y0) * 0.15, c2x: x1 + side * bend, c2y: y1 - (y1 - y0) * 0.15 };
}

/** A small filled arrow head at (x, y), pointing away from (fromX, fromY). */
function drawArrowHead(ctx: CanvasRenderingContext2D, fromX: number, fromY: number, x: number, y: number): void {
  const angle = Math.atan2(y - fromY, x - fromX);
  const length = 6;
  const spread = 0.45;
  ctx.beginPath();
  ctx.moveTo(x, y);
  ctx.lineTo(x - length * Math.cos(angle - spread), y - length * Math.sin(angle - spread));
  ctx.lineTo(x - length * Math.cos(angle + spread), y - length * Math.sin(angle + spread));
  ctx.closePath();
  ctx.fill();
}

// Solid segments where the span runs without any child (children merged to the pixel).
function drawSelfTime(ctx: CanvasRenderingContext2D, view: TraceViewData, s: number, x: (ns: number) => number, x0: number, x1: number, by: number, barH: number): void {
  let cursor = x0;
  const end = view.subtreeEnd[s];
  for (let c = s + 1; c < end; c = view.subtreeEnd[c]) {
    const cx0 = Math.max(x0, x(view.startNs[c]));
    // Children are in start order: once one starts after the bar ends (async work), all the rest do.
    if (cx0 >= x1) break;
    const cx1 = Math.min(x1, x(view.startNs[c] + view.durationNs[c]));
    if (cx1 <= cursor) continue;
    if (cx0 > cursor) ctx.fillRect(cursor, by, cx0 - cursor, barH);
    cursor = Math.max(cursor, cx1);
    if (cursor >= x1) break;
  }
  if (cursor < x1) ctx.fillRect(cursor, by, Math.max(1, x1 - cursor), barH);
}

function drawCritical(ctx: CanvasRenderingContext2D, f: BarsFrame, index: CriticalIndex, s: number, x: (ns: number) => number, y: number): void {
  const first = firstEntry(index, s);
  if (index.spans[first] !== s) return;
  ctx.fillStyle = f.theme.critical;
  for (let k = first; k < index.spans.length && index.spans[k] === s; k++) {
    const seg = index.order[k];
    const a = x(f.view.criticalStartNs[seg]);
    const b = x(f.view.criticalEndNs[seg]);
    ctx.fillRect(a, y, Math.max(1, b - a), 3);
  }
}

function drawEventTicks(ctx: CanvasRenderingContext2D, f: BarsFrame, s: number, x: (ns: number) => number, by: number, barH: number): void {
  const { eventOffset, eventTimeNs, eventIsException } = f.view;
  for (let e = eventOffset[s]; e < eventOffset[s + 1]; e++) {
    const t = eventTimeNs[e];
    if (Number.isNaN(t)) continue;
    const ex = Math.round(x(t)) + 0.5;
    if (ex < 0 || ex > f.width) continue;
    ctx.fillStyle = eventIsException[e] ? f.theme.error : f.theme.eventTick;
    ctx.fillRect(ex - 1, by - 2, 2, barH + 4);
  }
}

// Squeezed idle gaps: a hatched band with how long nothing ran.
function drawGaps(ctx: CanvasRenderingContext2D, f: BarsFrame): void {
  for (const g of f.scale.gaps) {
    ctx.fillStyle = f.theme.gap;
    ctx.fillRect(g.x0, 0, g.x1 - g.x0, f.height);
    ctx.strokeStyle = f.theme.grid;
    ctx.beginPath();
    for (let y = -GAP_PX; y < f.height; y += 8) {
      ctx.moveTo(g.x0, y + GAP_PX);
      ctx.lineTo(g.x1, y);
    }
    ctx.stroke();
  }
}

function drawOffscreenHint(ctx: CanvasRenderingContext2D, f: BarsFrame, s: number, y: number, side: 'left' | 'right'): void {
  ctx.fillStyle = f.theme.muted;
  const label = `${side === 'left' ? '◂ ' : ''}${formatDuration(f.view.durationNs[s])}${side === 'right' ? ' ▸' : ''}`;
  const tw = ctx.measureText(label).width;
  ctx.fillText(label, side === 'left' ? 4 : f.width - tw - 4, y + f.rowHeight / 2);
}
