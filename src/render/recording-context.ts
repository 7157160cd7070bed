// For tests of the canvas painters: a 2D context that records what is drawn (rects, text, curves).

export function recordingContext() {
  const fills: { x: number; y: number; w: number; h: number; fill: string; alpha: number }[] = [];
  const strokes: { x: number; w: number; stroke: string }[] = [];
  const texts: { text: string; x: number; y: number }[] = [];
  /** Each bezier from where the path last moved to. */
  const curves: { y0: number; y1: number }[] = [];
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
    moveTo(_x: number, y: number) {
      lastMoveY = y;
    },
    lineTo() {},
    closePath() {},
    stroke() {},
    fill() {},
    save() {},
    restore() {},
    setLineDash() {},
    bezierCurveTo(_a: number, _b: number, _c: number, _d: number, _x: number, y: number) {
      curves.push({ y0: lastMoveY, y1: y });
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
