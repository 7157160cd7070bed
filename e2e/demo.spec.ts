// The microservices demo (demo/) against the e2e server's receivers, with the real OpenTelemetry SDKs,
// the OpenTelemetry Zipkin exporter and dd-trace, a real PostgreSQL and Redis; then what a user sees.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';

interface DemoSummary {
  successfulOrder: { traceId: string; orderId: string };
  failedPayment: { traceId: string; orderId: string };
  batch: { traceId: string; size: number };
  asyncWithContext: { jobs: { apiTraceId: string }[] };
  asyncWithoutContext: { jobs: { apiTraceId: string; workerTraceId: string }[] };
}

const hasPostgres = existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((v) => existsSync(join('/usr/lib/postgresql', v, 'bin', 'postgres')));
const hasRedis = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].some(existsSync);

test.describe.configure({ mode: 'serial', timeout: 180_000 });
test.skip(!hasPostgres || !hasRedis, 'the demo needs PostgreSQL and Redis: apt-get install -y postgresql redis-server (.ci/run does)');

let summary: DemoSummary;

// Playwright hands fixtures in the first argument and requires it to be a destructuring pattern.
// eslint-disable-next-line no-empty-pattern
test.beforeAll(async ({}, info) => {
  const base = info.project.use.baseURL;
  if (!base) throw new Error('the Playwright project sets no baseURL (playwright.config.ts)');
  const out = join(mkdtempSync(join(tmpdir(), 'spanscope-demo-')), 'summary.json');
  const demo = spawn(process.execPath, ['--import', 'tsx', 'demo/run-demo.ts', '--summary', out], {
    env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: base, OTEL_EXPORTER_ZIPKIN_ENDPOINT: `${base}/api/v2/spans`, DD_TRACE_AGENT_URL: base },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  demo.stdout.on('data', (c: Buffer) => (log += c));
  demo.stderr.on('data', (c: Buffer) => (log += c));
  const code = await new Promise<number | null>((resolve) => demo.once('exit', resolve));
  expect(code, log).toBe(0);
  summary = JSON.parse(readFileSync(out, 'utf8')) as DemoSummary;
});

async function openTrace(page: Page, traceId: string) {
  await page.goto(`/?backend=local&trace=${traceId}`);
  await expect(page.getByTestId('waterfall-row').first()).toBeVisible({ timeout: 15_000 });
}

const rowsOf = (page: Page, service: string) => page.getByTestId('waterfall-row').filter({ hasText: service });

test('the order trace crosses the four services with one trace id and an unbroken tree', async ({ page }) => {
  await openTrace(page, summary.successfulOrder.traceId);
  await expect(page.getByTestId('trace-root')).toContainText('api-gateway');
  for (const service of ['api-gateway', 'order-service', 'inventory-service', 'payment-service']) await expect(rowsOf(page, service).first()).toBeVisible();
  // Every span found its parent: one root, no orphans, inventory (sent by Zipkin) under order-service (OTLP).
  await expect(page.locator('[data-testid=waterfall-row][aria-level="1"]')).toHaveCount(1);
  const inventoryLevel = Number(await rowsOf(page, 'inventory-service').first().getAttribute('aria-level'));
  expect(inventoryLevel).toBeGreaterThan(2);
  await expect(page.getByTestId('trace-page')).toContainText(summary.successfulOrder.traceId.padStart(32, '0'));
});

test('a failed payment shows its exception on the payment span', async ({ page }) => {
  await openTrace(page, summary.failedPayment.traceId);
  expect(Number(await page.getByTestId('trace-error-count').innerText())).toBeGreaterThan(0);
  // The payment service's spans: one of them carries the recorded exception.
  const payment = rowsOf(page, 'payment-service');
  let exceptions = 0;
  for (let i = 0; i < (await payment.count()); i++) {
    await payment.nth(i).click();
    await expect(page.getByTestId('span-details')).toContainText('payment-service');
    exceptions += await page.getByTestId('span-event').filter({ hasText: 'exception' }).count();
  }
  expect(exceptions).toBeGreaterThan(0);
  await expect(page.getByTestId('span-error-message')).toBeVisible();
});

test('the batch span shows a link to every order it processed', async ({ page }) => {
  await openTrace(page, summary.batch.traceId);
  await page.locator('[data-testid=waterfall-row][aria-level="1"]').first().click();
  await expect(page.getByTestId('span-link-out')).toHaveCount(summary.batch.size);
});

test('the async flow joins up when the stored context is restored, and falls apart when it is not', async ({ page }) => {
  await openTrace(page, summary.asyncWithContext.jobs[0].apiTraceId);
  for (const service of ['jobs-api', 'job-worker']) await expect(rowsOf(page, service).first()).toBeVisible();

  await openTrace(page, summary.asyncWithoutContext.jobs[0].apiTraceId);
  await expect(rowsOf(page, 'jobs-api').first()).toBeVisible();
  await expect(rowsOf(page, 'job-worker')).toHaveCount(0);
  expect(summary.asyncWithoutContext.jobs[0].workerTraceId).not.toBe(summary.asyncWithoutContext.jobs[0].apiTraceId);
});
