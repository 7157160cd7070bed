import { createContext, useContext } from 'react';
import type { TraceWorkerClient } from '../worker/trace-worker-client.ts';

/** Returns the app's worker client, creating it on first use. */
export const TraceWorkerContext = createContext<(() => TraceWorkerClient) | undefined>(undefined);

export function useTraceWorker(): () => TraceWorkerClient {
  const get = useContext(TraceWorkerContext);
  if (!get) throw new Error('useTraceWorker outside its provider');
  return get;
}
