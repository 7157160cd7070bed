// Span links and async flows on the demo's traces (fixtures/demo = public/demo): the batch fan-out, the
// async pipeline rejoined by stored context and by business key, stitched on one waterfall.
import { expect, test, type Page } from '@playwright/test';

const row = (page: Page, span: number) => page.locator(`[data-testid=waterfall-row][data-span="${span}"]`);

async function openDemo(page: Page, file: string) {
  await page.goto(`/?url=${encodeURIComponent(`/demo/${file}`)}`);
  await expect(page.getByTestId('trace-row').first()).toBeVisible();
}

test('the batch span lists its 8 linked order spans with a fan-out summary; following one keeps Back', async ({ page }) => {
  await openDemo(page, 'demo-batch-links.jsonl');
  await page.getByTestId('trace-row').filter({ hasText: 'order-batch import' }).click();
  await row(page, 0).click();
  await page.keyboard.press('Enter');
  const panel = page.getByTestId('span-links-panel');
  await expect(panel.getByTestId('fan-summary')).toContainText('8 linked spans');
  await expect(panel.getByTestId('span-link-out')).toHaveCount(8);
  await expect(panel.getByTestId('span-link-in')).toHaveCount(8);
  const batchUrl = page.url();
  await panel.getByTestId('span-link-out').first().getByRole('button').click();
  await expect(page.getByTestId('trace-root')).toContainText('order-batch process-order');
  await expect(page.getByTestId('span-details')).toBeVisible();
  await page.goBack();
  await expect.poll(() => page.url()).toBe(batchUrl);
  await expect(page.getByTestId('trace-root')).toContainText('order-batch import');
});

test("in a stitched view, a span's link goes to its target inside that view (its own link targets, not the file's)", async ({ page }) => {
  await openDemo(page, 'demo-batch-links.jsonl');
  await page.getByTestId('trace-row').filter({ hasText: 'order-batch import' }).click();
  await page.getByTestId('tab-links').click();
  await expect(page.getByTestId('linked-trace-node')).toHaveCount(9);
  await page.getByRole('button', { name: /Select all 9/ }).click();
  await page.getByTestId('links-stitch').click();
  await expect(page.getByTestId('async-path')).toBeVisible();
  const stitchedUrl = page.url();
  expect(new URL(stitchedUrl).searchParams.get('trace')).toMatch(/^stitched-/);
  await row(page, 0).click();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('span-details-name')).toHaveText('order-batch import');
  const links = page.getByTestId('span-link');
  await expect(links).toHaveCount(8);
  await links.first().getByRole('button', { name: 'Go to span →' }).click();
  await expect(page.getByTestId('span-details-name')).toHaveText('order-batch process-order');
  expect(new URL(page.url()).searchParams.get('trace')).toBe(new URL(stitchedUrl).searchParams.get('trace'));
});

test('a lost async flow is found again by stored context and by job.id, then stitched on one waterfall', async ({ page, browser }) => {
  await openDemo(page, 'demo-async-lost.jsonl');
  // The roots' raw name is web.request; the list names them by their operation label.
  await page.getByTestId('trace-row').filter({ hasText: 'POST /jobs' }).first().click();
  await page.getByTestId('tab-links').click();
  await expect(page.getByTestId('linked-trace-node')).toHaveCount(1);

  await page.getByTestId('links-stored-context').check();
  await expect(page.getByTestId('linked-trace-node')).toHaveCount(4);
  await expect(page.getByTestId('linked-traces-edge-inferred')).toHaveCount(3);
  expect(new URL(page.url()).searchParams.get('ctx')).toBe('1');

  await page.getByTestId('links-business-key').selectOption('job.id');
  await expect(page.getByTestId('linked-trace-node')).toHaveCount(7);
  await page.getByRole('button', { name: /Select all 7/ }).click();
  await page.getByTestId('links-stitch').click();

  await expect(page.getByTestId('async-path')).toContainText('waiting in');
  // Each stitched trace is a group: collapsed, the seven roots of request, publisher and workers remain.
  await page.getByTestId('collapse-all').click();
  const roots = page.locator('[data-testid=waterfall-row][aria-level="1"]');
  await expect(roots).toHaveCount(7);
  await expect(roots.filter({ hasText: 'jobs-api' })).toHaveCount(3);
  await expect(roots.filter({ hasText: 'outbox-publisher' })).toHaveCount(1);
  await expect(roots.filter({ hasText: 'job-worker' })).toHaveCount(3);

  // The stitched view's URL reopens it in a fresh browser, with the same end-to-end path.
  const banner = await page.getByTestId('async-path').innerText();
  const other = await (await browser.newContext()).newPage();
  await other.goto(page.url());
  await expect(other.getByTestId('async-path')).toHaveText(banner);
  await other.context().close();
});
