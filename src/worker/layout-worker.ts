// Lays out one graph off the main thread (dagre takes seconds at a few hundred nodes), then is terminated.
import { layoutGraph, type LayoutAlgorithm, type LayoutInput } from '../core/layout/graph-layout.ts';

export interface LayoutRequest {
  readonly input: LayoutInput;
  readonly algorithm: LayoutAlgorithm;
}

self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const { input, algorithm } = event.data;
  self.postMessage(layoutGraph(input, algorithm));
};
