// The receivers: OTLP/HTTP (POST /v1/traces, protobuf or JSON), Zipkin (POST /api/v2/spans) and the
// Datadog agent intake (PUT/POST /v0.4/traces, msgpack or JSON). Each answers the way its senders expect,
// only after the spans are committed; when too many requests are in flight it answers 503 with
// Retry-After (OTLP exporters and dd-trace retry on it) instead of queueing without bound.
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { encodeOtlpExportResponse, encodeRpcStatus } from '../../src/core/import/otlp-protobuf.ts';
import type { HttpReceiver, ServerLimits } from '../config.ts';
import { acceptContentTypes } from '../cross-site-check.ts';
import { HttpError } from '../http-error.ts';
import { decodeContentEncoding, type BodyCap } from '../inflate-body.ts';
import { ingestBody, type ReceivedEncoding, type ReceivedSpansSink } from './ingest.ts';

export interface ReceiverOptions extends ReceivedSpansSink {
  readonly limits: ServerLimits;
  /** Requests being decoded and stored at once (bodies received whole) before new ones get 503. */
  readonly maxInFlight: number;
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
  // A body must arrive whole within limits.receiverBodyTimeoutMs: a client that trickles it is cut off with a 408 and its
  // connection closed, so slow senders hold sockets for a bounded time and nothing else.
  app.addHook('preParsing', async (request, reply, payload) => {
    const body = new PassThrough();
    const deadline = setTimeout(() => {
      payload.unpipe(body);
      reply.header('connection', 'close');
      body.destroy(new HttpError(408, 'Request body too slow', `The body did not arrive within ${options.limits.receiverBodyTimeoutMs} ms (limits.receiverBodyTimeoutMs)`));
    }, options.limits.receiverBodyTimeoutMs);
    // Whole, answered, or the client went away: no deadline left to keep.
    const keepNoDeadline = () => clearTimeout(deadline);
    body.once('end', keepNoDeadline).once('close', keepNoDeadline);
    payload.once('close', keepNoDeadline);
    reply.raw.once('close', keepNoDeadline);
    return payload.pipe(body);
  });
  // In flight: from a body received whole to its answer (or the client going away). A request whose body
  // is still arriving does not count, so connections that trickle bytes cannot lock out the senders that
  // make progress; the deadline above bounds how long they last.
  let inFlight = 0;
  app.addHook('preHandler', async (request, reply) => {
    if (inFlight >= options.maxInFlight) {
      return reply
        .status(503)
        .header('Retry-After', String(RETRY_AFTER_SECONDS))
        .send({ error: 'Busy', detail: `${options.maxInFlight} requests are already being received; retry shortly` });
    }
    inFlight++;
    let released = false;
    const release = () => {
      if (!released) inFlight--;
      released = true;
    };
    reply.raw.once('close', release);
    request.raw.once('close', () => {
      if (request.raw.destroyed && !reply.sent) release();
    });
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

  /** Decodes, stores and counts; throws HttpError for what the sender got wrong. */
  const receive = async (request: FastifyRequest, encoding: ReceivedEncoding) => {
    const raw = request.body instanceof Buffer ? request.body : Buffer.alloc(0);
    const body = await decodeContentEncoding(raw, request.headers['content-encoding'], capOf(RECEIVER_OF[encoding]));
    const outcome = await ingestBody(body, encoding, options);
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
      // OTLP/HTTP: errors carry a google.rpc.Status in the request's encoding (code 3 = INVALID_ARGUMENT).
      const status = { code: err.status === 413 ? 8 : 3, message: `${err.message}: ${err.detail}` };
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

function isProtobuf(contentType: string | undefined): boolean {
  return /^application\/(x-)?protobuf\b/i.test(contentType ?? '');
}

function isJson(contentType: string | undefined): boolean {
  return /^application\/json\b/i.test(contentType ?? '');
}
