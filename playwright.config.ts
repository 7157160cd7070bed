import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// Debian's Chromium where Playwright cannot download its own (CI here); Playwright's browser elsewhere.
function chromiumPath(): string | undefined {
  const fromEnv = process.env.SPANSCOPE_CHROMIUM ?? process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

const port = Number(process.env.E2E_PORT ?? 4178);

export default defineConfig({
  testDir: 'e2e',
  timeout: 30_000,
  fullyParallel: true,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: chromiumPath(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage'],
    },
  },
  // The real server (static app + /api + embedded store seeded with the demo traces) on a fresh data
  // directory, with one backend that is down on purpose. E2E_PORT and SPANSCOPE_STATIC_DIR (a build
  // elsewhere than dist/) let two runs share a machine.
  webServer: {
    command: `rm -rf .e2e-data-${port} && node --import tsx cli/spanscope.ts serve --port ${port} --data-dir .e2e-data-${port} --config e2e/e2e-server.config.json`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
