// Config → store → backends → listening server, and a clean stop on SIGINT/SIGTERM. `spanscope serve`
// and the tests both come through here.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { ServerConfig } from './config.ts';
import { buildServer } from './app.ts';
import type { Backend } from './backends/backend.ts';
import { createEmbeddedBackend } from './backends/embedded.ts';
import { createUpstreamBackend } from './backends/create-backend.ts';
import { storeTraceFile } from './store/share-upload.ts';
import { TraceStore } from './store/trace-store.ts';

export const PACKAGE_DIR = join(import.meta.dirname, '..');
export const DEMO_DIR = join(PACKAGE_DIR, 'public', 'demo');

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly store: TraceStore;
  /** e.g. http://127.0.0.1:8080 */
  readonly url: string;
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig, logger: FastifyServerOptions['logger'] = true): Promise<RunningServer> {
  const store = new TraceStore(config.dataDir);
  if (config.seedDemoTraces) seedDemoTraces(store, config);
  const backends = new Map<string, Backend>([[config.embeddedName, createEmbeddedBackend(config.embeddedName, store)]]);
  for (const upstream of config.backends) backends.set(upstream.name, createUpstreamBackend(upstream));
  const app = await buildServer({ config, store, backends, logger });
  const address = await app.listen({ host: config.host, port: config.port });
  const url = address.replace('://[::1]', '://localhost');
  return {
    app,
    store,
    url,
    close: async () => {
      await app.close();
      store.close();
    },
  };
}

/** The demo traces (public/demo) go into the store so a fresh server has something to search. */
export function seedDemoTraces(store: TraceStore, config: ServerConfig): void {
  const demoFiles = (JSON.parse(readFileSync(join(DEMO_DIR, 'index.json'), 'utf8')) as { file: string; title: string }[]).filter((d) =>
    readdirSync(DEMO_DIR).includes(d.file),
  );
  for (const demo of demoFiles) storeTraceFile(store, readFileSync(join(DEMO_DIR, demo.file)), demo.file, config.limits, 'demo');
}
