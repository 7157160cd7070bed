// The trace gets the screen (issue #15, layout): the details pane is resizable and remembered, or inline
// under the row; deep rows still show their service and name; the first row starts high on the page in
// every view; menus stay on screen; a span's links are listed once.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { boxOf, dropFile, dropFixture } from './helpers.ts';

const SMARTTHINGS = 'real/zipkin/zipkin__smartthings-oauth-authorization.json'; // the deepest real trace here: 33 levels
const row = (page: Page, span: number) => page.locator(`[data-testid=waterfall-row][data-span="${span}"]`);

async function openOrderBatch(page: Page, trace: 'import' | 'process-order') {
  await page.goto(`/?url=${encodeURIComponent('/demo/demo-batch-links.jsonl')}`);
  await page.getByTestId('trace-row').filter({ hasText: `order-batch ${trace}` }).first().click();
  await expect(row(page, 0)).toBeVisible();
}

/** Selects a span with its details open as the URL does on Back/Forward (a dropped file cannot be reloaded). */
async function selectFromUrl(page: Page, span: number): Promise<void> {
  await page.evaluate((s) => {
    const url = new URL(location.href);
    url.searchParams.set('s', String(s));
    url.searchParams.set('details', '1');
    history.pushState(null, '', url);
    dispatchEvent(new PopStateEvent('popstate'));
  }, span);
}

/** The part of an element inside its clipping column: what the user can read of it. */
async function visibleWidth(part: Locator, column: Locator): Promise<number> {
  const [p, c] = [await boxOf(part), await boxOf(column)];
  return Math.max(0, Math.min(p.x + p.width, c.x + c.width) - Math.max(p.x, c.x));
}

/** How many characters of a row's span name are on screen (the name is cut with … past its visible width). */
async function readableNameChars(page: Page, span: number): Promise<{ service: string; serviceWhole: boolean; chars: number }> {
  const r = row(page, span);
  const column = page.getByTestId('waterfall-body').locator('> div').first();
  const service = r.locator('span.font-medium').first();
  const label = service.locator('xpath=following-sibling::span[1]');
  const [serviceBox, labelWidth, full] = [await boxOf(service), await visibleWidth(label, column), await label.evaluate((e) => ({ text: e.textContent ?? '', width: e.scrollWidth }))];
  const c = await boxOf(column);
  return { service: (await service.textContent()) ?? '', serviceWhole: serviceBox.x + serviceBox.width <= c.x + c.width, chars: Math.floor((full.text.length * labelWidth) / full.width) };
}

test('the side pane is resized with the mouse and the keyboard, and keeps its width after a reload', async ({ page }) => {
  await openOrderBatch(page, 'process-order');
  await row(page, 5).click();
  const pane = page.getByTestId('details-pane');
  await expect(pane).toHaveAttribute('data-placement', 'side');
  const before = (await boxOf(pane)).width;
  const handle = await boxOf(page.getByTestId('details-resize'));
  await page.mouse.move(handle.x + handle.width / 2, handle.y + 200);
  await page.mouse.down();
  await page.mouse.move(handle.x + handle.width / 2 - 150, handle.y + 200, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => Math.round((await boxOf(pane)).width)).toBe(Math.round(before + 150));
  // The span column keeps its minimum beside the wider pane.
  expect((await boxOf(page.getByTestId('waterfall-body').locator('> div').first())).width).toBeGreaterThanOrEqual(320);

  await page.getByTestId('details-resize').focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => Math.round((await boxOf(pane)).width)).toBe(Math.round(before + 150 - 16));

  await page.reload();
  await expect(pane).toBeVisible();
  expect(Math.round((await boxOf(pane)).width)).toBe(Math.round(before + 150 - 16));
});

test('inline placement shows the details under the selected row, the rows after it below them, and is remembered', async ({ page }) => {
  await openOrderBatch(page, 'process-order');
  await row(page, 3).click();
  await page.getByTestId('details-placement-inline').click();
  const inline = page.getByTestId('inline-details');
  await expect(inline.getByTestId('span-details-name')).toHaveText('order.place');
  await expect(page.getByTestId('details-pane')).toHaveCount(0);
  const [selected, details, next] = [await boxOf(row(page, 3)), await boxOf(inline), await boxOf(row(page, 4))];
  expect(Math.round(details.y)).toBe(Math.round(selected.y + selected.height));
  expect(Math.round(next.y)).toBe(Math.round(details.y + details.height));
  // Its own scroll area: the wheel scrolls the details, not the rows.
  await page.mouse.move(details.x + 200, details.y + 100);
  await page.mouse.wheel(0, 400);
  await expect.poll(() => inline.getByTestId('span-details').evaluate((e) => e.scrollTop)).toBeGreaterThan(0);
  expect(Math.round((await boxOf(row(page, 3))).y)).toBe(Math.round(selected.y));

  await page.reload();
  await expect(page.getByTestId('inline-details').getByTestId('span-details-name')).toHaveText('order.place');
  await page.getByTestId('details-placement-bottom').click();
  const bottom = await boxOf(page.getByTestId('details-pane'));
  expect(bottom.width).toBeGreaterThan(1200);
  expect(bottom.y).toBeGreaterThan((await boxOf(row(page, 3))).y);
});

