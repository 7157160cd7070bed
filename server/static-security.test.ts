// What the built app is served with: a CSP whose connect-src is the server plus server.urlAllowlist (not
// any address), and no source maps unless asked for. Over real HTTP against a build-like static dir.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestServer, tempDataDir, type TestConfigOverrides } from './test-server.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => Promise.all(closers.splice(0).map((c) => c())));

async function serveBuild(overrides: TestConfigOverrides = {}): Promise<string> {
  const staticDir = join(tempDataDir(), 'dist');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><script type="module" src="/assets/index.js"></script>');
  writeFileSync(join(staticDir, 'assets', 'index.js'), 'console.log(1);\n//# sourceMappingURL=index.js.map');
  writeFileSync(join(staticDir, 'assets', 'index.js.map'), '{"version":3,"sources":["../../src/main.tsx"],"sourcesContent":["secret source"],"mappings":""}');
  const server = await makeTestServer({ staticDir, ...overrides });
  closers.push(server.close);
  return server.app.listen({ host: '127.0.0.1', port: 0 });
}

function connectSrc(res: Response): string | undefined {
  return res.headers.get('content-security-policy')?.split('; ').find((d) => d.startsWith('connect-src'));
}

describe('static app security', () => {
  it("allows connections to 'self' only by default, and to server.urlAllowlist's origins when set", async () => {
    const open = await serveBuild();
    expect(connectSrc(await fetch(`${open}/`))).toBe("connect-src 'self'");
    const listed = await serveBuild({ urlAllowlist: ['https://traces.example.com', 'http://10.0.0.5:9000'] });
    const page = await fetch(`${listed}/`);
    expect(connectSrc(page)).toBe("connect-src 'self' https://traces.example.com http://10.0.0.5:9000");
    const backends = await (await fetch(`${listed}/api/backends`)).json();
    expect(backends.urlAllowlist).toEqual(['https://traces.example.com', 'http://10.0.0.5:9000']);
  });

  it('does not serve source maps unless server.sourceMaps asks for them', async () => {
    const url = await serveBuild();
    expect((await fetch(`${url}/assets/index.js`)).status).toBe(200);
    const map = await fetch(`${url}/assets/index.js.map`);
    expect(map.status).toBe(404);
    expect(await map.text()).not.toContain('secret source');

    const withMaps = await serveBuild({ serveSourceMaps: true });
    expect(await (await fetch(`${withMaps}/assets/index.js.map`)).text()).toContain('secret source');
  });
});
