// /api/backends/…: the search page's data. The browser names a configured backend; anything else is a
// 404. Every call carries an AbortSignal that fires when the browser goes away.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BackendList, ContextCarriers } from '../../src/core/api/backend-api.ts';
import { parseSearchParams } from '../../src/core/api/search-params.ts';
import { normalizeTraceId } from '../../src/core/model/ids.ts';
import type { Backend, BackendCallContext, TraceDocument } from '../backends/backend.ts';
import { inflated } from '../backends/embedded.ts';
import { searchResultsStream } from '../backends/search-results.ts';
import type { ServerConfig } from '../config.ts';
import { HttpError } from '../http-error.ts';
import type { DocumentWork } from '../workers/documents.ts';

interface Deps {
  readonly config: ServerConfig;
  readonly backends: ReadonlyMap<string, Backend>;
  /** Reads a search result's documents (the documents worker). */
  readonly documents: DocumentWork;
}

type BackendParams = { Params: { backend: string } };

export function registerApiRoutes(api: FastifyInstance, { config, backends, documents }: Deps): void {
  const backendOf = (request: FastifyRequest<BackendParams>): Backend => {
    const backend = backends.get(request.params.backend);
    if (!backend) {
      throw new HttpError(404, 'Unknown backend', `"${request.params.backend.slice(0, 64)}" is not configured; configured: ${[...backends.keys()].join(', ')}`);
    }
    return backend;
  };

  api.get('/backends', async (): Promise<BackendList> => ({
    backends: [...backends.values()].map((b) => b.info),
    defaultBackend: config.defaultBackend,
    sharing: {
      enabled: config.sharing.enabled,
      reason: config.sharing.enabled ? undefined : 'Sharing is turned off on this server (sharing.enabled = false or SPANSCOPE_SHARING=off)',
      maxUploadBytes: config.limits.bodyBytes,
    },
    urlAllowlist: config.urlAllowlist,
  }));

  api.get<BackendParams>('/backends/:backend/services', async (request, reply) => ({ services: await backendOf(request).services(callContext(reply)) }));

  api.get<BackendParams & { Querystring: { service?: string | string[] } }>('/backends/:backend/operations', async (request, reply) => {
    const service = firstValue(request.query.service);
    if (!service) throw new HttpError(400, 'Missing service', 'operations needs ?service=<name>');
    return { operations: await backendOf(request).operations(service, callContext(reply)) };
  });

  api.get<BackendParams>('/backends/:backend/tags', async (request, reply) => ({ tags: await backendOf(request).tagNames(callContext(reply)) }));

  api.get<BackendParams & { Querystring: { tag?: string | string[] } }>('/backends/:backend/tag-values', async (request, reply) => {
    const tag = firstValue(request.query.tag);
    if (!tag) throw new HttpError(400, 'Missing tag', 'tag-values needs ?tag=<attribute name>');
    return { values: await backendOf(request).tagValues(tag, callContext(reply)) };
  });

  api.get<BackendParams>('/backends/:backend/traces', async (request, reply) => {
    const backend = backendOf(request);
    const parsed = parseSearchParams(new URL(request.url, 'http://x').searchParams);
    if (parsed.error !== undefined) throw new HttpError(400, 'Invalid search', parsed.error, backend.info.name);
    return backend.search(parsed.query, callContext(reply));
  });

  // The search's traces in one NDJSON document of OTLP/JSON lines, to open and aggregate together.
  api.get<BackendParams>('/backends/:backend/results', async (request, reply) => {
    const backend = backendOf(request);
    const parsed = parseSearchParams(new URL(request.url, 'http://x').searchParams);
    if (parsed.error !== undefined) throw new HttpError(400, 'Invalid search', parsed.error, backend.info.name);
    const readLine = (bytes: Uint8Array, wanted: readonly string[], traceId: string, backendName: string) => documents.resultLine({ bytes, wanted, traceId, backendName });
    const stream = await searchResultsStream(backend, parsed.query, readLine, callContext(reply));
    reply.header('Content-Disposition', `inline; filename="${backend.info.name.replace(/[^\w.-]/g, '_')}-search-results.jsonl"`);
    reply.header('Cache-Control', 'private, no-store');
    return reply.type('application/x-ndjson').send(stream);
  });

  api.get<BackendParams & { Params: { traceId: string } }>('/backends/:backend/traces/:traceId', async (request, reply) => {
    const backend = backendOf(request);
    const traceId = validTraceId(request.params.traceId);
    const doc = await backend.trace(traceId, callContext(reply));
    return sendDocument(request, reply, doc, `${backend.info.name}-${traceId}.json`);
  });

  // The traces that carry this trace's context in stored span data, starting in the given window.
  api.get<BackendParams & { Params: { traceId: string } }>('/backends/:backend/traces/:traceId/context-carriers', async (request, reply): Promise<ContextCarriers> => {
    const backend = backendOf(request);
    const traceId = validTraceId(request.params.traceId);
    const params = new URL(request.url, 'http://x').searchParams;
    const [startMs, endMs] = [epochMs(params.get('start'), 'start'), epochMs(params.get('end'), 'end')];
    if (startMs > endMs) throw new HttpError(400, 'Invalid window', 'start is after end', backend.info.name);
    if (!backend.contextCarriers) {
      throw new HttpError(501, 'Not supported', `${backend.info.name} (${backend.info.type}) cannot search span data for stored trace contexts; join by a business key instead`, backend.info.name);
    }
    return { backend: backend.info.name, traceId, startMs, endMs, traceIds: await backend.contextCarriers(traceId, startMs, endMs, callContext(reply)) };
  });

  api.get<BackendParams & { Params: { traceId: string } }>('/backends/:backend/traces/:traceId/status', async (request) => {
    const backend = backendOf(request);
    const traceId = validTraceId(request.params.traceId);
    const status = backend.liveStatus?.(traceId);
    if (!status) throw new HttpError(404, 'Not a received trace', `${backend.info.name} is not receiving spans for ${traceId}`, backend.info.name);
    return status;
  });
}

