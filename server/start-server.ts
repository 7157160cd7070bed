// Config → store → backends → listening server, and a clean stop on SIGINT/SIGTERM. `spanscope serve`
// and the tests both come through here.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { ServerConfig } from './config.ts';
import { addSecurityHeaders, buildServer, useJsonErrors } from './app.ts';
import { addAuthentication, exposureWarning } from './auth.ts';
import { addCrossSiteCheck } from './cross-site-check.ts';
import { addHostCheck } from './host-check.ts';
import { startGrpcReceiver, type GrpcReceiver } from './receivers/grpc-receiver.ts';
import { IntakeAdmission } from './receivers/intake-admission.ts';
import { registerReceiverRoutes, type ReceiverOptions } from './receivers/receiver-routes.ts';
import { startDocumentsWorker } from './workers/documents.ts';
import { startIntakeWorkers } from './workers/intake.ts';
import { LiveTraces } from './store/live-traces.ts';
import type { Backend } from './backends/backend.ts';
import { createEmbeddedBackend } from './backends/embedded.ts';
import { createUpstreamBackend } from './backends/create-backend.ts';
import { startShareAgePruning } from './store/share-quota.ts';
import { storeTraceFile } from './store/share-upload.ts';
import { TraceStore } from './store/trace-store.ts';

export const PACKAGE_DIR = join(import.meta.dirname, '..');
export const DEMO_DIR = join(PACKAGE_DIR, 'public', 'demo');

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly store: TraceStore;
  readonly live: LiveTraces;
  /** e.g. http://127.0.0.1:8080 */
  readonly url: string;
  /** Receivers listening on their own ports, by protocol: e.g. { otlp: 'http://127.0.0.1:4318' }. */
  readonly receiverUrls: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/** `stderr`: where the warning of a server open beyond loopback is also written (the log may go unread). */
export async function startServer(
  config: ServerConfig,
  logger: FastifyServerOptions['logger'] = true,
  stderr: { write(text: string): unknown } = process.stderr,
): Promise<RunningServer> {
  const store = new TraceStore(config.dataDir);
  if (config.seedDemoTraces) await seedDemoTraces(store, config);
  const liveOptions = { quietMs: config.receivers.quietMs, spansPerTrace: config.limits.spansPerTrace, ...config.retention };
  // Reads (trace documents, status) here; received spans are stored and indexed by the intake workers.
  const live = new LiveTraces(store, liveOptions);
  // The worker starts before the app, so it reaches the app's logger late.
  const logTo: { app?: FastifyInstance } = {};
  const intake = config.receivers.enabled
    ? startIntakeWorkers(config.receivers.intakeWorkers, { dataDir: config.dataDir, live: liveOptions }, (err) =>
        logTo.app?.log.error({ err }, 'an intake worker failed'),
      )
    : undefined;
  const backends = new Map<string, Backend>([[config.embeddedName, createEmbeddedBackend(config.embeddedName, store, live)]]);
  for (const upstream of config.backends) backends.set(upstream.name, createUpstreamBackend(upstream));
  const receivers: ReceiverOptions | undefined = intake && {
    intake,
    limits: config.limits,
    admission: new IntakeAdmission(config.receivers.maxInFlight, config.receivers.maxInFlightBytes, config.receivers.maxWaitMs),
  };
  const documents = startDocumentsWorker({ dataDir: config.dataDir, limits: config.limits }, (err) => logTo.app?.log.error({ err }, 'the documents worker failed'));
  // Listening only once the workers have loaded their code: a request is never kept waiting for that.
  await Promise.all([intake?.ready, documents.ready]);
  const app = await buildServer({ config, store, backends, logger, receivers, documents });
  logTo.app = app;
  const address = await app.listen({ host: config.host, port: config.port });
  const exposed = exposureWarning(config.host, config.auth, config.receivers.enabled);
  if (exposed) {
    app.log.warn({ host: config.host }, exposed);
    stderr.write(`${exposed}\n`);
  }
  const receiverApps = receivers ? await listenReceivers(config, receivers, app) : {};
  const grpcReceiver = receivers ? await listenGrpcReceiver(config, receivers, app) : undefined;
  const stopSharePruning = startShareAgePruning(
    store,
    config.sharing,
    (count) => app.log.info({ count, maxAgeDays: config.sharing.maxAgeDays }, 'deleted shares not opened for sharing.maxAgeDays'),
    (err) => app.log.error({ err }, 'pruning aged shares failed'),
  );
  return {
    app,
    store,
    live,
    url: address.replace('://[::1]', '://localhost'),
    receiverUrls: {
      ...Object.fromEntries(Object.entries(receiverApps).map(([name, r]) => [name, r.url])),
      ...(grpcReceiver ? { 'otlp-grpc': grpcReceiver.url } : {}),
    },
    close: async () => {
      stopSharePruning();
      await Promise.all([...Object.values(receiverApps).map((r) => r.app.close()), grpcReceiver?.close()]);
      await app.close();
      await Promise.all([intake?.close(), documents.close()]);
      store.close();
    },
  };
}

