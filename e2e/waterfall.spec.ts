import { expect, test, type Page } from '@playwright/test';
import { boxOf, dropFixture } from './helpers.ts';

const DJANGO = 'real/datadog/dd-trace-py__django-asgi_500.json'; // 30 spans, depth 12, 2 errors
const SMARTTHINGS = 'real/zipkin/zipkin__smartthings-oauth-authorization.json'; // 172 spans, 8 services
const YELP = 'real/zipkin/zipkin__yelp.json'; // 16 spans, 9 of them the critical path and its ancestors

async function open(page: Page, fixture: string) {
  await page.goto('/');
  await dropFixture(page, fixture);
  await expect(page.getByTestId('waterfall-row').first()).toBeVisible();
}

const row = (page: Page, span: number) => page.locator(`[data-testid=waterfall-row][data-span="${span}"]`);

test('rows are virtual: only the rows on screen are in the DOM', async ({ page }) => {
  await open(page, SMARTTHINGS);
  const count = await page.getByTestId('waterfall-row').count();
  expect(count).toBeGreaterThan(10);
  expect(count).toBeLessThan(60);
  await expect(page.getByRole('tree')).toBeVisible();
  await expect(row(page, 0)).toHaveAttribute('aria-level', '1');
});

test('collapse and expand a subtree, collapse all and expand all', async ({ page }) => {
  await open(page, DJANGO);
  // Span 1 (sessions middleware) has 3 children; collapsing it hides them and shows the hidden count.
  await expect(row(page, 2)).toBeVisible();
  await row(page, 1).getByTestId('row-toggle').click();
  await expect(row(page, 2)).toHaveCount(0);
  await expect(row(page, 1)).toHaveAttribute('aria-expanded', 'false');
  await expect(row(page, 1).getByTestId('row-hidden-count')).toContainText('+');
  await row(page, 1).getByTestId('row-toggle').click();
  await expect(row(page, 2)).toBeVisible();

  await page.getByTestId('collapse-all').click();
  await expect(page.getByTestId('waterfall-row')).toHaveCount(1);
  // Errors are never hidden: the collapsed root says how many errors are below it.
  await expect(row(page, 0).getByTestId('row-hidden-count')).toContainText('29');
  await expect(row(page, 0).getByTestId('row-hidden-count')).toContainText('● 1');
  await page.getByTestId('expand-all').click();
  await expect(page.getByTestId('waterfall-row')).not.toHaveCount(1);
});

test('search highlights and counts matches and jumps to the next one', async ({ page }) => {
  await open(page, SMARTTHINGS);
  await page.getByTestId('search-input').fill('service=auth');
  await expect(page.getByTestId('search-count')).toHaveText(/^0 of \d+$/);
  const total = Number((await page.getByTestId('search-count').innerText()).split(' of ')[1]);
  expect(total).toBeGreaterThan(1);
  await page.getByTestId('search-input').press('Enter');
  await expect(page.getByTestId('search-count')).toHaveText(`1 of ${total}`);
  await page.getByTestId('search-input').press('Enter');
  await expect(page.getByTestId('search-count')).toHaveText(`2 of ${total}`);
  // Only matches (and their ancestors) stay when the filter is on: stlogin's static file fetches go.
  await expect(row(page, 8)).toBeVisible();
  await page.getByTestId('only-matches-toggle').check();
  await expect(row(page, 8)).toHaveCount(0);
  await expect(row(page, 0)).toBeVisible();
});

test('an invalid query explains what is wrong', async ({ page }) => {
  await open(page, DJANGO);
  await page.getByTestId('search-input').fill('minDuration=abc');
  await expect(page.getByTestId('search-error')).toContainText('minDuration');
});

test('selecting a span shows its attributes, and the error message of an error span', async ({ page }) => {
  await open(page, DJANGO);
  await row(page, 0).click();
  const details = page.getByTestId('span-details');
  await expect(details).toBeVisible();
  await expect(details.getByTestId('span-details-name')).toHaveText('GET ^error-500/$ → 500');
  await expect(details.getByTestId('span-details-raw-name')).toHaveText('raw name django.request');
  await expect(details.locator('[data-testid=span-attr][data-group=span]').filter({ hasText: 'http.status_code' })).toContainText('500');
  await page.getByTestId('attr-filter').fill('http.method');
  await expect(details.locator('[data-testid=span-attr][data-group=span]')).toHaveCount(1);
});

test('error navigation walks the error spans; the header error count jumps to the first', async ({ page }) => {
  await open(page, DJANGO);
  await page.getByTestId('next-error').click();
  const first = page.locator('[data-testid=waterfall-row][aria-selected=true]');
  await expect(first).toHaveAttribute('data-span', '0');
  await page.getByTestId('next-error').click();
  await expect(first.getByTestId('row-error')).toBeVisible();
  const second = await first.getAttribute('data-span');
  expect(second).not.toBe('0');
  await page.getByTestId('trace-error-count').click();
  await expect(first).toHaveAttribute('data-span', '0');
});

