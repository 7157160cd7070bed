// DNS rebinding defence: a page on evil.example whose name is made to resolve to 127.0.0.1 reaches this
// server from the user's own browser, same-origin for the browser, with `Host: evil.example`. So every
// request (main port and receiver ports) must name a host this server answers to; the rest get 421.
import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ConfigError } from './config.ts';
import { HttpError } from './http-error.ts';

/**
 * The `Host` names a request may carry: any IP literal (a page cannot rebind an address, only a name),
 * `localhost` and `*.localhost` (always loopback), the bound host, and the configured entries; an entry
 * starting with "." also allows its subdomains (Vite's rule, so one list serves both). Ports are not
 * compared: the name is what a rebinding changes.
 */
export function isHostAllowed(hostHeader: string, boundHost: string, allowedHosts: readonly string[]): boolean {
  const hostname = hostnameOf(hostHeader);
  if (hostname === undefined) return false;
  if (isIP(hostname) !== 0 || hostname === 'localhost' || hostname.endsWith('.localhost')) return true;
  return hostname === boundHost.toLowerCase() || isConfiguredHost(hostHeader, allowedHosts);
}

/** True when the host (port ignored) is one of the configured `allowedHosts` entries. */
export function isConfiguredHost(hostHeader: string, allowedHosts: readonly string[]): boolean {
  const hostname = hostnameOf(hostHeader);
  if (hostname === undefined) return false;
  return allowedHosts.some((entry) => {
    const allowed = entry.toLowerCase();
    if (allowed.startsWith('.')) return hostname === allowed.slice(1) || hostname.endsWith(allowed);
    return hostname === allowed;
  });
}

/** `name`, `name:port`, `[v6]` or `[v6]:port` → the name or bare address; undefined when malformed. */
function hostnameOf(hostHeader: string): string | undefined {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end > 1 ? value.slice(1, end) : undefined;
  }
  const name = value.replace(/:\d*$/, '');
  return /^[a-z0-9.-]+$/.test(name) ? name.replace(/\.$/, '') : undefined;
}

/** Refuses, before anything else runs, a request whose `Host` is not allowed (see isHostAllowed). */
export function addHostCheck(app: FastifyInstance, boundHost: string, allowedHosts: readonly string[]): void {
  app.addHook('onRequest', async (request) => {
    const host = request.headers.host;
    // HTTP/1.0 without Host is not a browser; Node refuses HTTP/1.1 without one itself.
    if (host === undefined || isHostAllowed(host, boundHost, allowedHosts)) return;
    throw new HttpError(
      421,
      'Host not allowed',
      `This server does not answer to the host ${JSON.stringify(host.slice(0, 200))}; if that name is meant to reach it, add it to "allowedHosts" in the config file or to SPANSCOPE_ALLOWED_HOSTS (comma-separated)`,
    );
  });
}

/** `allowedHosts` from the config file (an array of names) and SPANSCOPE_ALLOWED_HOSTS (comma-separated). */
export function parseAllowedHosts(fromFile: unknown, fromEnv: string | undefined): string[] {
  if (fromFile !== undefined && (!Array.isArray(fromFile) || fromFile.some((h) => typeof h !== 'string' || h.trim() === ''))) {
    throw new ConfigError(`allowedHosts must be an array of host names (got ${JSON.stringify(fromFile)})`);
  }
  const fileHosts = (fromFile ?? []) as string[];
  const envHosts = (fromEnv ?? '').split(',').map((h) => h.trim()).filter((h) => h !== '');
  return [...new Set([...fileHosts.map((h) => h.trim()), ...envHosts])];
}
