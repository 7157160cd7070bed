// The server side as a user meets it: search the embedded store (seeded with the demo traces), open a
// result, share the view, open the share URL in a fresh browser; a backend that is down; hostile data.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { boxOf, dropFile, dropFixture } from './helpers.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const row = (page: Page, span: number) => page.locator(`[data-testid=waterfall-row][data-span="${span}"]`);

/** A browser profile with nothing in it: no cache, no storage, no history. */
async function freshPage(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

async function brushMinimap(page: Page, from: number, to: number) {
  const box = await boxOf(page.getByTestId('minimap'));
  await page.mouse.move(box.x + box.width * from, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * to, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect.poll(() => new URL(page.url()).searchParams.get('z')).not.toBeNull();
}

test('search the embedded store, open a result, share the view; a fresh browser sees the same view', async ({ page, browser }) => {
  await page.goto('/');
  await page.getByTestId('nav-search').click();
  await expect(page.getByTestId('search-results')).toBeVisible();
  await page.getByTestId('search-service').selectOption('django');
  await page.getByTestId('search-submit').click();
  await expect(page.getByTestId('trace-row')).toHaveCount(1);
  await expect(page.getByTestId('trace-row')).toContainText('GET ^error-500/$');
  await page.getByTestId('trace-row').click();

  await expect(row(page, 0)).toBeVisible();
  expect(new URL(page.url()).searchParams.get('backend')).toBe('local');
  await row(page, 12).click();
  await page.getByTestId('search-input').fill('error=true');
  await expect(page.getByTestId('search-count')).toHaveText('0 of 2');
  await brushMinimap(page, 0.1, 0.6);
  const zoom = new URL(page.url()).searchParams.get('z');

  await page.getByTestId('share-button').click();
  const shared = await page.getByTestId('share-url').inputValue();
  expect(new URL(shared).searchParams.get('trace')).toBeTruthy();

  const other = await freshPage(browser, shared);
  await expect(row(other, 12)).toHaveAttribute('aria-selected', 'true');
  await expect(other.getByTestId('span-details-name')).toHaveText(await page.getByTestId('span-details-name').innerText());
  await expect(other.getByTestId('search-input')).toHaveValue('error=true');
  await expect(other.getByTestId('search-count')).toHaveText('0 of 2');
  expect(new URL(other.url()).searchParams.get('z')).toBe(zoom);
  await other.context().close();
});

test('Share stores a dropped file on the server; its URL reopens the same span in a fresh browser', async ({ page, browser }) => {
  await page.goto('/');
  await dropFixture(page, 'real/zipkin/zipkin__yelp.json');
  await expect(row(page, 3)).toBeVisible();
  await row(page, 3).click();
  const name = await page.getByTestId('span-details-name').innerText();
  await page.getByTestId('share-button').click();
  const shared = await page.getByTestId('share-url').inputValue();
  expect(shared).toMatch(/[?&]share=[A-Za-z0-9_-]{43}/);
  expect(new URL(page.url()).searchParams.get('share')).toBeTruthy();

  const other = await freshPage(browser, shared);
  await expect(row(other, 3)).toHaveAttribute('aria-selected', 'true');
  await expect(other.getByTestId('span-details-name')).toHaveText(name);
  await other.context().close();
});

test('when the server cannot store the file, Share says why and offers a link that carries the trace', async ({ page, browser }) => {
  await page.route('**/api/shares**', (route) =>
    route.fulfill({ status: 403, json: { error: 'Sharing is disabled', detail: 'This server does not store uploaded traces (sharing.enabled = false)' } }),
  );
  await page.goto('/');
  await dropFixture(page, 'real/jaeger/jaeger-ui__petclinic__spanAmongEachOtherGroupedAndSpans.json');
  await row(page, 2).click();
  await page.getByTestId('share-button').click();
  await expect(page.getByTestId('share-error')).toContainText('Sharing is disabled');
  await expect(page.getByTestId('share-download')).toBeVisible();
  const link = await page.getByTestId('share-fragment-url').inputValue();
  expect(link).toContain('#z=');

  const other = await freshPage(browser, link);
  await expect(row(other, 2)).toHaveAttribute('aria-selected', 'true');
  await expect(other.getByTestId('trace-root')).toHaveText(await page.getByTestId('trace-root').innerText());
  await other.context().close();
});

test('a backend that is down says which one and why; the rest of the app keeps working', async ({ page }) => {
  await page.goto('/?page=search&backend=jaeger-down');
  const alerts = page.getByRole('alert');
  await expect(alerts.first()).toContainText('jaeger-down: Backend unreachable', { timeout: 15_000 });
  await page.getByTestId('search-backend').selectOption('local');
  await expect(page.getByTestId('search-service')).toContainText('All services');
  await page.getByTestId('search-submit').click();
  await expect(page.getByTestId('trace-row').first()).toBeVisible();
});

test('open by id takes a W3C traceparent and explains input it cannot read', async ({ page }) => {
  await page.goto('/?page=search');
  const firstId = (await page.getByTestId('trace-row').first().locator('.font-mono').innerText()).trim();
  await page.getByTestId('open-by-id').fill('zzzz');
  await page.getByTestId('open-by-id').press('Enter');
  await expect(page.getByTestId('open-by-id-error')).toContainText('not a trace id');
  await page.getByTestId('open-by-id').fill(`traceparent: 00-${firstId}-00f067aa0ba902b7-01`);
  await page.getByTestId('open-by-id').press('Enter');
  await expect(page.getByTestId('trace-page')).toBeVisible();
  await expect(page.getByTestId('trace-page')).toContainText(firstId);
});

test('attribute values, names and messages render as text, never as markup or script', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto('/');
  await dropFile(page, 'hostile.json', readFileSync(join(import.meta.dirname, 'fixtures', 'hostile-attributes.otlp.json')));
  await row(page, 0).click();
  const attrs = page.getByTestId('span-attr');
  await expect(attrs.filter({ hasText: 'xss.script' })).toContainText('<script>alert(1)</script>');
  await expect(attrs.filter({ hasText: 'xss.link' })).toContainText('javascript:alert(document.cookie)');
  // The span name is its label (an HTTP span with a name of its own): in the header, as text.
  await expect(page.getByTestId('span-details-name')).toHaveText("<script>alert('name')</script>");
  await expect(page.getByTestId('span-error-message')).toContainText("<script>alert('status')</script>");
  expect(await page.locator('#root script, #root iframe, #root img[src=x], #root svg[onload]').count()).toBe(0);
  expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
  expect(dialogs).toEqual([]);
});

test('a trace id the backend does not have says which backend and why', async ({ page }) => {
  await page.goto('/?page=search');
  await page.getByTestId('open-by-id').fill('4bf92f3577b34da6a3ce929d0e0e4736');
  await page.getByTestId('open-by-id').press('Enter');
  await expect(page.getByTestId('load-error')).toContainText('local: Trace not found');
  await expect(page.getByTestId('load-error')).toContainText('has no trace 4bf92f3577b34da6a3ce929d0e0e4736');
});

test('a search opened as one file: its traces together, and the service graph over all of them', async ({ page }) => {
  await page.goto('/?page=search&service=order-service');
  await expect(page.getByTestId('trace-row').first()).toBeVisible();
  // The list draws only the rows in view: its heading counts them all.
  const traceCount = async () => Number(/^([\d,]+) trace/.exec(await page.getByTestId('trace-list-heading').innerText())?.[1].replace(/,/g, ''));
  const hits = await traceCount();
  expect(hits).toBeGreaterThanOrEqual(3);
  await page.getByTestId('open-all-results').click();
  await expect(page.getByTestId('trace-table')).toBeVisible();
  expect(await traceCount()).toBe(hits);
  expect(new URL(page.url()).searchParams.get('url')).toBe('/api/backends/local/results?service=order-service&limit=20');
  await page.getByTestId('aggregate-services').click();
  await expect(page.getByTestId('analysis-scope')).toHaveValue('all');
  const nodes = page.getByTestId('service-graph-node');
  for (const name of ['api-gateway', 'order-service', 'payment-service', 'inventory-service', 'postgresql postgres']) await expect(nodes.filter({ hasText: name })).toHaveCount(1);
  await expect(page.getByTestId('service-graph')).toContainText(`in ${hits} traces`);
  // The URL reopens the same aggregate.
  await page.reload();
  await expect(page.getByTestId('service-graph')).toContainText(`in ${hits} traces`);
});
