// The real dd-trace 5, run in a child process, sends to a listening server with the Host, Origin and
// content-type checks in place (its agent writer sends application/msgpack), and its trace is kept.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ddTraceEnv } from '../../fixtures/generated/datadog/dd-trace-env.mjs';
import { startServer, type RunningServer } from '../start-server.ts';
import { PROJECT_DIR, tempDataDir, testConfig } from '../test-server.ts';

const EMITTER = join(PROJECT_DIR, 'fixtures', 'generated', 'datadog', 'make-dd-trace-payloads.mjs');
const running: RunningServer[] = [];
afterEach(async () => Promise.all(running.splice(0).map((s) => s.close())));

/** Runs the recorder's emitter (one checkout trace) against `agentUrl`; resolves with the ids it printed. */
function runDdTrace(agentUrl: string): Promise<{ charge: { traceId128: string } }> {
  const child = spawn(process.execPath, [EMITTER, '--emit'], {
    env: ddTraceEnv(agentUrl),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let ids = '';
  child.stdout.on('data', (chunk: Buffer) => (ids += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(ids) as { charge: { traceId128: string } }) : reject(new Error(`dd-trace exited with ${code}`))));
  });
}

describe('dd-trace against the server', () => {
  it('delivers its trace through the Datadog intake', async () => {
    const server = await startServer(testConfig(tempDataDir()), false);
    running.push(server);
    const ids = await runDdTrace(server.url);
    expect(server.store.receivedTrace(ids.charge.traceId128)?.spanCount).toBe(3);
  }, 20_000);
});
