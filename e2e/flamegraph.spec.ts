// The Flamegraph tab on the demo's order traces: the icicle draws, its hover names real spans, a click
// zooms (in the URL, so reload and Back follow), the merged view and the search highlight count what
// they should, and both lead back to the waterfall.
import { expect, test, type Page } from '@playwright/test';
import { boxOf } from './helpers.ts';

const ROW_HEIGHT = 20;

async function openFlame(page: Page) {
  await page.goto(`/?url=${encodeURIComponent('/demo/demo-orders.jsonl')}&tab=flame`);
  // The first request: 16 spans, 7 levels, no error.
  await page.getByTestId('trace-row').first().click();
  await expectDrawn(page);
}

async function expectDrawn(page: Page) {
  await expect(page.getByTestId('flamegraph-canvas')).toHaveAttribute('data-rects', /^[1-9]\d*$/);
}

/** The middle of a row of the canvas (0 = the top row), at a fraction of its width. */
async function pointAt(page: Page, row: number, fx = 0.5) {
  const box = await boxOf(page.getByTestId('flamegraph-canvas'));
  return { x: box.x + box.width * fx, y: box.y + row * ROW_HEIGHT + ROW_HEIGHT / 2 };
}

async function hover(page: Page, row: number, fx = 0.5) {
  const { x, y } = await pointAt(page, row, fx);
  await page.mouse.move(x, y);
  return page.getByTestId('flamegraph-hover');
}

async function clickRow(page: Page, row: number, button: 'left' | 'right' = 'left') {
  const { x, y } = await pointAt(page, row);
  await page.mouse.click(x, y, { button });
}

const param = (page: Page, key: string) => new URL(page.url()).searchParams.get(key);

test('the icicle draws the trace; hovering names the span; a click zooms into it, in the URL for reload and Back', async ({ page }) => {
  await openFlame(page);
  await expect(await hover(page, 0)).toContainText('api-gateway: POST /api/orders → 201');
  await expect(await hover(page, 6)).toContainText('inventory-service: inventory.reserve');
  await expect(page.getByTestId('flamegraph-hover')).toContainText('Self time');

  await clickRow(page, 3);
  await expect(page.getByTestId('flame-breadcrumb')).toContainText('order.place');
  expect(param(page, 'ff')).toBe('3');
  // The focused span is the top row now.
  await expect(await hover(page, 0)).toContainText('order-service: order.place');

  await page.reload();
  await expectDrawn(page);
  await expect(page.getByTestId('flame-breadcrumb')).toContainText('order.place');
  await expect(await hover(page, 0)).toContainText('order.place');

  await page.goBack();
  await expect(page.getByTestId('flame-breadcrumb')).not.toContainText('order.place');
  expect(param(page, 'ff')).toBeNull();
  await expect(await hover(page, 0)).toContainText('POST /api/orders');
});

test('Open in waterfall selects the zoomed span there', async ({ page }) => {
  await openFlame(page);
  await clickRow(page, 6);
  await expect(page.getByTestId('flame-breadcrumb')).toContainText('inventory.reserve');
  await page.getByTestId('flame-open-waterfall').click();
  await expect(page.getByTestId('tab-waterfall')).toHaveAttribute('aria-current', 'page');
  await expect(page.locator('[data-testid=waterfall-row][aria-selected=true]')).toContainText('inventory.reserve');
  await page.goBack();
  await expect(page.getByTestId('tab-flame')).toHaveAttribute('aria-current', 'page');
  await expectDrawn(page);
});

test('search highlights and counts matching spans in the icicle, nodes in the merged view', async ({ page }) => {
  await openFlame(page);
  await page.getByTestId('flame-search').fill('service="payment-service"');
  await expect(page.getByTestId('flame-search-count')).toHaveText('2 spans');
  await expect.poll(() => param(page, 'q')).toBe('service="payment-service"');
  await page.getByTestId('flame-search').fill('minDuration=fast');
  await expect(page.getByRole('alert')).toBeVisible();

  await page.getByTestId('flame-mode-merged').click();
  await page.getByTestId('flame-search').fill('payment');
  await expect(page.getByTestId('flame-search-count')).toHaveText('2 nodes · 2 spans');
});

test('merged mode: in the URL, over all loaded traces, a click zooms, and a node leads to its spans in the waterfall', async ({ page }) => {
  await openFlame(page);
  await page.getByTestId('flame-mode-merged').click();
  expect(param(page, 'fm')).toBe('1');
  await expectDrawn(page);
  await expect(await hover(page, 0)).toContainText('api-gateway: POST /api/orders');

  await page.getByTestId('analysis-scope').selectOption('all');
  // The three requests merged: the root path holds three spans.
  await expect(await hover(page, 0)).toContainText(/Spans\s*3/);

  await clickRow(page, 3);
  await expect(page.getByTestId('flame-breadcrumb')).toContainText('order.place');
  expect(param(page, 'ff')).toBe('3');
  await page.reload();
  await expectDrawn(page);
  await expect(page.getByTestId('flame-breadcrumb')).toContainText('order.place');
  await expect(page.getByTestId('flame-mode-merged')).toHaveAttribute('aria-checked', 'true');

  await clickRow(page, 0, 'right');
  await page.getByTestId('flame-menu-waterfall').click();
  await expect(page.getByTestId('tab-waterfall')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('search-input')).toHaveValue('service="order-service" operation="order.place"');
  await expect(page.getByTestId('search-count')).toContainText('of 1');
});
