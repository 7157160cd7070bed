// Test helper: runs a CLI entry point as a real child process (node --import tsx), as a user would.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROJECT_DIR = join(import.meta.dirname, '..');
export const REAL_FIXTURES = join(PROJECT_DIR, 'fixtures/real');

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(script: 'inspect' | 'convert' | 'sample', args: readonly string[]): CliRun {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_DIR, 'cli', `${script}.ts`), ...args], {
    cwd: PROJECT_DIR,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function makeTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'spanscope-cli-'));
}

/** The non-empty lines of a stream's text. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}
