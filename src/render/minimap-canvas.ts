// Draws the overview above the waterfall: span density by time (x) and depth (y) (computed in the
// worker, see core/analysis/span-density.ts), error spans marked on top.
import type { DensityGrid } from '../core/analysis/span-density.ts';

export function drawDensity(ctx: CanvasRenderingContext2D, grid: DensityGrid, width: number, height: number, dark: boolean, errorColor: string): void {
  ctx.clearRect(0, 0, width, height);
  const top = 6;
  // One pixel per cell, then scaled: a few thousand cells cost one drawImage.
  const image = new ImageData(grid.columns, grid.levels);
  const [r, g, b] = dark ? [56, 189, 248] : [2, 132, 199];
  const logMax = Math.log1p(grid.max);
  for (let k = 0; k < grid.counts.length; k++) {
    const v = grid.counts[k];
    if (v <= 0) continue;
    image.data[k * 4] = r;
    image.data[k * 4 + 1] = g;
    image.data[k * 4 + 2] = b;
    image.data[k * 4 + 3] = Math.round(255 * (0.18 + 0.82 * (Math.log1p(v) / logMax)));
  }
  const cells = new OffscreenCanvas(grid.columns, grid.levels);
  const cellsCtx = cells.getContext('2d');
  // Without a 2D context for an offscreen canvas only the density is left out; the error marks still show.
  if (cellsCtx) {
    cellsCtx.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(cells, 0, top, width, height - top);
  }
  const cellW = width / grid.columns;
  ctx.fillStyle = errorColor;
  for (let c = 0; c < grid.columns; c++) if (grid.errorColumns[c]) ctx.fillRect(c * cellW, 0, Math.max(2, cellW), 4);
}