test('the deepest row of a real Zipkin trace (depth 32) shows its service and a readable part of its name', async ({ page }) => {
  await page.goto('/');
  await dropFixture(page, SMARTTHINGS);
  await expect(row(page, 0)).toBeVisible();
  await expect(page.getByTestId('trace-depth')).toHaveText('33');
  // Span 135 is the deepest (depth 32); opening it selects it and shows the side pane.
  await selectFromUrl(page, 135);
  await expect(row(page, 135)).toHaveAttribute('aria-level', '33');
  await expect(row(page, 135).getByTestId('row-depth')).toHaveText('32');
  await expect(page.getByTestId('details-pane')).toBeVisible();
  const name = await readableNameChars(page, 135);
  expect(name).toMatchObject({ service: 'dove', serviceWhole: true });
  expect(name.chars).toBeGreaterThanOrEqual(12);
});

test('a row at depth 39 at 1920 px with the details open shows its service and 20+ characters of its name', async ({ page }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  // A 40-level chain in Zipkin v2 JSON: each span the child of the one before, 1 ms inside it.
  const spans = Array.from({ length: 40 }, (_, k) => ({
    traceId: '00000000000000000000000000abcdef',
    id: (k + 1).toString(16).padStart(16, '0'),
    parentId: k ? k.toString(16).padStart(16, '0') : undefined,
    name: `get /api/v1/inventory/level-${k}/items`,
    timestamp: 1_700_000_000_000_000 + k * 1000,
    duration: 100_000 - k * 2000,
    localEndpoint: { serviceName: k % 2 ? 'inventory-service' : 'checkout-service' },
  }));
  await page.goto('/');
  await dropFile(page, 'deep-chain.json', JSON.stringify(spans));
  await expect(row(page, 0)).toBeVisible();
  await selectFromUrl(page, 39);
  await expect(row(page, 39)).toHaveAttribute('aria-level', '40');
  await expect(page.getByTestId('details-pane')).toBeVisible();
  const name = await readableNameChars(page, 39);
  expect(name).toMatchObject({ service: 'inventory-service', serviceWhole: true });
  expect(name.chars).toBeGreaterThanOrEqual(20);
});

test('at 1280×800 the first span row starts at y ≤ 300: a trace with warnings, its tabs with rows, a stitched view', async ({ page }) => {
  await openOrderBatch(page, 'process-order');
  await expect(page.getByTestId('trace-warnings-badge')).toHaveText(/1 warning/);
  expect((await boxOf(row(page, 0))).y).toBeLessThanOrEqual(300);
  // The badge opens the warnings over the page; the rows stay where they are.
  await page.getByTestId('trace-warnings-badge').click();
  await expect(page.getByTestId('trace-warnings-list')).toContainText('starts before or ends after its parent');
  expect((await boxOf(row(page, 0))).y).toBeLessThanOrEqual(300);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('trace-warnings-list')).toHaveCount(0);
  // Toolbar and tabs on one line each.
  expect((await boxOf(page.getByTestId('waterfall-toolbar'))).height).toBeLessThanOrEqual(48);
  expect((await boxOf(page.getByTestId('trace-tabs'))).height).toBeLessThanOrEqual(40);

  await page.getByTestId('tab-stats').click();
  expect((await boxOf(page.getByTestId('stats-table').locator('tbody tr').first())).y).toBeLessThanOrEqual(300);

  await openOrderBatch(page, 'import');
  await page.getByTestId('tab-links').click();
  await page.getByRole('button', { name: /Select all 9/ }).click();
  await page.getByTestId('links-stitch').click();
  await expect(page.getByTestId('async-path')).toBeVisible();
  await expect(row(page, 0)).toBeVisible();
  expect((await boxOf(row(page, 0))).y).toBeLessThanOrEqual(300);
});

test('the Top self time menu stays on screen when its button is near the right edge', async ({ page }) => {
  await page.setViewportSize({ width: 1100, height: 800 });
  await openOrderBatch(page, 'process-order');
  const button = await boxOf(page.getByTestId('top-self-time-button'));
  await page.getByTestId('top-self-time-button').click();
  const menu = await boxOf(page.getByTestId('top-self-time'));
  // Dropped from its button, it would end past the right edge of the window.
  expect(button.x + menu.width).toBeGreaterThan(1100);
  expect(menu.x).toBeGreaterThanOrEqual(0);
  expect(menu.x + menu.width).toBeLessThanOrEqual(1100 - 8);
  // Every span in it is one click away.
  await page.getByTestId('top-self-time').getByRole('button').first().click();
  await expect(page.locator('[data-testid=waterfall-row][aria-selected=true]')).toContainText('inventory.reserve');
});

test("a batch span's links are listed once, in the details' one scroll area", async ({ page }) => {
  await openOrderBatch(page, 'import');
  await row(page, 0).click();
  const details = page.getByTestId('span-details');
  await expect(details.getByTestId('span-link-out')).toHaveCount(8);
  // Not again as a raw id list.
  await expect(details.getByTestId('span-link')).toHaveCount(0);
  const scrollAreas = await details.evaluate((aside) =>
    [aside, ...aside.querySelectorAll('*')].filter((e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowY) && e.scrollHeight > e.clientHeight).length,
  );
  expect(scrollAreas).toBe(1);
});
