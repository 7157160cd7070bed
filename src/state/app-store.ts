// View state of the open file: what is loading, what failed, what is loaded, which trace is open.
// Created per app (not a module singleton) and handed down through context.
import { createContext, createElement, useContext, useState, type ReactNode } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import type { TraceSummary } from '../core/analysis/trace-summary.ts';
import type { LoadErrorInfo } from '../core/import/load-error.ts';
import { traceIdFromUrl } from './url.ts';
import type { StitchResult } from '../core/view-format/analysis-answers.ts';
import type { LoadPhase, TraceSource } from '../worker/protocol.ts';
import type { LoadedFile } from '../worker/protocol.ts';

/**
 * Each phase's share of the bar, in order. The worker reports each phase from 0 to 1; reading and
 * decompressing share the first band (a gzip is inflated as it is read).
 */
const PHASE_BANDS: Readonly<Record<LoadPhase, readonly [number, number]>> = {
  reading: [0, 0.4],
  decompressing: [0, 0.4],
  parsing: [0.4, 0.95],
  building: [0.95, 1],
};

/** A phase's own fraction as a fraction of the whole load. */
export function overallLoadFraction(phase: LoadPhase, fraction: number): number {
  const [from, to] = PHASE_BANDS[phase];
  return from + (to - from) * Math.min(1, Math.max(0, fraction));
}

export interface LoadingState {
  readonly requestId: number;
  readonly name: string;
  readonly phase: LoadPhase;
  /** Of the whole load, across phases: it never goes back (see overallLoadFraction). */
  readonly fraction: number;
  /** A refresh of the open trace (more spans arrived): the page stays as it is meanwhile. */
  readonly background: boolean;
}

/** Where the open file came from: a worker source, a trace in a backend, or a shared file. */
export type OpenTarget =
  | TraceSource
  | { readonly kind: 'backend'; readonly backend: string; readonly traceId: string }
  | { readonly kind: 'share'; readonly id: string };

export interface StitchedView {
  readonly summary: TraceSummary;
  readonly asyncPath: StitchResult['asyncPath'];
}

export interface AppState {
  readonly loading: LoadingState | undefined;
  readonly error: LoadErrorInfo | undefined;
  readonly file: LoadedFile | undefined;
  /** The source of `file`; Share uploads it when it has no URL of its own. */
  readonly source: OpenTarget | undefined;
  /** Stitched views made from the loaded traces (the links view), openable like the file's traces. */
  readonly stitched: readonly StitchedView[];
  /** The trace shown on the trace page; undefined shows the trace list of a multi-trace file. */
  readonly selectedTraceId: string | undefined;
  startLoading(requestId: number, name: string, background?: boolean): void;
  setProgress(requestId: number, phase: LoadPhase, fraction: number): void;
  finishLoading(requestId: number, file: LoadedFile, source: OpenTarget, selectedTraceId: string | undefined): void;
  /** After Share stored a file: it now has an address. */
  setSource(source: OpenTarget): void;
  /** `fileGone`: the worker let the open file go for this load, so the page lets it go too (its views would fail). */
  failLoading(requestId: number, error: LoadErrorInfo, fileGone: boolean): void;
  /** A failure outside a load (a damaged share link). */
  reportError(error: LoadErrorInfo): void;
  dismissError(): void;
  selectTrace(traceId: string | undefined): void;
  addStitched(view: StitchedView): void;
  /** The trace named in the URL; a file with one trace always shows it. */
  selectTraceFromUrl(traceId: string | undefined): void;
}

export function createAppStore(): StoreApi<AppState> {
  return createStore<AppState>((set, get) => ({
    loading: undefined,
    error: undefined,
    file: undefined,
    source: undefined,
    selectedTraceId: undefined,
    stitched: [],
    startLoading: (requestId, name, background = false) => set({ loading: { requestId, name, phase: 'reading', fraction: 0, background }, error: undefined }),
    setProgress: (requestId, phase, fraction) => {
      const loading = get().loading;
      if (loading?.requestId === requestId) set({ loading: { ...loading, phase, fraction: Math.max(loading.fraction, overallLoadFraction(phase, fraction)) } });
    },
    finishLoading: (requestId, file, source, selectedTraceId) => {
      if (get().loading?.requestId !== requestId) return;
      set({ loading: undefined, error: undefined, file, source, selectedTraceId, stitched: [] });
    },
    setSource: (source) => set({ source }),
    failLoading: (requestId, error, fileGone) => {
      if (get().loading?.requestId !== requestId) return;
      if (fileGone) set({ loading: undefined, error, file: undefined, source: undefined, selectedTraceId: undefined, stitched: [] });
      else set({ loading: undefined, error });
    },
    reportError: (error) => set({ error }),
    dismissError: () => set({ error: undefined }),
    selectTrace: (selectedTraceId) => set({ selectedTraceId }),
    addStitched: (view) => set({ stitched: [...get().stitched.filter((v) => v.summary.traceId !== view.summary.traceId), view] }),
    selectTraceFromUrl: (urlTraceId) => {
      const traceId = traceIdFromUrl(urlTraceId);
      const traces = get().file?.summary.traces ?? [];
      const stitched = get().stitched.find((v) => v.summary.traceId === traceId)?.summary.traceId;
      set({ selectedTraceId: stitched ?? (traces.length === 1 ? traces[0].traceId : traces.find((t) => t.traceId === traceId)?.traceId) });
    },
  }));
}

const AppStoreContext = createContext<StoreApi<AppState> | undefined>(undefined);

export function AppStoreProvider({ children }: { children: ReactNode }) {
  const [store] = useState(createAppStore);
  return createElement(AppStoreContext.Provider, { value: store }, children);
}

export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(useAppStoreApi(), selector);
}

/** The store itself, to read its state when an event comes rather than on each render. */
export function useAppStoreApi(): StoreApi<AppState> {
  const store = useContext(AppStoreContext);
  if (!store) throw new Error('useAppStore outside AppStoreProvider');
  return store;
}
