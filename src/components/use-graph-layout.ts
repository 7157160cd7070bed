// A graph view's layout, computed off the main thread and cached under the view's own key.
import { useQuery } from '@tanstack/react-query';
import type { LayoutAlgorithm, LayoutInput } from '../core/layout/graph-layout.ts';
import { layoutInWorker } from '../worker/layout-client.ts';

/** `key` names the graph (e.g. its analysis key): the layout is redone when it or the algorithm changes. */
export function useGraphLayout(key: readonly unknown[], input: LayoutInput, algorithm: LayoutAlgorithm) {
  return useQuery({
    queryKey: ['graph-layout', ...key, algorithm],
    queryFn: ({ signal }) => layoutInWorker(input, algorithm, signal),
    staleTime: Infinity,
    gcTime: 60_000,
    structuralSharing: false,
  });
}
