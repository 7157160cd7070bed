import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

function withConfigFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'spanscope-config-'));
  writeFileSync(join(dir, 'spanscope.config.json'), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

const base = { argv: {}, env: { HOME: '/home/u' }, staticDir: '/app/dist' };

describe('loadConfig', () => {
  it('defaults: 127.0.0.1:8080, data under the home directory, only the embedded store', () => {
    const c = loadConfig({ ...base, cwd: mkdtempSync(join(tmpdir(), 'spanscope-empty-')) });
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8080, dataDir: '/home/u/.spanscope', backends: [], defaultBackend: 'local', sharing: { enabled: true } });
    expect(c.limits.bodyBytes).toBe(200 * 1024 * 1024);
  });

  it('reads backends from the file, fills ${VAR} headers from the environment and trims the URL', () => {
    const cwd = withConfigFile({
      backends: [{ name: 'jaeger-prod', type: 'jaeger', url: 'https://jaeger.example.com/query/', timeoutMs: 5000, headers: { Authorization: 'Bearer ${JAEGER_TOKEN}' } }],
      defaultBackend: 'jaeger-prod',
    });
    const c = loadConfig({ ...base, cwd, env: { ...base.env, JAEGER_TOKEN: 's3cret' } });
    expect(c.backends).toEqual([
      { name: 'jaeger-prod', type: 'jaeger', url: 'https://jaeger.example.com/query', timeoutMs: 5000, headers: { Authorization: 'Bearer s3cret' }, maxResponseBytes: 512 * 1024 * 1024 },
    ]);
    expect(c.defaultBackend).toBe('jaeger-prod');
  });

  it('adds backends from SPANSCOPE_*_URL; flags beat env beat file', () => {
    const cwd = withConfigFile({ port: 9000, host: '0.0.0.0' });
    const c = loadConfig({ ...base, cwd, argv: { port: 7000 }, env: { ...base.env, HOST: '10.0.0.1', SPANSCOPE_TEMPO_URL: 'http://tempo:3200' } });
    expect(c.port).toBe(7000);
    expect(c.host).toBe('10.0.0.1');
    expect(c.backends.map((b) => [b.name, b.type, b.url])).toEqual([['tempo', 'tempo', 'http://tempo:3200']]);
  });

  it.each([
    [{ backends: [{ name: 'x', type: 'elastic', url: 'http://e' }] }, /type must be "jaeger", "tempo" or "zipkin"/],
    [{ backends: [{ name: 'x', type: 'jaeger', url: 'file:///etc/passwd' }] }, /must be http or https/],
    [{ backends: [{ name: '../x', type: 'jaeger', url: 'http://j' }] }, /name must be/],
    [{ backends: [{ name: 'local', type: 'jaeger', url: 'http://j' }] }, /used twice/],
    [{ backends: [{ name: 'j', type: 'jaeger', url: 'http://j', headers: { Authorization: 'Bearer ${MISSING}' } }] }, /MISSING, which is not set/],
    [{ defaultBackend: 'nope' }, /defaultBackend "nope" is not a configured backend/],
    [{ limits: { bodyBytes: -1 } }, /limits.bodyBytes must be a positive integer/],
    ['{"backends": [', /not valid JSON/],
  ])('rejects %j with a message naming the field', (content, message) => {
    expect(() => loadConfig({ ...base, cwd: withConfigFile(content) })).toThrow(message);
  });

  it('OTLP/gRPC receiver: 4317 and 16 MiB by default; SPANSCOPE_OTLP_GRPC_PORT beats the file; 0 turns it off', () => {
    const defaults = loadConfig({ ...base, cwd: mkdtempSync(join(tmpdir(), 'spanscope-empty-')) });
    expect([defaults.receivers.otlpGrpcPort, defaults.receivers.grpcMaxMessageBytes]).toEqual([4317, 16 * 1024 * 1024]);
    const cwd = withConfigFile({ receivers: { otlpGrpcPort: 14317, grpcMaxMessageBytes: 1024 } });
    expect(loadConfig({ ...base, cwd }).receivers).toMatchObject({ otlpGrpcPort: 14317, grpcMaxMessageBytes: 1024 });
    expect(loadConfig({ ...base, cwd, env: { ...base.env, SPANSCOPE_OTLP_GRPC_PORT: '0' } }).receivers.otlpGrpcPort).toBe(0);
    expect(() => loadConfig({ ...base, cwd: withConfigFile({ receivers: { grpcMaxMessageBytes: 0 } }) })).toThrow(/receivers.grpcMaxMessageBytes must be a positive integer/);
  });

  it('receivers: a body cap per HTTP receiver (32 MiB each by default) and a body timeout, each set on its own', () => {
    const defaults = loadConfig({ ...base, cwd: mkdtempSync(join(tmpdir(), 'spanscope-empty-')) }).limits;
    expect([defaults.receiverBodyBytes, defaults.receiverBodyTimeoutMs]).toEqual([{ otlp: 32 * 1024 * 1024, zipkin: 32 * 1024 * 1024, datadog: 32 * 1024 * 1024 }, 30_000]);
    const limits = loadConfig({ ...base, cwd: withConfigFile({ limits: { receiverBodyBytes: { zipkin: 1000 }, receiverBodyTimeoutMs: 5000 } }) }).limits;
    expect([limits.receiverBodyBytes, limits.receiverBodyTimeoutMs]).toEqual([{ otlp: 32 * 1024 * 1024, zipkin: 1000, datadog: 32 * 1024 * 1024 }, 5000]);
    expect(() => loadConfig({ ...base, cwd: withConfigFile({ limits: { receiverBodyBytes: { datadog: -5 } } }) })).toThrow(/limits.receiverBodyBytes.datadog must be a positive integer/);
  });

  it('fails when an explicitly named config file is missing', () => {
    expect(() => loadConfig({ ...base, cwd: '/', argv: { config: '/nonexistent/spanscope.json' } })).toThrow(ConfigError);
  });
});
