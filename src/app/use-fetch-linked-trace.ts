// Fetches a trace that is not loaded (a link's target, a trace to compare with) into the worker's workspace.
import { useQueryClient } from '@tanstack/react-query';
import { useBackends } from '../queries/backends.ts';
import { useAppStore } from '../state/app-store.ts';
import { useTraceWorker } from '../state/trace-worker-context.ts';
import { LoadFailure } from '../worker/trace-worker-client.ts';

/** From the current backend, or the embedded store when the trace came from elsewhere. */
export function useFetchLinkedTrace(): (traceId: string) => Promise<void> {
  const getWorker = useTraceWorker();
  const source = useAppStore((s) => s.source);
  const reportError = useAppStore((s) => s.reportError);
  const backends = useBackends();
  const queryClient = useQueryClient();
  return async (traceId) => {
    const embedded = backends.data?.backends.find((b) => b.type === 'embedded')?.name ?? 'local';
    const backend = source?.kind === 'backend' ? source.backend : embedded;
    try {
      await getWorker().add({ kind: 'url', url: `/api/backends/${encodeURIComponent(backend)}/traces/${encodeURIComponent(traceId)}` });
      await queryClient.invalidateQueries({ queryKey: ['span-links'] });
      await queryClient.invalidateQueries({ queryKey: ['link-graph'] });
    } catch (err) {
      reportError(err instanceof LoadFailure ? err.info : { kind: 'read-failed', message: `Could not fetch trace ${traceId}`, detail: String(err) });
    }
  };
}
