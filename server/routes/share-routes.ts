// POST /api/shares stores a trace file (any format the app reads, gzip or not) and answers with its
// content-addressed id only after the database committed it; GET /api/shares/:id gives the file back.
// A share is private: only its id opens it. `?public=1` makes it searchable in the `local` backend.
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from '../config.ts';
import { storedFileDocument } from '../backends/embedded.ts';
import { acceptContentTypes } from '../cross-site-check.ts';
import { HttpError } from '../http-error.ts';
import { uploadRateLimiter } from '../upload-rate-limit.ts';
import type { TraceStore } from '../store/trace-store.ts';
import type { DocumentWork } from '../workers/documents.ts';
import { sendDocument } from './api-routes.ts';

const SHARE_ID = /^[A-Za-z0-9_-]{43}$/;
const SHARE_CONTENT_TYPES = ['application/json', 'application/octet-stream', 'application/gzip'];

/** `?public=1` (or `true`) makes an upload searchable; private is the default. */
function isPublicUpload(value: string | undefined): boolean {
  if (value === undefined || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new HttpError(400, 'Invalid public flag', `public must be 1, true, 0 or false (got ${JSON.stringify(value.slice(0, 50))})`);
}

/** `documents`: where an upload is parsed and stored (the documents worker: a big file must not stall the server). */
export function registerShareRoutes(api: FastifyInstance, { config, store, documents }: { config: ServerConfig; store: TraceStore; documents: DocumentWork }): void {
  // The body is the file itself, whatever its content type says: take it as bytes.
  api.removeAllContentTypeParsers();
  api.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: config.limits.bodyBytes }, (_request, body, done) => done(null, body));

  // The content type is checked before the body is read; see cross-site-check.ts for why these.
  const shareChecks = { onRequest: [acceptContentTypes(SHARE_CONTENT_TYPES, 'Send the trace file as the body with one of them.'), uploadRateLimiter(config.rateLimit)] };
  api.post<{ Querystring: { name?: string; public?: string } }>('/shares', shareChecks, async (request, reply) => {
    if (!config.sharing.enabled) throw new HttpError(403, 'Sharing is disabled', 'This server does not store uploaded traces (sharing.enabled = false)');
    const body = request.body;
    if (!(body instanceof Buffer)) throw new HttpError(400, 'Empty upload', 'The request body is empty: send the trace file as the body');
    const name = (request.query.name ?? 'shared trace').slice(0, 200);
    const receipt = await documents.storeShare({ bytes: body, name, origin: isPublicUpload(request.query.public) ? 'public' : 'share', quota: config.sharing });
    request.log.info({ shareId: receipt.id, spans: receipt.spanCount, created: receipt.created, searchable: receipt.searchable, evictedShares: receipt.evicted }, 'trace file shared');
    return reply.status(receipt.created ? 201 : 200).send({ id: receipt.id, traceIds: receipt.traceIds, spanCount: receipt.spanCount, searchable: receipt.searchable });
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
