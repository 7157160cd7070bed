// The Service graph and Statistics tabs on the demo's order traces: the graph shows the services and the
// database, the table the numbers; a click shows those spans in the waterfall. The tab is in the URL.
import { expect, test, type Page } from '@playwright/test';

async function openOrders(page: Page, tab: string) {
  await page.goto(`/?url=${encodeURIComponent('/demo/demo-orders.jsonl')}&tab=${tab}`);
  await page.getByTestId('trace-row').first().click();
}

test('the service graph shows the four services and PostgreSQL; clicking a node filters the waterfall', async ({ page }) => {
  await openOrders(page, 'services');
  const nodes = page.getByTestId('service-graph-node');
  await expect(nodes).toHaveCount(5);
  for (const name of ['api-gateway', 'order-service', 'inventory-service', 'payment-service', 'postgresql postgres']) await expect(nodes.filter({ hasText: name })).toHaveCount(1);
  await expect(page.getByTestId('service-graph-edge')).toHaveCount(4);
  await nodes.filter({ hasText: 'payment-service' }).click();
  await expect(page.getByTestId('tab-waterfall')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('search-input')).toHaveValue('service="payment-service"');
  await expect(page.getByTestId('search-count')).toContainText('of 2');
});

test('statistics per service: sortable rows whose click filters the waterfall; all loaded traces on request', async ({ page }) => {
  await openOrders(page, 'stats');
  await page.getByTestId('stats-group-by').selectOption('service');
  const rows = page.getByTestId('stats-row');
  await expect(rows).toHaveCount(4);
  await page.getByTestId('analysis-scope').selectOption('all');
  await expect(rows.filter({ hasText: 'order-service' })).toContainText(/\b\d+\b/);
  await rows.filter({ hasText: 'inventory-service' }).click();
  await expect(page.getByTestId('search-input')).toHaveValue('service="inventory-service"');
  expect(new URL(page.url()).searchParams.get('tab')).toBeNull();
});

test('the operation graph has a node per service and operation; clicking one filters the waterfall to it', async ({ page }) => {
  await openOrders(page, 'operations');
  const nodes = page.getByTestId('operation-graph-node');
  await expect(nodes.filter({ hasText: 'payment.charge' })).toHaveCount(1);
  await expect(nodes.filter({ hasText: 'inventory.reserve' })).toHaveCount(1);
  expect(await page.getByTestId('operation-graph-edge').count()).toBeGreaterThan(5);
  await nodes.filter({ hasText: 'payment.charge' }).click();
  await expect(page.getByTestId('search-input')).toHaveValue('service="payment-service" operation="payment.charge"');
  await expect(page.getByTestId('search-count')).toContainText('of 1');
});
