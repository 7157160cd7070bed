// Builds the app and serves it with `vite preview` on a free port for the UI benchmark. The build goes to
// bench/out/ui-dist (not dist/), so a benchmark never swaps files under an e2e run serving dist/.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const UI_DIST = 'bench/out/ui-dist';

export function buildApp(projectDir: string, log: (message: string) => void): void {
  log(`building the app: npx vite build --outDir ${UI_DIST}…`);
  const run = spawnSync('npx', ['vite', 'build', '--outDir', UI_DIST, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: projectDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    // The profiles are read back to the TypeScript sources through the maps (production builds have none).
    env: { ...process.env, SPANSCOPE_SOURCEMAPS: '1' },
  });
  if (run.status !== 0) throw new Error(`vite build failed (exit ${run.status}${run.signal ? `, ${run.signal}` : ''})`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface PreviewServer {
  readonly url: string;
  stop(): Promise<void>;
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite preview exited (code ${child.exitCode}) before serving ${url}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`vite preview did not answer on ${url} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** `npx vite preview --port <free> --strictPort` in its own process group, so stop() ends npx and vite together. */
export async function startPreview(projectDir: string, log: (message: string) => void): Promise<PreviewServer> {
  const port = await freePort();
  const child = spawn('npx', ['vite', 'preview', '--outDir', UI_DIST, '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
    cwd: projectDir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      process.kill(-child.pid, 'SIGTERM'); // the group we created: npx and the vite it started
    } catch {
      // already gone
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  try {
    await waitForHttp(url, child, 60_000);
  } catch (err) {
    await stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${output}`, { cause: err });
  }
  log(`serving ${join(projectDir, UI_DIST)} on ${url}`);
  return { url, stop };
}
