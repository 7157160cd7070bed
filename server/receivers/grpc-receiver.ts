// The OTLP/gRPC receiver: opentelemetry.proto.collector.trace.v1.TraceService/Export on its own port
// (4317), the default of several SDKs. @grpc/grpc-js does HTTP/2, the gRPC framing, gzip/deflate message
// compression and the message size cap (checked while reading, and again while inflating); the request
// reaches us as raw bytes and takes the OTLP/HTTP protobuf path (ingest.ts), answered once committed.
//
// No Host or Origin check here, unlike the HTTP receivers: browsers speak HTTP/2 only over TLS and this
// port is plaintext HTTP/2 only (an HTTP/1.1 request is refused by the HTTP/2 server), so no web page can
// reach it, rebound name or not.
import * as grpc from '@grpc/grpc-js';
import type { FastifyBaseLogger } from 'fastify';
import { encodeOtlpExportResponse, encodeRpcStatus } from '../../src/core/import/otlp-protobuf.ts';
import type { AuthRule } from '../access-config.ts';
import { hasCredentials } from '../auth.ts';
import { HttpError } from '../http-error.ts';
import type { SpanIntake } from './ingest.ts';
import type { Admitted, IntakeAdmission } from './intake-admission.ts';

export const TRACE_EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** What an UNAVAILABLE answer tells exporters to wait (google.rpc.RetryInfo), as Retry-After does over HTTP. */
const RETRY_AFTER_SECONDS = 1;
/** How long shutdown waits for calls in progress before cutting them off. */
const SHUTDOWN_GRACE_MS = 5_000;

// Raw bytes both ways: the OTLP schema in src/core decodes requests and encodes answers, so grpc-js needs
// no .proto file, protobufjs or proto-loader.
const TRACE_SERVICE: grpc.ServiceDefinition = {
  Export: {
    path: TRACE_EXPORT_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: (request: Buffer) => request,
    requestDeserialize: (bytes: Buffer) => bytes,
    responseSerialize: (response: Uint8Array) => Buffer.from(response.buffer, response.byteOffset, response.byteLength),
    responseDeserialize: (bytes: Buffer) => bytes,
  },
};

export interface GrpcReceiverOptions {
  readonly intake: SpanIntake;
  /** Address to bind (the server's host) and port; port 0 picks a free one (tests). */
  readonly host: string;
  readonly port: number;
  /** receivers.grpcMaxMessageBytes: larger messages, as sent or once inflated, get RESOURCE_EXHAUSTED. */
  readonly maxMessageBytes: number;
  /** Shared with the HTTP receivers: a call whose message has arrived whole takes a request slot and its bytes, else UNAVAILABLE. */
  readonly admission: IntakeAdmission;
  /** limits.receiverBodyTimeoutMs: a message not whole this long after the call's metadata gets DEADLINE_EXCEEDED. */
  readonly messageTimeoutMs: number;
  /** auth.receivers: when set, calls must carry matching `authorization` metadata. */
  readonly auth: AuthRule | undefined;
  readonly log: FastifyBaseLogger;
}

export interface GrpcReceiver {
  /** e.g. http://127.0.0.1:4317, what OTEL_EXPORTER_OTLP_ENDPOINT takes. */
  readonly url: string;
  close(): Promise<void>;
}

/** Binds the receiver; rejects when the port cannot be bound (say, taken by a Collector). */
export async function startGrpcReceiver(options: GrpcReceiverOptions): Promise<GrpcReceiver> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxMessageBytes,
    interceptors: [admissionInterceptor(options)],
  });
  server.addService(TRACE_SERVICE, { Export: exportHandler(options) });
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`${hostPart}:${options.port}`, grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
    );
  } catch (err) {
    server.forceShutdown();
    throw err;
  }
  return { url: `http://${hostPart}:${port}`, close: () => shutDown(server) };
}

/** Lets calls in progress finish (their spans are being committed), then cuts off what is left. */
function shutDown(server: grpc.Server): Promise<void> {
  return new Promise((resolve) => {
    const cutOff = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, SHUTDOWN_GRACE_MS);
    server.tryShutdown(() => {
      clearTimeout(cutOff);
      resolve();
    });
  });
}

