// DNS rebinding: a request naming a host this server does not answer to gets 421 with a JSON error
// naming the host and the knob, on the main port and on the receivers' own ports.
import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_RECEIVERS, loadConfig } from './config.ts';
import { isHostAllowed } from './host-check.ts';
import { startServer, type RunningServer } from './start-server.ts';
import { freePort, tempDataDir, testConfig, type TestConfigOverrides } from './test-server.ts';

const running: RunningServer[] = [];
afterEach(async () => Promise.all(running.splice(0).map((s) => s.close())));

async function serve(overrides: TestConfigOverrides = {}): Promise<RunningServer> {
  const server = await startServer(testConfig(tempDataDir(), overrides), false);
  running.push(server);
  return server;
}

/** A real HTTP request with the Host header set by hand (fetch would not let us). */
function send(url: string, host: string, method = 'GET', body?: string): Promise<{ status: number; json: { error?: string; detail?: string } }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: { host, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as { error?: string }) : {} }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the Host allowlist', () => {
  it('answers 421 naming the host and the knob to a foreign Host, on the main port', async () => {
    const { url } = await serve();
    for (const path of ['/healthz', '/api/backends/local/services', '/api/backends/local/traces']) {
      const res = await send(`${url}${path}`, 'rebind.evil.example:8080');
      expect(res.status, path).toBe(421);
      expect(res.json.error).toBe('Host not allowed');
      expect(res.json.detail).toContain('"rebind.evil.example:8080"');
      expect(res.json.detail).toContain('allowedHosts');
      expect(res.json.detail).toContain('SPANSCOPE_ALLOWED_HOSTS');
    }
    const port = new URL(url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'localhost', `app.localhost:${port}`]) {
      expect((await send(`${url}/healthz`, host)).status, host).toBe(200);
    }
  });

  it('answers 421 on the receivers own ports too, before a span is read', async () => {
    const otlpHttpPort = await freePort();
    const server = await serve({ receivers: { ...DEFAULT_RECEIVERS, otlpHttpPort, zipkinPort: 0, datadogPort: 0, otlpGrpcPort: 0, quietMs: 1000, maxInFlight: 8 } });
    const otlp = server.receiverUrls.otlp;
    expect(otlp).toBe(`http://127.0.0.1:${otlpHttpPort}`);
    const refused = await send(`${otlp}/v1/traces`, 'evil.example', 'POST', '{"resourceSpans":[]}');
    expect([refused.status, refused.json.error]).toEqual([421, 'Host not allowed']);
    expect((await send(`${otlp}/v1/traces`, `localhost:${otlpHttpPort}`, 'POST', '{"resourceSpans":[]}')).status).toBe(200);
  });

  it('lets configured names through: exact, or a domain and its subdomains with a leading "."', async () => {
    const { url } = await serve({ allowedHosts: ['traces.internal', '.corp.example'] });
    for (const host of ['traces.internal', 'traces.internal:8080', 'corp.example', 'spanscope.eu.corp.example:443']) {
      expect((await send(`${url}/healthz`, host)).status, host).toBe(200);
    }
    for (const host of ['other.internal', 'evilcorp.example', 'traces.internal.evil.example']) {
      expect((await send(`${url}/healthz`, host)).status, host).toBe(421);
    }
  });
});

describe('isHostAllowed', () => {
  it('takes IP literals, localhost and the bound name; refuses malformed values', () => {
    expect(isHostAllowed('192.168.1.20:8080', '0.0.0.0', [])).toBe(true);
    expect(isHostAllowed('[fe80::1]:8080', '::', [])).toBe(true);
    expect(isHostAllowed('spanscope-box:8080', 'spanscope-box', [])).toBe(true);
    expect(isHostAllowed('LOCALHOST.:8080', '127.0.0.1', [])).toBe(true);
    expect(isHostAllowed('evil.example', '127.0.0.1', [])).toBe(false);
    expect(isHostAllowed('a b', '127.0.0.1', [])).toBe(false);
    expect(isHostAllowed('[::1', '127.0.0.1', [])).toBe(false);
  });

  it('reads allowedHosts from the config file and SPANSCOPE_ALLOWED_HOSTS', () => {
    const dir = tempDataDir();
    writeFileSync(join(dir, 'spanscope.config.json'), JSON.stringify({ allowedHosts: ['c.example'] }));
    const config = loadConfig({ argv: {}, env: { SPANSCOPE_ALLOWED_HOSTS: ' a.example , .b.example ' }, cwd: dir, staticDir: dir });
    expect(config.allowedHosts).toEqual(['c.example', 'a.example', '.b.example']);
    writeFileSync(join(dir, 'spanscope.config.json'), JSON.stringify({ allowedHosts: 'c.example' }));
    expect(() => loadConfig({ argv: {}, env: {}, cwd: dir, staticDir: dir })).toThrow(ConfigError);
  });
});
