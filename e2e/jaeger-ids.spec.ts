// Jaeger files whose ids are not hex (Jaeger UI opens them; see e2e/fixtures/README.md): the trace opens
// with its ids as written, the selected span survives a reload through the URL, and Share works.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { dropFile } from './helpers.ts';

const FILE = readFileSync(join(import.meta.dirname, 'fixtures', 'jaeger-verbatim-ids.json'));
const row = (page: Page, span: number) => page.locator(`[data-testid=waterfall-row][data-span="${span}"]`);

test('a Jaeger file with ids like trace-123 and span-1 opens, shows them as written, and shares', async ({ page, browser }) => {
  await page.goto('/');
  await dropFile(page, 'custom-ids.json', FILE);
  await expect(page.getByTestId('trace-span-count')).toHaveText('4');
  await expect(page.getByTestId('trace-page')).toContainText('trace-123');

  // Pre-order: GET /checkout (span-1), reserve stock (span-2), charge card (brokenMiddle), POST /charge (a1b2).
  await row(page, 2).click();
  const details = page.getByTestId('span-details');
  await expect(details.getByTestId('span-details-name')).toHaveText('charge card');
  await expect(details.getByTestId('span-span')).toHaveText('brokenMiddle');
  await expect(details.getByTestId('span-trace')).toHaveText('trace-123');
  await expect(details.getByTestId('span-parent')).toHaveText('span-1');
  await expect.poll(() => new URL(page.url()).searchParams.get('s')).toBe('2');

  // Search finds a span by its id as written.
  await page.getByTestId('search-input').fill('spanId=span-2');
  await expect(page.getByTestId('search-count')).toContainText('of 1');
  await page.getByTestId('search-input').fill('');

  // Share stores the file; the link reopens the same span, and a reload keeps it.
  await page.getByTestId('share-button').click();
  const shared = await page.getByTestId('share-url').inputValue();
  expect(new URL(shared).searchParams.get('share')).toBeTruthy();
  expect(new URL(shared).searchParams.get('s')).toBe('2');
  const other = await (await browser.newContext()).newPage();
  await other.goto(shared);
  await expect(row(other, 2)).toHaveAttribute('aria-selected', 'true');
  await expect(other.getByTestId('span-span')).toHaveText('brokenMiddle');
  await other.reload();
  await expect(row(other, 2)).toHaveAttribute('aria-selected', 'true');
  await expect(other.getByTestId('span-trace')).toHaveText('trace-123');
  await other.context().close();
});
