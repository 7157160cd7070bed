// Test helpers of the receivers' tests: spans recorded by the real OpenTelemetry SDK, a raw OTLP/gRPC call
// (for what the SDK's exporter never sends: garbage, oversized messages, metadata), and reading a received
// trace back through the API the browser uses.
import { context, trace } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import * as grpc from '@grpc/grpc-js';
import { importTraces } from '../../src/core/import/index.ts';
import type { TraceModel } from '../../src/core/model/trace-model.ts';
import { TRACE_EXPORT_PATH } from './grpc-receiver.ts';

/** A checkout → charge trace from the real SDK: root span in one service, child in another. */
export function recordSpans(service: string, parent?: ReadableSpan): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': service }), spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('receiver-test', '1.0.0');
  const parentContext = parent ? trace.setSpanContext(context.active(), parent.spanContext()) : context.active();
  const span = tracer.startSpan(parent ? 'charge card' : 'POST /checkout', { attributes: { 'order.id': 'o-1', 'order.item_count': 3 } }, parentContext);
  if (!parent) span.addEvent('cart validated', { 'cart.items': 3 });
  span.end();
  return memory.getFinishedSpans();
}

export function exportWith(exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

/** The received trace as the browser gets it (`baseUrl`: the main port), read back with our importer. */
export async function readReceivedTrace(baseUrl: string, traceId: string): Promise<TraceModel> {
  const res = await fetch(`${baseUrl}/api/backends/local/traces/${traceId}`);
  if (res.status !== 200) throw new Error(`GET trace ${traceId} answered ${res.status}: ${await res.text()}`);
  const model = importTraces(new Uint8Array(await res.arrayBuffer())).traces.find((t) => t.traceId === traceId);
  if (!model) throw new Error(`The answer for ${traceId} does not hold that trace`);
  return model;
}

export interface GrpcCallOutcome {
  /** The ExportTraceServiceResponse bytes, when the call succeeded. */
  readonly response: Buffer | undefined;
  readonly error: grpc.ServiceError | undefined;
}

/**
 * One TraceService/Export call with `request` as the message bytes, over grpc-js's client; `gzip`
 * compresses the message (grpc-encoding: gzip). `url`: http://host:port.
 */
export async function exportOverGrpc(url: string, request: Uint8Array, { gzip = false, metadata = new grpc.Metadata() } = {}): Promise<GrpcCallOutcome> {
  const options = gzip ? { 'grpc.default_compression_algorithm': grpc.compressionAlgorithms.gzip } : {};
  const client = new grpc.Client(new URL(url).host, grpc.credentials.createInsecure(), options);
  try {
    return await new Promise<GrpcCallOutcome>((resolve) => {
      client.makeUnaryRequest(
        TRACE_EXPORT_PATH,
        (message: Uint8Array) => Buffer.from(message),
        (bytes: Buffer) => bytes,
        request,
        metadata,
        (error, response) => resolve({ response: error ? undefined : response, error: error ?? undefined }),
      );
    });
  } finally {
    client.close();
  }
}
