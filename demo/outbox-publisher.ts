// outbox-publisher: a one-shot batch that publishes the unpublished outbox rows to a Redis stream.
// DEMO_RESTORE_CONTEXT=true restores each row's stored trace context: the publish span continues the trace
// of the request that wrote the row and passes its own context on in the message, and the batch span links
// to every stored context. =false drops it (the bug this demo shows): the publish spans stay in the batch's
// own trace and the message carries no context, so request, publish and work end up in three traces.
// Exports OTLP/HTTP protobuf; pg and ioredis are auto-instrumented.
import { ROOT_CONTEXT, SpanKind, context, trace } from '@opentelemetry/api';
import Redis from 'ioredis';
import pg from 'pg';
import { currentTraceHeaders, JOB_STREAM, requireEnv, spanContextFromHeaders, tellParent } from './service-runtime.ts';

export interface PublishResult {
  readonly traceId: string;
  readonly published: readonly { readonly jobId: number; readonly traceId: string }[];
}

interface OutboxRow {
  readonly id: string;
  readonly job_id: string;
  readonly event_type: string;
  readonly payload: unknown;
  readonly trace_headers: Record<string, string>;
}

const restoreContext = requireEnv('DEMO_RESTORE_CONTEXT') === 'true';
const pool = new pg.Pool({ connectionString: requireEnv('DATABASE_URL'), max: 1 });
const redis = new Redis(requireEnv('REDIS_URL'));
const tracer = trace.getTracer('outbox-publisher');
const messaging = { 'messaging.system': 'redis', 'messaging.destination.name': JOB_STREAM };

async function publish(row: OutboxRow, batchContext: ReturnType<typeof trace.getSpanContext>) {
  const stored = restoreContext ? spanContextFromHeaders(row.trace_headers) : undefined;
  const parent = stored ? trace.setSpanContext(ROOT_CONTEXT, stored) : context.active();
  const span = tracer.startSpan(`send ${JOB_STREAM}`, {
    kind: SpanKind.PRODUCER,
    links: batchContext ? [{ context: batchContext, attributes: { 'link.reason': 'published by batch' } }] : [],
    attributes: {
      ...messaging, 'messaging.operation.type': 'send', 'messaging.operation.name': 'send',
      'job.id': Number(row.job_id), 'demo.context_restored': restoreContext,
      // Without restoring, the row's context is still logged, as many systems log message headers: the
      // broken-trace finder can rejoin the flow from it.
      ...(restoreContext ? {} : { 'outbox.trace_headers': JSON.stringify(row.trace_headers) }),
    },
  }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), async () => {
      const fields = { jobId: row.job_id, eventType: row.event_type, payload: JSON.stringify(row.payload) };
      const carried = restoreContext ? currentTraceHeaders() : {};
      const messageId = await redis.xadd(JOB_STREAM, '*', ...Object.entries({ ...fields, ...carried }).flat());
      span.setAttribute('messaging.message.id', messageId ?? '');
      return { jobId: Number(row.job_id), traceId: span.spanContext().traceId, stored };
    });
  } finally {
    span.end();
  }
}

const result = await tracer.startActiveSpan('outbox publish', {
  root: true, attributes: { ...messaging, 'demo.context_restored': restoreContext },
}, async (batchSpan): Promise<PublishResult> => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<OutboxRow>(
      'SELECT id, job_id, event_type, payload, trace_headers FROM outbox WHERE published_at IS NULL ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 100',
    );
    batchSpan.setAttribute('messaging.batch.message_count', rows.length);
    const published = [];
    for (const row of rows) {
      const { stored, ...sent } = await publish(row, batchSpan.spanContext());
      if (stored) batchSpan.addLink({ context: stored, attributes: { 'link.reason': 'outbox row written by' } });
      published.push(sent);
    }
    await client.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1)', [rows.map((row) => row.id)]);
    await client.query('COMMIT');
    return { traceId: batchSpan.spanContext().traceId, published };
  } finally {
    client.release();
    batchSpan.end();
  }
});

tellParent({ type: 'result', result });
await Promise.all([pool.end(), redis.quit()]);
process.disconnect?.();