test('critical path only keeps the spans on the critical path', async ({ page }) => {
  // Yelp's location update: the request waits on the proxy's user lookup; the mobile API call beside it
  // ends sooner and is off the path.
  await open(page, YELP);
  const byLabel = (label: string) => page.locator(`[data-testid=waterfall-row][title="${label}"]`);
  const offPath = ['mobile_api: POST /location/update/v4', 'spectre: get'];
  const onPath = ['routing: post /location/update/v4', 'yelp-main: txn: user_get_basic_and_scout_info', 'yelp-main: commit'];
  await expect(page.getByTestId('waterfall-row')).toHaveCount(16);
  for (const label of [...offPath, ...onPath]) await expect(byLabel(label)).toHaveCount(1);
  await page.getByTestId('critical-path-toggle').check();
  await expect(page.getByTestId('critical-path-toggle')).toBeChecked();
  await expect.poll(() => new URL(page.url()).searchParams.get('cp')).toBe('only');
  // The 9 spans on the path (the root and the proxy's cache and transaction calls) stay; the 7 others go.
  await expect(page.getByTestId('waterfall-row')).toHaveCount(9);
  for (const label of offPath) await expect(byLabel(label)).toHaveCount(0);
  for (const label of onPath) await expect(byLabel(label)).toHaveCount(1);
  await page.getByTestId('critical-path-toggle').uncheck();
  await expect.poll(() => new URL(page.url()).searchParams.get('cp')).toBe(null);
  await expect(page.getByTestId('waterfall-row')).toHaveCount(16);
  for (const label of offPath) await expect(byLabel(label)).toHaveCount(1);
});

test('zoom with the minimap brush, then reset', async ({ page }) => {
  await open(page, DJANGO);
  const box = await boxOf(page.getByTestId('minimap'));
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect.poll(() => new URL(page.url()).searchParams.get('z')).toMatch(/^[\d.]+,[\d.]+$/);
  const [a, b] = (new URL(page.url()).searchParams.get('z') ?? '').split(',').map(Number);
  // 20%–50% of the 35.4 ms trace, within a few pixels.
  expect(a / 35_400_000).toBeGreaterThan(0.15);
  expect(b / 35_400_000).toBeLessThan(0.55);
  await page.getByTestId('reset-zoom').click();
  await expect.poll(() => new URL(page.url()).searchParams.get('z')).toBeNull();
});

test('the URL restores selection, zoom, collapse and search after a reload', async ({ page }) => {
  await page.goto('/?url=' + encodeURIComponent('/demo/django-500-datadog.json'));
  await expect(row(page, 0)).toBeVisible();
  await row(page, 16).getByTestId('row-toggle').click(); // hides its 7 children, 17–23
  await row(page, 12).click();
  await page.getByTestId('search-input').fill('error=true');
  await expect(page.getByTestId('search-count')).toHaveText('0 of 2');
  await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('error=true');
  const url = page.url();
  const reloaded = await page.context().newPage();
  await reloaded.goto(url);
  await expect(row(reloaded, 12)).toHaveAttribute('aria-selected', 'true');
  await expect(row(reloaded, 16)).toHaveAttribute('aria-expanded', 'false');
  await expect(row(reloaded, 17)).toHaveCount(0);
  await expect(reloaded.getByTestId('search-input')).toHaveValue('error=true');
  await expect(reloaded.getByTestId('search-count')).toHaveText('0 of 2');
  await expect(reloaded.getByTestId('span-details')).toBeVisible();
});

test('Back returns to the previous selection', async ({ page }) => {
  await page.goto('/?url=' + encodeURIComponent('/demo/django-500-datadog.json'));
  await row(page, 2).click();
  await row(page, 4).click();
  await expect(row(page, 4)).toHaveAttribute('aria-selected', 'true');
  await page.goBack();
  await expect(row(page, 2)).toHaveAttribute('aria-selected', 'true');
});

