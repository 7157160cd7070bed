// What the Service graph, Operations, Statistics and flamegraph tabs share: their settings in the URL
// (so Share and Back reproduce them) and a worker analysis cached per loaded file.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { AnalysisScope } from '../core/view-format/analysis-answers.ts';
import { useAppStore } from './app-store.ts';
import { useUrl, useUrlStore } from './url-context.ts';
import { analysisParamsEdit, readAnalysisParams, type AnalysisParams, type HistoryMode } from './url.ts';

export function useAnalysisParams(): [AnalysisParams, (change: Partial<AnalysisParams>, mode?: HistoryMode) => void] {
  const url = useUrlStore();
  const params = useUrl((s) => readAnalysisParams(s.search));
  const update = (change: Partial<AnalysisParams>, mode: HistoryMode = 'replace') =>
    url.change(mode, [analysisParamsEdit({ ...readAnalysisParams(url.state.getState().search), ...change })]);
  return [params, update];
}

export function useScope(): [AnalysisScope, (scope: AnalysisScope) => void] {
  const [params, update] = useAnalysisParams();
  return [params.allTraces ? 'all' : 'trace', (scope) => update({ allTraces: scope === 'all' })];
}

/** `keepPrevious`: the last answer stays shown while the next is computed (numbers that move as you type). */
export function useAnalysis<T>(key: readonly unknown[], run: () => Promise<T>, { keepPrevious = false, enabled = true } = {}) {
  const loadKey = useAppStore((s) => s.file?.requestId);
  return useQuery({ queryKey: [...key, loadKey], queryFn: run, staleTime: Infinity, placeholderData: keepPrevious ? keepPreviousData : undefined, enabled });
}

/** How many traces are loaded (the scope picker offers "all" from two). */
export function useTraceCount(): number {
  return useAppStore((s) => s.file?.summary.traces.length ?? 1);
}
