// The traffic run-demo.ts drives, scenario by scenario. The driver itself is not traced: every trace starts
// in a demo service, and the services answer with the trace ids they produced.
import type { GatewayOrderResponse } from './api-gateway.ts';
import type { JobRequest, JobResponse } from './jobs-api.ts';
import type { BatchResult } from './order-batch.ts';
import type { OrderRequest } from './order-service.ts';
import type { PublishResult } from './outbox-publisher.ts';
import { runJob, type DemoProcess } from './processes.ts';
import type { ParentMessage } from './service-runtime.ts';

export interface OrderSent {
  readonly orderId: string;
  readonly orderNumber: number;
  readonly status: string;
  readonly httpStatus: number;
  readonly traceId: string;
}

export interface AsyncRun {
  readonly contextRestored: boolean;
  readonly publisherTraceId: string;
  readonly jobs: readonly {
    readonly jobId: number;
    readonly apiTraceId: string;
    readonly datadog: JobResponse['datadog'];
    readonly publishTraceId: string;
    readonly workerTraceId: string;
  }[];
}

const TIERS = ['gold', 'silver', 'silver', 'bronze'] as const;
const JOB_KINDS = ['resize-image', 'send-invoice', 'export-report'];
const JOB_TIMEOUT_MS = 20_000;

async function postJson<T>(url: string, body: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() as T };
}

function orderRequest(index: number): OrderRequest {
  const items = Array.from({ length: 1 + (index % 3) }, (_, item) => ({
    sku: `SKU-${(index * 7 + item) % 40}`, quantity: 1 + item, unitPrice: 9.99 + item * 5,
  }));
  return { customerTier: TIERS[index % TIERS.length], items };
}

/** Sends `count` orders through the api-gateway, `concurrency` at a time. */
export async function sendOrders(gateway: DemoProcess, count: number, concurrency = 4): Promise<OrderSent[]> {
  const sent: OrderSent[] = [];
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const { status, body } = await postJson<GatewayOrderResponse>(`${gateway.url}/api/orders`, orderRequest(next++));
      sent.push({ ...body.order, httpStatus: status, traceId: body.traceId });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return sent.sort((a, b) => a.orderNumber - b.orderNumber);
}

export function runBatch(orderService: DemoProcess, size: number, env: Record<string, string>): Promise<BatchResult> {
  return runJob<BatchResult>('order-batch', 'otlp', { ...env, ORDER_SERVICE_URL: orderService.url, BATCH_SIZE: String(size) });
}

/** Resolves with the worker's trace id for each job, as the worker reports them done. */
function waitForJobs(worker: DemoProcess, jobIds: readonly number[]): Promise<Map<number, string>> {
  return new Promise((resolve, reject) => {
    const done = new Map<number, string>();
    const timer = setTimeout(() => {
      worker.child.off('message', onMessage);
      reject(new Error(`job-worker finished ${done.size} of ${jobIds.length} jobs within ${JOB_TIMEOUT_MS} ms`));
    }, JOB_TIMEOUT_MS);
    const onMessage = (message: ParentMessage) => {
      if (message.type !== 'job-done' || !jobIds.includes(message.jobId)) return;
      done.set(message.jobId, message.traceId);
      if (done.size < jobIds.length) return;
      clearTimeout(timer);
      worker.child.off('message', onMessage);
      resolve(done);
    };
    worker.child.on('message', onMessage);
  });
}

/**
 * One run of the async pipeline: jobs-api stores jobs with their trace context in the outbox, the
 * outbox-publisher batch publishes them to Redis (restoring the stored context or not), the worker does them.
 */
export async function runAsyncPipeline(
  jobsApi: DemoProcess, worker: DemoProcess, contextRestored: boolean, env: Record<string, string>,
): Promise<AsyncRun> {
  const accepted = [];
  for (const kind of JOB_KINDS) {
    const { status, body } = await postJson<JobResponse>(`${jobsApi.url}/jobs`, { kind, contextRestored } satisfies JobRequest);
    if (status !== 202) throw new Error(`jobs-api answered ${status}: ${JSON.stringify(body)}`);
    accepted.push(body);
  }
  const jobIds = accepted.map((job) => job.jobId);
  const workerTraceIds = waitForJobs(worker, jobIds);
  const published = await runJob<PublishResult>('outbox-publisher', 'otlp', {
    ...env, DEMO_RESTORE_CONTEXT: String(contextRestored),
  });
  const workerTraces = await workerTraceIds;
  return {
    contextRestored,
    publisherTraceId: published.traceId,
    jobs: accepted.map((job) => {
      const workerTraceId = workerTraces.get(job.jobId);
      if (workerTraceId === undefined) throw new Error(`job-worker reported no trace for job ${job.jobId}`);
      return {
        jobId: job.jobId,
        apiTraceId: job.traceId,
        datadog: job.datadog,
        publishTraceId: published.published.find((sent) => sent.jobId === job.jobId)?.traceId ?? '',
        workerTraceId,
      };
    }),
  };
}
