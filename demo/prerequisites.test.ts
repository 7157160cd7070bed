// `npm run demo` on a machine without PostgreSQL or Redis: one message naming what is missing and the
// Debian packages to install, exit 1, no stack trace, and no temp dir left behind.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeMissing, findPrerequisites } from './prerequisites.ts';

const PROJECT_DIR = join(import.meta.dirname, '..');

function executable(file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o755);
}

describe('the demo prerequisites', () => {
  it('names PostgreSQL and Redis with their Debian packages when neither is there', () => {
    const empty = mkdtempSync(join(tmpdir(), 'spanscope-prereq-'));
    const found = findPrerequisites(join(empty, 'postgresql'), empty);
    expect(found.missing.map((m) => m.debianPackage)).toEqual(['postgresql', 'redis-server']);
    const message = describeMissing(found.missing);
    expect(message).toContain('The demo needs PostgreSQL and Redis');
    expect(message).toContain(`looked for ${join(empty, 'postgresql', '*', 'bin')}/postgres and initdb`);
    expect(message).toContain('sudo apt-get install -y postgresql redis-server');
  });

  it('finds the newest PostgreSQL with initdb, and redis-server on the PATH', () => {
    const root = mkdtempSync(join(tmpdir(), 'spanscope-prereq-'));
    executable(join(root, 'pg', '13', 'bin', 'postgres'));
    executable(join(root, 'pg', '13', 'bin', 'initdb'));
    executable(join(root, 'pg', '16', 'bin', 'postgres')); // no initdb: half an install
    executable(join(root, 'bin', 'redis-server'));
    const found = findPrerequisites(join(root, 'pg'), `/nonexistent:${join(root, 'bin')}`);
    expect(found.missing).toEqual([]);
    expect(found.postgresBinDir).toBe(join(root, 'pg', '13', 'bin'));
    expect(found.redisServer).toBe(join(root, 'bin', 'redis-server'));
  });

  it.each(['with-spanscope.ts', 'run-demo.ts'])('%s stops before starting anything, with the message and no stack trace', (script) => {
    const tmp = mkdtempSync(join(tmpdir(), 'spanscope-prereq-tmp-'));
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_DIR, 'demo', script)], {
      cwd: PROJECT_DIR,
      encoding: 'utf8',
      env: { ...process.env, PATH: tmp, TMPDIR: tmp, SPANSCOPE_DEMO_POSTGRES_ROOT: join(tmp, 'none'), SPANSCOPE_DATA_DIR: join(tmp, 'data') },
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('The demo needs PostgreSQL and Redis');
    expect(run.stderr).toContain('sudo apt-get install -y postgresql redis-server');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(readdirSync(tmp).filter((name) => name.startsWith('spanscope-demo-'))).toEqual([]);
  });

  it.skipIf(!findPrerequisites().redisServer)('startInfra, failing after Redis started, stops it and removes its temp dir', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'spanscope-prereq-tmp-'));
    const saved = { TMPDIR: process.env.TMPDIR, root: process.env.SPANSCOPE_DEMO_POSTGRES_ROOT };
    process.env.TMPDIR = tmp;
    process.env.SPANSCOPE_DEMO_POSTGRES_ROOT = join(tmp, 'none');
    try {
      const { startInfra } = await import('./infra.ts');
      await expect(startInfra()).rejects.toThrow('sudo apt-get install -y postgresql');
    } finally {
      process.env.TMPDIR = saved.TMPDIR;
      if (saved.root === undefined) delete process.env.SPANSCOPE_DEMO_POSTGRES_ROOT;
      else process.env.SPANSCOPE_DEMO_POSTGRES_ROOT = saved.root;
    }
    expect(readdirSync(tmp)).toEqual([]);
  });
});
