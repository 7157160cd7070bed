// The receivers: OTLP/HTTP (POST /v1/traces, protobuf or JSON), Zipkin (POST /api/v2/spans) and the
// Datadog agent intake (PUT/POST /v0.4/traces, msgpack or JSON). Each answers the way its senders expect,
// only after the spans are committed (by the intake worker); when too many requests or bytes are in flight
// it answers 503 with Retry-After (OTLP exporters and dd-trace retry on it) instead of queueing without bound.
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { encodeOtlpExportResponse, encodeRpcStatus } from '../../src/core/import/otlp-protobuf.ts';
import type { HttpReceiver, ServerLimits } from '../config.ts';
import { acceptContentTypes } from '../cross-site-check.ts';
import { HttpError } from '../http-error.ts';
import type { BodyCap } from '../inflate-body.ts';
import type { ReceivedEncoding, SpanIntake } from './ingest.ts';
import type { IntakeAdmission } from './intake-admission.ts';

export interface ReceiverOptions {
  readonly intake: SpanIntake;
  readonly limits: ServerLimits;
  /** Shared by every receiver: requests being stored (bodies received whole) and bytes in memory. */
  readonly admission: IntakeAdmission;
}

const RETRY_AFTER_SECONDS = 1;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The receiver a route belongs to, for its body cap. */
    receiver?: HttpReceiver;
  }
}

const RECEIVER_OF: Record<ReceivedEncoding, HttpReceiver> = {
  'otlp-protobuf': 'otlp',
  'otlp-json': 'otlp',
  'zipkin-json': 'zipkin',
  'datadog-msgpack': 'datadog',
  'datadog-json': 'datadog',
};

export function registerReceiverRoutes(app: FastifyInstance, options: ReceiverOptions): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.limits.bodyBytes }, (_request, body, done) => done(null, body));
  // The body's bytes are in memory from the first one to the answer: charged as they arrive (past
  // receivers.maxInFlightBytes the body is refused with 503), so a client that trickles holds next to nothing.
  // A body must arrive whole within limits.receiverBodyTimeoutMs: a client that trickles it is cut off with a
  // 408 and its connection closed, so slow senders hold sockets for a bounded time and nothing else.
  app.addHook('preParsing', async (request, reply, payload) => {
    const held = options.admission.receiving();
    // The answer's 'close' comes once it is sent or the connection is gone. (Not the request's: it closes
    // as soon as its body is read.)
    reply.raw.once('close', held.release);
    const body = new PassThrough();
    const refuse = (err: HttpError) => {
      payload.unpipe(body);
      reply.header('connection', 'close');
      body.destroy(err);
    };
    const deadline = setTimeout(
      () => refuse(new HttpError(408, 'Request body too slow', `The body did not arrive within ${options.limits.receiverBodyTimeoutMs} ms (limits.receiverBodyTimeoutMs)`)),
      options.limits.receiverBodyTimeoutMs,
    );
    let received = 0;
    payload.on('data', (chunk: Buffer) => {
      received += chunk.byteLength;
      if (held.charge(received)) return;
      reply.header('Retry-After', String(RETRY_AFTER_SECONDS));
      refuse(new HttpError(503, 'Busy', options.admission.describe()));
    });
    // Whole, answered, or the client went away: no deadline left to keep.
    const keepNoDeadline = () => clearTimeout(deadline);
    body.once('end', keepNoDeadline).once('close', keepNoDeadline);
    payload.once('close', keepNoDeadline);
    reply.raw.once('close', keepNoDeadline);
    return payload.pipe(body);
  });
  // A request slot: from a body received whole to its answer (or the client going away). A request whose
  // body is still arriving holds none, so connections that trickle bytes cannot lock out the senders that
  // make progress; the deadline above bounds how long they last.
  app.addHook('preHandler', async (request, reply) => {
    const slot = options.admission.admit(0);
    if (!slot) return busy(reply, options.admission);
    reply.raw.once('close', slot.release);
  });

  const capOf = (receiver: HttpReceiver): BodyCap => ({ bytes: options.limits.receiverBodyBytes[receiver], setting: `limits.receiverBodyBytes.${receiver}` });
  // A body over its receiver's cap as sent stops being read there; the 413 names the cap, not the upload limit.
  app.setErrorHandler((err, request, reply) => {
    const receiver = request.routeOptions.config.receiver;
    if ((err as { code?: string }).code !== 'FST_ERR_CTP_BODY_TOO_LARGE' || !receiver) throw err;
    const cap = capOf(receiver);
    return reply.status(413).send({ error: 'Payload too large', detail: `The body is larger than ${cap.bytes} bytes; the limit is this server's ${cap.setting}` });
  });
  const routeOf = (receiver: HttpReceiver) => ({ bodyLimit: capOf(receiver).bytes, config: { receiver } });

  /** Hands the body to the intake (which inflates it within the receiver's cap); throws HttpError for what the sender got wrong. */
  const receive = async (request: FastifyRequest, encoding: ReceivedEncoding) => {
    const body = request.body instanceof Buffer ? request.body : Buffer.alloc(0);
    const outcome = await options.intake.receive({ body, encoding, contentEncoding: request.headers['content-encoding'], cap: capOf(RECEIVER_OF[encoding]) });
    request.log.debug({ encoding, accepted: outcome.acceptedSpans, rejected: outcome.rejectedSpans }, 'spans received');
    return outcome;
  };

  app.post('/v1/traces', routeOf('otlp'), async (request, reply) => {
    const protobuf = isProtobuf(request.headers['content-type']);
    if (!protobuf && !isJson(request.headers['content-type'])) {
      return reply.status(415).type('application/json').send({ code: 3, message: 'Content-Type must be application/x-protobuf or application/json' });
    }
    try {
      const outcome = await receive(request, protobuf ? 'otlp-protobuf' : 'otlp-json');
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
  const zipkinTypes = { ...routeOf('zipkin'), onRequest: acceptContentTypes(['application/json', 'application/x-protobuf'], 'Zipkin clients send application/json.') };
  app.post('/api/v2/spans', zipkinTypes, async (request, reply) => {
    if (isProtobuf(request.headers['content-type'])) {
      throw new HttpError(415, 'Zipkin protobuf is not supported', 'Send Zipkin v2 JSON (Content-Type: application/json)');
    }
    await receive(request, 'zipkin-json');
    return reply.status(202).send();
  });

  const datadog = async (request: FastifyRequest, reply: FastifyReply) => {
    await receive(request, isJson(request.headers['content-type']) ? 'datadog-json' : 'datadog-msgpack');
    // dd-trace reads sampling rates from this answer; 1 = keep everything.
    return reply.status(200).send({ rate_by_service: { 'service:,env:': 1 } });
  };
  // v0.5 (DD_TRACE_AGENT_PROTOCOL_VERSION=0.5) is a string-table msgpack; the decoder tells them apart.
  const datadogTypes = { ...routeOf('datadog'), onRequest: acceptContentTypes(['application/msgpack', 'application/json'], 'dd-trace sends application/msgpack.') };
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
