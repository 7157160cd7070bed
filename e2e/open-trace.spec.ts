import { gzipSync } from 'node:zlib';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { generateTrace } from '../bench/generate-trace.ts';
import { FIXTURES, dropFile, dropFixture } from './helpers.ts';

interface Expected {
  file: string;
  /** The title: the root's service and operation label (span-label.ts). */
  root: string;
  spans: string;
  services: string;
  errors: string;
  duration: string;
}

// Header numbers read off the fixture files (see fixtures/real/*/PROVENANCE.md for the counts).
const ONE_TRACE_FILES: Expected[] = [
  { file: 'real/jaeger/jaeger-ui__petclinic__spanAmongEachOtherGroupedAndSpans.json', root: 'api-gateway: GET /api/customer/owners', spans: '17', services: '2', errors: '0', duration: '3.72ms' },
  { file: 'real/jaeger/jaeger__ui_01.json', root: 'service-x: test-general-conversion', spans: '5', services: '2', errors: '1', duration: '5µs' },
  { file: 'real/otlp/opentelemetry-proto__examples-trace.json', root: "my.service: I'm a server span", spans: '1', services: '1', errors: '0', duration: '1s' },
  { file: 'real/tempo/kiali__tempo-responseTrace.json', root: 'istio-ingressgateway.istio-system: GET /productpage', spans: '8', services: '5', errors: '0', duration: '11.93ms' },
  { file: 'real/zipkin/zipkin__smartthings-oauth-authorization.json', root: 'datamgmt: GET /oauth/authorize', spans: '172', services: '8', errors: '2', duration: '1.67min' },
  { file: 'real/zipkin/zipkin__yelp.json', root: 'routing: post /location/update/v4', spans: '16', services: '6', errors: '0', duration: '131.8ms' },
  { file: 'real/zipkin-v1/zipkin__benchmarks-span-rpc-v1.json', root: 'zipkin-web: get', spans: '2', services: '2', errors: '0', duration: '51ms' },
  { file: 'real/datadog/dd-trace-py__django-asgi_500.json', root: 'django: GET ^error-500/$', spans: '30', services: '1', errors: '2', duration: '35.4ms' },
  { file: 'real/datadog/datadog-agent__trace_without_rates.json', root: 'coffee-house: GET /coffeehouse', spans: '14', services: '3', errors: '1', duration: '1.974s' },
];

for (const e of ONE_TRACE_FILES) {
  test(`drop ${e.file.split('/').pop()} shows its header`, async ({ page }) => {
    await page.goto('/');
    await dropFixture(page, e.file);
    await expect(page.getByTestId('trace-span-count')).toHaveText(e.spans);
    await expect(page.getByTestId('trace-root')).toHaveText(e.root);
    await expect(page.getByTestId('trace-service-count')).toHaveText(e.services);
    await expect(page.getByTestId('trace-error-count')).toHaveText(e.errors);
    await expect(page.getByTestId('trace-duration')).toHaveText(e.duration);
    await expect(page.getByTestId('load-error')).toHaveCount(0);
  });
}

test('a gzip-compressed file loads like the plain one', async ({ page }) => {
  await page.goto('/');
  const raw = readFileSync(join(FIXTURES, 'real/jaeger/jaeger-ui__petclinic__spanAmongEachOtherGroupedAndSpans.json'));
  await dropFile(page, 'petclinic.json.gz', gzipSync(raw));
  await expect(page.getByTestId('trace-span-count')).toHaveText('17');
});

test('a gzip file cut short is named as a damaged gzip file, not an unexpected failure', async ({ page }) => {
  await page.goto('/');
  const gzipped = gzipSync(readFileSync(join(FIXTURES, 'real/zipkin/zipkin__yelp.json')));
  await dropFile(page, 'cut.json.gz', gzipped.subarray(0, gzipped.length >> 1));
  const banner = page.getByTestId('load-error');
  await expect(banner).toContainText('cut.json.gz: The file looks gzip-compressed but does not decompress');
  await expect(banner).not.toContainText('unexpectedly');
  // Still usable: the whole file opens.
  await dropFile(page, 'yelp.json.gz', gzipped);
  await expect(page.getByTestId('trace-span-count')).toHaveText('16');
  await expect(banner).toHaveCount(0);
});

