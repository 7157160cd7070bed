// A per-client limit on share uploads: so many uploads and so many bytes per client address per minute
// (rateLimit.uploadsPerMinute, rateLimit.uploadBytesPerMinute). Checked when a request arrives, before
// its body is read; beyond either, 429 with Retry-After. A fixed one-minute window per address is
// enough here: it bounds what one client can write, which is all the quota needs.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UploadRateLimit } from './access-config.ts';

const WINDOW_MS = 60_000;
/** Past this many addresses, the ones whose window ended are forgotten. */
const SWEEP_AT_CLIENTS = 10_000;

interface ClientWindow {
  startMs: number;
  uploads: number;
  bytes: number;
}

/** An onRequest hook for the upload route; `nowMs` is for tests. */
export function uploadRateLimiter(limit: UploadRateLimit, nowMs: () => number = Date.now) {
  const clients = new Map<string, ClientWindow>();
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const now = nowMs();
    if (clients.size >= SWEEP_AT_CLIENTS) {
      for (const [address, window] of clients) if (now - window.startMs >= WINDOW_MS) clients.delete(address);
    }
    let window = clients.get(request.ip);
    if (!window || now - window.startMs >= WINDOW_MS) {
      window = { startMs: now, uploads: 0, bytes: 0 };
      clients.set(request.ip, window);
    }
    // A body without Content-Length (chunked) counts as nothing here; the body limit still caps it. The
    // first upload of a window always passes the byte check, so one file over the byte budget can be sent.
    const declared = Number(request.headers['content-length'] ?? 0);
    const bytes = Number.isSafeInteger(declared) && declared > 0 ? declared : 0;
    const refusal =
      window.uploads >= limit.uploadsPerMinute
        ? `${limit.uploadsPerMinute} uploads per minute per client (rateLimit.uploadsPerMinute)`
        : window.bytes > 0 && window.bytes + bytes > limit.uploadBytesPerMinute
          ? `${limit.uploadBytesPerMinute} bytes of uploads per minute per client (rateLimit.uploadBytesPerMinute)`
          : undefined;
    if (refusal) {
      const retryAfterSeconds = Math.max(1, Math.ceil((window.startMs + WINDOW_MS - now) / 1000));
      request.log.warn({ client: request.ip, uploads: window.uploads, bytes: window.bytes }, 'upload rate limit reached');
      return reply
        .status(429)
        .header('Retry-After', String(retryAfterSeconds))
        .send({ error: 'Too many uploads', detail: `This server takes at most ${refusal}; retry in ${retryAfterSeconds} s` });
    }
    window.uploads++;
    window.bytes += bytes;
    return undefined;
  };
}
