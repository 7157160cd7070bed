import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseServeArgs } from './serve-lib.ts';
import { PROJECT_DIR } from './run-cli.ts';

function serve(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_DIR, 'cli', 'spanscope.ts'), 'serve', ...args], { cwd: PROJECT_DIR, encoding: 'utf8', timeout: 20_000 });
}

describe('spanscope serve', () => {
  it('parses its flags, both "--flag value" and "--flag=value"', () => {
    expect(parseServeArgs(['--port', '9000', '--host=0.0.0.0', '--data-dir', '/tmp/x', '--config=c.json'])).toEqual({ port: 9000, host: '0.0.0.0', dataDir: '/tmp/x', config: 'c.json' });
    expect(() => parseServeArgs(['--port', 'http'])).toThrow('--port must be a port number');
    expect(() => parseServeArgs(['--verbose'])).toThrow('Unknown option "--verbose"');
  });

  it('prints its usage with --help and exits 0', () => {
    const run = serve(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: spanscope serve');
  });

  it('exits 2 with the usage on a bad flag, 1 with the reason on a bad config', () => {
    const bad = serve(['--port']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--port needs a value');
    const dir = mkdtempSync(join(tmpdir(), 'spanscope-serve-'));
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ backends: [{ name: 'j', type: 'jaeger', url: 'ftp://x' }] }));
    const config = serve(['--config', join(dir, 'c.json'), '--data-dir', dir]);
    expect(config.status).toBe(1);
    expect(config.stderr).toContain('invalid configuration: backends[0].url must be http or https');
  });
});