test('a damaged file dropped on an open trace says what is wrong and leaves the open trace as it was', async ({ page }) => {
  await page.goto('/');
  const raw = readFileSync(join(FIXTURES, 'real/zipkin/zipkin__yelp.json'));
  await dropFile(page, 'yelp.json', raw);
  await expect(page.getByTestId('trace-span-count')).toHaveText('16');
  const gzipped = gzipSync(raw);
  await dropFile(page, 'cut.json.gz', gzipped.subarray(0, gzipped.length >> 1), '[data-testid=trace-page]');
  await expect(page.getByTestId('load-error')).toContainText('cut.json.gz: The file looks gzip-compressed but does not decompress');
  // A small open file is kept while the next one parses: the old trace is still there, and still answers.
  await expect(page.getByTestId('trace-span-count')).toHaveText('16');
  await page.getByTestId('waterfall-row').nth(1).click();
  await expect(page.getByTestId('span-details')).toBeVisible();
  await expect(page.getByTestId('span-attr').first()).toBeVisible();
});

test('a file of many slices opens read into shared memory, and also where the page is not cross-origin isolated', async ({ page }) => {
  // ~14 MB: the reader sends it in three slices (2 MB, then 8 MB each).
  const file = join(mkdtempSync(join(tmpdir(), 'spanscope-e2e-')), 'slices.json');
  const { spans, bytes } = generateTrace(file, { spans: 15_000, format: 'jaeger', seed: 5 });
  expect(bytes).toBeGreaterThan(10 << 20);
  await page.goto('/');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await page.getByTestId('file-input').setInputFiles(file);
  await expect(page.getByTestId('trace-span-count')).toHaveText(spans.toLocaleString('en-US'));
  const errors = await page.getByTestId('trace-error-count').textContent();
  if (errors === null) throw new Error('the trace error count has no text');

  // Served without the isolation headers (a plain static host): the slices are copied instead.
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = response.headers();
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
  await page.goto('/');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await page.getByTestId('file-input').setInputFiles(file);
  await expect(page.getByTestId('trace-span-count')).toHaveText(spans.toLocaleString('en-US'));
  await expect(page.getByTestId('trace-error-count')).toHaveText(errors);
  await expect(page.getByTestId('load-error')).toHaveCount(0);
  // Chunks fetched ahead while idle may still be in the handler when the page closes.
  await page.unrouteAll({ behavior: 'ignoreErrors' });
});

test('non-ASCII text and escapes in a Jaeger file read from shared memory come out right', async ({ page }) => {
  const span = (spanID: string, operationName: string, refs: object[]) => ({
    traceID: '0af7651916cd43dd8448eb211c80319c', spanID, operationName, references: refs, startTime: 1735689600000000, duration: 1000,
    tags: [{ key: 'note', type: 'string', value: 'naïve "quoted" \\ ok' }], logs: [], processID: 'p1', warnings: null,
  });
  const doc = JSON.stringify({ data: [{ traceID: '0af7651916cd43dd8448eb211c80319c', spans: [
    span('00000000000000a1', 'Bestellung prüfen', []),
    span('00000000000000a2', 'caf\\u00e9 lookup', [{ refType: 'CHILD_OF', traceID: '0af7651916cd43dd8448eb211c80319c', spanID: '00000000000000a1' }]),
  ], processes: { p1: { serviceName: 'zahlung', tags: [] } } }] });
  await page.goto('/');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await dropFile(page, 'unicode.json', doc.replace('caf\\\\u00e9', 'caf\\u00e9'));
  await expect(page.getByTestId('trace-root')).toHaveText('zahlung: Bestellung prüfen');
  await page.getByTestId('waterfall-row').nth(1).click();
  await expect(page.getByTestId('span-details')).toContainText('café lookup');
  await expect(page.getByTestId('span-attr').filter({ hasText: 'note' })).toContainText('naïve "quoted" \\ ok');
});

test('a file opened while a big one is still parsing wins, and stays usable after the big one would have finished', async ({ page }) => {
  const big = join(mkdtempSync(join(tmpdir(), 'spanscope-e2e-')), 'big.json');
  generateTrace(big, { spans: 60_000, format: 'jaeger', seed: 9 });
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(big);
  await page.getByTestId('header-file-input').setInputFiles(join(FIXTURES, 'real/jaeger/jaeger-ui__petclinic__spanAmongEachOtherGroupedAndSpans.json'));
  await expect(page.getByTestId('trace-span-count')).toHaveText('17');
  // Long enough for the big file to have finished, had it gone on parsing.
  await page.waitForTimeout(2500);
  await expect(page.getByTestId('trace-span-count')).toHaveText('17');
  await page.getByTestId('waterfall-row').nth(1).click();
  await expect(page.getByTestId('span-details')).toBeVisible();
  await expect(page.getByTestId('span-attr').first()).toBeVisible();
  await page.getByTestId('search-input').fill('owners');
  await expect(page.getByTestId('search-count')).not.toHaveText(/^0\b|error/i);
  await expect(page.getByTestId('load-error')).toHaveCount(0);
});

