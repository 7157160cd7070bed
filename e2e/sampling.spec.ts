// The sampling lab (issue #18) on the demo's batch traces (9 traces, one with an error): the reference
// config's counts, a dropped error trace opened in the waterfall with the lab's verdict, Back to the lab,
// the lab reopened from its URL, and a bad config shown at its line with its policy.
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { REFERENCE_CONFIG } from '../src/core/sampling/reference-config.ts';

// The counts over demo-batch-links.jsonl, as src/core/sampling/evaluate.test.ts computes them
// independently of the engine: the tail alone keeps 1 of 9 (the error trace, by errors-policy); behind
// parentbased_traceidratio 0.1 (Go rule) the head keeps 1 trace, not the error one, and the tail drops
// that one: 0 of 9 kept.
const TRACES = 9;

async function openLab(page: Page) {
  await page.goto(`/?url=${encodeURIComponent('/demo/demo-batch-links.jsonl')}`);
  await page.getByTestId('aggregate-sampling').click();
  await expect(page.getByTestId('sampling-view')).toBeVisible();
}

test('the reference config: counts, a dropped error trace in the waterfall with its verdict, Back, and the lab from its URL', async ({ page, browser }) => {
  await openLab(page);
  await page.getByTestId('sampling-config').fill(REFERENCE_CONFIG);
  await expect(page.getByTestId('sampling-head')).toHaveValue('parentbased_traceidratio:0.1');
  await expect(page.getByTestId('sampling-kept-traces')).toContainText(`0 of ${TRACES}`);
  await expect(page.getByTestId('sampling-split-head')).toContainText('1');
  await expect(page.getByTestId('sampling-split-tail').locator('td').first()).toContainText('1');
  await expect(page.getByTestId('sampling-loss-errors')).toContainText('1 of 1 dropped');
  await expect(page.getByTestId('sampling-policy-row').filter({ hasText: 'errors-policy' }).locator('td').last()).toHaveText('1');
  await expect(page.getByTestId('sampling-decision-row')).toHaveCount(TRACES);

  // Sorted by errors: the error trace is first. Its page says the head dropped it and the tail would keep it.
  const errorRow = page.getByTestId('sampling-decision-row').first();
  await expect(errorRow).toContainText('head sampler');
  await errorRow.click();
  await expect(page.getByTestId('waterfall-row').first()).toBeVisible();
  const verdict = page.getByTestId('sampling-verdict');
  await expect(verdict).toContainText('dropped');
  await expect(verdict).toContainText('head sampler');
  await expect(verdict).toContainText('errors-policy');
  await expect(page.getByTestId('trace-error-count')).not.toHaveText('0');

  await page.goBack();
  await expect(page.getByTestId('sampling-view')).toBeVisible();
  await expect(page.getByTestId('sampling-kept-traces')).toContainText(`0 of ${TRACES}`);

  // The consistent rule: the demo's OTLP roots carry no W3C random flag and no ot=rv, so the lab says
  // their 9 ids were assumed random.
  await expect(page.getByTestId('sampling-randomness-assumed')).toHaveCount(0);
  await page.getByTestId('sampling-head').fill('parentbased_traceidratio:0.5:consistent');
  await expect(page.getByTestId('sampling-randomness-assumed')).toContainText(`${TRACES} traces decided by the consistent head sampler`);

  // Without a head sampler the tail alone decides: the error trace is kept.
  await page.getByTestId('sampling-head-kind').selectOption('none');
  await expect(page.getByTestId('sampling-randomness-assumed')).toHaveCount(0);
  await expect(page.getByTestId('sampling-kept-traces')).toContainText(`1 of ${TRACES}`);
  await expect(page.getByTestId('sampling-loss-errors')).toContainText('0 of 1 dropped');
  // A config of its own, so the link has to carry it: keep only what the errors policy keeps.
  const errorsOnly = REFERENCE_CONFIG.replace('sampling_percentage: 10', 'sampling_percentage: 0');
  await page.getByTestId('sampling-config').fill(errorsOnly);
  await expect(page).toHaveURL(/scfg=/);
  await expect(page).toHaveURL(/shead=none/);

  const other = await browser.newPage();
  await other.goto(page.url());
  await expect(other.getByTestId('sampling-config')).toHaveValue(errorsOnly);
  await expect(other.getByTestId('sampling-head')).toHaveValue('');
  await expect(other.getByTestId('sampling-kept-traces')).toContainText(`1 of ${TRACES}`);
  await other.close();
});

