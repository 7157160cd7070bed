import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

function withConfigFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'spanscope-access-'));
  writeFileSync(join(dir, 'spanscope.config.json'), JSON.stringify(content));
  return dir;
}

const base = { argv: {}, env: { HOME: '/home/u' }, staticDir: '/app/dist' };

describe('access configuration', () => {
  it('defaults: 5 GiB and 30 days of shares, 30 uploads and 1 GiB per client a minute, no auth, no extra origins, no source maps', () => {
    const c = loadConfig({ ...base, cwd: withConfigFile({}) });
    expect(c.sharing).toEqual({ enabled: true, maxBytes: 5 * 1024 ** 3, maxAgeDays: 30 });
    expect(c.rateLimit).toEqual({ uploadsPerMinute: 30, uploadBytesPerMinute: 1024 ** 3 });
    expect(c.auth).toEqual({ ui: undefined, api: undefined, receivers: undefined });
    expect(c.urlAllowlist).toEqual([]);
    expect(c.serveSourceMaps).toBe(false);
  });

  it('reads the file, fills ${VAR}s of credentials from the environment, and lets the environment win', () => {
    const cwd = withConfigFile({
      sharing: { maxBytes: 1000, maxAgeDays: 7 },
      rateLimit: { uploadsPerMinute: 5 },
      auth: { ui: { basic: { username: 'ops', password: '${UI_PASSWORD}' } }, receivers: { bearer: '${INGEST_TOKEN}' } },
      server: { urlAllowlist: ['https://traces.example.com/', 'http://10.0.0.5:9000'], sourceMaps: true },
    });
    const env = { ...base.env, UI_PASSWORD: 'pw', INGEST_TOKEN: 't'.repeat(20), SPANSCOPE_SHARE_MAX_AGE_DAYS: '2' };
    const c = loadConfig({ ...base, cwd, env });
    expect(c.sharing).toEqual({ enabled: true, maxBytes: 1000, maxAgeDays: 2 });
    expect(c.rateLimit.uploadsPerMinute).toBe(5);
    expect(c.auth).toEqual({ ui: { type: 'basic', username: 'ops', password: 'pw' }, api: undefined, receivers: { type: 'bearer', token: 't'.repeat(20) } });
    expect(c.urlAllowlist).toEqual(['https://traces.example.com', 'http://10.0.0.5:9000']);
    expect(c.serveSourceMaps).toBe(true);
    expect(loadConfig({ ...base, cwd, env: { ...env, SPANSCOPE_URL_ALLOWLIST: 'https://a.example', SPANSCOPE_SOURCEMAPS: '0' } })).toMatchObject({
      urlAllowlist: ['https://a.example'],
      serveSourceMaps: false,
    });
  });

  it.each([
    [{ sharing: { maxBytes: 0 } }, /sharing.maxBytes must be a positive number/],
    [{ rateLimit: { uploadBytesPerMinute: 'lots' } }, /rateLimit.uploadBytesPerMinute must be a positive number/],
    [{ auth: { admin: { bearer: 'x'.repeat(20) } } }, /auth.admin is not a part of the server/],
    [{ auth: { api: { bearer: 'short' } } }, /auth.api.bearer must be at least 16 characters/],
    [{ auth: { api: { bearer: '${NOT_SET}' } } }, /auth.api.bearer names the environment variable NOT_SET, which is not set/],
    [{ auth: { ui: { basic: { username: 'a:b', password: 'p' } } } }, /auth.ui.basic needs a username without ":"/],
    [{ auth: { ui: { token: 'x' } } }, /auth.ui must be \{"bearer"/],
    [{ server: { urlAllowlist: ['https://a.example/traces'] } }, /server.urlAllowlist\[0\] must be an origin only/],
    [{ server: { urlAllowlist: ['file:///etc'] } }, /must be http or https/],
  ])('rejects %j with a message naming the field', (content, message) => {
    expect(() => loadConfig({ ...base, cwd: withConfigFile(content) })).toThrow(message);
  });
});
