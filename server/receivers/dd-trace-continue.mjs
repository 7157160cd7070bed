// The real dd-trace continues a W3C trace (argv[2]: a traceparent) with one span of service "audit" and
// flushes it to DD_TRACE_AGENT_URL; prints the 128-bit trace id and span id dd-trace gave the span.
// Run by grpc-receiver.test.ts in a child process, with fixtures/generated/datadog/dd-trace-env.mjs.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const tracer = require('dd-trace').init({ service: 'audit', flushInterval: 100 });
const parent = tracer.extract('text_map', { traceparent: process.argv[2] });
const span = tracer.startSpan('ledger.audit', { childOf: parent ?? undefined, tags: { 'span.kind': 'internal' } });
span.finish();
process.stdout.write(JSON.stringify({ traceId128: span.context().toTraceId(true), spanId: span.context().toSpanId(true) }));
// The tracer flushes on its interval; give it time, then stop.
setTimeout(() => process.exit(0), 1000);
