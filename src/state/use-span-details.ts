import { useQuery } from '@tanstack/react-query';
import { useTraceWorker } from './trace-worker-context.ts';
import { useAppStore } from './app-store.ts';
import { useTraceView } from './trace-view-context.ts';

/** One span's full record from the worker, cached per loaded file, trace and span. */
export function useSpanDetails(span: number) {
  const getWorker = useTraceWorker();
  const loadKey = useAppStore((s) => s.file?.requestId);
  const traceId = useTraceView((s) => s.view.traceId);
  return useQuery({
    queryKey: ['span-details', loadKey, traceId, span],
    queryFn: () => getWorker().spanDetails(traceId, span),
    enabled: span >= 0,
    staleTime: Infinity,
    gcTime: 60_000,
  });
}
