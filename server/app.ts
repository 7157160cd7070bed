// The Spanscope server: the built app (static files with strict security headers), /api over the
// configured backends and the embedded store, and health endpoints. Logs are pino JSON with a request id.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { addAuthentication } from './auth.ts';
import type { ServerConfig } from './config.ts';
import { addCrossSiteCheck } from './cross-site-check.ts';
import { addHostCheck } from './host-check.ts';
import { HttpError } from './http-error.ts';
import { registerApiRoutes } from './routes/api-routes.ts';
import { registerSamplingRoutes } from './routes/sampling-routes.ts';
import { registerShareRoutes } from './routes/share-routes.ts';
import type { Backend } from './backends/backend.ts';
import { registerReceiverRoutes, type ReceiverOptions } from './receivers/receiver-routes.ts';
import type { TraceStore } from './store/trace-store.ts';
import { inProcessDocuments, type DocumentWork } from './workers/documents.ts';

// No 'unsafe-eval' and no inline script. Styles: React sets style attributes (the waterfall's widths).
// connect-src: the server itself, plus the origins ?url= may open (server.urlAllowlist) — not any address,
// which would let a link make the browser fetch from loopback or intranet hosts.
const contentSecurityPolicy = (urlAllowlist: readonly string[]) => [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  `connect-src ${["'self'", ...urlAllowlist].join(' ')}`,
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export interface ServerParts {
  readonly config: ServerConfig;
  readonly store: TraceStore;
  /** By name: the embedded store and every configured upstream. */
  readonly backends: ReadonlyMap<string, Backend>;
  readonly logger?: FastifyServerOptions['logger'];
  /** The trace receivers' routes, also served on the main port. */
  readonly receivers?: ReceiverOptions;
  /** Where share uploads and search results are parsed; in this thread when not given (tests). */
  readonly documents?: DocumentWork;
}

export async function buildServer({ config, store, backends, logger = true, receivers, documents = inProcessDocuments(store, config.limits) }: ServerParts): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    bodyLimit: config.limits.bodyBytes,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // A browser closing a trace mid-download aborts the upstream call through request.raw 'close'.
    return503OnClosing: true,
  });

  addSecurityHeaders(app, config.urlAllowlist);
  useJsonErrors(app, config);
  addHostCheck(app, config.host, config.allowedHosts);
  addCrossSiteCheck(app, config.allowedHosts);
  addAuthentication(app, config.auth);

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (request, reply) => {
    try {
      store.ping();
      return { status: 'ready' };
    } catch (err) {
      // The database's own error goes to the log; a probe on the network learns only what kind of failure it is.
      request.log.error({ err }, 'readiness: the store does not answer');
      return reply.status(503).send({ error: 'Store unavailable', detail: `${storeFailure(err)}; the server log has the cause` });
    }
  });

  await app.register(async (api) => registerApiRoutes(api, { config, backends, documents }), { prefix: '/api' });
  await app.register(async (api) => registerShareRoutes(api, { config, store, documents }), { prefix: '/api' });
  await app.register(async (api) => registerSamplingRoutes(api, { store }), { prefix: '/api' });
  if (receivers) await app.register(async (scope) => registerReceiverRoutes(scope, receivers));

  if (existsSync(config.staticDir)) {
    await app.register(fastifyStatic, {
      root: config.staticDir,
      index: ['index.html'],
      maxAge: 0,
      // Source maps would publish the sources: served only when asked for (server.sourceMaps).
      allowedPath: (path) => config.serveSourceMaps || !path.endsWith('.map'),
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    // Client-side routes load the app; a missing asset (a path with an extension) is a plain 404.
    if (path.startsWith('/api/') || request.method !== 'GET' || /\.[a-z0-9]+$/i.test(path) || !existsSync(config.staticDir)) {
      return reply.status(404).send({ error: 'Not found', detail: `${request.method} ${path} is not a Spanscope endpoint` });
    }
    return reply.type('text/html').sendFile('index.html');
  });
  return app;
}

/** A store failure in a few words, by SQLite's result code; never the database's message or path. */
export function storeFailure(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return 'The store is closed or does not answer';
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return 'The database file is damaged';
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return 'The database is locked by another process';
  if (/^SQLITE_(CANTOPEN|IOERR|PERM|READONLY|AUTH)/.test(code)) return 'The database file cannot be read';
  if (code === 'SQLITE_FULL') return 'The disk holding the database is full';
  return 'The database does not answer';
}

/** On every answer, app and API alike. */
export function addSecurityHeaders(app: FastifyInstance, urlAllowlist: readonly string[] = []): void {
  const policy = contentSecurityPolicy(urlAllowlist);
  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Content-Security-Policy', policy);
    // Both make the page cross-origin isolated, so a dropped file is read straight into memory the
    // parsing worker shares (SharedArrayBuffer) instead of being copied there slice by slice.
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Cross-Origin-Embedder-Policy', 'require-corp');
    reply.header('X-Frame-Options', 'DENY');
  });
}

/** HttpError → its status and `{error, detail}`; Fastify's own 4xx likewise; anything else a logged 500. */
export function useJsonErrors(app: FastifyInstance, config: ServerConfig): void {
  app.setErrorHandler((err, request, reply) => {
    if (err instanceof HttpError) {
      if (err.status >= 500) request.log.warn({ err: { message: err.message, detail: err.detail, backend: err.backend } }, 'backend failure');
      return reply.status(err.status).send(err.toBody());
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      const tooLarge = (err as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE';
      return reply.status(status).send({
        error: tooLarge ? 'Upload too large' : 'Bad request',
        detail: tooLarge ? `The request body is larger than ${config.limits.bodyBytes} bytes, this server's limit` : (err as Error).message,
      });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: 'Internal server error', detail: `See the server log, request id ${request.id}` });
  });
}
