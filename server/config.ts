// Server configuration: a JSON file (spanscope.config.json, or --config) plus environment variables.
// Secrets stay out of the file: a header value may say "${JAEGER_TOKEN}" and is filled from the
// environment here, on the server; the browser never sees a URL or a header.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAuth, parseServeSourceMaps, parseShareQuota, parseUploadRateLimit, parseUrlAllowlist, type AuthConfig, type ShareQuota, type UploadRateLimit } from './access-config.ts';
import { parseAllowedHosts } from './host-check.ts';

export type UpstreamType = 'jaeger' | 'tempo' | 'zipkin';

export interface UpstreamConfig {
  readonly name: string;
  readonly type: UpstreamType;
  /** Base URL of the query API, e.g. http://jaeger-query:16686 (a path prefix is kept). */
  readonly url: string;
  readonly timeoutMs: number;
  /** Added to every upstream request, server-side only. */
  readonly headers: Readonly<Record<string, string>>;
  /** Upstream responses larger than this are cut off with a 502. */
  readonly maxResponseBytes: number;
}

export interface ServerLimits {
  /** Largest request body (share uploads), as sent. */
  readonly bodyBytes: number;
  /** Largest upload after gunzip: a gzip bomb stops here. */
  readonly decompressedBytes: number;
  readonly spansPerTrace: number;
  /** Largest body each HTTP receiver takes, as sent and once Content-Encoding is undone. */
  readonly receiverBodyBytes: Readonly<Record<HttpReceiver, number>>;
  /** A receiver request's body must arrive whole within this, or it gets 408 (slow senders hold no slot for long). */
  readonly receiverBodyTimeoutMs: number;
}

export type HttpReceiver = 'otlp' | 'zipkin' | 'datadog';

export interface ReceiverConfig {
  /** Off: no receiver routes and no receiver ports. */
  readonly enabled: boolean;
  /** Standard ports; 0 = no listener of its own (the routes are on the main port too). */
  readonly otlpHttpPort: number;
  readonly zipkinPort: number;
  readonly datadogPort: number;
  /** OTLP/gRPC has no HTTP routes to fall back on: 0 turns the gRPC receiver off. */
  readonly otlpGrpcPort: number;
  /** Largest gRPC request message, also after gzip is undone; larger ones get RESOURCE_EXHAUSTED. */
  readonly grpcMaxMessageBytes: number;
  /** A trace with no new spans for this long is complete. */
  readonly quietMs: number;
  /** Requests, and bytes of their bodies as sent, being received at once (all receivers together); more wait outside (503 / UNAVAILABLE). */
  readonly maxInFlight: number;
  readonly maxInFlightBytes: number;
  /** While the oldest request being stored has waited longer than this, new ones get 503 / UNAVAILABLE. */
  readonly maxWaitMs: number;
  /** Worker threads that decode and store received spans (they take turns at the store's write lock). */
  readonly intakeWorkers: number;
}

export interface RetentionConfig {
  /** Received traces kept; the oldest (by last span received) are dropped first. Shared files are kept. */
  readonly maxTraces: number;
  readonly maxBytes: number;
}

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  /** Host names besides the bound one, IPs and localhost that requests may carry (see host-check.ts). */
  readonly allowedHosts: readonly string[];
  readonly dataDir: string;
  readonly backends: readonly UpstreamConfig[];
  /** Name of the embedded store backend. */
  readonly embeddedName: string;
  readonly defaultBackend: string;
  readonly sharing: { readonly enabled: boolean } & ShareQuota;
  /** Share uploads per client address (access-config.ts). */
  readonly rateLimit: UploadRateLimit;
  /** Optional credentials for the UI, /api and the receivers. */
  readonly auth: AuthConfig;
  /** Origins besides the server's own that `?url=` may open (CSP connect-src). */
  readonly urlAllowlist: readonly string[];
  /** Serve the build's *.map files (only a build made with SPANSCOPE_SOURCEMAPS=1 has them). */
  readonly serveSourceMaps: boolean;
  readonly limits: ServerLimits;
  /** Directory of the built app (vite build output). */
  readonly staticDir: string;
  readonly seedDemoTraces: boolean;
  readonly receivers: ReceiverConfig;
  readonly retention: RetentionConfig;
}

