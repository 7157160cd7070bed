// jobs-api: accepts a job and stores it with a transactional outbox row that carries the request's trace
// context. Traced by dd-trace (started with `--import dd-trace/initialize.mjs`, configured by DD_* variables),
// which sends to the Datadog agent intake and injects both the Datadog headers (x-datadog-trace-id /
// x-datadog-parent-id, decimal) and the W3C traceparent into the stored context.
import tracer from 'dd-trace';
import pg from 'pg';
import { readJson, requireEnv, sendJson, serve } from './service-runtime.ts';

export interface JobRequest {
  readonly kind: string;
  /** Which run of the async pipeline this job belongs to; only marks the spans. */
  readonly contextRestored: boolean;
}

export interface JobResponse {
  readonly jobId: number;
  /** The W3C (128-bit, hex) trace id, and the Datadog ids of the span whose context the outbox row stores. */
  readonly traceId: string;
  readonly datadog: { readonly traceId: string; readonly parentId: string };
}

const pool = new pg.Pool({ connectionString: requireEnv('DATABASE_URL'), max: 4 });

async function enqueue(request: JobRequest): Promise<JobResponse> {
  return tracer.trace('jobs.enqueue', { resource: `enqueue ${request.kind}` }, async (span) => {
    // dd-trace's types leave the span optional when options are given; it always passes one.
    if (!span) throw new Error('dd-trace started no span for jobs.enqueue');
    span.setTag('job.kind', request.kind);
    const traceHeaders: Record<string, string> = {};
    tracer.inject(span, 'text_map', traceHeaders);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: string }>('INSERT INTO jobs (kind) VALUES ($1) RETURNING id', [request.kind]);
      const jobId = Number(rows[0].id);
      await client.query(
        'INSERT INTO outbox (job_id, event_type, payload, trace_headers) VALUES ($1, $2, $3, $4)',
        [jobId, 'job.requested', { kind: request.kind, contextRestored: request.contextRestored }, traceHeaders],
      );
      await client.query('COMMIT');
      span.setTag('job.id', jobId);
      const context = span.context();
      return {
        jobId,
        traceId: context.toTraceparent().split('-')[1],
        datadog: { traceId: traceHeaders['x-datadog-trace-id'], parentId: traceHeaders['x-datadog-parent-id'] },
      };
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  });
}

serve(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/jobs') return sendJson(res, 404, { error: 'not found' });
  const request = await readJson<JobRequest>(req);
  tracer.scope().active()?.addTags({ 'http.route': '/jobs', 'demo.context_restored': request.contextRestored });
  sendJson(res, 202, await enqueue(request));
}, () => pool.end());
