// Private by default, as a browser meets it: a file shared from the app is opened by its link and by
// nothing else; a page on another site that fires no-cors POSTs at the server stores nothing.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { FIXTURES, dropFile } from './helpers.ts';

const SECRET = 'sk_live_SECRET123';

/** An OTLP/JSON file of one trace whose span carries the secret; ids differ per test so runs never meet. */
function secretFile(traceId: string, service: string): string {
  return JSON.stringify({
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [{ scope: { name: 'privacy-e2e' }, spans: [{
        traceId, spanId: '1111111111111111', name: 'run-payroll', kind: 2,
        startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000250000000',
        attributes: [{ key: 'auth.token', value: { stringValue: SECRET } }],
      }] }],
    }],
  });
}

/** What the `local` backend reveals to anyone without a share id. */
async function expectNotRevealed(request: APIRequestContext, service: string, traceId: string): Promise<void> {
  const tagValues = await request.get('/api/backends/local/tag-values?tag=auth.token');
  expect(tagValues.status()).toBe(200);
  expect(await tagValues.text()).not.toContain(SECRET);
  expect((await (await request.get(`/api/backends/local/traces?service=${service}`)).json()).traces).toEqual([]);
  expect((await (await request.get('/api/backends/local/services')).json()).services).not.toContain(service);
  expect((await request.get(`/api/backends/local/traces/${traceId}`)).status()).toBe(404);
}

test('a file shared from the app opens by its link, and search, tag values and trace-by-id do not reveal it', async ({ page, request, browser }) => {
  const traceId = 'a1'.repeat(16);
  await page.goto('/');
  await dropFile(page, 'payroll.json', secretFile(traceId, 'payroll-e2e'));
  await expect(page.locator('[data-testid=waterfall-row][data-span="0"]')).toBeVisible();
  await page.getByTestId('share-button').click();
  const shared = await page.getByTestId('share-url').inputValue();
  const shareId = new URL(shared).searchParams.get('share');
  expect(shareId).toMatch(/^[A-Za-z0-9_-]{43}$/);

  await expectNotRevealed(request, 'payroll-e2e', traceId);

  const byId = await request.get(`/api/shares/${shareId}`);
  expect(byId.status()).toBe(200);
  expect(await byId.text()).toContain(SECRET);
  const other = await (await browser.newContext()).newPage();
  await other.goto(shared);
  await expect(other.locator('[data-testid=waterfall-row][data-span="0"]')).toBeVisible();
  await other.context().close();
});

test.describe('a page on another site', () => {
  let site: Server;
  let siteUrl: string;
  test.beforeAll(async () => {
    // Another origin and another site: `localhost` on its own port, while the app is 127.0.0.1.
    site = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>elsewhere</title><p>another site</p>'));
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://localhost:${(site.address() as AddressInfo).port}/`;
  });
  test.afterAll(async () => new Promise((resolve) => site.close(resolve)));

  test('fires no-cors POSTs (text/plain and Blob bodies) at every write endpoint; nothing is stored', async ({ page, request, baseURL }) => {
    const shareTrace = 'b2'.repeat(16);
    const zipkinTrace = 'c3'.repeat(16);
    // The bytes the real dd-trace sent (application/msgpack), here without their type.
    const datadogBase64 = readFileSync(join(FIXTURES, 'generated', 'datadog', 'dd-trace-5.132.0__v0.4.msgpack')).toString('base64');
    const ddTrace = (JSON.parse(readFileSync(join(FIXTURES, 'generated', 'datadog', 'dd-trace-5.132.0__v0.4.ids.json'), 'utf8')) as {
      spans: { charge: { traceId128: string } };
    }).spans.charge.traceId128;
    const shareBody = secretFile(shareTrace, 'payroll-planted');
    const zipkinBody = JSON.stringify([{ traceId: zipkinTrace, id: '2222222222222222', name: 'planted', timestamp: 1700000000000000, duration: 1000,
      localEndpoint: { serviceName: 'planted-zipkin' }, tags: { 'auth.token': SECRET } }]);
    await page.goto(siteUrl);
    const attempts = await page.evaluate(
      async ({ server, shareBody, zipkinBody, datadogBase64 }) => {
        const datadogBody = Uint8Array.from(atob(datadogBase64), (c) => c.charCodeAt(0));
        const send = async (path: string, method: string, body: BodyInit, headers?: Record<string, string>) => {
          try {
            await fetch(`${server}${path}`, { method, mode: 'no-cors', body, headers });
            return `${method} ${path}: sent`;
          } catch (err) {
            return `${method} ${path}: ${String(err)}`;
          }
        };
        return [
          await send('/api/shares', 'POST', shareBody, { 'content-type': 'text/plain' }),
          await send('/api/shares', 'POST', new Blob([shareBody], { type: 'application/json' })),
          await send('/api/shares', 'POST', new Blob([shareBody])),
          await send('/api/v2/spans', 'POST', zipkinBody, { 'content-type': 'text/plain' }),
          await send('/api/v2/spans', 'POST', new Blob([zipkinBody])),
          await send('/v0.4/traces', 'POST', new Blob([datadogBody], { type: 'text/plain' })),
          await send('/v0.4/traces', 'POST', new Blob([datadogBody])),
        ];
      },
      { server: baseURL ?? '', shareBody, zipkinBody, datadogBase64 },
    );
    // The browser sent them all: a no-cors POST goes out, only its answer is opaque to the page.
    expect(attempts).toEqual(attempts.map((a) => a.replace(/: .*$/, ': sent')));

    const shareId = createHash('sha256').update(shareBody).digest('base64url');
    const status = async (path: string) => (await request.get(path)).status();
    // Each write on its own line: a failure shows every one that got through.
    expect({
      share: await status(`/api/shares/${shareId}`),
      zipkin: await status(`/api/backends/local/traces/${zipkinTrace}`),
      datadog: await status(`/api/backends/local/traces/${ddTrace}`),
    }).toEqual({ share: 404, zipkin: 404, datadog: 404 });
    await expectNotRevealed(request, 'payroll-planted', shareTrace);
    await expectNotRevealed(request, 'planted-zipkin', zipkinTrace);
  });
});
