// Opening a source: start the load in the worker, follow its progress, land the result in the store
// and the URL. Later loads supersede earlier ones.
import { useCallback, useRef } from 'react';
import { useTraceWorker } from '../../state/trace-worker-context.ts';
import { useAppStore } from '../../state/app-store.ts';
import { readUrlState, writeUrlState } from '../../state/url.ts';
import type { TraceSource } from '../../worker/protocol.ts';
import { sourceName } from '../../worker/read-source.ts';
import { LoadFailure } from '../../worker/trace-worker-client.ts';

export function useOpenTrace(): (source: TraceSource) => Promise<void> {
  const getWorker = useTraceWorker();
  const startLoading = useAppStore((s) => s.startLoading);
  const setProgress = useAppStore((s) => s.setProgress);
  const finishLoading = useAppStore((s) => s.finishLoading);
  const failLoading = useAppStore((s) => s.failLoading);
  const counter = useRef(0);

  return useCallback(
    async (source: TraceSource) => {
      const requestId = ++counter.current;
      startLoading(requestId, sourceName(source));
      try {
        const file = await getWorker().load(source, (phase, fraction) => setProgress(requestId, phase, fraction));
        const traces = file.summary.traces;
        const wanted = readUrlState().traceId;
        const selected = traces.length === 1 ? traces[0].traceId : traces.find((t) => t.traceId === wanted)?.traceId;
        finishLoading(requestId, file, selected);
        writeUrlState({ sourceUrl: source.kind === 'url' ? source.url : undefined, traceId: traces.length === 1 ? undefined : selected }, 'replace');
      } catch (err) {
        failLoading(requestId, err instanceof LoadFailure ? err.info : { kind: 'read-failed', message: 'Loading failed', detail: String(err) });
      }
    },
    [getWorker, startLoading, setProgress, finishLoading, failLoading],
  );
}
