// The trace list of a multi-trace file: the OpenTelemetry demo's collector export (141 traces whose
// spans are all named "GET" or "POST", labelled by the path called; fixtures/real/PROVENANCE.md) narrowed, grouped by root and sorted, with
// each trace's services and error count, and only the rows in view in the DOM.
import { expect, test } from '@playwright/test';
import { dropFixture } from './helpers.ts';

const OTEL_DEMO = 'real/otlp/otel-tui__otel-demo-collector-file-export.jsonl';

test('141 traces: virtualized rows, services and errors per row, filter, group by root, sort', async ({ page }) => {
  await page.goto('/');
  await dropFixture(page, OTEL_DEMO);
  await expect(page.getByTestId('trace-list-heading')).toContainText('141 traces');
  const rows = page.getByTestId('trace-row');
  await expect(rows.first()).toBeVisible();
  // Only a screenful (plus a few) of rows is in the DOM.
  expect(await rows.count()).toBeLessThan(40);

  // Group by root: one row per root, most traces first.
  await page.getByTestId('group-by-root').check();
  const groups = page.getByTestId('root-group');
  await expect(groups).toHaveCount(34);
  await expect(groups.first()).toContainText('loadgenerator');
  await expect(groups.first()).toContainText('POST /api/cart');
  await expect(groups.first().getByTestId('root-group-count')).toHaveText('15');
  await expect(groups.first()).toContainText('frontend-proxy');
  await page.getByTestId('group-sort-root').click();
  await expect(groups.first()).toContainText('flagd');

  // Picking a group narrows the list to its 15 traces.
  await page.getByTestId('group-sort-traces').click();
  await groups.first().click();
  await expect(page.getByTestId('root-filter')).toContainText('loadgenerator POST /api/cart');
  await expect(page.getByTestId('trace-list-count')).toHaveText('15 of 141 shown');
  await expect(page.getByTestId('trace-scatter').locator('circle')).toHaveCount(15);

  // Narrow further to the ones with errors (all 15 of this root), and sort them by error count both ways.
  await page.getByTestId('trace-filter').fill('error');
  await expect(page.getByTestId('trace-list-count')).toHaveText('15 of 141 shown');
  await page.getByTestId('sort-errors').click();
  const most = Number(await rows.first().getByTestId('trace-row-errors').innerText());
  await expect(rows.first().getByTestId('trace-row-services')).toContainText('loadgenerator');
  await expect(rows.first().getByTestId('trace-row-services')).toContainText('frontend');
  await page.getByTestId('sort-errors').click();
  const fewest = Number(await rows.first().getByTestId('trace-row-errors').innerText());
  expect(fewest).toBeGreaterThanOrEqual(1);
  expect(most).toBeGreaterThan(fewest);

  // A service name narrows all traces: checkoutservice is in 4 of them, each with 4 error spans.
  await page.getByTestId('root-filter').click();
  await page.getByTestId('trace-filter').fill('checkoutservice');
  await expect(page.getByTestId('trace-list-count')).toHaveText('4 of 141 shown');
  await expect(rows).toHaveCount(4);
  for (const cell of await rows.getByTestId('trace-row-errors').all()) await expect(cell).toHaveText('4');

  // Scrolling the full list brings later rows into the DOM.
  await page.getByTestId('trace-filter').fill('');
  await page.getByTestId('sort-start').click();
  const firstId = await rows.first().locator('.font-mono').innerText();
  await page.locator('[data-testid=trace-table]').evaluate((table) => table.parentElement?.scrollTo(0, 100_000));
  await expect(rows.first().locator('.font-mono')).not.toHaveText(firstId);
  expect(await rows.count()).toBeLessThan(40);
});
