// The Compare tab on the demo's order flow (public/demo/demo-orders.jsonl, three POST /api/orders
// requests): a failed payment (66.46ms), a paid order (140.7ms) and a slow reservation (958.1ms).
// The open trace is A, the one in `vs=` is B; a row click opens that span in a waterfall.
import { expect, test, type Page } from '@playwright/test';

const FAILED = '9211727aec4d3980e464b134425b6294';
const PAID = '320e6cb90966e2713a411202058dd86d';
const SLOW = 'fe2e6ba3dc66e7bf8758db4ab70077d8';

async function openCompare(page: Page, a: string, b?: string) {
  await page.goto(`/?url=${encodeURIComponent('/demo/demo-orders.jsonl')}&trace=${a}${b ? `&vs=${b}` : ''}&tab=compare`);
  await expect(page.getByTestId('compare-view')).toBeVisible();
}

const param = (page: Page, key: string) => new URL(page.url()).searchParams.get(key);
const diffRow = (page: Page, text: string) => page.getByTestId('diff-row').filter({ hasText: text });

async function expectSlowVsFailed(page: Page) {
  await expect(page.getByTestId('summary-a')).toHaveText('66.46ms');
  await expect(page.getByTestId('summary-b')).toHaveText('958.1ms');
  await expect(page.getByTestId('summary-delta')).toContainText('+891.6ms');
  await expect(page.getByTestId('summary-delta')).toContainText('+1,342% · slower');
}

test('a fast and a slow request of the same endpoint: durations, Δ and where the time went; vs survives a reload', async ({ page }) => {
  await openCompare(page, FAILED);
  await expect(page.getByTestId('compare-empty')).toBeVisible();
  // A is the fastest of the three: the slowest and the median are offered.
  await expect(page.getByTestId('compare-suggest-median')).toContainText('140.7ms');
  await page.getByTestId('compare-suggest-slowest').click();
  expect(param(page, 'vs')).toBe(SLOW);
  await expectSlowVsFailed(page);
  await expect(page.getByTestId('summary-headline')).toHaveText(
    'B took 891.6ms longer than A (+1,342%, 14.4× as long). Most of the extra time: inventory-service: inventory.reserve +888.3ms self time (1 call in each).',
  );
  await expect(page.getByTestId('summary-structure')).toHaveText('16 spans match; none only in A; none only in B. Errors: 4 in A, none in B.');
  await expect(page.getByTestId('summary-path').first()).toHaveText('inventory-service: inventory.reserve +888.3ms self time (1 call in each)');
  // The reservation's row: both durations and the change, orange-slower with its sign in words.
  const reserve = diffRow(page, 'inventory.reserve');
  await expect(reserve).toHaveAttribute('data-change', 'slower');
  await expect(reserve).toContainText('14.71ms');
  await expect(reserve).toContainText('903.1ms');
  await expect(reserve).toContainText('+888.3ms');
  await expect(diffRow(page, 'order.place')).toContainText('fails in A');

  await page.reload();
  await expectSlowVsFailed(page);
  await page.goBack();
  await expect(page.getByTestId('compare-empty')).toBeVisible();
});

test('a failed payment against a paid order: the span only B has; a click opens it in the waterfall of B', async ({ page }) => {
  await openCompare(page, FAILED);
  await page.getByTestId('compare-select').selectOption(PAID);
  await expect(page.getByTestId('summary-structure')).toHaveText('16 spans match; none only in A; 1 only in B (order-service: pg.connect). Errors: 4 in A, none in B.');
  const onlyB = page.locator('[data-testid=diff-row][data-change=only-b]');
  await expect(onlyB).toHaveCount(1);
  await expect(onlyB).toContainText('pg.connect');
  await expect(onlyB.getByTestId('only-in-b')).toHaveText('+ only in B');
  await expect(onlyB).toContainText('13.88ms');

  await onlyB.click();
  expect(param(page, 'trace')).toBe(PAID);
  expect(param(page, 'vs')).toBe(FAILED);
  expect(param(page, 's')).toBe('5');
  await expect(page.getByTestId('tab-waterfall')).toHaveAttribute('aria-current', 'page');
  await expect(page.locator('[data-testid=waterfall-row][data-span="5"]')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('span-details-name')).toContainText('pg.connect');
  // Back: the comparison as it was.
  await page.goBack();
  await expect(page.getByTestId('tab-compare')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('summary-a')).toHaveText('66.46ms');
  await expect(page.getByTestId('summary-b')).toHaveText('140.7ms');
});

