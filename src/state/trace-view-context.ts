import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { TraceViewActions, TraceViewState, TraceViewStore } from './trace-view-store.ts';

export const TraceViewContext = createContext<TraceViewStore | undefined>(undefined);

export function useTraceViewStore(): TraceViewStore {
  const store = useContext(TraceViewContext);
  if (!store) throw new Error('useTraceView outside TraceViewContext');
  return store;
}

export function useTraceView<T>(selector: (s: TraceViewState & TraceViewActions) => T): T {
  return useStore(useTraceViewStore(), selector);
}