test('the file picker opens a file', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(join(FIXTURES, 'real/datadog/dd-trace-py__ray-serve-grpc-context-propagation.json'));
  await expect(page.getByTestId('trace-span-count')).toHaveText('7');
  await expect(page.getByTestId('trace-service-count')).toHaveText('3');
});

test('pasted JSON opens', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Paste JSON' }).click();
  await page.getByTestId('paste-input').fill(readFileSync(join(FIXTURES, 'real/jaeger/jaeger-analytics-java__ui-trace.json'), 'utf8'));
  await page.getByTestId('paste-submit').click();
  await expect(page.getByTestId('trace-root')).toHaveText('jaeger-query: GET /api/services/{service}/operations');
  await expect(page.getByTestId('trace-span-count')).toHaveText('2');
});

test('?url= opens a trace file from a URL, and a demo trace is one click away', async ({ page }) => {
  await page.goto('/?url=' + encodeURIComponent('/demo/petclinic-jaeger.json'));
  await expect(page.getByTestId('trace-span-count')).toHaveText('17');
  await page.goto('/');
  await page.getByTestId('demo-trace').filter({ hasText: 'Django' }).click();
  await expect(page.getByTestId('trace-error-count')).toHaveText('2');
});

test('a multi-trace file shows the trace list; a row opens its trace; Back returns to the list', async ({ page }) => {
  await page.goto('/');
  await dropFixture(page, 'real/otlp/otel-tui__otel-demo-collector-file-export.jsonl');
  await expect(page.getByTestId('trace-list-heading')).toContainText('141 traces');
  await expect(page.getByTestId('trace-scatter').locator('circle')).toHaveCount(141);
  // Sort by span count, descending: the biggest trace first.
  await page.getByTestId('sort-spans').click();
  const first = page.getByTestId('trace-row').first();
  const spansInRow = (await first.locator('td').nth(2).innerText()).trim();
  await first.click();
  await expect(page.getByTestId('trace-span-count')).toHaveText(spansInRow);
  expect(new URL(page.url()).searchParams.get('trace')).toMatch(/^[0-9a-f]{32}$/);
  await page.goBack();
  await expect(page.getByTestId('trace-list-count')).toHaveText('141 shown');
});

test.describe('bad input gets a clear error and the app stays usable', () => {
  const cases: { name: string; content: string | Uint8Array; message: RegExp; detail?: RegExp }[] = [
    { name: 'broken.json', content: '{"data": [{"traceID": "abc", "spans": [}\n', message: /Invalid JSON at line 1, column \d+/ },
    { name: 'multiline-broken.json', content: '{\n  "data": [\n    {"traceID": "abc",, "spans": []}\n  ]\n}\n', message: /Invalid JSON at line 3, column \d+/ },
    { name: 'empty.json', content: '', message: /The file is empty/ },
    { name: 'image.png', content: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), message: /binary/ },
    { name: 'unknown.json', content: '{"hello": "world", "items": [1, 2, 3]}', message: /Not a trace format/, detail: /object with keys hello, items/ },
    { name: 'no-spans.json', content: '{"data": [], "total": 0, "limit": 0, "offset": 0, "errors": null}', message: /holds no spans/ },
    { name: 'notes.txt', content: 'hello there, this is not json', message: /not JSON/ },
  ];
  for (const c of cases) {
    test(c.name, async ({ page }) => {
      await page.goto('/');
      await dropFile(page, c.name, c.content);
      const banner = page.getByTestId('load-error');
      await expect(banner).toContainText(c.name);
      await expect(banner).toContainText(c.message);
      if (c.detail) await expect(banner).toContainText(c.detail);
      // Still usable: the next file opens.
      await dropFixture(page, 'real/jaeger/jaeger-ui__petclinic__spanAmongEachOtherGroupedAndSpans.json');
      await expect(page.getByTestId('trace-span-count')).toHaveText('17');
      await expect(banner).toHaveCount(0);
    });
  }
});