export function validTraceId(raw: string): string {
  const id = /^[0-9a-fA-F]{1,32}$/.test(raw) ? normalizeTraceId(raw) : undefined;
  if (!id) throw new HttpError(400, 'Invalid trace id', `"${raw.slice(0, 80)}" is not a trace id: expected 1–32 hex digits, not all zero`);
  return id;
}

/** Gzip documents go out as Content-Encoding: gzip when the browser takes it (it always does). */
export function sendDocument(request: FastifyRequest, reply: FastifyReply, doc: TraceDocument, fileName: string): FastifyReply {
  reply.header('Content-Disposition', `inline; filename="${fileName.replace(/[^\w.-]/g, '_')}"`);
  reply.header('Cache-Control', 'private, no-store');
  if (doc.contentType === 'application/gzip') {
    reply.type('application/json');
    if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      reply.header('Content-Encoding', 'gzip');
      if (doc.byteLength !== undefined) reply.header('Content-Length', doc.byteLength);
      return reply.send(doc.body);
    }
    return reply.send(inflated(doc));
  }
  reply.type(doc.contentType);
  if (doc.byteLength !== undefined) reply.header('Content-Length', doc.byteLength);
  return reply.send(doc.body);
}

function epochMs(raw: string | null, name: string): number {
  if (raw === null || !/^\d{1,15}$/.test(raw)) throw new HttpError(400, 'Invalid window', `${name}: expected a time in epoch milliseconds, got "${(raw ?? '').slice(0, 40)}"`);
  return Number(raw);
}

/** A repeated query parameter arrives as an array: take the first, never pass an array on. */
function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function callContext(reply: FastifyReply): BackendCallContext {
  // The response closing before it finished: the browser went away (one listener per response, not per socket).
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('The browser closed the request'));
  });
  return { signal: controller.signal };
}
