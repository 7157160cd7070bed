// Test helper: a server over a real store in a temp dir, driven with inject() (no port) or listening.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import { DEFAULT_SHARE_QUOTA, DEFAULT_UPLOAD_RATE_LIMIT, NO_AUTH } from './access-config.ts';
import { buildServer } from './app.ts';
import type { Backend } from './backends/backend.ts';
import { createEmbeddedBackend } from './backends/embedded.ts';
import { DEFAULT_LIMITS, DEFAULT_RECEIVERS, DEFAULT_RETENTION, type ServerConfig, type ServerLimits } from './config.ts';
import { TraceStore } from './store/trace-store.ts';

export const PROJECT_DIR = join(import.meta.dirname, '..');
export const REAL_FIXTURES = join(PROJECT_DIR, 'fixtures', 'real');

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'spanscope-server-'));
}

export { freePort } from './spawn-server.ts';

export type TestConfigOverrides = Partial<Omit<ServerConfig, 'limits' | 'sharing'>> & { limits?: Partial<ServerLimits>; sharing?: Partial<ServerConfig['sharing']> };

export function testConfig(dataDir: string, overrides: TestConfigOverrides = {}): ServerConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    allowedHosts: [],
    dataDir,
    backends: [],
    embeddedName: 'local',
    defaultBackend: 'local',
    rateLimit: DEFAULT_UPLOAD_RATE_LIMIT,
    auth: NO_AUTH,
    urlAllowlist: [],
    serveSourceMaps: false,
    staticDir: join(PROJECT_DIR, 'dist'),
    seedDemoTraces: false,
    receivers: { ...DEFAULT_RECEIVERS, otlpHttpPort: 0, zipkinPort: 0, datadogPort: 0, otlpGrpcPort: 0 },
    retention: DEFAULT_RETENTION,
    ...overrides,
    limits: { ...DEFAULT_LIMITS, ...overrides.limits },
    sharing: { enabled: true, ...DEFAULT_SHARE_QUOTA, ...overrides.sharing },
  };
}

export interface TestServer {
  readonly app: FastifyInstance;
  readonly store: TraceStore;
  readonly config: ServerConfig;
  close(): Promise<void>;
}

export async function makeTestServer(overrides: TestConfigOverrides = {}, extraBackends: Backend[] = []): Promise<TestServer> {
  const dataDir = tempDataDir();
  const config = testConfig(dataDir, overrides);
  const store = new TraceStore(dataDir);
  const backends = new Map<string, Backend>([[config.embeddedName, createEmbeddedBackend(config.embeddedName, store)]]);
  for (const b of extraBackends) backends.set(b.info.name, b);
  const app = await buildServer({ config, store, backends, logger: false });
  return {
    app,
    store,
    config,
    close: async () => {
      await app.close();
      store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** For a test file: a maker of test servers, each closed after its test. */
export function testServersClosedAfterEach(): (overrides?: TestConfigOverrides) => Promise<TestServer> {
  const servers: TestServer[] = [];
  afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));
  return async (overrides = {}) => {
    const s = await makeTestServer(overrides);
    servers.push(s);
    return s;
  };
}