test('a bad config names its line, column and policy, and marks the line', async ({ page }) => {
  await openLab(page);
  await page.getByTestId('sampling-config').fill(REFERENCE_CONFIG.replace('threshold_ms: 1000', 'threshold_msec: 1000'));
  const error = page.getByTestId('sampling-config-error');
  await expect(error).toContainText(/line 12:\d+/);
  await expect(error).toContainText('slow-traces-policy');
  await expect(error).toContainText('threshold_msec');
  await expect(page.getByTestId('sampling-error-line')).toHaveText('12');
  await page.getByTestId('sampling-head').fill('traceidratio:2');
  await page.getByTestId('sampling-config').fill(REFERENCE_CONFIG);
  await expect(page.getByTestId('sampling-head-error')).toContainText('ratio');
});

// The batch traces' starts (2026-11-22 00:32:40.706–.722 UTC): a range of that second holds them and no
// other seeded demo trace (the next, demo-async-restored, starts at 00:32:41.715).
const BATCH_SECOND = { from: Date.UTC(2026, 10, 22, 0, 32, 40), to: Date.UTC(2026, 10, 22, 0, 32, 41) };

test('the embedded store over a time range: evaluated on the server, the same counts, a store trace opened with its verdict', async ({ page, request }) => {
  const { traces } = (await (await request.get('/api/backends/local/traces?service=order-batch&limit=50')).json()) as { traces: { traceId: string }[] };
  expect(traces.length).toBeGreaterThan(0);
  const evaluations: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/sampling/evaluate')) evaluations.push(r.postData() ?? '');
  });
  await page.goto(`/?backend=local&trace=${traces[0].traceId}&tab=sampling&sscope=store&sfrom=${BATCH_SECOND.from}&sto=${BATCH_SECOND.to}`);
  await expect(page.getByTestId('sampling-scope')).toHaveValue('store');
  // The same numbers as over the file: the server replays the same engine over the same 9 traces.
  await expect(page.getByTestId('sampling-kept-traces')).toContainText(`0 of ${TRACES}`);
  await expect(page.getByTestId('sampling-loss-errors')).toContainText('1 of 1 dropped');
  await expect(page.getByTestId('sampling-decision-row')).toHaveCount(TRACES);
  expect(JSON.parse(evaluations[0])).toMatchObject({ start: BATCH_SECOND.from, end: BATCH_SECOND.to, head: 'parentbased_traceidratio:0.1' });

  // A config error comes back from the server at its line, as the worker's does.
  await page.getByTestId('sampling-config').fill(REFERENCE_CONFIG.replace('threshold_ms: 1000', 'threshold_msec: 1000'));
  await expect(page.getByTestId('sampling-config-error')).toContainText('threshold_msec');
  await expect(page.getByTestId('sampling-error-line')).toHaveText('12');
  await page.getByTestId('sampling-config').fill(REFERENCE_CONFIG);
  await expect(page.getByTestId('sampling-kept-traces')).toContainText(`0 of ${TRACES}`);

  // A dropped store trace opens from the store with the lab's verdict.
  await page.getByTestId('sampling-decision-row').first().click();
  await expect(page).toHaveURL(/backend=local/);
  await expect(page.getByTestId('sampling-verdict')).toContainText('head sampler');
  await expect(page.getByTestId('waterfall-row').first()).toBeVisible();

  // "Any time" opens the range: every seeded demo trace at least.
  await page.goBack();
  await page.getByTestId('sampling-lookback').selectOption('all');
  await expect(page).not.toHaveURL(/sfrom=/);
  const total = async () => Number(/of ([\d,]+)/.exec((await page.getByTestId('sampling-kept-traces').textContent()) ?? '')?.[1].replace(/,/g, '') ?? 0);
  await expect.poll(total).toBeGreaterThanOrEqual(23);
});

// Screenshots to look at (not a check): SPANSCOPE_SHOTS=<dir> writes the lab at two sizes, light and dark.
test('screenshots of the lab', async ({ browser }) => {
  const dir = process.env.SPANSCOPE_SHOTS;
  test.skip(!dir, 'set SPANSCOPE_SHOTS=<dir> to write them');
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  for (const [width, height] of [
    [1280, 800],
    [1920, 1080],
  ]) {
    for (const scheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ viewport: { width, height }, colorScheme: scheme });
      const page = await context.newPage();
      await page.goto(`/?url=${encodeURIComponent('/demo/demo-batch-links.jsonl')}`);
      await page.getByTestId('aggregate-sampling').click();
      await expect(page.getByTestId('sampling-kept-traces')).toContainText('0 of');
      await page.screenshot({ path: `${dir}/lab-${width}x${height}-${scheme}.png`, fullPage: false });
      await page.getByTestId('sampling-decision-row').first().click();
      await expect(page.getByTestId('sampling-verdict')).toBeVisible();
      await page.screenshot({ path: `${dir}/lab-${width}x${height}-${scheme}-trace.png` });
      await context.close();
    }
  }
});
