// Nothing a trace holds can freeze the tab: a span whose status message, exception.message and an
// attribute are each 1 MB with no spaces. Opening its details and hovering its bar leave the page
// responsive; the text laid out stays bounded; "show all" pages through the whole value in a scroll box.
import { expect, test, type Page } from '@playwright/test';
import { boxOf, dropFile } from './helpers.ts';

const MB = 1 << 20;
// No spaces, no repetition a browser could shortcut: a megabyte of base-36 digits.
function noSpaces(length: number, seed: number): string {
  let s = '';
  let x = seed;
  while (s.length < length) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += x.toString(36);
  }
  return s.slice(0, length);
}

function hostileTrace(): string {
  const traceId = '5b8aa5a2d2c872e8321cf37308d69df2';
  const t0 = 1735689600000000000n;
  const ns = (ms: number) => String(t0 + BigInt(ms) * 1000000n);
  const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'checkout')] },
        scopeSpans: [
          {
            scope: { name: 'e2e' },
            spans: [
              { traceId, spanId: '051581bf3cb55c13', name: 'GET /orders', kind: 2, startTimeUnixNano: ns(0), endTimeUnixNano: ns(100), status: {} },
              {
                traceId,
                spanId: '5fb397be34d26b51',
                parentSpanId: '051581bf3cb55c13',
                name: 'charge card',
                kind: 3,
                startTimeUnixNano: ns(10),
                endTimeUnixNano: ns(90),
                attributes: [str('payload', noSpaces(MB, 3))],
                events: [{ timeUnixNano: ns(50), name: 'exception', attributes: [str('exception.type', 'PaymentError'), str('exception.message', noSpaces(MB, 2))] }],
                status: { code: 2, message: noSpaces(MB, 1) },
              },
            ],
          },
        ],
      },
    ],
  });
}

const row = (page: Page, span: number) => page.locator(`[data-testid=waterfall-row][data-span="${span}"]`);

/** How long the page takes to answer: a frozen tab answers late or not at all. */
async function roundTripMs(page: Page): Promise<number> {
  const t0 = Date.now();
  await page.evaluate(() => document.body.childElementCount);
  return Date.now() - t0;
}

test('a span with 1 MB values without spaces: details and hover card stay responsive and bounded; show all pages through the value', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto('/');
  await dropFile(page, 'huge-values.json', hostileTrace());
  await expect(row(page, 1)).toBeVisible();

  await row(page, 1).click();
  const details = page.getByTestId('span-details');
  await expect(details.getByTestId('span-error-message')).toBeVisible();
  expect(await roundTripMs(page)).toBeLessThan(2000);
  // Four 1 MB values (status message, payload, and exception.message as text and as an attribute), a few hundred characters each.
  const detailsChars = await details.evaluate((el) => el.textContent?.length ?? 0);
  expect(detailsChars).toBeLessThan(10_000);
  expect(await details.evaluate((el) => el.scrollHeight)).toBeLessThan(4000);
  await expect(details.locator('[data-clipped=true]')).toHaveCount(4);

  // The hover card over the bar.
  const canvas = page.getByTestId('waterfall-canvas');
  const canvasBox = await boxOf(canvas);
  const rowBox = await boxOf(row(page, 1));
  await page.mouse.move(canvasBox.x + canvasBox.width * 0.5, rowBox.y + rowBox.height / 2);
  const card = page.getByTestId('hover-card');
  await expect(card).toContainText('charge card');
  await expect(card).toContainText('…');
  expect(await roundTripMs(page)).toBeLessThan(2000);
  expect(await card.evaluate((el) => el.textContent?.length ?? 0)).toBeLessThan(1000);
  expect((await boxOf(card)).height).toBeLessThan(400);
  await page.mouse.move(5, 5);

  // Show all: the whole message, a page at a time, in a box of bounded height that scrolls.
  await details.getByTestId('span-error-message').getByTestId('show-all').click();
  const box = details.getByTestId('show-all-box');
  await expect(box).toBeVisible();
  expect(await roundTripMs(page)).toBeLessThan(2000);
  await expect(details.getByTestId('show-all-range')).toHaveText('1–20,000 of 1,048,576 characters');
  const shown = await box.evaluate((el) => ({ text: el.textContent ?? '', height: el.clientHeight, scrollHeight: el.scrollHeight, overflow: getComputedStyle(el).overflowY, wordBreak: getComputedStyle(el).wordBreak }));
  expect(shown.text).toBe(noSpaces(MB, 1).slice(0, 20_000));
  expect(shown.height).toBeLessThanOrEqual(260);
  expect(shown.scrollHeight).toBeGreaterThan(shown.height);
  expect(shown.overflow).toBe('auto');
  expect(shown.wordBreak).toBe('break-all');
  await details.getByTestId('show-all-next').click();
  await expect(details.getByTestId('show-all-range')).toHaveText('20,001–40,000 of 1,048,576 characters');
  expect(await box.textContent()).toBe(noSpaces(MB, 1).slice(20_000, 40_000));
  await details.getByTestId('show-less').click();
  await expect(box).toHaveCount(0);
});

test('the flamegraph hover card over the span with 1 MB values stays bounded', async ({ page }) => {
  await page.goto('/');
  await dropFile(page, 'huge-values.json', hostileTrace());
  await expect(row(page, 1)).toBeVisible();
  await page.getByTestId('tab-flame').click();
  const canvas = page.getByTestId('flamegraph-canvas');
  await expect(canvas).toHaveAttribute('data-rects', /^[1-9]\d*$/);
  const box = await boxOf(canvas);
  // Row 1 of the icicle (20 px rows): the error span, from 10 to 90 ms of the 100 ms trace.
  await page.mouse.move(box.x + box.width * 0.5, box.y + 20 + 10);
  const card = page.getByTestId('flamegraph-hover');
  await expect(card).toContainText('charge card');
  await expect(card).toContainText('…');
  expect(await roundTripMs(page)).toBeLessThan(2000);
  expect(await card.evaluate((el) => el.textContent?.length ?? 0)).toBeLessThan(1000);
});
