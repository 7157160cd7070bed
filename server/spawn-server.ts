// A real `spanscope serve` child process on a free port (for the durability test and the ingest
// benchmark, which kill it with SIGKILL): resolves with its base URL once it listens.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const PACKAGE_DIR = join(import.meta.dirname, '..');

export interface SpawnedServer {
  readonly child: ChildProcess;
  readonly url: string;
}

/** `config`: written to <dataDir>/spawned.config.json; `nodeArgs`: e.g. --cpu-prof. */
export function spawnServer(dataDir: string, config: object, nodeArgs: readonly string[] = []): Promise<SpawnedServer> {
  const configPath = join(dataDir, 'spawned.config.json');
  writeFileSync(configPath, JSON.stringify(config));
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(PACKAGE_DIR, 'cli', 'spanscope.ts'), 'serve', '--port', '0', '--data-dir', dataDir, '--config', configPath], {
    cwd: PACKAGE_DIR,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /serving (http:\/\/\S+)/.exec(err);
      if (m) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

/** A port free a moment ago, for a listener that takes no port 0 (a receiver's own port, a spawned server's). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('The probe socket has no port');
  return address.port;
}
