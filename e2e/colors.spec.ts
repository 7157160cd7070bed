// One colour per service in every view, trace and page (issue 15, item 6), and graphs that fit the
// view when they open (item 3). Colours are read as the browser paints them: computed CSS of swatches
// and SVG shapes, and pixels of the waterfall's canvas. The demo traces are in the embedded store.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { generateTrace } from '../bench/generate-trace.ts';
import { boxOf } from './helpers.ts';

/** `#rrggbb` as the browser writes a computed colour. */
function rgbOf(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

const computed = (locator: Locator, property: 'backgroundColor' | 'fill' | 'stroke') =>
  locator.evaluate((el, p) => getComputedStyle(el)[p], property);

/** The swatch of `service` in the first row that has one, and the colour it says it has. */
async function swatchColor(scope: Locator, service: string): Promise<string> {
  const swatch = scope.locator(`[data-service="${service}"][data-service-color]`).first();
  await expect(swatch).toBeVisible();
  const painted = await computed(swatch, 'backgroundColor');
  expect(painted).toBe(rgbOf(String(await swatch.getAttribute('data-service-color'))));
  return painted;
}

/** The waterfall canvas's pixel inside the bar of the row named `label`, near its top edge (the critical path runs through the middle). */
async function barPixel(page: Page, label: string, at: number): Promise<string> {
  const row = page.getByTestId('waterfall-row').filter({ hasText: label }).first();
  const rowBox = await boxOf(row);
  const canvas = page.getByTestId('waterfall-canvas');
  const canvasBox = await boxOf(canvas);
  const point = { x: canvasBox.width * at, y: rowBox.y + rowBox.height / 2 - 4 - canvasBox.y };
  return canvas.evaluate((c: HTMLCanvasElement, p) => {
    const ctx = c.getContext('2d');
    if (!ctx) throw new Error('no 2d context');
    const scale = c.width / c.getBoundingClientRect().width;
    const [r, g, b] = ctx.getImageData(Math.round(p.x * scale), Math.round(p.y * scale), 1, 1).data;
    return `rgb(${r}, ${g}, ${b})`;
  }, point);
}

async function openFromSearch(page: Page, rootService: string, label: string) {
  await page.goto(`/?page=search&backend=local&service=${rootService}&limit=100`);
  await expect(page.getByTestId('search-results')).toBeVisible();
  await page.getByTestId('trace-row').filter({ hasText: rootService }).filter({ hasText: label }).first().click();
  await expect(page.getByTestId('waterfall-row').first()).toBeVisible();
}

test('a service has one colour in search results, scatter, waterfall, graphs, flamegraph, a second trace, links graph and stitched view', async ({ page }) => {
  const inventory: string[] = [];
  const gateway: string[] = [];
  const batch: string[] = [];

  // The search page: the result list and the scatter plot (a search per service: the list draws only the rows in view).
  await page.goto('/?page=search&backend=local&service=order-batch&limit=100');
  const results = page.getByTestId('search-results');
  await expect(results.getByTestId('trace-row').first()).toBeVisible();
  batch.push(await swatchColor(results, 'order-batch'));
  await page.goto('/?page=search&backend=local&service=api-gateway&limit=100');
  await expect(results.getByTestId('trace-row').first()).toBeVisible();
  gateway.push(await swatchColor(results, 'api-gateway'));
  const okDot = page.locator('[data-testid=trace-scatter-dot][data-service="api-gateway"][data-error=false]').first();
  gateway.push(await computed(okDot, 'fill'));
  // A failing trace's dot is red, and drawn after every normal one (on top).
  const dots = page.getByTestId('trace-scatter-dot');
  const errorFlags = await dots.evaluateAll((els) => els.map((e) => e.getAttribute('data-error')));
  expect(errorFlags).toContain('true');
  expect(errorFlags.indexOf('true')).toBeGreaterThan(errorFlags.lastIndexOf('false'));

  // Trace 1 (api-gateway POST /api/orders): waterfall swatches and canvas bars.
  await openFromSearch(page, 'api-gateway', 'POST /api/orders');
  const rows = page.getByTestId('waterfall');
  gateway.push(await swatchColor(rows, 'api-gateway'));
  inventory.push(await swatchColor(rows, 'inventory-service'));
  // inventory.reserve is a leaf running most of the trace: solid in its service's colour at 40 % and 70 %.
  inventory.push(await barPixel(page, 'inventory.reserve', 0.4), await barPixel(page, 'inventory.reserve', 0.7));

  await page.getByTestId('tab-services').click();
  const serviceNode = (name: string) => page.locator(`[data-testid=service-graph-node][data-name="${name}"] rect`).first();
  await expect(serviceNode('inventory-service')).toBeVisible();
  inventory.push(await computed(serviceNode('inventory-service'), 'stroke'));
  gateway.push(await computed(serviceNode('api-gateway'), 'stroke'));

  await page.getByTestId('tab-operations').click();
  const strip = page.locator('[data-testid=operation-graph-node][data-service="inventory-service"] rect').nth(2);
  await expect(strip).toBeVisible();
  inventory.push(await computed(strip, 'fill'));

  await page.getByTestId('tab-flame').click();
  inventory.push(await swatchColor(page.getByTestId('flame-view'), 'inventory-service'));

  // Trace 2 (order-batch process-order), another trace with inventory-service, opened from the search page.
  await openFromSearch(page, 'order-batch', 'process-order');
  inventory.push(await swatchColor(page.getByTestId('waterfall'), 'inventory-service'));
  batch.push(await swatchColor(page.getByTestId('waterfall'), 'order-batch'));

  // Its links graph: each card's strip in its root service's colour.
  await page.getByTestId('tab-links').click();
  const card = page.locator('[data-testid=linked-trace-node] rect[data-service="order-batch"]').first();
  await expect(card).toBeVisible();
  batch.push(await computed(card, 'fill'));

  // The stitched view of all of them.
  await page.getByRole('button', { name: /Select all/ }).click();
  await page.getByTestId('links-stitch').click();
  await expect(page.getByTestId('async-path')).toBeVisible();
  inventory.push(await swatchColor(page.getByTestId('waterfall'), 'inventory-service'));
  batch.push(await swatchColor(page.getByTestId('waterfall'), 'order-batch'));

  for (const colors of [inventory, gateway, batch]) expect(new Set(colors).size, colors.join(' · ')).toBe(1);
  // Three services, three colours.
  expect(new Set([inventory[0], gateway[0], batch[0]]).size).toBe(3);
});

/** Every node inside the graph's box and the graph's box inside the 1280×800 window. */
async function expectFitted(page: Page, graph: Locator, nodes: Locator) {
  const box = await boxOf(graph);
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(1280);
  expect(box.y + box.height).toBeLessThanOrEqual(800);
  const count = await nodes.count();
  expect(count).toBeGreaterThan(0);
  for (let k = 0; k < count; k++) {
    const n = await boxOf(nodes.nth(k));
    expect(n.x, `node ${k} left`).toBeGreaterThanOrEqual(box.x);
    expect(n.y, `node ${k} top`).toBeGreaterThanOrEqual(box.y);
    expect(n.x + n.width, `node ${k} right`).toBeLessThanOrEqual(box.x + box.width + 0.5);
    expect(n.y + n.height, `node ${k} bottom`).toBeLessThanOrEqual(box.y + box.height + 0.5);
  }
}

test('at 1280×800 the Operations and Links graphs fit the view when they open, and Fit brings them back', async ({ page }) => {
  await openFromSearch(page, 'order-batch', 'process-order');
  await page.getByTestId('tab-operations').click();
  const graph = page.getByTestId('operation-graph');
  const nodes = page.getByTestId('operation-graph-node');
  await expect(nodes.filter({ hasText: 'inventory.reserve' })).toHaveCount(1);
  await expectFitted(page, graph, nodes);
  // Zoomed in with the wheel, the graph runs out of the box; Fit shows all of it again.
  const box = await boxOf(graph);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 5; i++) await page.mouse.wheel(0, -300);
  await expect.poll(async () => Number(await graph.getAttribute('data-scale'))).toBeGreaterThan(1.5);
  await page.getByTestId('operation-graph-fit').click();
  await expect.poll(async () => Number(await graph.getAttribute('data-scale'))).toBeLessThanOrEqual(1);
  await expectFitted(page, graph, nodes);

  await page.getByTestId('tab-links').click();
  const cards = page.getByTestId('linked-trace-node');
  await expect(cards).toHaveCount(9);
  await expectFitted(page, page.getByTestId('linked-traces-graph'), cards);
  // A card's checkbox still ticks inside the zoomable graph.
  await cards.nth(1).getByTestId('linked-trace-select').check();
  await expect(page.getByTestId('links-stitch')).toHaveText('Stitch 2 traces');
});

