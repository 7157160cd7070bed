// ?url= opens only the server's own origin and server.urlAllowlist (e2e-server.config.json allows
// http://127.0.0.1:59997): another address is refused with a message naming it and the setting, and an
// allowed origin opens (its file server permits CORS, as ?url= needs).
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

const ALLOWED_PORT = 59997;

test('a ?url= outside server.urlAllowlist is refused with a message naming the URL and the setting', async ({ page }) => {
  const outside = 'http://127.0.0.1:59999/internal/secrets.json';
  await page.goto(`/?url=${encodeURIComponent(outside)}`);
  const banner = page.getByTestId('load-error');
  await expect(banner).toContainText(`This server does not open traces from ${outside}`);
  await expect(banner).toContainText('server.urlAllowlist');
  await expect(banner).toContainText('allowed now: http://127.0.0.1:59997');
  // The app stays usable: a demo trace still opens.
  await page.goto('/');
  await page.getByTestId('demo-trace').filter({ hasText: 'Django' }).click();
  await expect(page.getByTestId('trace-error-count')).toHaveText('2');
});

test('a ?url= on an allowed origin opens', async ({ page }) => {
  const trace = readFileSync(join(import.meta.dirname, '..', 'public', 'demo', 'petclinic-jaeger.json'));
  const fileServer: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' });
    res.end(trace);
  });
  await new Promise<void>((resolve) => fileServer.listen(ALLOWED_PORT, '127.0.0.1', resolve));
  try {
    await page.goto(`/?url=${encodeURIComponent(`http://127.0.0.1:${ALLOWED_PORT}/petclinic.json`)}`);
    await expect(page.getByTestId('trace-span-count')).toHaveText('17');
  } finally {
    await new Promise((resolve) => fileServer.close(resolve));
  }
});
