// POST /api/shares stores a trace file (any format the app reads, gzip or not) and answers with its
// content-addressed id only after the database committed it; GET /api/shares/:id gives the file back.
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from '../config.ts';
import { storedFileDocument } from '../backends/embedded.ts';
import { HttpError } from '../http-error.ts';
import { storeTraceFile } from '../store/share-upload.ts';
import { uploadRateLimiter } from '../upload-rate-limit.ts';
import type { TraceStore } from '../store/trace-store.ts';
import { sendDocument } from './api-routes.ts';

const SHARE_ID = /^[A-Za-z0-9_-]{43}$/;

export function registerShareRoutes(api: FastifyInstance, { config, store }: { config: ServerConfig; store: TraceStore }): void {
  // The body is the file itself, whatever its content type says: take it as bytes.
  api.removeAllContentTypeParsers();
  api.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: config.limits.bodyBytes }, (_request, body, done) => done(null, body));

  api.post<{ Querystring: { name?: string } }>('/shares', { onRequest: uploadRateLimiter(config.rateLimit) }, async (request, reply) => {
    if (!config.sharing.enabled) throw new HttpError(403, 'Sharing is disabled', 'This server does not store uploaded traces (sharing.enabled = false)');
    const body = request.body;
    if (!(body instanceof Buffer)) throw new HttpError(400, 'Empty upload', 'The request body is empty: send the trace file as the body');
    const name = (request.query.name ?? 'shared trace').slice(0, 200);
    const receipt = await storeTraceFile(store, body, name, config.limits, 'share', config.sharing);
    request.log.info({ shareId: receipt.id, spans: receipt.spanCount, created: receipt.created, evictedShares: receipt.evicted }, 'trace file shared');
    return reply.status(receipt.created ? 201 : 200).send({ id: receipt.id, traceIds: receipt.traceIds, spanCount: receipt.spanCount });
  });

  api.get<{ Params: { id: string } }>('/shares/:id', async (request, reply) => {
    const { id } = request.params;
    if (!SHARE_ID.test(id)) throw new HttpError(400, 'Invalid share id', 'A share id is 43 characters of A–Z, a–z, 0–9, "-" and "_"');
    const meta = store.fileMeta(id);
    if (!meta) throw new HttpError(404, 'Shared trace not found', `No stored file has the id ${id}`);
    store.markShareOpened(id, Date.now());
    return sendDocument(request, reply, storedFileDocument(store, id), meta.name);
  });
}
