// A trace the server is still receiving: reloaded quietly when its span count moves.
import { useEffect, useRef } from 'react';
import type { OpenOptions } from '../features/open-trace/use-open-trace.ts';
import { useLiveTraceStatus } from '../queries/live-trace-status.ts';
import { useAppStore, type OpenTarget } from '../state/app-store.ts';

export function useLiveReload(open: (target: OpenTarget, options?: OpenOptions) => Promise<void>) {
  const source = useAppStore((s) => s.source);
  const loading = useAppStore((s) => s.loading);
  const liveTarget = source?.kind === 'backend' ? source : undefined;
  const liveStatus = useLiveTraceStatus(liveTarget?.backend, liveTarget?.traceId).data;
  const loadedLiveCount = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (!liveTarget || !liveStatus || loading) return;
    if (loadedLiveCount.current === undefined) loadedLiveCount.current = liveStatus.spanCount;
    else if (liveStatus.spanCount !== loadedLiveCount.current) {
      loadedLiveCount.current = liveStatus.spanCount;
      void open(liveTarget, { background: true });
    }
  }, [liveTarget, liveStatus, loading, open]);
  useEffect(() => {
    loadedLiveCount.current = undefined;
  }, [liveTarget?.backend, liveTarget?.traceId]);
  return liveStatus;
}
