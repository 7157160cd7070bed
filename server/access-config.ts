// The parts of the configuration that bound who may use the server and how much: the share quota, the
// per-client upload rate, optional authentication per part, and the origins ?url= may fetch from.
// loadConfig (config.ts) calls these; each names the config key it reads in its errors.
import { ConfigError, expandEnvVariables } from './config.ts';

export interface ShareQuota {
  /** Shared files together (their bytes as uploaded, decompressed); the least recently opened go first. */
  readonly maxBytes: number;
  /** A share not opened for this many days is deleted. */
  readonly maxAgeDays: number;
}

export interface UploadRateLimit {
  /** Share uploads one client address may start per minute. */
  readonly uploadsPerMinute: number;
  /** Bytes (as sent) one client address may upload per minute. */
  readonly uploadBytesPerMinute: number;
}

export type AuthRule =
  | { readonly type: 'bearer'; readonly token: string }
  | { readonly type: 'basic'; readonly username: string; readonly password: string };

/** undefined: that part is open. */
export interface AuthConfig {
  /** The app's pages and assets. */
  readonly ui: AuthRule | undefined;
  /** /api (search, shares, sampling). */
  readonly api: AuthRule | undefined;
  /** OTLP, Zipkin and Datadog intake, on the main port and on their own. */
  readonly receivers: AuthRule | undefined;
}

export const DEFAULT_SHARE_QUOTA: ShareQuota = { maxBytes: 5 * 1024 ** 3, maxAgeDays: 30 };
export const DEFAULT_UPLOAD_RATE_LIMIT: UploadRateLimit = { uploadsPerMinute: 30, uploadBytesPerMinute: 1024 ** 3 };
export const NO_AUTH: AuthConfig = { ui: undefined, api: undefined, receivers: undefined };

type Env = Readonly<Record<string, string | undefined>>;

export function parseShareQuota(sharing: Record<string, unknown>, env: Env): ShareQuota {
  return {
    maxBytes: positiveNumber(env.SPANSCOPE_SHARE_MAX_BYTES ?? sharing.maxBytes, 'sharing.maxBytes') ?? DEFAULT_SHARE_QUOTA.maxBytes,
    maxAgeDays: positiveNumber(env.SPANSCOPE_SHARE_MAX_AGE_DAYS ?? sharing.maxAgeDays, 'sharing.maxAgeDays') ?? DEFAULT_SHARE_QUOTA.maxAgeDays,
  };
}

export function parseUploadRateLimit(raw: unknown, env: Env): UploadRateLimit {
  const rate = asObject(raw ?? {}, 'rateLimit');
  return {
    uploadsPerMinute: positiveNumber(env.SPANSCOPE_UPLOADS_PER_MINUTE ?? rate.uploadsPerMinute, 'rateLimit.uploadsPerMinute') ?? DEFAULT_UPLOAD_RATE_LIMIT.uploadsPerMinute,
    uploadBytesPerMinute:
      positiveNumber(env.SPANSCOPE_UPLOAD_BYTES_PER_MINUTE ?? rate.uploadBytesPerMinute, 'rateLimit.uploadBytesPerMinute') ?? DEFAULT_UPLOAD_RATE_LIMIT.uploadBytesPerMinute,
  };
}

/** `auth: {ui?, api?, receivers?}`, each `{bearer: "token"}` or `{basic: {username, password}}`; values may say ${VAR}. */
export function parseAuth(raw: unknown, env: Env): AuthConfig {
  const auth = asObject(raw ?? {}, 'auth');
  for (const key of Object.keys(auth)) {
    if (key !== 'ui' && key !== 'api' && key !== 'receivers') throw new ConfigError(`auth.${key} is not a part of the server: use auth.ui, auth.api or auth.receivers`);
  }
  const rule = (part: 'ui' | 'api' | 'receivers'): AuthRule | undefined => {
    if (auth[part] === undefined) return undefined;
    const where = `auth.${part}`;
    const value = asObject(auth[part], where);
    if (typeof value.bearer === 'string') {
      const token = expandEnvVariables(value.bearer, `${where}.bearer`, env);
      if (token.length < 16) throw new ConfigError(`${where}.bearer must be at least 16 characters`);
      return { type: 'bearer', token };
    }
    if (value.basic !== undefined) {
      const basic = asObject(value.basic, `${where}.basic`);
      if (typeof basic.username !== 'string' || typeof basic.password !== 'string') throw new ConfigError(`${where}.basic needs "username" and "password" strings`);
      const username = expandEnvVariables(basic.username, `${where}.basic.username`, env);
      const password = expandEnvVariables(basic.password, `${where}.basic.password`, env);
      if (!username || username.includes(':') || !password) throw new ConfigError(`${where}.basic needs a username without ":" and a non-empty password`);
      return { type: 'basic', username, password };
    }
    throw new ConfigError(`${where} must be {"bearer": "<token>"} or {"basic": {"username": …, "password": …}}`);
  };
  return { ui: rule('ui'), api: rule('api'), receivers: rule('receivers') };
}

/**
 * `server.urlAllowlist`: origins (scheme://host[:port]) the app may fetch a `?url=` trace from, besides
 * its own. Env SPANSCOPE_URL_ALLOWLIST: the same, comma-separated.
 */
export function parseUrlAllowlist(server: Record<string, unknown>, env: Env): readonly string[] {
  const fromEnv = env.SPANSCOPE_URL_ALLOWLIST?.split(',').map((s) => s.trim()).filter(Boolean);
  const raw = fromEnv ?? server.urlAllowlist ?? [];
  if (!Array.isArray(raw)) throw new ConfigError('server.urlAllowlist must be an array of origins');
  return raw.map((entry, i) => {
    const where = `server.urlAllowlist[${i}]`;
    if (typeof entry !== 'string') throw new ConfigError(`${where} must be a string`);
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new ConfigError(`${where} must be an origin such as https://traces.example.com (got ${JSON.stringify(entry)})`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${where} must be http or https (got ${url.protocol})`);
    if (url.pathname !== '/' || url.search || url.hash || url.username) throw new ConfigError(`${where} must be an origin only, without a path (got ${JSON.stringify(entry)})`);
    return url.origin;
  });
}

/** `server.sourceMaps` (env SPANSCOPE_SOURCEMAPS=1): serve *.map files; off, they are a 404. */
export function parseServeSourceMaps(server: Record<string, unknown>, env: Env): boolean {
  if (env.SPANSCOPE_SOURCEMAPS !== undefined) return env.SPANSCOPE_SOURCEMAPS === '1';
  if (server.sourceMaps !== undefined && typeof server.sourceMaps !== 'boolean') throw new ConfigError('server.sourceMaps must be true or false');
  return server.sourceMaps === true;
}

function asObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(`${where} must be a JSON object`);
  return value as Record<string, unknown>;
}

function positiveNumber(value: unknown, where: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) throw new ConfigError(`${where} must be a positive number (got ${JSON.stringify(value)})`);
  return n;
}
