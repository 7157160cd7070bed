// One answer everywhere (#15, items 7 and 8): an operation has one name in every view (the label from
// src/core/analysis/span-label.ts), and the Search page's tag field speaks the in-trace search language
// against the embedded store (seeded with the demo traces and the Django 500 trace).
import { expect, test, type Page } from '@playwright/test';

// demo-orders.jsonl: a failed payment (the payment answered 402), a paid order, a slow reservation.
const FAILED = '9211727aec4d3980e464b134425b6294';
const PAID = '320e6cb90966e2713a411202058dd86d';
// dd-trace-py's Django trace, whose request span carries http.status_code=500.
const DJANGO_500 = '69f240b6000000000000000000000000';

const openDemo = (page: Page, trace: string, rest = '') => page.goto(`/?url=${encodeURIComponent('/demo/demo-orders.jsonl')}&trace=${trace}${rest}`);
const rows = (page: Page) => page.getByTestId('waterfall-row');

test('an operation has the same name in the waterfall, Statistics, Operations and Compare; the title matches the root row', async ({ page }) => {
  await openDemo(page, FAILED);
  // The title names the root's operation; its row adds this call's status.
  await expect(page.getByTestId('trace-root')).toHaveText('api-gateway: POST /api/orders');
  await expect(rows(page).first()).toContainText('api-gateway');
  await expect(rows(page).first()).toContainText('POST /api/orders → 402');
  // order-service's two POSTs are two operations: the reservation and the payment.
  const charge = rows(page).filter({ hasText: 'order-service' }).filter({ hasText: 'POST /charge → 402' });
  await expect(charge).toHaveCount(1);
  await expect(rows(page).filter({ hasText: 'order-service' }).filter({ hasText: 'POST /reserve → 200' })).toHaveCount(1);
  // Its details show the label, and the raw span name beside it.
  await charge.click();
  await expect(page.getByTestId('span-details-name')).toHaveText('POST /charge → 402');
  await expect(page.getByTestId('span-details-raw-name')).toHaveText('raw name POST');

  await page.getByTestId('tab-stats').click();
  const statsNames = page.getByTestId('stats-table').locator('tbody tr td:first-child');
  await expect(statsNames.filter({ hasText: 'order-service: POST /charge' })).toHaveCount(1);
  await expect(statsNames.filter({ hasText: 'order-service: POST /reserve' })).toHaveCount(1);
  await expect(statsNames.filter({ hasText: /^order-service: POST$/ })).toHaveCount(0);

  await page.getByTestId('tab-operations').click();
  const nodes = page.getByTestId('operation-graph-node').locator('title');
  await expect.poll(async () => (await nodes.allTextContents()).filter((t) => t.startsWith('order-service: POST /charge —')).length).toBe(1);
  expect((await nodes.allTextContents()).filter((t) => t.startsWith('order-service: POST —'))).toEqual([]);

  await openDemo(page, FAILED, `&vs=${PAID}&tab=compare`);
  await expect(page.getByTestId('compare-view')).toBeVisible();
  await expect(page.getByTestId('diff-row').first()).toContainText('POST /api/orders → 402');
  const paths = page.getByTestId('summary-path');
  await expect(paths.filter({ hasText: 'order-service: POST /charge +' })).toHaveCount(1);
  await expect(paths.filter({ hasText: 'order-service: POST /reserve +' })).toHaveCount(1);
  expect((await paths.allTextContents()).filter((p) => /order-service: POST [^/]/.test(p))).toEqual([]);
});

async function searchStore(page: Page, tags: string) {
  await page.goto('/');
  await page.getByTestId('nav-search').click();
  await expect(page.getByTestId('search-results')).toBeVisible();
  await page.getByTestId('search-tags').fill(tags);
  await page.getByTestId('search-submit').click();
}

/** The trace ids the store finds for these tags (what the Search page lists, checked by count). */
async function storeTraceIds(page: Page, tags: string): Promise<string[]> {
  const response = await page.request.get(`/api/backends/local/traces?tags=${encodeURIComponent(tags)}&limit=100`);
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { traces: { traceId: string }[] };
  // The page asks for its default limit, 20, newest first (its list draws only the rows in view: count the heading).
  await expect(page.getByTestId('trace-list-heading')).toContainText(`${Math.min(20, body.traces.length)} trace`);
  return body.traces.map((t) => t.traceId);
}

test('the same tag query finds the same spans in the store and in the trace; error=true, renamed keys, bad input', async ({ page }) => {
  // The placeholder names a key the store has.
  await page.goto('/');
  await page.getByTestId('nav-search').click();
  await expect(page.getByTestId('search-tags')).toHaveAttribute('placeholder', 'http.response.status_code>=400 error=true');

  // The demo's spans carry the stable key; the old name finds them, with a comparison and error=true.
  const query = 'http.status_code>=400 error=true';
  await searchStore(page, query);
  const found = await storeTraceIds(page, query);
  expect(found).toContain(FAILED);
  expect(found).not.toContain(PAID);
  // The failed trace has spans the same query matches inside it: those that answered 402 and failed.
  await openDemo(page, FAILED);
  await page.getByTestId('search-input').fill(query);
  await expect(page.getByTestId('search-count')).toHaveText('0 of 2');
  // Without the comparison: every span that answered 402 (five), whichever key name is typed.
  await page.getByTestId('search-input').fill('http.status_code=402');
  await expect(page.getByTestId('search-count')).toHaveText('0 of 5');
  // A trace not found has none.
  await openDemo(page, PAID);
  await page.getByTestId('search-input').fill(query);
  await expect(page.getByTestId('search-count')).toHaveText('no matches');

  // error=true in the store: the OTel ERROR spans (the demo carries no error tag).
  await searchStore(page, 'error=true');
  const errors = await storeTraceIds(page, 'error=true');
  expect(errors).toContain(FAILED);
  expect(errors).not.toContain(PAID);

  // The stable name finds the Django trace, which carries only the old http.status_code=500.
  // (so do the OpenTelemetry demo's, stored with the old name too).
  await searchStore(page, 'http.response.status_code=500');
  expect(await storeTraceIds(page, 'http.response.status_code=500')).toContain(DJANGO_500);
  expect(await storeTraceIds(page, 'http.response.status_code=500')).toEqual(await storeTraceIds(page, 'http.status_code=500'));
  await page.getByTestId('trace-row').filter({ hasText: 'django' }).click();
  await page.getByTestId('search-input').fill('http.response.status_code=500');
  await expect(page.getByTestId('search-count')).toHaveText(/^0 of [1-9]/);

  // A bad query says what is wrong and echoes what was typed, on both.
  await searchStore(page, 'http.route="/cart');
  await expect(page.getByTestId('search-error')).toHaveText('Tags: unterminated quote: add a closing " (in ""/cart")');
  await openDemo(page, FAILED);
  await expect(page.getByTestId('search-input')).toHaveAttribute('placeholder', /http\.response\.status_code>=400/);
  await page.getByTestId('search-input').fill('http.route="/cart');
  await expect(page.getByTestId('search-error')).toContainText('unterminated quote: add a closing " (in ""/cart")');
});