test("a matched row opens A's waterfall on that span; only changed, the path table and swap", async ({ page }) => {
  await openCompare(page, FAILED, SLOW);
  // Rows are virtual: the count says how many there are, the DOM holds only those on screen.
  await expect(page.getByTestId('diff-count')).toHaveText('16 of 16');
  // Beyond ±10% (and 0.5% of the 958ms trace): the reservation chain, the payment call, and A's failures.
  await page.getByTestId('compare-only-changed').check();
  await expect(page.getByTestId('diff-count')).toHaveText('10 of 16');
  await expect(diffRow(page, 'INSERT')).toHaveCount(0);

  await page.getByTestId('compare-mode-paths').click();
  const paths = page.getByTestId('path-row');
  // 14: order-service's two POSTs are two operations (POST /reserve, POST /charge).
  await expect(paths).toHaveCount(14);
  await expect(paths.first()).toContainText('inventory-service');
  await expect(paths.first()).toContainText('+888.3ms');
  await paths.filter({ hasText: 'payment.charge' }).click();
  await expect(page.getByTestId('compare-path-filter')).toHaveText(/Only payment-service: payment\.charge/);
  // The path's one span, and the six above it as its context.
  await expect(page.getByTestId('diff-count')).toHaveText('1 of 16');
  await expect(page.getByTestId('diff-row')).toHaveCount(7);
  // The URL holds what the diff shows: a reload keeps it.
  await page.reload();
  await expect(page.getByTestId('diff-count')).toHaveText('1 of 16');
  await expect(page.getByTestId('compare-only-changed')).toBeChecked();

  await diffRow(page, 'payment.charge').click();
  expect(param(page, 'trace')).toBe(FAILED);
  expect(param(page, 's')).toBe('13');
  await expect(page.locator('[data-testid=waterfall-row][data-span="13"]')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('span-details-name')).toContainText('payment.charge');

  await page.goBack();
  await page.getByTestId('compare-swap').click();
  expect(param(page, 'trace')).toBe(SLOW);
  expect(param(page, 'vs')).toBe(FAILED);
  await expect(page.getByTestId('summary-a')).toHaveText('958.1ms');
  await expect(page.getByTestId('summary-delta')).toContainText('\u2212891.6ms');
  await expect(page.getByTestId('summary-delta')).toContainText('faster');
});

test('a trace from the embedded store against one fetched by id', async ({ page }) => {
  await page.goto(`/?backend=local&trace=${FAILED}&tab=compare`);
  await page.getByTestId('compare-by-id').click();
  await page.getByTestId('compare-trace-id').fill(`00-${SLOW}-0123456789abcdef-01`);
  await page.getByTestId('compare-trace-id').press('Enter');
  expect(param(page, 'vs')).toBe(SLOW);
  await expectSlowVsFailed(page);
  await page.reload();
  await expectSlowVsFailed(page);
  // Swap loads B from the store as the open trace, and fetches A to compare with.
  await page.getByTestId('compare-swap').click();
  expect(param(page, 'trace')).toBe(SLOW);
  expect(param(page, 'vs')).toBe(FAILED);
  await expect(page.getByTestId('summary-a')).toHaveText('958.1ms');
  await expect(page.getByTestId('summary-b')).toHaveText('66.46ms');
});
