// `spanscope serve [--port N] [--host H] [--data-dir DIR] [--config FILE]`: the app and its API.
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../server/config.ts';
import { PACKAGE_DIR, startServer, type RunningServer } from '../server/start-server.ts';

export const SERVE_USAGE = `Usage: spanscope serve [--port N] [--host H] [--data-dir DIR] [--config FILE]

Serves the Spanscope app and its API (backends, search, share).
  --port N          port to listen on (env PORT; default 8080)
  --host H          address to bind (env HOST; default 127.0.0.1 — use 0.0.0.0 to expose it)
  --data-dir DIR    where the embedded store keeps its database (env SPANSCOPE_DATA_DIR; default ~/.spanscope)
  --config FILE     backends and limits (env SPANSCOPE_CONFIG; default ./spanscope.config.json if present)
Backends also come from SPANSCOPE_JAEGER_URL, SPANSCOPE_TEMPO_URL and SPANSCOPE_ZIPKIN_URL.`;

export class UsageError extends Error {}

export function parseServeArgs(args: readonly string[]): { port?: number; host?: string; dataDir?: string; config?: string; help?: boolean } {
  const out: { port?: number; host?: string; dataDir?: string; config?: string; help?: boolean } = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--help' || flag === '-h') out.help = true;
    else if (flag === '--port') {
      const v = value();
      if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) throw new UsageError(`--port must be a port number (got "${v}")`);
      out.port = Number(v);
    } else if (flag === '--host') out.host = value();
    else if (flag === '--data-dir') out.dataDir = value();
    else if (flag === '--config') out.config = value();
    else throw new UsageError(`Unknown option "${arg}"`);
  }
  return out;
}

/** Starts the server; resolves with it running, or with an exit code when it cannot start. */
export async function runServe(args: readonly string[], stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<RunningServer | number> {
  let argv;
  try {
    argv = parseServeArgs(args);
  } catch (err) {
    stderr.write(`spanscope serve: ${(err as Error).message}\n\n${SERVE_USAGE}\n`);
    return 2;
  }
  if (argv.help) {
    stdout.write(`${SERVE_USAGE}\n`);
    return 0;
  }
  try {
    const config = loadConfig({ argv, env: process.env, cwd: process.cwd(), staticDir: process.env.SPANSCOPE_STATIC_DIR || join(PACKAGE_DIR, 'dist') });
    const server = await startServer(config);
    stderr.write(`Spanscope is serving ${server.url} (data in ${config.dataDir})\n`);
    return server;
  } catch (err) {
    const message = err instanceof ConfigError ? `invalid configuration: ${err.message}` : err instanceof Error ? err.message : String(err);
    stderr.write(`spanscope serve: ${message}\n`);
    return 1;
  }
}
