// Opening a source: start the load in the worker, follow its progress, land the result in the store
// and the URL. Later loads supersede earlier ones. Backend traces and shared files are fetched by the
// worker from the server's /api; the URL names them, not the /api path.
import { useCallback, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { isUrlAllowed, urlRefusal } from '../../core/api/url-allowlist.ts';
import { backendsQuery } from '../../queries/backends.ts';
import { isStitchedTraceId } from '../../core/analysis/stitch-traces.ts';
import { useTraceWorker } from '../../state/trace-worker-context.ts';
import { useAppStore, useAppStoreApi, type OpenTarget } from '../../state/app-store.ts';
import { useUrlStore } from '../../state/url-context.ts';
import { joinWindowMs, readLinkParams, readUrlState, traceIdFromUrl, urlStateEdit, type UrlState } from '../../state/url.ts';
import type { StitchResult } from '../../core/view-format/analysis-answers.ts';
import type { TraceSource } from '../../worker/protocol.ts';
import { sourceName } from '../../worker/read-source.ts';
import { LoadFailure } from '../../worker/trace-worker-client.ts';

export function workerSource(target: OpenTarget): TraceSource {
  if (target.kind === 'backend') return { kind: 'url', url: `/api/backends/${encodeURIComponent(target.backend)}/traces/${encodeURIComponent(target.traceId)}` };
  if (target.kind === 'share') return { kind: 'url', url: `/api/shares/${encodeURIComponent(target.id)}` };
  return target;
}

export function targetName(target: OpenTarget): string {
  if (target.kind === 'backend') return `${target.backend} · ${target.traceId}`;
  if (target.kind === 'share') return 'shared trace';
  return sourceName(target);
}

/** The URL of an open target; files and pasted text have none. */
function sourceUrlState(target: OpenTarget, selected: string | undefined, traceCount: number): Partial<UrlState> {
  const none = { sourceUrl: undefined, backend: undefined, shareId: undefined, page: undefined };
  const picked = traceCount === 1 ? undefined : selected;
  if (target.kind === 'backend') return { ...none, backend: target.backend, traceId: target.traceId };
  if (target.kind === 'share') return { ...none, shareId: target.id, traceId: picked };
  if (target.kind === 'url') return { ...none, sourceUrl: target.url, traceId: picked };
  return { ...none, traceId: picked };
}

export interface OpenOptions {
  /** Reload the open trace without leaving it (new spans arrived). */
  readonly background?: boolean;
}

export function useOpenTrace(): (target: OpenTarget, options?: OpenOptions) => Promise<void> {
  const getWorker = useTraceWorker();
  const startLoading = useAppStore((s) => s.startLoading);
  const setProgress = useAppStore((s) => s.setProgress);
  const finishLoading = useAppStore((s) => s.finishLoading);
  const failLoading = useAppStore((s) => s.failLoading);
  const appStore = useAppStoreApi();
  const addStitched = useAppStore((s) => s.addStitched);
  const url = useUrlStore();
  const queryClient = useQueryClient();
  const counter = useRef(0);
  const restitch = useCallback(async (): Promise<StitchResult | undefined> => {
    const { stitch, businessKey, storedContext, window } = readLinkParams(url.state.getState().search);
    if (stitch.length < 2) return undefined;
    try {
      return await getWorker().analyze({ kind: 'stitch', traceIds: stitch, businessKey, storedContext, windowMs: joinWindowMs(window) ?? Infinity });
    } catch {
      return undefined; // the traces are not in this file any more: show the file as it is
    }
  }, [getWorker, url]);

  return useCallback(
    async (target: OpenTarget, options: OpenOptions = {}) => {
      const requestId = ++counter.current;
      startLoading(requestId, targetName(target), options.background);
      try {
        if (target.kind === 'url') {
          // The server's CSP would block it anyway; say why instead. No server (a static host): no list to check.
          const allowlist = (await queryClient.fetchQuery(backendsQuery).catch(() => undefined))?.urlAllowlist;
          if (allowlist && !isUrlAllowed(target.url, window.location.origin, allowlist)) {
            failLoading(requestId, { kind: 'read-failed', ...urlRefusal(target.url, allowlist) }, false);
            return;
          }
        }
        const loaded = await getWorker().load(workerSource(target), (phase, fraction) => setProgress(requestId, phase, fraction));
        const file = target.kind === 'url' || target.kind === 'file' || target.kind === 'text' ? loaded : { ...loaded, sourceName: targetName(target) };
        const traces = file.summary.traces;
        const wanted = traceIdFromUrl(target.kind === 'backend' ? target.traceId : readUrlState(url.state.getState().search).traceId);
        const selected = traces.length === 1 ? traces[0].traceId : traces.find((t) => t.traceId === wanted)?.traceId;
        // A shared link to a stitched view: stitch the same traces again, then show that view.
        const stitched = wanted !== undefined && isStitchedTraceId(wanted) ? await restitch() : undefined;
        finishLoading(requestId, file, target, stitched?.summary.traceId ?? selected);
        if (stitched) addStitched(stitched);
        url.change('replace', [urlStateEdit(stitched ? { traceId: stitched.summary.traceId } : sourceUrlState(target, selected, traces.length))]);
      } catch (err) {
        if (err instanceof LoadFailure && err.info.kind === 'cancelled') {
          // Back to where the user was: the open file, unless the worker had already let it go for this one.
          const detail = err.workspaceEmpty && appStore.getState().file ? 'The file open before it was let go to make room for this one: open it again to see it.' : undefined;
          failLoading(requestId, { ...err.info, message: `Loading was cancelled at ${Math.round((appStore.getState().loading?.fraction ?? 0) * 100)}%`, detail }, err.workspaceEmpty);
        } else if (err instanceof LoadFailure) failLoading(requestId, err.info, err.workspaceEmpty);
        else failLoading(requestId, { kind: 'read-failed', message: 'Loading failed', detail: String(err) }, false);
      }
    },
    [getWorker, url, queryClient, appStore, startLoading, setProgress, finishLoading, failLoading, addStitched, restitch],
  );
}
