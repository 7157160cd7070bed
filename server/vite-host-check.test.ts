// `npm run dev` and `vite preview` answer only the names `spanscope serve` answers (vite.config.ts):
// a foreign Host gets Vite's 403, SPANSCOPE_ALLOWED_HOSTS adds names.
import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, preview } from 'vite';
import { PROJECT_DIR, tempDataDir } from './test-server.ts';

const CONFIG_FILE = join(PROJECT_DIR, 'vite.config.ts');
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  delete process.env.SPANSCOPE_ALLOWED_HOSTS;
  await Promise.all(closers.splice(0).map((c) => c()));
});

function statusFor(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

async function expectHostRule(url: string): Promise<void> {
  const port = new URL(url).port;
  expect(await statusFor(url, 'rebind.evil.example')).toBe(403);
  expect(await statusFor(url, `localhost:${port}`)).toBe(200);
  expect(await statusFor(url, `127.0.0.1:${port}`)).toBe(200);
  expect(await statusFor(url, `traces.internal:${port}`)).toBe(200);
}

describe('Vite dev and preview', () => {
  it('the dev server refuses a foreign Host', async () => {
    process.env.SPANSCOPE_ALLOWED_HOSTS = 'traces.internal';
    const server = await createServer({ configFile: CONFIG_FILE, logLevel: 'silent', server: { port: 0, strictPort: false } });
    closers.push(() => server.close());
    await server.listen();
    const url = server.resolvedUrls?.local[0];
    if (url === undefined) throw new Error('the dev server has no local URL');
    await expectHostRule(url);
  });

  it('preview refuses a foreign Host', async () => {
    process.env.SPANSCOPE_ALLOWED_HOSTS = 'traces.internal';
    const outDir = join(tempDataDir(), 'dist');
    mkdirSync(outDir);
    writeFileSync(join(outDir, 'index.html'), '<!doctype html><title>Spanscope</title>');
    const server = await preview({ configFile: CONFIG_FILE, logLevel: 'silent', preview: { port: 0, strictPort: false }, build: { outDir } });
    closers.push(() => server.close());
    const url = server.resolvedUrls?.local[0];
    if (url === undefined) throw new Error('preview has no local URL');
    await expectHostRule(url);
  });
});
