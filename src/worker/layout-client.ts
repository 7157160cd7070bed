// Graph layouts from the main thread: small graphs at once, bigger ones in a worker of their own (so
// the trace worker stays free), which an abort terminates mid-layout.
import { layoutGraph, type LaidOutGraph, type LayoutAlgorithm, type LayoutInput } from '../core/layout/graph-layout.ts';
import type { LayoutRequest } from './layout-worker.ts';

/** Below this many nodes + edges a layout takes a few milliseconds: not worth a worker's start-up. */
const INLINE_LIMIT = 120;

export function layoutInWorker(input: LayoutInput, algorithm: LayoutAlgorithm, signal?: AbortSignal): Promise<LaidOutGraph> {
  if (input.nodeCount + input.edges.length <= INLINE_LIMIT) return Promise.resolve(layoutGraph(input, algorithm));
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./layout-worker.ts', import.meta.url), { type: 'module', name: 'spanscope-layout' });
    const stop = () => {
      worker.terminate();
      reject(new DOMException('The layout was cancelled', 'AbortError'));
    };
    signal?.addEventListener('abort', stop, { once: true });
    worker.onmessage = (event: MessageEvent<LaidOutGraph>) => {
      signal?.removeEventListener('abort', stop);
      worker.terminate();
      resolve(event.data);
    };
    worker.onerror = (event) => {
      signal?.removeEventListener('abort', stop);
      worker.terminate();
      reject(new Error(`The graph layout failed: ${event.message}`));
    };
    const request: LayoutRequest = { input: { ...input, edges: input.edges.map((e) => ({ from: e.from, to: e.to })) }, algorithm };
    worker.postMessage(request);
  });
}
