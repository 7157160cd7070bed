// The span table (issue #15 item 14) on the demo's first order trace, and every table drawn only in
// view (item 21): a trace with 100,000 distinct span names keeps Statistics and Spans under 200 rows in
// the DOM.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';

// fixtures/demo/demo-orders.jsonl, trace 320e6cb9…: 17 spans over api-gateway, order-service,
// inventory-service and payment-service; the root took 140.75 ms, payment.charge (span 14) 20.91 ms.
const ORDER_TRACE = '320e6cb90966e2713a411202058dd86d';

async function openSpans(page: Page, extra = '') {
  await page.goto(`/?url=${encodeURIComponent('/demo/demo-orders.jsonl')}&trace=${ORDER_TRACE}&tab=spans${extra}`);
  await expect(page.getByTestId('span-table-row').first()).toBeVisible();
}

const durations = async (page: Page) => page.getByTestId('span-table-duration').allInnerTexts();

test('the span table: every span, longest first; sorted by duration both ways; filtered by service; a row opens the span in the waterfall', async ({ page }) => {
  await openSpans(page);
  const rows = page.getByTestId('span-table-row');
  await expect(rows).toHaveCount(17);
  await expect(page.getByTestId('span-table-count')).toContainText('17 spans');
  // Longest first: the root request, 140.7ms.
  await expect(rows.first()).toContainText('api-gateway');
  await expect(page.getByTestId('span-table-duration').first()).toHaveText('140.7ms');
  await expect(page.getByTestId('span-sort-duration')).toContainText('▼');

  // Shortest first: a pool connect of 74.58µs, the longest last.
  await page.getByTestId('span-sort-duration').click();
  await expect(page.getByTestId('span-sort-duration')).toContainText('▲');
  await expect(page.getByTestId('span-table-duration').first()).toHaveText('74.58µs');
  await expect(rows.first()).toContainText('pg-pool.connect');
  await expect(page.getByTestId('span-table-duration').last()).toHaveText('140.7ms');
  expect(new URL(page.url()).searchParams.get('ssort')).toBe('duration');
  await page.getByTestId('span-sort-duration').click();
  await expect(page.getByTestId('span-table-duration').first()).toHaveText('140.7ms');

  // Filtered by service: payment-service's two spans, the HTTP server span first (21.63ms, then 20.91ms).
  await page.getByTestId('span-table-filter').fill('payment-service');
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId('span-table-count')).toContainText('2 of 17 spans');
  for (const row of await rows.all()) await expect(row).toContainText('payment-service');
  expect(await durations(page)).toEqual(['21.63ms', '20.91ms']);
  await expect(rows.nth(1).getByTestId('span-table-name')).toHaveText('payment.charge');
  expect(new URL(page.url()).searchParams.get('sfilter')).toBe('payment-service');

  // One click: the waterfall, that span selected, on screen, with its details.
  await rows.nth(1).click();
  await expect(page.getByTestId('tab-waterfall')).toHaveAttribute('aria-current', 'page');
  const selected = page.locator('[data-testid=waterfall-row][aria-selected=true]');
  await expect(selected).toHaveAttribute('data-span', '14');
  await expect(selected).toBeInViewport();
  await expect(page.getByTestId('span-details-name')).toHaveText('payment.charge');
  await expect(page.getByTestId('span-span')).toHaveText('4c9590f6be650e39');
  // Back returns to the filtered table.
  await page.goBack();
  await expect(rows).toHaveCount(2);
});

test('a span under a collapsed parent is revealed when opened from the span table', async ({ page }) => {
  // c=0: the root collapsed, so nothing below it has a row.
  await openSpans(page, '&c=0');
  await page.getByTestId('span-table-filter').fill('inventory.reserve');
  // The filtered order arrives from the worker; until then the previous rows stay.
  await expect(page.getByTestId('span-table-row')).toHaveCount(1);
  await page.getByTestId('span-table-row').click();
  await expect(page.locator('[data-testid=waterfall-row][aria-selected=true]')).toHaveAttribute('data-span', '11');
  await expect(page.getByTestId('span-details-name')).toHaveText('inventory.reserve');
});

/** An OTLP JSON trace: one root and `n` children, each with a name of its own. */
function distinctNamesTrace(n: number): string {
  const traceId = '5ca1ab1e000000000000000000000001';
  const start = 1_700_000_000_000_000_000n;
  const span = (i: number, parent: string) =>
    JSON.stringify({
      traceId,
      spanId: (i + 1).toString(16).padStart(16, '0'),
      ...(parent ? { parentSpanId: parent } : {}),
      name: i === 0 ? 'root' : `op-${String(i).padStart(6, '0')}`,
      kind: 1,
      startTimeUnixNano: String(start + BigInt(i) * 1000n),
      endTimeUnixNano: String(start + BigInt(i) * 1000n + (i === 0 ? BigInt(n + 10) * 1000n : 500n + BigInt(i % 997))),
    });
  const spans = [span(0, '')];
  for (let i = 1; i <= n; i++) spans.push(span(i, '0000000000000001'));
  return `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"names"}}]},"scopeSpans":[{"spans":[${spans.join(',')}]}]}]}`;
}

test('100,000 distinct span names: Statistics and Spans draw under 200 rows, scroll to the end, and leave at once', async ({ page }) => {
  test.setTimeout(120_000);
  const file = join(mkdtempSync(join(tmpdir(), 'spanscope-e2e-')), 'distinct-names.json');
  writeFileSync(file, distinctNamesTrace(100_000));
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(file);
  await expect(page.getByTestId('waterfall-row').first()).toBeVisible({ timeout: 60_000 });

  await page.getByTestId('tab-stats').click();
  await page.getByTestId('stats-group-by').selectOption('operation');
  const statsRows = page.getByTestId('stats-row');
  await expect(page.getByTestId('stats-view')).toContainText('100001 rows', { timeout: 30_000 });
  await expect(statsRows.first()).toBeVisible();
  expect(await statsRows.count()).toBeLessThan(200);
  // Sorted by name, the last rows are reachable by scrolling, and still few are drawn.
  await page.getByTestId('stats-table').getByRole('button', { name: /Name/ }).click();
  await page.getByTestId('stats-table').locator('.overflow-auto').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(statsRows.filter({ hasText: 'names: root' })).toHaveCount(1);
  expect(await statsRows.count()).toBeLessThan(200);
  // The filter reaches rows never drawn.
  await page.getByTestId('stats-filter').fill('op-054321');
  await expect(statsRows).toHaveCount(1);
  await page.getByTestId('stats-filter').fill('');

  // Leaving: the waterfall is back, the table gone.
  await page.getByTestId('tab-waterfall').click();
  await expect(page.getByTestId('waterfall-row').first()).toBeVisible();
  await expect(statsRows).toHaveCount(0);

  // The span table over the same 100,001 spans.
  await page.getByTestId('tab-spans').click();
  await expect(page.getByTestId('span-table-count')).toContainText('100,001 spans', { timeout: 30_000 });
  const spanRows = page.getByTestId('span-table-row');
  expect(await spanRows.count()).toBeLessThan(200);
  await page.getByTestId('span-sort-name').click();
  await expect(spanRows.first().getByTestId('span-table-name')).toHaveText('op-000001');
  await page.getByTestId('span-table').locator('xpath=..').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(spanRows.last().getByTestId('span-table-name')).toHaveText('root');
  expect(await spanRows.count()).toBeLessThan(200);
});
