// Starting and stopping the demo's Node processes. Each service is its own process with its own tracer, so
// trace context really crosses process boundaries over HTTP, the database and Redis.
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ParentMessage } from './service-runtime.ts';

const DEMO_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_DIR = dirname(DEMO_DIR);
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

/** How a process is traced: the OpenTelemetry SDK with one of its exporters, or dd-trace. */
export type Tracing = 'otlp' | 'zipkin' | 'datadog';

export interface DemoProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** http://127.0.0.1:PORT for services that serve HTTP. */
  readonly url: string;
}

const running = new Set<ChildProcess>();
// Last resort if run-demo.ts dies without stopping them: children are detached (so Ctrl-C reaches only us and
// we can stop them in order), hence nothing else would kill them.
process.on('exit', () => { for (const child of running) child.kill('SIGKILL'); });

function tracingSetup(name: string, tracing: Tracing): { preload: string; env: Record<string, string> } {
  if (tracing === 'datadog') {
    return {
      preload: 'dd-trace/initialize.mjs',
      env: {
        DD_SERVICE: name, DD_ENV: 'demo', DD_VERSION: '1.0.0',
        // Only traces: no telemetry, remote configuration or startup log towards the agent.
        DD_INSTRUMENTATION_TELEMETRY_ENABLED: 'false', DD_REMOTE_CONFIGURATION_ENABLED: 'false',
        DD_TRACE_STARTUP_LOGS: 'false',
      },
    };
  }
  return {
    preload: pathToFileURL(join(DEMO_DIR, 'telemetry.ts')).href,
    env: { OTEL_SERVICE_NAME: name, DEMO_TRACE_EXPORTER: tracing },
  };
}

function forkDemo(name: string, tracing: Tracing, env: Record<string, string>): ChildProcess {
  const { preload, env: tracingEnv } = tracingSetup(name, tracing);
  const child = fork(join(DEMO_DIR, `${name}.ts`), [], {
    cwd: REPO_DIR,
    execArgv: ['--import', 'tsx', '--import', preload],
    env: { ...process.env, ...tracingEnv, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Resolves with the first message `pick` accepts; rejects if the process exits first or takes too long. */
function waitForMessage<T>(name: string, child: ChildProcess, pick: (message: ParentMessage) => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${name}: no answer within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    const onMessage = (message: ParentMessage) => {
      const picked = pick(message);
      if (picked === undefined) return;
      cleanup();
      resolve(picked);
    };
    const onExit = (code: number | null) => fail(new Error(`${name} exited (code ${code}) before answering`));
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const fail = (error: Error) => {
      cleanup();
      reject(error);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Starts a long-running service and waits until it listens. */
export async function startService(name: string, tracing: Tracing, env: Record<string, string>): Promise<DemoProcess> {
  const child = forkDemo(name, tracing, env);
  const port = await waitForMessage(name, child, (message) => (message.type === 'listening' ? message.port : undefined));
  return { name, child, url: `http://127.0.0.1:${port}` };
}

/** Runs a one-shot job to completion and returns the result it reported. */
export async function runJob<T>(name: string, tracing: Tracing, env: Record<string, string>): Promise<T> {
  const child = forkDemo(name, tracing, env);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const result = await waitForMessage(name, child, (message) => (message.type === 'result' ? message.result as T : undefined));
  const code = await exited;
  if (code !== 0) throw new Error(`${name} exited with code ${code}`);
  return result;
}

/**
 * Stops a service with SIGTERM: it closes its server and connections and exits, its tracer flushing on the
 * way out. Resolves with how it ended; a service that hangs is killed.
 */
export async function stopService(service: DemoProcess): Promise<string> {
  const { child } = service;
  if (child.exitCode !== null || child.signalCode !== null) return `already exited (${child.exitCode ?? child.signalCode})`;
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `code ${code}`)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  const how = await exited;
  clearTimeout(timer);
  return how;
}
