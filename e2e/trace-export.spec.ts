// Trace JSON and Markdown (issue #15 items 15 and 16) on real files: the Download menu saves the file as
// opened, this trace as OTLP JSON and as Jaeger JSON, and each download reads back to the same spans;
// the span details show the span as OTLP JSON; "Copy as Markdown" fills the clipboard, or shows the
// text when the clipboard refuses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { loadBytes } from '../src/core/import/index.ts';
import { dropFixture, FIXTURES } from './helpers.ts';

// fixtures/demo/demo-orders.jsonl: the declined order, 16 spans; span 13 is payment.charge (error).
const DECLINED = '9211727aec4d3980e464b134425b6294';
const ORDERS = 'demo/demo-orders.jsonl';

async function fixtureSpanIds(relPath: string, traceId: string): Promise<string[]> {
  const collection = await loadBytes(new Uint8Array(readFileSync(join(FIXTURES, relPath))));
  const model = collection.traces.find((t) => t.traceId === traceId);
  if (!model) throw new Error(`${traceId} is not in ${relPath}`);
  return [...model.spanIds].sort();
}

async function download(page: Page, choice: 'original' | 'otlp' | 'jaeger'): Promise<{ name: string; bytes: Uint8Array }> {
  await page.getByTestId('download-button').click();
  await expect(page.getByTestId('download-menu')).toBeVisible();
  const [saved] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`download-${choice}`).click()]);
  return { name: saved.suggestedFilename(), bytes: new Uint8Array(readFileSync(await saved.path())) };
}

async function spanIdsIn(bytes: Uint8Array, traceId: string): Promise<string[]> {
  const collection = await loadBytes(bytes);
  const model = collection.traces.find((t) => t.traceId === traceId);
  if (!model) throw new Error(`${traceId} is not in the download`);
  return [...model.spanIds].sort();
}

test('Download: the file as opened, OTLP JSON and Jaeger JSON each read back to the same 16 spans', async ({ page }) => {
  await page.goto(`/?url=${encodeURIComponent(`/demo/${ORDERS.split('/')[1]}`)}&trace=${DECLINED}`);
  await expect(page.getByTestId('waterfall-row').first()).toBeVisible();
  const expected = await fixtureSpanIds(ORDERS, DECLINED);
  expect(expected).toHaveLength(16);

  const original = await download(page, 'original');
  expect(original.name).toBe('demo-orders.jsonl');
  expect(Buffer.from(original.bytes).equals(readFileSync(join(FIXTURES, ORDERS)))).toBe(true);

  const otlp = await download(page, 'otlp');
  expect(otlp.name).toBe(`trace-${DECLINED}.otlp.json`);
  const otlpDoc = JSON.parse(new TextDecoder().decode(otlp.bytes)) as { resourceSpans: { scopeSpans: { spans: { spanId: string }[] }[] }[] };
  const otlpIds = otlpDoc.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((span) => span.spanId))).sort();
  expect(otlpIds).toEqual(expected);
  expect(await spanIdsIn(otlp.bytes, DECLINED)).toEqual(expected);

  const jaeger = await download(page, 'jaeger');
  expect(jaeger.name).toBe(`trace-${DECLINED}.jaeger.json`);
  const jaegerDoc = JSON.parse(new TextDecoder().decode(jaeger.bytes)) as { data: { traceID: string; spans: { spanID: string }[] }[] };
  expect(jaegerDoc.data).toHaveLength(1);
  expect(jaegerDoc.data[0].spans.map((s) => s.spanID).sort()).toEqual(expected);
  expect(await spanIdsIn(jaeger.bytes, DECLINED)).toEqual(expected);
});

test('Download of a dropped file gives its bytes back; the exports open in Spanscope again', async ({ page }) => {
  const fixture = 'real/jaeger/jaeger-analytics-java__ui-trace.json';
  await page.goto('/');
  await dropFixture(page, fixture);
  await expect(page.getByTestId('waterfall-row').first()).toBeVisible();
  const spanCount = await page.getByTestId('trace-span-count').innerText();
  const original = await download(page, 'original');
  expect(Buffer.from(original.bytes).equals(readFileSync(join(FIXTURES, fixture)))).toBe(true);
  // The OTLP export, dropped on a fresh page, is the same trace.
  const otlp = await download(page, 'otlp');
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles({ name: otlp.name, mimeType: 'application/json', buffer: Buffer.from(otlp.bytes) });
  await expect(page.getByTestId('waterfall-row').first()).toBeVisible();
  await expect(page.getByTestId('trace-span-count')).toHaveText(spanCount);
});

test('the span details show the span as OTLP JSON with its real attributes', async ({ page }) => {
  await page.goto(`/?url=${encodeURIComponent('/demo/demo-orders.jsonl')}&trace=${DECLINED}&s=13&details=1`);
  await expect(page.getByTestId('span-details-name')).toHaveText('payment.charge');
  await expect(page.getByTestId('span-json')).toHaveCount(0);
  await page.getByTestId('span-json-toggle').click();
  const json = page.getByTestId('span-json');
  await expect(json).toBeVisible();
  const span = JSON.parse(await json.innerText()) as { spanId: string; name: string; attributes: { key: string; value: { stringValue?: string } }[]; status: { code: number; message?: string } };
  expect(span.spanId).toBe('c8fdcd3d6549dff2');
  expect(span.name).toBe('payment.charge');
  expect(span.attributes.find((a) => a.key === 'order.id')?.value).toEqual({ stringValue: 'ord-0005' });
  expect(span.status.code).toBe(2);
});

test('Copy as Markdown: the span and the trace reach the clipboard with a link; a refused clipboard shows the text', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(`/?url=${encodeURIComponent('/demo/demo-orders.jsonl')}&trace=${DECLINED}&s=13&details=1`);
  await expect(page.getByTestId('span-details-name')).toHaveText('payment.charge');
  await page.getByTestId('copy-span-markdown').click();
  await expect(page.getByTestId('copy-span-markdown')).toHaveText('✓ Copied');
  const spanText = await page.evaluate(() => navigator.clipboard.readText());
  expect(spanText).toContain('**payment-service: payment.charge** — 21.54ms — **error**');
  expect(spanText).toContain('- Status: error: `card declined for ord-0005: insufficient funds`');
  expect(spanText).toMatch(/- Link: <http:\/\/127\.0\.0\.1:\d+\/\?url=%2Fdemo%2Fdemo-orders\.jsonl&trace=9211727aec4d3980e464b134425b6294&s=13&details=1>/);

  await page.getByTestId('copy-trace-markdown').click();
  await expect(page.getByTestId('copy-trace-markdown')).toHaveText('✓ Copied');
  const traceText = await page.evaluate(() => navigator.clipboard.readText());
  expect(traceText).toContain('**api-gateway: POST /api/orders** — 66.46ms — **4 errors**');
  expect(traceText).toContain('16 spans');

  // The clipboard refuses: the text is shown, selected, to copy by hand.
  await page.evaluate(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
  });
  await page.getByTestId('copy-trace-markdown').click();
  const manual = page.getByTestId('copy-trace-markdown-manual');
  await expect(manual).toContainText('Write permission denied.');
  await expect(manual.locator('textarea')).toHaveValue(/\*\*api-gateway: POST \/api\/orders\*\*/);
});