test('keyboard: arrows move and collapse, / focuses search, e jumps to an error, Esc clears', async ({ page }) => {
  await open(page, DJANGO);
  await page.getByTestId('waterfall').focus();
  await page.keyboard.press('ArrowDown');
  await expect(row(page, 0)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(row(page, 1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(row(page, 1)).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('ArrowRight');
  await expect(row(page, 1)).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('e');
  await expect(page.locator('[data-testid=waterfall-row][aria-selected=true]').getByTestId('row-error')).toBeVisible();
  await page.keyboard.press('[');
  await expect(page.getByTestId('waterfall-row')).toHaveCount(1);
  await page.keyboard.press(']');
  await page.keyboard.press('/');
  await expect(page.getByTestId('search-input')).toBeFocused();
  await page.getByTestId('search-input').press('Escape');
  await page.getByTestId('waterfall').focus();
  await page.keyboard.press('Escape');
  await expect(page.locator('[data-testid=waterfall-row][aria-selected=true]')).toHaveCount(0);
});

test('shortcuts work as soon as the trace opens, without a click; ? lists them and Esc closes the sheet', async ({ page }) => {
  await open(page, DJANGO);
  // Nothing was clicked or focused: the keys go to the page.
  await expect(page.getByTestId('waterfall')).not.toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(row(page, 0)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('j');
  await expect(row(page, 1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('e');
  await expect(page.locator('[data-testid=waterfall-row][aria-selected=true]').getByTestId('row-error')).toBeVisible();

  await page.keyboard.press('?');
  const sheet = page.getByTestId('shortcut-sheet');
  await expect(sheet).toBeVisible();
  await expect(sheet.getByRole('heading', { name: 'Keyboard shortcuts' })).toBeVisible();
  await expect(sheet.getByTestId('shortcut-row')).toHaveCount(18);
  await expect(sheet.getByTestId('shortcut-row').filter({ hasText: 'Next error span' })).toContainText('e');
  // While the sheet is open, keys do not move the selection behind it.
  const selectedBefore = await page.locator('[data-testid=waterfall-row][aria-selected=true]').getAttribute('data-span');
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('[data-testid=waterfall-row][aria-selected=true]')).toHaveAttribute('data-span', selectedBefore ?? '');
  await page.keyboard.press('Escape');
  await expect(sheet).toHaveCount(0);

  // Typing in a field is typing, not shortcuts.
  await page.keyboard.press('/');
  await expect(page.getByTestId('search-input')).toBeFocused();
  await page.keyboard.type('e[');
  await expect(page.getByTestId('search-input')).toHaveValue('e[');
  await expect(page.getByTestId('waterfall-row').nth(2)).toBeVisible();
});

test('dark mode follows the system and can be switched', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await context.newPage();
  await open(page, DJANGO);
  await expect(page.locator('html')).toHaveClass(/dark/);
  await page.getByTestId('theme-toggle').click(); // system → light
  await expect(page.locator('html')).not.toHaveClass(/dark/);
  await context.close();
});

test('clock skew: detected, adjusted on request, the shifted span marked with the amount', async ({ page }) => {
  await open(page, 'real/zipkin/zipkin__skew.json');
  const toggle = page.getByTestId('skew-toggle');
  await expect(toggle).not.toBeChecked();
  await expect(page.getByTestId('row-skew')).toHaveCount(0);
  await toggle.check();
  // serviceb's server span started 65.9 ms before the client call that caused it (zipkin's own skew
  // fixture); its local child moves with it, unmarked.
  await expect(page.getByTestId('row-skew')).toHaveText('+65.92ms');
  await expect.poll(() => new URL(page.url()).searchParams.get('skew')).toBe('1');
  await toggle.uncheck();
  await expect(page.getByTestId('row-skew')).toHaveCount(0);
});

test('idle gaps can be squeezed so the busy parts get the width', async ({ page }) => {
  await open(page, SMARTTHINGS); // 1.67 min, with long idle stretches between the user's steps
  await page.getByTestId('gaps-toggle').check();
  await expect(page.getByTestId('time-axis').locator('[title^="Idle for"]')).toHaveCount(3);
  await expect.poll(() => new URL(page.url()).searchParams.get('gaps')).toBe('1');
});

test('a link to a span of another trace in the file opens that trace with the span selected; Back returns', async ({ page }) => {
  // In the OTel demo export, the root of trace f8d8… links to span 3 ("GET", frontend) of trace 4621….
  await page.goto('/?url=' + encodeURIComponent('/demo/otel-demo-shop.jsonl') + '&trace=f8d8bde88b76a1176df1723c5ed91d70');
  await row(page, 0).click();
  // Listed once, with its target named (the links across every loaded trace).
  const link = page.getByTestId('span-details').getByTestId('span-link-out');
  await expect(link).toHaveCount(1);
  await expect(page.getByTestId('span-link')).toHaveCount(0);
  await link.getByRole('button', { name: /frontend GET/ }).click();
  await expect(page.getByTestId('trace-root')).toHaveText('loadgenerator: GET /api/products/1YMWWN1N4O');
  await expect.poll(() => new URL(page.url()).searchParams.get('trace')).toBe('4621b4e54f744cfa75e786f8e5979f04');
  await expect(row(page, 3)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('span-details-raw-name')).toHaveText('raw name GET');
  await page.goBack();
  await expect.poll(() => new URL(page.url()).searchParams.get('trace')).toBe('f8d8bde88b76a1176df1723c5ed91d70');
});

test('collapse-all while scrolled down still shows the rows', async ({ page }) => {
  await open(page, SMARTTHINGS);
  await page.getByTestId('waterfall-canvas').hover();
  await page.mouse.wheel(0, 5000);
  await expect(row(page, 0)).toHaveCount(0);
  await page.getByTestId('collapse-all').click();
  await expect(row(page, 0)).toBeVisible();
});
