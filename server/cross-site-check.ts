// No other site may write to this server. A page the user visits can send a POST here without asking
// (no CORS preflight) only with a "simple" request: no custom headers and a body typed text/plain,
// application/x-www-form-urlencoded, multipart/form-data or nothing (a Blob or bytes in `no-cors` mode).
// So every state-changing endpoint takes only other content types, and a request that a browser marks
// as coming from another origin is refused whatever it carries.
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { isConfiguredHost } from './host-check.ts';
import { HttpError } from './http-error.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Why a browser request is from another site, or undefined when it is not. Tracers, curl and the CLI send
 * neither `Origin` nor `Sec-Fetch-Site` and pass; a browser sends `Origin` on every cross-origin POST.
 * Same origin means the `Origin` names the very host the request was sent to (`Host`), or a configured
 * `allowedHosts` name (a reverse proxy may rewrite `Host`).
 */
export function crossSiteReason(request: Pick<FastifyRequest, 'headers'>, allowedHosts: readonly string[]): string | undefined {
  const origin = request.headers.origin;
  const fetchSite = request.headers['sec-fetch-site'];
  if (origin !== undefined) {
    if (origin === 'null') return 'Origin "null" (a sandboxed page or a file)';
    let originHost: string;
    let sameHost: boolean;
    try {
      const originUrl = new URL(origin);
      originHost = originUrl.host;
      // Through the origin's scheme so a default port (":80") compares equal to none.
      sameHost = request.headers.host !== undefined && new URL(`${originUrl.protocol}//${request.headers.host}`).host === originHost;
    } catch {
      return `Origin ${JSON.stringify(origin.slice(0, 200))} is not this server`;
    }
    // Only the configured names: an IP or localhost on another port is another origin (another app).
    if (!sameHost && !isConfiguredHost(originHost, allowedHosts)) {
      return `Origin ${origin.slice(0, 200)} is not this server`;
    }
  }
  if (fetchSite === 'cross-site' || (fetchSite === 'same-site' && origin === undefined)) return `Sec-Fetch-Site: ${fetchSite}`;
  return undefined;
}

/** 403 for a state-changing request (any method but GET, HEAD, OPTIONS) from another origin. */
export function addCrossSiteCheck(app: FastifyInstance, allowedHosts: readonly string[]): void {
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    const reason = crossSiteReason(request, allowedHosts);
    if (reason === undefined) return;
    throw new HttpError(403, 'Cross-site request refused', `${request.method} ${request.url.split('?')[0]} is not accepted from another site (${reason})`);
  });
}

/**
 * An onRequest hook (before the body is read) answering 415 unless the Content-Type is one of `types`:
 * none of them is a type a browser may send cross-origin without a preflight.
 */
export function acceptContentTypes(types: readonly string[], hint: string): onRequestAsyncHookHandler {
  return async (request) => {
    const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (types.includes(contentType)) return;
    throw new HttpError(
      415,
      'Unsupported content type',
      `${request.method} ${request.url.split('?')[0]} takes Content-Type ${types.join(', ')}, not ${contentType === '' ? 'none' : JSON.stringify(contentType)}. ${hint}`,
    );
  };
}
