// The receivers: OTLP/HTTP (POST /v1/traces, protobuf or JSON), Zipkin (POST /api/v2/spans) and the
// Datadog agent intake (PUT/POST /v0.4/traces, msgpack or JSON). Each answers the way its senders expect,
// only after the spans are committed (by the intake worker); when too many requests or bytes are in flight
// it answers 503 with Retry-After (OTLP exporters and dd-trace retry on it) instead of queueing without bound.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { encodeOtlpExportResponse, encodeRpcStatus } from '../../src/core/import/otlp-protobuf.ts';
import type { ServerLimits } from '../config.ts';
import { acceptContentTypes } from '../cross-site-check.ts';
import { HttpError } from '../http-error.ts';
import type { ReceivedEncoding, SpanIntake } from './ingest.ts';
import type { Admitted, IntakeAdmission } from './intake-admission.ts';

export interface ReceiverOptions {
  readonly intake: SpanIntake;
  readonly limits: ServerLimits;
  /** Shared by every receiver: requests and bytes being received at once before new ones are refused. */
  readonly admission: IntakeAdmission;
}

declare module 'fastify' {
  interface FastifyRequest {
    intakeSlot?: Admitted;
  }
}

const RETRY_AFTER_SECONDS = 1;

export function registerReceiverRoutes(app: FastifyInstance, options: ReceiverOptions): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.limits.bodyBytes }, (_request, body, done) => done(null, body));
  // Counted from arrival to answer (or to the client going away), before the body is read: what waits in
  // memory is bounded. Content-Length is charged at once; a body without one, once read.
  app.addHook('onRequest', async (request, reply) => {
    const slot = options.admission.admit(Number(request.headers['content-length']) || 0);
    if (!slot) return busy(reply, options.admission);
    request.intakeSlot = slot;
    reply.raw.once('close', slot.release);
    request.raw.once('close', () => {
      if (request.raw.destroyed && !reply.sent) slot.release();
    });
  });

  /** Hands the body to the intake; throws HttpError for what the sender got wrong. */
  const receive = async (request: FastifyRequest, reply: FastifyReply, encoding: ReceivedEncoding) => {
    const body = request.body instanceof Buffer ? request.body : Buffer.alloc(0);
    if (request.intakeSlot && !request.intakeSlot.charge(body.byteLength)) {
      reply.header('Retry-After', String(RETRY_AFTER_SECONDS));
      throw new HttpError(503, 'Busy', options.admission.describe());
    }
    const outcome = await options.intake.receive({ body, encoding, contentEncoding: request.headers['content-encoding'] });
    request.log.debug({ encoding, accepted: outcome.acceptedSpans, rejected: outcome.rejectedSpans }, 'spans received');
    return outcome;
  };

  app.post('/v1/traces', async (request, reply) => {
    const protobuf = isProtobuf(request.headers['content-type']);
    if (!protobuf && !isJson(request.headers['content-type'])) {
      return reply.status(415).type('application/json').send({ code: 3, message: 'Content-Type must be application/x-protobuf or application/json' });
    }
    try {
      const outcome = await receive(request, reply, protobuf ? 'otlp-protobuf' : 'otlp-json');
      const partial = outcome.rejectedSpans > 0 ? { rejectedSpans: outcome.rejectedSpans, errorMessage: outcome.rejectReason ?? '' } : undefined;
      if (protobuf) return reply.status(200).type('application/x-protobuf').send(Buffer.from(encodeOtlpExportResponse(partial)));
      return reply.status(200).send(partial ? { partialSuccess: { rejectedSpans: String(partial.rejectedSpans), errorMessage: partial.errorMessage } } : {});
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      // OTLP/HTTP: errors carry a google.rpc.Status in the request's encoding (3 INVALID_ARGUMENT, 8 RESOURCE_EXHAUSTED, 14 UNAVAILABLE).
      const status = { code: err.status === 413 ? 8 : err.status === 503 ? 14 : 3, message: `${err.message}: ${err.detail}` };
      if (protobuf) return reply.status(err.status).type('application/x-protobuf').send(Buffer.from(encodeRpcStatus(status)));
      return reply.status(err.status).send(status);
    }
  });

  // Types a page on another site cannot send without a preflight (this server answers none).
  const zipkinTypes = { onRequest: acceptContentTypes(['application/json', 'application/x-protobuf'], 'Zipkin clients send application/json.') };
  app.post('/api/v2/spans', zipkinTypes, async (request, reply) => {
    if (isProtobuf(request.headers['content-type'])) {
      throw new HttpError(415, 'Zipkin protobuf is not supported', 'Send Zipkin v2 JSON (Content-Type: application/json)');
    }
    await receive(request, reply, 'zipkin-json');
    return reply.status(202).send();
  });

  const datadog = async (request: FastifyRequest, reply: FastifyReply) => {
    await receive(request, reply, isJson(request.headers['content-type']) ? 'datadog-json' : 'datadog-msgpack');
    // dd-trace reads sampling rates from this answer; 1 = keep everything.
    return reply.status(200).send({ rate_by_service: { 'service:,env:': 1 } });
  };
  // v0.5 (DD_TRACE_AGENT_PROTOCOL_VERSION=0.5) is a string-table msgpack; the decoder tells them apart.
  const datadogTypes = { onRequest: acceptContentTypes(['application/msgpack', 'application/json'], 'dd-trace sends application/msgpack.') };
  for (const path of ['/v0.4/traces', '/v0.5/traces']) {
    app.put(path, datadogTypes, datadog);
    app.post(path, datadogTypes, datadog);
  }
  // dd-trace also flushes client metrics to the agent; there is nothing to keep, but it should not fail.
  app.post('/dogstatsd/v2/proxy', async (_request, reply) => reply.status(202).send());
}

function busy(reply: FastifyReply, admission: IntakeAdmission) {
  return reply.status(503).header('Retry-After', String(RETRY_AFTER_SECONDS)).send({ error: 'Busy', detail: admission.describe() });
}

function isProtobuf(contentType: string | undefined): boolean {
  return /^application\/(x-)?protobuf\b/i.test(contentType ?? '');
}

function isJson(contentType: string | undefined): boolean {
  return /^application\/json\b/i.test(contentType ?? '');
}
