// POST /api/sampling/evaluate: the sampling lab over the embedded store (issue #18). Everything that can
// be refused is refused before the stream starts (415, 400 naming the field or the config's line, 413
// past the caps); then NDJSON: progress while the scope's traces are read, then the result.
import { Readable } from 'node:stream';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import {
  MAX_SAMPLING_SPANS,
  MAX_SAMPLING_TRACES,
  type SamplingConfigErrorBody,
  type SamplingEvaluateRequest,
  sampledTraceRow,
  type SamplingStreamLine,
} from '../../src/core/api/sampling-api.ts';
import type { TraceModel } from '../../src/core/model/trace-model.ts';
import { parseSamplingConfig, type TailSamplingConfig } from '../../src/core/sampling/config.ts';
import { ConfigError } from '../../src/core/sampling/config-yaml.ts';
import { evaluateSampling } from '../../src/core/sampling/evaluate.ts';
import { parseHeadSampler, type HeadSampler } from '../../src/core/sampling/head-sampler.ts';
import { summarizeSampling } from '../../src/core/sampling/summary.ts';
import { HttpError } from '../http-error.ts';
import { readScopeTraces } from '../store/sampling-scope.ts';
import type { SamplingScopeTrace, TraceStore } from '../store/trace-store.ts';

const FIELDS = new Set(['config', 'processor', 'head', 'start', 'end', 'limit']);

interface Evaluation {
  readonly config: TailSamplingConfig;
  readonly head: HeadSampler | undefined;
  readonly scope: readonly SamplingScopeTrace[];
}

export function registerSamplingRoutes(api: FastifyInstance, { store }: { store: TraceStore }): void {
  // The content type is checked in the handler, so a wrong one gets a 415 that says what to send.
  api.removeAllContentTypeParsers();
  // The server's body limit applies (the 413 it gives names it).
  api.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  api.post('/sampling/evaluate', async (request, reply) => {
    const mediaType = String(request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (mediaType !== 'application/json') {
      // A form or text/plain POST is what another site can send without a preflight: never run one.
      throw new HttpError(415, 'Unsupported content type', `Send the request as Content-Type: application/json (got ${mediaType || 'none'})`);
    }
    const body = parseBody(request.body);
    let config: TailSamplingConfig;
    try {
      config = parseSamplingConfig(body.config, body.processor);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const { message, line, column, policy } = err.info;
      const answer: SamplingConfigErrorBody = { error: 'Invalid sampling config', detail: message, line: line ?? null, column: column ?? null, policy: policy ?? null };
      return reply.status(400).send(answer);
    }
    const head = body.head === undefined ? undefined : parseHead(body.head);
    const start = body.start ?? Number.MIN_SAFE_INTEGER;
    const end = body.end ?? Number.MAX_SAFE_INTEGER;
    const limit = body.limit ?? MAX_SAMPLING_TRACES;
    const size = store.samplingScopeSize(start, end);
    if (size.traces > limit) {
      throw new HttpError(413, 'Too many traces to evaluate', `The range holds ${size.traces} traces; at most ${limit} are evaluated at once: narrow start/end`);
    }
    if (size.spans > MAX_SAMPLING_SPANS) {
      throw new HttpError(413, 'Too many spans to evaluate', `The range's traces hold ${size.spans} spans; at most ${MAX_SAMPLING_SPANS} are evaluated at once: narrow start/end`);
    }
    // Traces received since the count make it a little larger at most: the caps are not exact limits.
    const scope = store.samplingScope(start, end);
    reply.header('Cache-Control', 'private, no-store');
    const lines = Readable.from(ndjson(evaluationLines(store, { config, head, scope }, request.log)));
    return reply.type('application/x-ndjson').send(lines);
  });
}

/** Progress per batch read (the first says the total), then the result; an error line if it fails. */
async function* evaluationLines(store: TraceStore, { config, head, scope }: Evaluation, log: FastifyBaseLogger): AsyncGenerator<SamplingStreamLine> {
  const total = scope.length;
  yield { type: 'progress', done: 0, total };
  try {
    const models = new Map<string, TraceModel>();
    const skipped: { traceId: string; reason: string }[] = [];
    let done = 0;
    for await (const batch of readScopeTraces(store, scope)) {
      for (const read of batch) {
        if (read.model) models.set(read.traceId, read.model);
        else skipped.push({ traceId: read.traceId, reason: read.reason });
      }
      done += batch.length;
      yield { type: 'progress', done, total };
    }
    // The engine takes every trace at once: the rate limits replay them in decision-time order and the
    // summary's losses (uncovered services, cut links) span them all. The caps bound that set.
    const ordered = scope.flatMap(({ traceId }) => models.get(traceId) ?? []);
    const evaluation = evaluateSampling(ordered, config, head);
    const decisions = evaluation.decisions.map((d) => sampledTraceRow(d, ordered[d.trace]));
    yield { type: 'result', summary: summarizeSampling(ordered, evaluation), decisions, skipped };
  } catch (err) {
    log.error({ err }, 'sampling evaluation failed');
    yield { type: 'error', error: 'Evaluation failed', detail: (err as Error).message };
  }
}

async function* ndjson(lines: AsyncIterable<SamplingStreamLine>): AsyncGenerator<string> {
  for await (const line of lines) yield `${JSON.stringify(line)}\n`;
}

function badField(field: string, detail: string): HttpError {
  return new HttpError(400, `Invalid ${field}`, `${field}: ${detail}`);
}

function parseBody(raw: unknown): SamplingEvaluateRequest {
  let body: unknown;
  try {
    body = JSON.parse(typeof raw === 'string' ? raw : '');
  } catch (err) {
    throw new HttpError(400, 'Invalid JSON body', (err as Error).message);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'Invalid request body', 'Expected a JSON object {config, head?, start?, end?, limit?}');
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).find((k) => !FIELDS.has(k));
  if (unknown !== undefined) throw badField(unknown.slice(0, 64), `unknown field (known: ${[...FIELDS].join(', ')})`);
  const { config, processor, head, start, end, limit } = fields;
  if (typeof config !== 'string' || config.trim() === '') throw badField('config', 'expected the Collector config as a YAML string');
  if (processor !== undefined && typeof processor !== 'string') throw badField('processor', 'expected a processor name such as "tail_sampling/prod"');
  if (head !== undefined && typeof head !== 'string') throw badField('head', 'expected a head sampler such as "parentbased_traceidratio:0.1"');
  const epochMs = (name: string, value: unknown): number | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw badField(name, 'expected a time in epoch milliseconds');
    return value;
  };
  const startMs = epochMs('start', start);
  const endMs = epochMs('end', end);
  if (startMs !== undefined && endMs !== undefined && endMs < startMs) throw badField('end', `${endMs} is before start ${startMs}`);
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_SAMPLING_TRACES)) {
    throw badField('limit', `expected a whole number from 1 to ${MAX_SAMPLING_TRACES}`);
  }
  return { config, processor, head, start: startMs, end: endMs, limit };
}

function parseHead(text: string): HeadSampler {
  const parsed = parseHeadSampler(text);
  if ('error' in parsed) throw badField('head', parsed.error);
  return parsed;
}
