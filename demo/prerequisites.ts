// What the demo needs from the machine before it starts anything: PostgreSQL and Redis from the
// distribution's packages, which it runs as throwaway instances (infra.ts). Missing ones are named with
// the Debian/Ubuntu package that provides them, instead of a stack trace from deep inside the start.
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where Debian's postgresql-NN packages put their binaries; SPANSCOPE_DEMO_POSTGRES_ROOT overrides it. */
const postgresRoot = () => process.env.SPANSCOPE_DEMO_POSTGRES_ROOT ?? '/usr/lib/postgresql';

export interface MissingPrerequisite {
  readonly name: string;
  /** The Debian/Ubuntu package that provides it. */
  readonly debianPackage: string;
  readonly lookedFor: string;
}

export interface Prerequisites {
  /** The newest PostgreSQL bin directory with postgres and initdb. */
  readonly postgresBinDir: string | undefined;
  readonly redisServer: string | undefined;
  readonly missing: readonly MissingPrerequisite[];
}

export function findPrerequisites(root = postgresRoot(), path = process.env.PATH ?? ''): Prerequisites {
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const postgresBinDir = versions
    .map((v) => join(root, v, 'bin'))
    .find((dir) => isExecutable(join(dir, 'postgres')) && isExecutable(join(dir, 'initdb')));
  const redisServer = path
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, 'redis-server'))
    .find(isExecutable);
  const missing: MissingPrerequisite[] = [];
  if (!postgresBinDir) missing.push({ name: 'PostgreSQL', debianPackage: 'postgresql', lookedFor: `${join(root, '*', 'bin')}/postgres and initdb` });
  if (!redisServer) missing.push({ name: 'Redis', debianPackage: 'redis-server', lookedFor: 'redis-server on the PATH' });
  return { postgresBinDir, redisServer, missing };
}

/** The message for what is missing: what, where it was looked for, and the one command that installs it. */
export function describeMissing(missing: readonly MissingPrerequisite[]): string {
  const names = missing.map((m) => m.name).join(' and ');
  return [
    `The demo needs ${names}, which it runs as throwaway instances on loopback ports.`,
    ...missing.map((m) => `  ${m.name}: not found (looked for ${m.lookedFor})`),
    `Install on Debian/Ubuntu with: sudo apt-get install -y ${missing.map((m) => m.debianPackage).join(' ')}`,
  ].join('\n');
}

/** Exits with the message when something is missing. */
export function exitUnlessPrerequisites(command: string): Prerequisites {
  const found = findPrerequisites();
  if (found.missing.length > 0) {
    process.stderr.write(`${command}: ${describeMissing(found.missing)}\n`);
    process.exit(1);
  }
  return found;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
