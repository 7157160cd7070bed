// For tests of the canvas painters: a 2D context that records what is drawn (rects, text, curves).

export function recordingContext() {
  const fills: { x: number; y: number; w: number; h: number; fill: string; alpha: number }[] = [];
  const strokes: { x: number; w: number; stroke: string }[] = [];
  const texts: { text: string; x: number; y: number }[] = [];
  /** Each bezier from where the path last moved to. */
  const curves: { x0: number; y0: number; c1x: number; c2x: number; x1: number; y1: number; lineWidth: number }[] = [];
  let lastMoveX = NaN;
  let lastMoveY = NaN;
  const ctx = {
    fillStyle: '',
    strokeStyle: '',
    globalAlpha: 1,
    lineWidth: 1,
    font: '',
    textBaseline: '',
    clearRect() {},
    beginPath() {},
    moveTo(x: number, y: number) {
      lastMoveX = x;
      lastMoveY = y;
    },
    lineTo() {},
    closePath() {},
    stroke() {},
    fill() {},
    save() {},
    restore() {},
    setLineDash() {},
    bezierCurveTo(c1x: number, _c1y: number, c2x: number, _c2y: number, x: number, y: number) {
      curves.push({ x0: lastMoveX, y0: lastMoveY, c1x, c2x, x1: x, y1: y, lineWidth: this.lineWidth });
    },
    fillRect(x: number, y: number, w: number, h: number) {
      fills.push({ x, y, w, h, fill: String(this.fillStyle), alpha: this.globalAlpha });
    },
    strokeRect(x: number, _y: number, w: number) {
      strokes.push({ x, w, stroke: String(this.strokeStyle) });
    },
    fillText(text: string, x: number, y: number) {
      texts.push({ text, x, y });
    },
    measureText: (s: string) => ({ width: s.length * 6 }),
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, fills, strokes, texts, curves };
}
