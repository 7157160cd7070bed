// Optional authentication, per part of the server: the app (UI), /api and the receivers each take a
// bearer token or basic auth from the config (auth.ui, auth.api, auth.receivers), or stay open.
// /healthz and /readyz are always open (probes carry no credentials). A request without the right
// credentials gets 401 with WWW-Authenticate; a browser asks for basic credentials itself and then
// sends them with the app's own /api calls too.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AuthConfig, AuthRule } from './access-config.ts';

export type AuthPart = 'ui' | 'api' | 'receivers';

const OPEN_PATHS = new Set(['/healthz', '/readyz']);
// Before the /api prefix: Zipkin's intake is /api/v2/spans.
const RECEIVER_PATHS = new Set(['/v1/traces', '/api/v2/spans', '/v0.4/traces', '/v0.5/traces', '/dogstatsd/v2/proxy']);

const PART_NAMES: Record<AuthPart, string> = { ui: 'The app', api: '/api', receivers: 'The trace receivers' };

/** Which part a path belongs to on the main port; undefined for the open probes. */
export function partOfPath(path: string): AuthPart | undefined {
  if (OPEN_PATHS.has(path)) return undefined;
  if (RECEIVER_PATHS.has(path)) return 'receivers';
  if (path === '/api' || path.startsWith('/api/')) return 'api';
  return 'ui';
}

/**
 * Checks every request before anything else runs (register it before the routes). `partOf`: the main
 * port classifies by path; a receiver's own port is all receivers.
 */
export function addAuthentication(app: FastifyInstance, auth: AuthConfig, partOf: (path: string) => AuthPart | undefined = partOfPath): void {
  if (!auth.ui && !auth.api && !auth.receivers) return;
  app.addHook('onRequest', async (request, reply) => {
    const part = partOf(request.url.split('?')[0]);
    const rule = part && auth[part];
    if (!part || !rule || hasCredentials(rule, request.headers.authorization)) return undefined;
    const how = rule.type === 'bearer' ? `a bearer token (Authorization: Bearer …, auth.${part}.bearer)` : `a user name and password (basic auth, auth.${part}.basic)`;
    return reply
      .status(401)
      .header('WWW-Authenticate', rule.type === 'bearer' ? `Bearer realm="spanscope-${part}"` : 'Basic realm="spanscope", charset="UTF-8"')
      .header('Cache-Control', 'no-store')
      .send({ error: 'Authentication required', detail: `${PART_NAMES[part]} on this server needs ${how}` });
  });
}

/** True when an `Authorization` value (HTTP header, or gRPC metadata) satisfies the rule. */
export function hasCredentials(rule: AuthRule, header: string | undefined): boolean {
  if (!header) return false;
  const space = header.indexOf(' ');
  if (space < 0) return false;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (rule.type === 'bearer') return scheme === 'bearer' && sameSecret(value, rule.token);
  if (scheme !== 'basic') return false;
  return sameSecret(Buffer.from(value, 'base64').toString('utf8'), `${rule.username}:${rule.password}`);
}

/** Compared in constant time (as digests, so the lengths match). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) || bare === '::ffff:127.0.0.1';
}

/** The warning to print when the server binds beyond loopback with parts left open; undefined otherwise. */
export function exposureWarning(host: string, auth: AuthConfig, receiversEnabled: boolean): string | undefined {
  if (isLoopbackHost(host)) return undefined;
  const open = (['ui', 'api', 'receivers'] as const).filter((part) => !auth[part] && (part !== 'receivers' || receiversEnabled));
  if (open.length === 0) return undefined;
  const names = open.map((part) => `${PART_NAMES[part].replace(/^The /, 'the ')} (auth.${part})`).join(', ');
  return (
    `WARNING: Spanscope listens on ${host}, beyond loopback, without authentication for ${names}: ` +
    'anyone who can reach this address can read and write traces. Set auth in the config (README, "Authentication") or bind 127.0.0.1.'
  );
}
