// What the lab shows, whichever evaluates it: the worker over the loaded traces, or the server over the
// embedded store (streaming its progress). Config and head sampler errors come back at their place in
// both cases, so the editor marks the line the same way.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ConfigErrorInfo } from '../../core/sampling/config-yaml.ts';
import type { SamplingResult } from '../../core/view-format/analysis-answers.ts';
import { ApiFailure } from '../../queries/api-fetch.ts';
import { SamplingConfigFailure, storeSamplingQuery } from '../../queries/sampling-evaluate.ts';
import { useTraceWorker } from '../../state/trace-worker-context.ts';
import { useAnalysis } from '../../state/use-analysis.ts';
import type { SamplingParams } from './sampling-url.ts';

export type Evaluated = Extract<SamplingResult, { kind: 'evaluated' }>;

export interface LabOutcome {
  readonly evaluated: Evaluated | undefined;
  readonly configError: ConfigErrorInfo | undefined;
  readonly headError: string | undefined;
  /** Anything else that went wrong (the server unreachable, a range too large). */
  readonly failure: Error | undefined;
  /** The store's traces read so far, while the server reads them. */
  readonly progress: { readonly done: number; readonly total: number } | undefined;
  /** Store traces that could not be read, and why (not evaluated). */
  readonly skipped: readonly { readonly traceId: string; readonly reason: string }[];
  /** The numbers shown are for an earlier config, head or scope: the next are on their way. */
  readonly stale: boolean;
  readonly busy: boolean;
}

interface Inputs {
  readonly traceId: string;
  readonly params: SamplingParams;
  readonly configText: string;
  readonly headText: string;
}

export function useLabOutcome({ traceId, params, configText, headText }: Inputs): LabOutcome {
  const getWorker = useTraceWorker();
  const inStore = params.scope === 'store';
  const loaded = useAnalysis(
    ['sampling', traceId, params.scope, configText, headText],
    () => getWorker().analyze({ kind: 'sampling', traceId, scope: params.scope === 'trace' ? 'trace' : 'all', configText, headText }),
    { keepPrevious: true, enabled: !inStore },
  );
  const head = headText.trim() === '' ? undefined : headText;
  const store = useQuery({ ...storeSamplingQuery({ config: configText, head, start: params.range.start, end: params.range.end }), enabled: inStore, placeholderData: keepPreviousData });
  if (!inStore) {
    const answer = loaded.data;
    return {
      evaluated: answer?.kind === 'evaluated' ? answer : undefined,
      configError: answer?.kind === 'config-error' ? answer.error : undefined,
      headError: answer?.kind === 'head-error' ? answer.message : undefined,
      failure: loaded.error ?? undefined,
      progress: undefined,
      skipped: [],
      stale: loaded.isPlaceholderData,
      busy: loaded.isFetching,
    };
  }
  const error = store.error ?? undefined;
  const result = store.data?.result;
  const headRefused = error instanceof ApiFailure && error.body.error === 'Invalid head';
  return {
    evaluated: result && { kind: 'evaluated', summary: result.summary, traces: result.decisions },
    configError: error instanceof SamplingConfigFailure ? error.info : undefined,
    headError: headRefused ? error.body.detail.replace(/^head: /, '') : undefined,
    failure: error instanceof SamplingConfigFailure || headRefused ? undefined : error,
    progress: store.isFetching ? store.data?.progress : undefined,
    skipped: result?.skipped ?? [],
    stale: store.isPlaceholderData || (store.isFetching && result === undefined),
    busy: store.isFetching,
  };
}