// 16 MiB of spans per gRPC message: SDK batches (512 spans) are far smaller; the Collector's own default is 4 MiB.
export const DEFAULT_RECEIVERS: ReceiverConfig = {
  enabled: true,
  otlpHttpPort: 4318,
  zipkinPort: 9411,
  datadogPort: 8126,
  otlpGrpcPort: 4317,
  grpcMaxMessageBytes: 16 * 1024 * 1024,
  quietMs: 10_000,
  maxInFlight: 64,
  maxInFlightBytes: 64 * 1024 * 1024,
  // Well inside an exporter's 10 s timeout: what is accepted is answered in time, the rest retried.
  maxWaitMs: 2000,
  // Two: one decodes while the other holds the write lock (about half of a request's work is SQL).
  intakeWorkers: 2,
};
export const DEFAULT_RETENTION: RetentionConfig = { maxTraces: 100_000, maxBytes: 2 * 1024 ** 3 };
// Receivers: an SDK batch (512 spans) is well under 1 MiB; the Collector's own HTTP receiver stops at 20 MiB
// and the Datadog agent at 25 MB. 32 MiB leaves room for big batches from a Collector.
export const DEFAULT_LIMITS: ServerLimits = {
  bodyBytes: 200 * 1024 * 1024,
  decompressedBytes: 1024 * 1024 * 1024,
  spansPerTrace: 2_000_000,
  receiverBodyBytes: { otlp: 32 * 1024 * 1024, zipkin: 32 * 1024 * 1024, datadog: 32 * 1024 * 1024 },
  // Exporters give up on a request after 10 s by default.
  receiverBodyTimeoutMs: 30_000,
};
const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_RESPONSE_BYTES = 512 * 1024 * 1024;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface ConfigInputs {
  readonly argv: { port?: number; host?: string; dataDir?: string; config?: string };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly staticDir: string;
}

