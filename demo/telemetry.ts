// OpenTelemetry SDK setup for one demo service, loaded before the service with
// `node --import tsx --import ./demo/telemetry.ts demo/<service>.ts`.
//
// Configured the standard way, by environment:
//   OTEL_SERVICE_NAME               the service's name (set by run-demo.ts)
//   DEMO_TRACE_EXPORTER             otlp (default) | zipkin
//   OTEL_EXPORTER_OTLP_ENDPOINT     read by the OTLP exporter (…/v1/traces is appended), default http://localhost:4318
//   OTEL_EXPORTER_ZIPKIN_ENDPOINT   read by the Zipkin exporter, default http://localhost:9411/api/v2/spans
//   OTEL_BSP_SCHEDULE_DELAY         how often the batch processor exports (ms)
// Spans are flushed when the process has nothing left to do (`beforeExit`), so a service shuts down by closing
// its server and connections and letting Node exit.
import { register } from 'node:module';
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

// ES modules are instrumented through import-in-the-middle's loader hook; it must be registered before the
// service's own imports (node:http, pg, ioredis) are loaded, hence a preloaded module.
register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);

function createExporter(): SpanExporter {
  const kind = process.env.DEMO_TRACE_EXPORTER ?? 'otlp';
  if (kind === 'zipkin') return new ZipkinExporter();
  if (kind === 'otlp') return new OTLPTraceExporter();
  throw new Error(`DEMO_TRACE_EXPORTER must be otlp or zipkin, not ${kind}`);
}

const serviceName = process.env.OTEL_SERVICE_NAME;
if (!serviceName) throw new Error('OTEL_SERVICE_NAME is not set');

const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({
    'service.name': serviceName,
    'service.namespace': 'spanscope-demo',
    'service.version': '1.0.0',
    'deployment.environment.name': 'demo',
  }),
  spanProcessors: [new BatchSpanProcessor(createExporter())],
});
provider.register({ propagator: new W3CTraceContextPropagator() });

registerInstrumentations({
  tracerProvider: provider,
  instrumentations: [
    new HttpInstrumentation(),
    // Database and Redis calls are traced only inside a traced operation, so a worker's idle polling and a
    // pool's housekeeping do not each become a trace of their own.
    new PgInstrumentation({ requireParentSpan: true }),
    new IORedisInstrumentation({ requireParentSpan: true }),
  ],
});

let flushed = false;
process.on('beforeExit', () => {
  if (flushed) return;
  flushed = true;
  provider.shutdown().catch((error: unknown) => console.error(`${serviceName}: flushing spans failed`, error));
});

