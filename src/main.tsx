import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useCallback, useEffect, useRef, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { TraceWorkerContext } from './state/trace-worker-context.ts';
import './index.css';
import { AppStoreProvider } from './state/app-store.ts';
import { DetailsLayoutProvider } from './state/details-layout-store.ts';
import { UrlStoreProvider } from './state/url-context.ts';
import { TraceWorkerClient } from './worker/trace-worker-client.ts';

function WorkerProvider({ children }: { children: ReactNode }) {
  const client = useRef<TraceWorkerClient | undefined>(undefined);
  const get = useCallback(() => (client.current ??= new TraceWorkerClient()), []);
  useEffect(() => {
    // Start the workers while the page is idle: started by the first drop, their start-up (fetching and
    // compiling their code, ~0.3 s here) came before the file's first byte was parsed.
    const idle = 'requestIdleCallback' in window;
    const warmUp = idle ? window.requestIdleCallback(() => get(), { timeout: 2000 }) : window.setTimeout(get, 200);
    return () => {
      if (idle) window.cancelIdleCallback(warmUp);
      else window.clearTimeout(warmUp);
      client.current?.dispose();
      client.current = undefined;
    };
  }, [get]);
  return <TraceWorkerContext.Provider value={get}>{children}</TraceWorkerContext.Provider>;
}

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <UrlStoreProvider>
        <AppStoreProvider>
          <WorkerProvider>
            <DetailsLayoutProvider>
              <App />
            </DetailsLayoutProvider>
          </WorkerProvider>
        </AppStoreProvider>
      </UrlStoreProvider>
    </QueryClientProvider>
  </StrictMode>,
);