/** Flags beat environment variables, which beat the config file, which beats the defaults. */
export function loadConfig({ argv, env, cwd, staticDir }: ConfigInputs): ServerConfig {
  const configPath = argv.config ?? env.SPANSCOPE_CONFIG;
  const file = readConfigFile(configPath ? resolve(cwd, configPath) : join(cwd, 'spanscope.config.json'), configPath !== undefined);
  const fileBackends = asArray(file.backends, 'backends').map((b, i) => parseUpstream(b, `backends[${i}]`, env));
  const envBackends = (['jaeger', 'tempo', 'zipkin'] as const)
    .filter((type) => env[`SPANSCOPE_${type.toUpperCase()}_URL`])
    .map((type) => parseUpstream({ name: type, type, url: env[`SPANSCOPE_${type.toUpperCase()}_URL`] }, `SPANSCOPE_${type.toUpperCase()}_URL`, env));
  const backends = [...fileBackends, ...envBackends.filter((e) => !fileBackends.some((f) => f.name === e.name))];

  const embeddedName = optionalString(file.embeddedName, 'embeddedName') ?? 'local';
  const names = new Set<string>([embeddedName]);
  for (const b of backends) {
    if (names.has(b.name)) throw new ConfigError(`Backend name "${b.name}" is used twice (the embedded store is "${embeddedName}")`);
    names.add(b.name);
  }
  const defaultBackend = env.SPANSCOPE_DEFAULT_BACKEND ?? optionalString(file.defaultBackend, 'defaultBackend') ?? embeddedName;
  if (!names.has(defaultBackend)) throw new ConfigError(`defaultBackend "${defaultBackend}" is not a configured backend (${[...names].join(', ')})`);

  const limitsIn = asObject(file.limits ?? {}, 'limits');
  const limits: ServerLimits = {
    bodyBytes: positiveInt(env.SPANSCOPE_MAX_UPLOAD_BYTES ?? limitsIn.bodyBytes, 'limits.bodyBytes') ?? DEFAULT_LIMITS.bodyBytes,
    decompressedBytes: positiveInt(limitsIn.decompressedBytes, 'limits.decompressedBytes') ?? DEFAULT_LIMITS.decompressedBytes,
    spansPerTrace: positiveInt(limitsIn.spansPerTrace, 'limits.spansPerTrace') ?? DEFAULT_LIMITS.spansPerTrace,
    receiverBodyBytes: parseReceiverBodyBytes(asObject(limitsIn.receiverBodyBytes ?? {}, 'limits.receiverBodyBytes')),
    receiverBodyTimeoutMs: positiveInt(limitsIn.receiverBodyTimeoutMs, 'limits.receiverBodyTimeoutMs') ?? DEFAULT_LIMITS.receiverBodyTimeoutMs,
  };
  const receiversIn = asObject(file.receivers ?? {}, 'receivers');
  const port = (envName: string, key: keyof ReceiverConfig) => nonNegativeInt(env[envName] ?? receiversIn[key], `receivers.${key}`) ?? (DEFAULT_RECEIVERS[key] as number);
  const receivers: ReceiverConfig = {
    enabled: env.SPANSCOPE_RECEIVERS !== undefined ? env.SPANSCOPE_RECEIVERS !== 'off' : receiversIn.enabled !== false,
    otlpHttpPort: port('SPANSCOPE_OTLP_HTTP_PORT', 'otlpHttpPort'),
    zipkinPort: port('SPANSCOPE_ZIPKIN_PORT', 'zipkinPort'),
    datadogPort: port('SPANSCOPE_DATADOG_PORT', 'datadogPort'),
    otlpGrpcPort: port('SPANSCOPE_OTLP_GRPC_PORT', 'otlpGrpcPort'),
    grpcMaxMessageBytes: positiveInt(receiversIn.grpcMaxMessageBytes, 'receivers.grpcMaxMessageBytes') ?? DEFAULT_RECEIVERS.grpcMaxMessageBytes,
    quietMs: positiveInt(receiversIn.quietMs, 'receivers.quietMs') ?? DEFAULT_RECEIVERS.quietMs,
    maxInFlight: positiveInt(receiversIn.maxInFlight, 'receivers.maxInFlight') ?? DEFAULT_RECEIVERS.maxInFlight,
    maxInFlightBytes: positiveInt(receiversIn.maxInFlightBytes, 'receivers.maxInFlightBytes') ?? DEFAULT_RECEIVERS.maxInFlightBytes,
    maxWaitMs: positiveInt(receiversIn.maxWaitMs, 'receivers.maxWaitMs') ?? DEFAULT_RECEIVERS.maxWaitMs,
    intakeWorkers: positiveInt(receiversIn.intakeWorkers, 'receivers.intakeWorkers') ?? DEFAULT_RECEIVERS.intakeWorkers,
  };
  const retentionIn = asObject(file.retention ?? {}, 'retention');
  const retention: RetentionConfig = {
    maxTraces: positiveInt(retentionIn.maxTraces, 'retention.maxTraces') ?? DEFAULT_RETENTION.maxTraces,
    maxBytes: positiveInt(retentionIn.maxBytes, 'retention.maxBytes') ?? DEFAULT_RETENTION.maxBytes,
  };
  const sharingIn = asObject(file.sharing ?? {}, 'sharing');
  const sharingEnabled = env.SPANSCOPE_SHARING !== undefined ? env.SPANSCOPE_SHARING !== 'off' : sharingIn.enabled !== false;

  return {
    host: argv.host ?? env.HOST ?? optionalString(file.host, 'host') ?? '127.0.0.1',
    port: argv.port ?? positiveInt(env.PORT, 'PORT') ?? positiveInt(file.port, 'port') ?? 8080,
    allowedHosts: parseAllowedHosts(file.allowedHosts, env.SPANSCOPE_ALLOWED_HOSTS),
    dataDir: resolve(cwd, argv.dataDir ?? env.SPANSCOPE_DATA_DIR ?? optionalString(file.dataDir, 'dataDir') ?? defaultDataDir(env)),
    backends,
    embeddedName,
    defaultBackend,
    sharing: { enabled: sharingEnabled, ...parseShareQuota(sharingIn, env) },
    rateLimit: parseUploadRateLimit(file.rateLimit, env),
    auth: parseAuth(file.auth, env),
    urlAllowlist: parseUrlAllowlist(asObject(file.server ?? {}, 'server'), env),
    serveSourceMaps: parseServeSourceMaps(asObject(file.server ?? {}, 'server'), env),
    limits,
    staticDir,
    seedDemoTraces: file.seedDemoTraces !== false,
    receivers,
    retention,
  };
}

