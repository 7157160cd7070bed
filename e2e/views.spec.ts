// The Service graph and Statistics tabs on the demo's order traces: the graph shows the services and the
// database, the table the numbers; a click shows those spans in the waterfall. The tab is in the URL.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { generateTrace } from '../bench/generate-trace.ts';
import { FIXTURES } from './helpers.ts';

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

test('the service graph: edge numbers on hover, force layout, one service with its neighbours, all in the URL', async ({ page }) => {
  await openOrders(page, 'services');
  await page.getByTestId('service-graph-edge').first().hover({ force: true });
  await expect(page.getByTestId('service-graph-edge-card')).toContainText(/api-gateway → order-service.*Calls1 \(synchronous\)/s);
  await page.getByTestId('service-graph-layout').selectOption('force');
  await expect(page.getByTestId('service-graph-node')).toHaveCount(5);
  await page.getByTestId('service-graph-find').fill('order-service');
  await expect(page.getByTestId('service-graph-focus')).toContainText('order-service: 1 incoming and 3 outgoing edges, of 5 nodes');
  await expect(page.getByTestId('service-graph-node')).toHaveCount(5);
  await page.getByTestId('service-graph-find').fill('payment-service');
  await expect(page.getByTestId('service-graph-focus')).toContainText('payment-service: 1 incoming and 0 outgoing edges');
  await expect(page.getByTestId('service-graph-node')).toHaveCount(2);
  const url = new URL(page.url());
  expect([url.searchParams.get('layout'), url.searchParams.get('focus')]).toEqual(['force', 'payment-service']);
  // The URL reproduces it; Back returns to the previous service.
  await page.reload();
  await expect(page.getByTestId('service-graph-node')).toHaveCount(2);
  await page.goBack();
  await expect(page.getByTestId('service-graph-focus')).toContainText('order-service');
  await page.getByTestId('service-graph-show-all').click();
  await expect(page.getByTestId('service-graph-node')).toHaveCount(5);
});

test('over all loaded traces, a node lists the traces it is in; one opens filtered to those spans', async ({ page }) => {
  await page.goto(`/?url=${encodeURIComponent('/demo/demo-orders.jsonl')}&tab=services&scope=all`);
  await page.getByTestId('trace-row').first().click();
  await expect(page.getByTestId('service-graph')).toContainText('in 3 traces');
  await page.getByTestId('service-graph-node').filter({ hasText: 'payment-service' }).click();
  const panel = page.getByTestId('selection-traces');
  await expect(panel).toContainText('in 3 traces · 1 with errors');
  const rows = panel.getByTestId('selection-trace');
  await expect(rows).toHaveCount(3);
  // Failed traces first.
  await expect(rows.first()).toContainText('err');
  await rows.first().click();
  await expect(page.getByTestId('tab-waterfall')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('search-input')).toHaveValue('service="payment-service"');
  await expect(page.getByTestId('trace-page')).toContainText('Errors');
  expect(new URL(page.url()).searchParams.get('only')).toBe('1');
});

test('500 services: laid out force-directed off the main thread, one service found by name', async ({ page }) => {
  const file = join(mkdtempSync(join(tmpdir(), 'spanscope-e2e-')), 'services-500.json');
  generateTrace(file, { spans: 20_000, format: 'otlp', services: 500, seed: 3 });
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(file);
  await expect(page.getByTestId('waterfall')).toBeVisible();
  await page.getByTestId('tab-services').click();
  await expect(page.getByTestId('service-graph-layout')).toHaveValue('force');
  const nodes = page.getByTestId('service-graph-node');
  await expect.poll(() => nodes.count(), { timeout: 20_000 }).toBeGreaterThan(300);
  await page.getByTestId('service-graph-find').fill('frontend');
  await expect(page.getByTestId('service-graph-focus')).toContainText(/frontend: \d+ incoming and \d+ outgoing edges/);
  await expect.poll(() => nodes.count()).toBeLessThan(300);
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

// Every view on files other tools wrote: it draws, names the trace's services, and shows no error.
for (const fixture of ['real/jaeger/jaeger__ui_01.json', 'real/otlp/otel-tui__otel-demo-collector-file-export.jsonl', 'real/datadog/dd-trace-py__ray-serve-grpc-context-propagation.json', 'real/tempo/kiali__tempo-responseTrace.json', 'real/zipkin/zipkin__messaging.json']) {
  test(`every view draws ${fixture}`, async ({ page }) => {
    await page.goto('/');
    await page.getByTestId('file-input').setInputFiles(join(FIXTURES, fixture));
    // A file of many traces lists them first: open the one with the most spans.
    await expect(page.getByTestId('trace-table').or(page.getByTestId('waterfall'))).toBeVisible();
    if (await page.getByTestId('trace-table').isVisible()) {
      await page.getByTestId('sort-spans').click();
      await page.getByTestId('trace-row').first().click();
    }
    await expect(page.getByTestId('waterfall')).toBeVisible();
    const rootService = (await page.getByRole('heading', { level: 1 }).innerText()).split(':')[0].trim();
    const views: [string, string][] = [
      ['services', 'service-graph-node'],
      ['operations', 'operation-graph-node'],
      ['stats', 'stats-row'],
      ['flame', 'flamegraph-canvas'],
    ];
    for (const [tab, drawn] of views) {
      await page.getByTestId(`tab-${tab}`).click();
      await expect(page.getByTestId(drawn).first()).toBeVisible();
      await expect(page.getByRole('alert')).toHaveCount(0);
    }
    await page.getByTestId('tab-services').click();
    await expect(page.getByTestId('service-graph-node').filter({ hasText: rootService })).toHaveCount(1);
    await page.getByTestId('tab-stats').click();
    await page.getByTestId('stats-group-by').selectOption('service');
    await expect(page.getByTestId('stats-row').filter({ hasText: rootService })).toHaveCount(1);
  });
}
