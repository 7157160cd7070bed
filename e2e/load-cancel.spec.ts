// A big load can be cancelled, and its progress bar never goes back. The file is generated (200k spans
// of OTLP JSON, bench/generate-trace.ts), never committed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { generateTrace } from '../bench/generate-trace.ts';
import { dropFixture } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'spanscope-cancel-'));
const BIG = join(dir, 'big-200k.json');
test.beforeAll(() => {
  generateTrace(BIG, { spans: 200_000, format: 'otlp' });
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('cancelling a big load returns to the open trace, says so, and the progress it showed only went forward', async ({ page }) => {
  test.setTimeout(120_000);
  // Every value the progress bar shows, as it shows it.
  await page.addInitScript(() => {
    const seen: number[] = [];
    Object.assign(window, { progressSeen: seen });
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.target instanceof Element && r.target.getAttribute('role') === 'progressbar') seen.push(Number(r.target.getAttribute('aria-valuenow')));
        for (const node of r.addedNodes) {
          const bar = node instanceof Element ? node.querySelector('[role=progressbar]') : null;
          if (bar) seen.push(Number(bar.getAttribute('aria-valuenow')));
        }
      }
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  });
  await page.goto('/');
  await dropFixture(page, 'real/datadog/dd-trace-py__django-asgi_500.json');
  await expect(page.getByTestId('trace-span-count')).toHaveText('30');

  // Only the big file's load is watched from here.
  await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen.splice(0));
  await page.getByTestId('header-file-input').setInputFiles(BIG);
  const bar = page.getByTestId('load-progress').getByRole('progressbar');
  await expect(bar).toBeVisible();
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 60_000 }).toBeGreaterThanOrEqual(10);
  await page.getByTestId('load-cancel').click();

  await expect(page.getByTestId('load-error')).toContainText(/big-200k\.json: Loading was cancelled at \d+%/);
  await expect(page.getByTestId('load-progress')).toHaveCount(0);
  // Back where the user was: the Django trace, still working.
  await expect(page.getByTestId('trace-span-count')).toHaveText('30');
  await expect(page.getByTestId('waterfall-row').first()).toBeVisible();

  const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
  expect(seen.length, `progress shown: ${seen.join(' ')}`).toBeGreaterThan(2);
  expect(seen.every((v, k) => k === 0 || v >= seen[k - 1]), `progress shown: ${seen.join(' ')}`).toBe(true);
  expect(Math.max(...seen)).toBeGreaterThanOrEqual(10);
});
