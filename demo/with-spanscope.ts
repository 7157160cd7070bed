// `npm run demo`: the Spanscope server (app, API, receivers, embedded store) and the microservices demo
// sending it live traffic until Ctrl-C. The demo's exporters point at the receivers' own ports when they
// could be opened, else at the main port (which takes the same routes).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { loadConfig } from '../server/config.ts';
import { PACKAGE_DIR, startServer } from '../server/start-server.ts';
import { exitUnlessPrerequisites } from './prerequisites.ts';

// Before the server starts: PostgreSQL and Redis missing is a message naming the packages, not a stack trace.
exitUnlessPrerequisites('npm run demo');

const config = loadConfig({ argv: {}, env: process.env, cwd: process.cwd(), staticDir: join(PACKAGE_DIR, 'dist') });
const server = await startServer(config, { level: 'warn' });
const receiver = (name: string) => server.receiverUrls[name] ?? server.url;
process.stderr.write(`Spanscope is serving ${server.url} — open it and pick Search; demo traffic starts now (Ctrl-C stops both).\n`);

const demo = spawn(process.execPath, ['--import', 'tsx', join(PACKAGE_DIR, 'demo', 'run-demo.ts'), '--keep-running'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver('otlp'),
    OTEL_EXPORTER_ZIPKIN_ENDPOINT: `${receiver('zipkin')}/api/v2/spans`,
    DD_TRACE_AGENT_URL: receiver('datadog'),
  },
});
// Ctrl-C reaches the demo through the terminal too; it stops its services and exits, then the server stops.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => demo.kill('SIGINT'));
const code = await new Promise<number | null>((resolve) => demo.once('exit', resolve));
await server.close();
process.exit(code ?? 0);
