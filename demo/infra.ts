// The demo's database and broker: a throwaway PostgreSQL cluster and a Redis without persistence, both from
// Debian's packages, on free loopback ports, in a temp dir that is removed on stop.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describeMissing, findPrerequisites } from './prerequisites.ts';

export interface Infra {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  stop(): Promise<void>;
}

const SCHEMA = `
  CREATE TABLE orders (
    id text PRIMARY KEY, order_number integer NOT NULL, customer_tier text NOT NULL,
    item_count integer NOT NULL, total_amount numeric(10, 2) NOT NULL, status text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now());
  CREATE SEQUENCE order_numbers;
  CREATE TABLE jobs (
    id bigserial PRIMARY KEY, kind text NOT NULL, status text NOT NULL DEFAULT 'queued', done_at timestamptz);
  -- The transactional outbox: each row carries the trace context of the request that wrote it.
  CREATE TABLE outbox (
    id bigserial PRIMARY KEY, job_id bigint NOT NULL REFERENCES jobs (id), event_type text NOT NULL,
    payload jsonb NOT NULL, trace_headers jsonb NOT NULL, published_at timestamptz);
`;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function postgresBinDir(): string {
  const { postgresBinDir: found, missing } = findPrerequisites();
  if (!found) throw new Error(describeMissing(missing));
  return found;
}

/** PostgreSQL refuses to run as root: when we are root, run it as the `postgres` system user. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

const started = new Set<ChildProcess>();
// Detached so that Ctrl-C reaches only run-demo.ts, which stops the services before the database; killed here
// if run-demo.ts dies without stopping them.
process.on('exit', () => { for (const child of started) child.kill('SIGKILL'); });

function startProcess(command: string, args: string[], options: { uid?: number; gid?: number } = {}): ChildProcess {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  started.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
  // A command that cannot be started (not installed) is an 'error' event: unhandled, it would end the
  // demo with a stack trace and leave the temp dir behind. Said here; startInfra's retry then fails and cleans up.
  child.once('error', (err) => {
    started.delete(child);
    console.error(`${command} could not be started: ${err.message}`);
  });
  child.once('exit', (code, signal) => {
    started.delete(child);
    if (code !== 0 && signal === null) console.error(`${command} exited with ${code}:\n${stderr}`);
  });
  return child;
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function retry<T>(what: string, attempt: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what} did not come up: ${String(error)}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function startPostgres(dir: string, port: number): Promise<ChildProcess> {
  const bin = postgresBinDir();
  const user = postgresUser();
  const dataDir = join(dir, 'pgdata');
  if (user) chownSync(dir, user.uid, user.gid);
  execFileSync(join(bin, 'initdb'), ['-D', dataDir, '-U', 'demo', '--auth=trust', '-E', 'UTF8', '--no-sync'], {
    ...user, stdio: 'ignore',
  });
  // A throwaway cluster: no fsync, sockets in the temp dir, TCP on loopback only.
  return startProcess(join(bin, 'postgres'), [
    '-D', dataDir, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1',
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
  ], user ?? {});
}

export async function startInfra(): Promise<Infra> {
  const dir = mkdtempSync(join(tmpdir(), 'spanscope-demo-'));
  const [pgPort, redisPort] = [await freePort(), await freePort()];
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map((child) => stopProcess(child, 'SIGINT')));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    children.push(startProcess('redis-server', [
      '--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
    ]));
    children.push(await startPostgres(dir, pgPort));
    const databaseUrl = `postgres://demo@127.0.0.1:${pgPort}/postgres`;
    await retry('PostgreSQL', async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try { await client.query(SCHEMA); } finally { await client.end(); }
    });
    return { databaseUrl, redisUrl: `redis://127.0.0.1:${redisPort}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