/**
 * Each receiver also listens on its protocol's standard port so tracers need no path or port change.
 * A port already taken (say a Jaeger or a Collector runs) is logged and skipped: the main port still
 * takes the same routes.
 */
async function listenReceivers(config: ServerConfig, receivers: ReceiverOptions, main: FastifyInstance) {
  const ports = { otlp: config.receivers.otlpHttpPort, zipkin: config.receivers.zipkinPort, datadog: config.receivers.datadogPort };
  const out: Record<string, { app: FastifyInstance; url: string }> = {};
  for (const [name, port] of Object.entries(ports)) {
    if (port === 0) continue;
    const app = Fastify({ loggerInstance: main.log.child({ receiver: name }), bodyLimit: config.limits.bodyBytes });
    addSecurityHeaders(app);
    useJsonErrors(app, config);
    addHostCheck(app, config.host, config.allowedHosts);
    addCrossSiteCheck(app, config.allowedHosts);
    addAuthentication(app, config.auth, () => 'receivers');
    await app.register(async (scope) => registerReceiverRoutes(scope, receivers));
    try {
      out[name] = { app, url: await app.listen({ host: config.host, port }) };
    } catch (err) {
      main.log.warn({ receiver: name, port, err: (err as Error).message }, 'receiver port unavailable; its routes stay on the main port');
      await app.close();
    }
  }
  return out;
}

/** OTLP/gRPC has no route on the main port: a taken port leaves it off, with a warning. */
async function listenGrpcReceiver(config: ServerConfig, receivers: ReceiverOptions, main: FastifyInstance): Promise<GrpcReceiver | undefined> {
  const port = config.receivers.otlpGrpcPort;
  if (port === 0) return undefined;
  const log = main.log.child({ receiver: 'otlp-grpc' });
  try {
    const receiver = await startGrpcReceiver({
      intake: receivers.intake,
      host: config.host,
      port,
      maxMessageBytes: config.receivers.grpcMaxMessageBytes,
      admission: receivers.admission,
      messageTimeoutMs: config.limits.receiverBodyTimeoutMs,
      auth: config.auth.receivers,
      log,
    });
    log.info(`OTLP/gRPC receiver listening at ${receiver.url}`);
    return receiver;
  } catch (err) {
    log.warn({ port, err: (err as Error).message }, 'OTLP/gRPC receiver port unavailable; gRPC exporters cannot reach this server (OTLP/HTTP still can)');
    return undefined;
  }
}

/** The demo traces (public/demo) go into the store so a fresh server has something to search. */
export async function seedDemoTraces(store: TraceStore, config: ServerConfig): Promise<void> {
  const demoFiles = (JSON.parse(readFileSync(join(DEMO_DIR, 'index.json'), 'utf8')) as { file: string; title: string }[]).filter((d) =>
    readdirSync(DEMO_DIR).includes(d.file),
  );
  for (const demo of demoFiles) await storeTraceFile(store, readFileSync(join(DEMO_DIR, demo.file)), demo.file, config.limits, 'demo');
}