test('a big generated trace: the Operations graph folds services into nodes, keeps the busiest edges, fits, and opens a service on click', async ({ page }) => {
  const file = join(mkdtempSync(join(tmpdir(), 'spanscope-e2e-')), 'ops-20k.json');
  generateTrace(file, { spans: 20_000, format: 'otlp', seed: 5 });
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(file);
  await expect(page.getByTestId('waterfall')).toBeVisible();
  await page.getByTestId('tab-operations').click();
  const nodes = page.getByTestId('operation-graph-node');
  await expect(page.getByTestId('operation-graph-collapsed')).toContainText(/\d+ services folded into one node each/);
  await expect.poll(() => nodes.count()).toBeGreaterThan(5);
  const folded = await page.locator('[data-testid=operation-graph-node][data-folded]').count();
  expect(folded).toBeGreaterThan(5);
  expect(await nodes.count()).toBeLessThanOrEqual(40);
  const cut = page.getByTestId('operation-graph-edge-cut');
  await expect(cut).toContainText(/^\d+ of [\d,]+ edges: the busiest/);
  const [shown, of] = ((await cut.innerText()).match(/^(\d+) of ([\d,]+)/) ?? []).slice(1).map((n) => Number(n.replace(/,/g, '')));
  expect(shown).toBeGreaterThanOrEqual(60);
  expect(shown).toBeLessThan(of);
  expect(await page.getByTestId('operation-graph-edge').count()).toBe(shown);
  await expectFitted(page, page.getByTestId('operation-graph'), nodes);

  // A folded service opens into its operations.
  const before = await nodes.count();
  const service = String(await page.locator('[data-testid=operation-graph-node][data-folded]').first().getAttribute('data-service'));
  await page.locator(`[data-testid=operation-graph-node][data-folded][data-service="${service}"]`).click();
  await expect.poll(() => page.locator(`[data-testid=operation-graph-node][data-service="${service}"]`).count()).toBeGreaterThan(1);
  expect(await nodes.count()).toBeGreaterThan(before);
  await expect(page.locator(`[data-testid=operation-graph-node][data-folded][data-service="${service}"]`)).toHaveCount(0);
});
