// The open file as the page shows it: deferred, with the trace open in it and the load in progress.
import { useDeferredValue, useRef } from 'react';
import { useAppStore, type LoadingState } from '../state/app-store.ts';

/** The loaded file as shown, the trace open in it, and the load in progress. */
export function useOpenFile() {
  const loading = useAppStore((s) => s.loading);
  const loaded = useAppStore((s) => s.file);
  // A new file's page renders at low priority, which React slices into short tasks (rendering it in
  // the worker message's own task was the load's longest main-thread task); the progress stays meanwhile.
  const shown = useDeferredValue(loaded);
  const lastLoading = useRef<LoadingState | undefined>(undefined);
  if (loading) lastLoading.current = loading;
  const selectedTraceId = useAppStore((s) => s.selectedTraceId);
  const stitched = useAppStore((s) => s.stitched);
  const selected = shown?.summary.traces.find((t) => t.traceId === selectedTraceId) ?? stitched.find((v) => v.summary.traceId === selectedTraceId)?.summary;
  // The load whose file is still on its way to the screen (its progress stays up meanwhile).
  const pending = shown !== loaded ? lastLoading.current : undefined;
  return { loading, shown, pending, selected };
}

export type OpenFile = ReturnType<typeof useOpenFile>;
