// The broken-trace finder beyond what is loaded: asks the backend the trace came from for the traces
// that carry this trace's context in stored span data, the traces this trace's data names, and (with a
// business key) the traces holding the same key value, all inside the join window around this trace's
// start; fetches the ones not loaded, and says what it searched and found. The link graph then joins them.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { TraceSummary } from '../../core/analysis/trace-summary.ts';
import type { LinkGraphResult } from '../../core/view-format/analysis-answers.ts';
import { ApiFailure, backendPath } from '../../queries/api-fetch.ts';
import { fetchContextCarriers } from '../../queries/context-carriers.ts';
import { traceSearchQuery } from '../../queries/trace-search.ts';
import { useAppStore } from '../../state/app-store.ts';
import { useTraceWorker } from '../../state/trace-worker-context.ts';

/** The most key values of one trace asked about (a trace with hundreds of job ids is a batch, not one job). */
const MAX_KEY_VALUES = 5;
const MAX_HITS_PER_VALUE = 50;

export interface FinderReport {
  /** One sentence per search: what was asked, of whom, over which times, and how many traces came back. */
  readonly searches: readonly string[];
  /** Traces fetched from the backend into the workspace (a stored file may bring several with one). */
  readonly fetched: number;
}

interface Options {
  readonly trace: Pick<TraceSummary, 'traceId' | 'traceStart'>;
  readonly graph: LinkGraphResult | undefined;
  readonly storedContext: boolean;
  readonly businessKey: string | undefined;
  readonly window: string;
  readonly windowMs: number;
}

export function useStoreFinder({ trace, graph, storedContext, businessKey, window, windowMs }: Options) {
  const getWorker = useTraceWorker();
  const source = useAppStore((s) => s.source);
  const queryClient = useQueryClient();
  const backend = source?.kind === 'backend' ? source.backend : undefined;
  const keyValues = graph?.businessKeyValues.slice(0, MAX_KEY_VALUES) ?? [];
  return useQuery({
    // Not keyed by the loaded traces: fetching changes them, and the finder must not then run again.
    queryKey: ['store-finder', backend, trace.traceId, storedContext, businessKey, windowMs, keyValues.join('\u0000')],
    enabled: Boolean(backend && graph && (storedContext || businessKey)),
    staleTime: Infinity,
    retry: false,
    queryFn: async ({ signal }): Promise<FinderReport> => {
      if (!backend || !graph) return { searches: [], fetched: 0 };
      const [startMs, endMs] = [trace.traceStart.ms - windowMs, trace.traceStart.ms + windowMs];
      const between = `between ${timeText(startMs)} and ${timeText(endMs)} (±${window})`;
      const searches: string[] = [];
      const found = new Set<string>();
      if (storedContext) {
        try {
          const carriers = await fetchContextCarriers(backend, trace.traceId, startMs, endMs, signal);
          carriers.traceIds.forEach((id) => found.add(id));
          searches.push(`Searched ${backend} for traces carrying trace id ${trace.traceId} in stored attributes ${between}: found ${carriers.traceIds.length}`);
        } catch (err) {
          searches.push(`Could not search ${backend} for stored trace context: ${failureText(err)}`);
        }
        const named = graph.unloadedContextTraceIds;
        if (named.length) {
          named.forEach((id) => found.add(id));
          searches.push(`This trace's attributes name ${plural(named.length, 'trace')} not loaded: fetching ${named.length === 1 ? 'it' : 'them'} from ${backend}`);
        }
      }
      if (businessKey) {
        if (!keyValues.length) searches.push(`This trace has no ${businessKey} value to search for`);
        for (const value of keyValues) {
          try {
            const result = await queryClient.fetchQuery(traceSearchQuery(backend, { tags: [{ kind: 'attribute', key: businessKey, op: '=', value }], startMs, endMs, limit: MAX_HITS_PER_VALUE }));
            const others = result.traces.map((t) => t.traceId).filter((id) => id !== trace.traceId);
            others.forEach((id) => found.add(id));
            searches.push(`Searched ${backend} for traces with ${businessKey} = ${value} ${between}: found ${others.length}`);
          } catch (err) {
            searches.push(`Could not search ${backend} for ${businessKey} = ${value}: ${failureText(err)}`);
          }
        }
      }
      // One by one: a document can hold more traces than the one asked for (a stored file), and those
      // count as loaded for the next ones.
      const loaded = new Set(graph.loadedTraceIds);
      let fetched = 0;
      for (const id of found) {
        if (signal.aborted) break;
        if (loaded.has(id)) continue;
        try {
          const added = await getWorker().add({ kind: 'url', url: backendPath(backend, `traces/${encodeURIComponent(id)}`) });
          added.forEach((t) => loaded.add(t));
          fetched += added.length;
        } catch (err) {
          searches.push(`Could not fetch trace ${id} from ${backend}: ${failureText(err)}`);
        }
      }
      if (fetched) {
        await queryClient.invalidateQueries({ queryKey: ['link-graph'] });
        await queryClient.invalidateQueries({ queryKey: ['span-links'] });
      }
      return { searches, fetched };
    },
  });
}

function timeText(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function failureText(err: unknown): string {
  if (err instanceof ApiFailure) return `${err.body.error}${err.body.detail ? ` (${err.body.detail})` : ''}`;
  return err instanceof Error ? err.message : String(err);
}
