// POST /api/sampling/evaluate: the sampling lab over the embedded store. The answer streams (NDJSON):
// progress while the server reads the range's traces, then the result. One query per request, so the
// lab's numbers are cached like any server data and a changed config or range cancels the old stream.
import { experimental_streamedQuery as streamedQuery, queryOptions } from '@tanstack/react-query';
import type { SamplingConfigErrorBody, SamplingDecisionJson, SamplingEvaluateRequest, SamplingStreamLine } from '../core/api/sampling-api.ts';
import type { ConfigErrorInfo } from '../core/sampling/config-yaml.ts';
import type { SamplingSummary } from '../core/sampling/summary.ts';
import { ApiFailure, retryUnlessClientError } from './api-fetch.ts';

/** The config the server refused (400), at its line: the lab shows it in the editor, as the worker's. */
export class SamplingConfigFailure extends Error {
  readonly info: ConfigErrorInfo;
  constructor(body: SamplingConfigErrorBody) {
    super(body.detail);
    this.name = 'SamplingConfigFailure';
    this.info = { message: body.detail, line: body.line ?? undefined, column: body.column ?? undefined, policy: body.policy ?? undefined };
  }
}

export interface StoreEvaluation {
  /** Traces read of the range's total; undefined before the server's first line. */
  readonly progress: { readonly done: number; readonly total: number } | undefined;
  readonly result:
    | {
        readonly summary: SamplingSummary;
        readonly decisions: readonly SamplingDecisionJson[];
        readonly skipped: readonly { readonly traceId: string; readonly reason: string }[];
      }
    | undefined;
}

const NOTHING_YET: StoreEvaluation = { progress: undefined, result: undefined };

export function storeSamplingQuery(request: SamplingEvaluateRequest) {
  return queryOptions({
    queryKey: ['sampling-evaluate', request],
    queryFn: streamedQuery<SamplingStreamLine, StoreEvaluation>({
      streamFn: ({ signal }) => evaluationLines(request, signal),
      reducer: (acc, line) => {
        if (line.type === 'progress') return { ...acc, progress: { done: line.done, total: line.total } };
        if (line.type === 'result') return { ...acc, result: { summary: line.summary, decisions: line.decisions, skipped: line.skipped } };
        return acc;
      },
      initialValue: NOTHING_YET,
    }),
    staleTime: 60_000,
    retry: (count, error) => !(error instanceof SamplingConfigFailure) && retryUnlessClientError(count, error),
  });
}

async function* evaluationLines(request: SamplingEvaluateRequest, signal: AbortSignal): AsyncGenerator<SamplingStreamLine> {
  let response: Response;
  try {
    response = await fetch('/api/sampling/evaluate', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/x-ndjson' }, body: JSON.stringify(request), signal });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new ApiFailure(0, { error: 'The Spanscope server is unreachable', detail: err instanceof Error ? err.message : String(err) });
  }
  if (!response.ok || !response.body) throw await refusal(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  let ended = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    pending += value;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const text of lines) {
      if (text.trim() === '') continue;
      const line = JSON.parse(text) as SamplingStreamLine;
      if (line.type === 'error') throw new ApiFailure(500, { error: line.error, detail: line.detail });
      if (line.type === 'result') ended = true;
      yield line;
    }
  }
  if (!ended) throw new ApiFailure(502, { error: 'The evaluation stopped before its result', detail: 'the server closed the stream early' });
}

async function refusal(response: Response): Promise<Error> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new ApiFailure(response.status, { error: `HTTP ${response.status} ${response.statusText}`.trim(), detail: text.slice(0, 300) || 'No details' });
  }
  if (isConfigError(body)) return new SamplingConfigFailure(body);
  if (typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'string') {
    const detail = 'detail' in body && typeof body.detail === 'string' ? body.detail : '';
    return new ApiFailure(response.status, { error: body.error, detail });
  }
  return new ApiFailure(response.status, { error: `HTTP ${response.status}`, detail: text.slice(0, 300) });
}

function isConfigError(body: unknown): body is SamplingConfigErrorBody {
  return typeof body === 'object' && body !== null && 'line' in body && 'error' in body && body.error === 'Invalid sampling config';
}
