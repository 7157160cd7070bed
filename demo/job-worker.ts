// job-worker: consumes the job stream (Redis consumer group) and does the work. A message that carries a
// trace context continues that trace; one without starts a new trace. Exports OTLP/HTTP protobuf.
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import Redis from 'ioredis';
import pg from 'pg';
import { JOB_STREAM, requireEnv, sleep, spanContextFromHeaders, tellParent } from './service-runtime.ts';

const GROUP = 'job-workers';
const CONSUMER = `worker-${process.pid}`;
const pool = new pg.Pool({ connectionString: requireEnv('DATABASE_URL'), max: 2 });
const redis = new Redis(requireEnv('REDIS_URL'));
const tracer = trace.getTracer('job-worker');
let running = true;

async function processMessage(messageId: string, fields: Record<string, string>): Promise<void> {
  const carried = spanContextFromHeaders(fields);
  const jobId = Number(fields.jobId);
  const { kind } = JSON.parse(fields.payload) as { kind: string };
  const parent = carried ? trace.setSpanContext(ROOT_CONTEXT, carried) : ROOT_CONTEXT;
  await tracer.startActiveSpan(`process ${JOB_STREAM}`, {
    kind: SpanKind.CONSUMER,
    attributes: {
      'messaging.system': 'redis', 'messaging.destination.name': JOB_STREAM, 'messaging.operation.type': 'process',
      'messaging.operation.name': 'process', 'messaging.message.id': messageId,
      'messaging.consumer.group.name': GROUP, 'job.id': jobId, 'job.kind': kind, 'demo.context_restored': carried !== undefined,
    },
  }, parent, async (span) => {
    await tracer.startActiveSpan(`job ${kind}`, async (work) => {
      await sleep(40); // the work itself
      work.end();
    });
    await pool.query("UPDATE jobs SET status = 'done', done_at = now() WHERE id = $1", [jobId]);
    await redis.xack(JOB_STREAM, GROUP, messageId);
    span.end();
    tellParent({ type: 'job-done', jobId, traceId: span.spanContext().traceId, contextRestored: carried !== undefined });
  });
}

type StreamReply = [stream: string, messages: [id: string, fields: string[]][]][] | null;

async function consume(): Promise<void> {
  await redis.xgroup('CREATE', JOB_STREAM, GROUP, '$', 'MKSTREAM').catch((error: Error) => {
    if (!error.message.includes('BUSYGROUP')) throw error;
  });
  tellParent({ type: 'listening', port: 0 });
  while (running) {
    const reply = await redis.xreadgroup('GROUP', GROUP, CONSUMER, 'COUNT', 10, 'BLOCK', 300, 'STREAMS', JOB_STREAM, '>') as StreamReply;
    for (const [, messages] of reply ?? []) {
      for (const [messageId, flat] of messages) {
        const fields: Record<string, string> = {};
        for (let i = 0; i < flat.length; i += 2) fields[flat[i]] = flat[i + 1];
        await processMessage(messageId, fields);
      }
    }
  }
  await Promise.all([pool.end(), redis.quit()]);
  process.disconnect?.();
}

process.once('SIGTERM', () => { running = false; });
await consume();