function parseReceiverBodyBytes(raw: Record<string, unknown>): ServerLimits['receiverBodyBytes'] {
  const cap = (receiver: HttpReceiver) => positiveInt(raw[receiver], `limits.receiverBodyBytes.${receiver}`) ?? DEFAULT_LIMITS.receiverBodyBytes[receiver];
  return { otlp: cap('otlp'), zipkin: cap('zipkin'), datadog: cap('datadog') };
}

function defaultDataDir(env: Readonly<Record<string, string | undefined>>): string {
  const home = env.HOME ?? homedir();
  return home ? join(home, '.spanscope') : './data';
}

function readConfigFile(path: string, required: boolean): Record<string, unknown> {
  if (!existsSync(path)) {
    if (required) throw new ConfigError(`Config file not found: ${path}`);
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`Config file ${path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  return asObject(parsed, path);
}

function parseUpstream(raw: unknown, where: string, env: Readonly<Record<string, string | undefined>>): UpstreamConfig {
  const b = asObject(raw, where);
  const name = optionalString(b.name, `${where}.name`);
  if (!name || !NAME_PATTERN.test(name)) throw new ConfigError(`${where}.name must be 1–64 letters, digits, ".", "_" or "-" (got ${JSON.stringify(b.name)})`);
  const type = b.type;
  if (type !== 'jaeger' && type !== 'tempo' && type !== 'zipkin') throw new ConfigError(`${where}.type must be "jaeger", "tempo" or "zipkin" (got ${JSON.stringify(type)})`);
  const url = optionalString(b.url, `${where}.url`);
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url ?? '');
  } catch {
    throw new ConfigError(`${where}.url must be an absolute http(s) URL (got ${JSON.stringify(b.url)})`);
  }
  if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') throw new ConfigError(`${where}.url must be http or https (got ${parsedUrl.protocol})`);
  const headersIn = asObject(b.headers ?? {}, `${where}.headers`);
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(headersIn)) {
    if (typeof value !== 'string') throw new ConfigError(`${where}.headers.${key} must be a string`);
    headers[key] = expandEnvVariables(value, `${where}.headers.${key}`, env);
  }
  return {
    name,
    type,
    url: parsedUrl.href.replace(/\/+$/, ''),
    timeoutMs: positiveInt(b.timeoutMs, `${where}.timeoutMs`) ?? DEFAULT_TIMEOUT_MS,
    headers,
    maxResponseBytes: positiveInt(b.maxResponseBytes, `${where}.maxResponseBytes`) ?? DEFAULT_MAX_RESPONSE_BYTES,
  };
}

/** "${NAME}" in a value → that environment variable; an unset one is a ConfigError naming `where`. */
export function expandEnvVariables(value: string, where: string, env: Readonly<Record<string, string | undefined>>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, variable: string) => {
    const fromEnv = env[variable];
    if (fromEnv === undefined) throw new ConfigError(`${where} names the environment variable ${variable}, which is not set`);
    return fromEnv;
  });
}

function asObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(`${where} must be a JSON object`);
  return value as Record<string, unknown>;
}

function asArray(value: unknown, where: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ConfigError(`${where} must be an array`);
  return value;
}

function optionalString(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ConfigError(`${where} must be a string`);
  return value;
}

function nonNegativeInt(value: unknown, where: string): number | undefined {
  return value === 0 || value === '0' ? 0 : positiveInt(value, where);
}

function positiveInt(value: unknown, where: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) throw new ConfigError(`${where} must be a positive integer (got ${JSON.stringify(value)})`);
  return n;
}