function exportHandler(options: GrpcReceiverOptions): grpc.handleUnaryCall<Buffer, Uint8Array> {
  return (call, callback) => {
    // A copy: grpc-js may keep using the memory its message sits in, and the intake moves what it is given to its
    // thread. grpc-js has inflated the message already, within grpcMaxMessageBytes.
    options.intake.receive({ body: Uint8Array.prototype.slice.call(call.request), encoding: 'otlp-protobuf', contentEncoding: undefined, cap: { bytes: options.maxMessageBytes, setting: 'receivers.grpcMaxMessageBytes' } }).then(
      (outcome) => {
        options.log.debug({ encoding: 'otlp-grpc', accepted: outcome.acceptedSpans, rejected: outcome.rejectedSpans }, 'spans received');
        const partial = outcome.rejectedSpans > 0 ? { rejectedSpans: outcome.rejectedSpans, errorMessage: outcome.rejectReason ?? '' } : undefined;
        callback(null, encodeOtlpExportResponse(partial));
      },
      (err: unknown) => {
        if (err instanceof HttpError && err.status === 503) {
          callback(statusWithDetails(grpc.status.UNAVAILABLE, `${err.message}: ${err.detail}`, RETRY_AFTER_SECONDS));
          return;
        }
        if (err instanceof HttpError) {
          callback(statusWithDetails(grpc.status.INVALID_ARGUMENT, `${err.message}: ${err.detail}`));
          return;
        }
        options.log.error({ err }, 'storing spans received over OTLP/gRPC failed');
        callback(statusWithDetails(grpc.status.INTERNAL, 'The server failed to store the spans; its log has the cause'));
      },
    );
  };
}

/**
 * Authentication on the call's metadata, before its message is read. Back-pressure once the message has
 * arrived whole (the shared admission: a request slot and the message's bytes): a client that trickles its
 * message holds no slot (so it cannot lock out the others) and is cut off with DEADLINE_EXCEEDED after
 * `messageTimeoutMs`. A call holds its slot until its status is sent or it is cancelled.
 */
function admissionInterceptor(options: GrpcReceiverOptions): grpc.ServerInterceptor {
  return (_method, call) => {
    let slot: Admitted | undefined;
    let ended = false;
    let messageDeadline: NodeJS.Timeout | undefined;
    const listener = new grpc.ServerListenerBuilder()
      .withOnReceiveMetadata((metadata, next) => {
        const refusal = authRefusal(options, metadata);
        if (refusal) {
          call.sendStatus(refusal);
          return;
        }
        messageDeadline = setTimeout(() => {
          call.sendStatus(statusWithDetails(grpc.status.DEADLINE_EXCEEDED, `The message did not arrive within ${options.messageTimeoutMs} ms (limits.receiverBodyTimeoutMs)`));
        }, options.messageTimeoutMs);
        next(metadata);
      })
      .withOnReceiveMessage((message: Buffer, next) => {
        clearTimeout(messageDeadline);
        if (ended) return;
        slot = options.admission.admit(message.byteLength);
        if (!slot) {
          call.sendStatus(statusWithDetails(grpc.status.UNAVAILABLE, options.admission.describe(), RETRY_AFTER_SECONDS));
          return;
        }
        next(message);
      })
      // grpc-js calls this after every status it sends, as well as when the client goes away.
      .withOnCancel(() => {
        ended = true;
        clearTimeout(messageDeadline);
        slot?.release();
      })
      .build();
    const responder = new grpc.ResponderBuilder().withStart((next) => next(listener)).build();
    return new grpc.ServerInterceptingCall(call, responder);
  };
}

function authRefusal(options: GrpcReceiverOptions, metadata: grpc.Metadata): grpc.StatusObject | undefined {
  if (!options.auth) return undefined;
  const given = metadata.get('authorization')[0];
  if (hasCredentials(options.auth, typeof given === 'string' ? given : undefined)) return undefined;
  const how = options.auth.type === 'bearer' ? 'a bearer token (metadata "authorization: Bearer …", auth.receivers.bearer)' : 'basic credentials (metadata "authorization: Basic …", auth.receivers.basic)';
  return statusWithDetails(grpc.status.UNAUTHENTICATED, `The trace receivers on this server need ${how}`);
}

/** A status with its google.rpc.Status in `grpc-status-details-bin` (the richer error model), RetryInfo included when given. */
function statusWithDetails(code: grpc.status, message: string, retryAfterSeconds?: number): grpc.StatusObject {
  const metadata = new grpc.Metadata();
  metadata.set('grpc-status-details-bin', Buffer.from(encodeRpcStatus({ code, message, retryAfterSeconds })));
  return { code, details: message, metadata };
}
