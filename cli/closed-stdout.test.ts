// `spanscope-inspect big.json | head`: the reader closes the pipe early. Every CLI ends quietly (no
// EPIPE stack trace, exit 0), spawned as a user runs it, with its stdout closed after the first bytes.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFERENCE_CONFIG } from '../src/core/sampling/reference-config.ts';
import { makeTempDir, PROJECT_DIR } from './run-cli.ts';

/** A Jaeger file of 3,000 one-span traces: each CLI writes far more than a pipe holds (64 KB). */
function manyTraces(dir: string): string {
  const data = Array.from({ length: 3000 }, (_, t) => {
    const traceID = (t + 1).toString(16).padStart(32, '0');
    return {
      traceID,
      spans: [{ traceID, spanID: (t + 1).toString(16).padStart(16, '0'), operationName: 'GET /orders', references: [], startTime: 1735689600000000 + t * 1000, duration: 5000, tags: [], logs: [], processID: 'p1' }],
      processes: { p1: { serviceName: 'orders' } },
    };
  });
  const file = join(dir, 'big.json');
  writeFileSync(file, JSON.stringify({ data }));
  return file;
}

/** Runs the CLI and closes its stdout once the first bytes arrive, as `| head -c 1` does. */
function runWithStdoutClosedEarly(script: string, args: readonly string[]): Promise<{ code: number | null; stderr: string; gotOutput: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_DIR, 'cli', script), ...args], { cwd: PROJECT_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let gotOutput = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', () => {
      gotOutput = true;
      child.stdout.destroy();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, gotOutput }));
  });
}

describe('a closed stdout', () => {
  const dir = makeTempDir();
  const big = manyTraces(dir);
  const config = join(dir, 'collector.yaml');
  writeFileSync(config, REFERENCE_CONFIG);

  it.each([
    ['inspect.ts', [big]],
    ['convert.ts', [big, '--to', 'otlp']],
    ['sample.ts', ['--config', config, big]],
    ['spanscope.ts', ['inspect', big]],
  ] as const)('ends %s quietly', async (script, args) => {
    const run = await runWithStdoutClosedEarly(script, args);
    expect(run.gotOutput).toBe(true);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  }, 60_000);
});
