// The trace page's Links tab: the traces connected to this one (by recorded links, and — when asked —
// by stored trace context or a business key), a picker for the broken-trace finder, missing traces to
// fetch, and "Stitch" to see the chosen traces on one waterfall with the end-to-end async critical path.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useAppStore } from '../../state/app-store.ts';
import type { TraceViewProps } from '../../state/navigation.ts';
import { useTraceWorker } from '../../state/trace-worker-context.ts';
import { useUrl } from '../../state/url-context.ts';
import { DEFAULT_JOIN_WINDOW, joinWindowMs, linkParamsEdit, readLinkParams, traceTabEdit, type LinkParams } from '../../state/url.ts';
import { FinderReportView } from './FinderReportView.tsx';
import { JoinWindowInput } from './JoinWindowInput.tsx';
import { LinkedTracesGraph } from './LinkedTracesGraph.tsx';
import { plural } from '../../core/plural.ts';
import { useStoreFinder } from './use-store-finder.ts';

export function LinksView({ trace, navigation, fetchTrace }: TraceViewProps) {
  const traceId = trace.traceId;
  const getWorker = useTraceWorker();
  const loadKey = useAppStore((s) => s.file?.requestId);
  const addStitched = useAppStore((s) => s.addStitched);
  const params = useUrl((s) => readLinkParams(s.search));
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set([traceId]));
  const update = (next: LinkParams) => navigation.change('replace', [linkParamsEdit(next)]);
  const windowMs = joinWindowMs(params.window) ?? joinWindowMs(DEFAULT_JOIN_WINDOW) ?? 0;
  const graph = useQuery({
    queryKey: ['link-graph', loadKey, traceId, params.businessKey, params.storedContext, windowMs],
    queryFn: () => getWorker().analyze({ kind: 'linkGraph', traceId, businessKey: params.businessKey, storedContext: params.storedContext, windowMs }),
    staleTime: Infinity,
  });
  const finder = useStoreFinder({ trace, graph: graph.data, storedContext: params.storedContext, businessKey: params.businessKey, window: params.window, windowMs });
  const [stitching, setStitching] = useState<string | undefined>();

  const stitch = async () => {
    if (!graph.data) return;
    const ids = graph.data.nodes.map((n) => n.traceId).filter((id) => selected.has(id));
    setStitching('Stitching…');
    try {
      const result = await getWorker().analyze({ kind: 'stitch', traceIds: ids, businessKey: params.businessKey, storedContext: params.storedContext, windowMs });
      addStitched(result);
      // The stitched trace's waterfall.
      navigation.openTrace(result.summary.traceId, [linkParamsEdit({ ...params, stitch: ids }), traceTabEdit('waterfall')]);
      setStitching(undefined);
    } catch (err) {
      setStitching(`Stitching failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  if (graph.isError) return <p role="alert" className="m-5 text-sm text-red-700 dark:text-red-300">Links could not be analysed: {graph.error.message}</p>;
  if (!graph.data) return <p className="m-5 text-sm text-slate-500">Indexing links…</p>;
  const data = graph.data;
  const linkCount = data.edges.filter((e) => !e.inferred).reduce((n, e) => n + e.count, 0);
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-4 overflow-auto p-5" data-testid="links-view">
      <div className="flex flex-wrap items-end gap-4">
        <p className="text-sm text-slate-700 dark:text-slate-200">
          <span className="font-semibold">{plural(data.nodes.length, 'connected trace')}</span> · {plural(linkCount, 'recorded link')}
          {data.missing.length ? <span className="text-amber-700 dark:text-amber-300"> · {plural(data.missing.length, 'linked trace')} not loaded</span> : null}
        </p>
        <fieldset className="ml-auto flex flex-wrap items-end gap-3 text-sm" aria-label="Broken-trace finder">
          <label className="flex items-center gap-1.5 text-slate-700 dark:text-slate-200" title="Join traces through a traceparent, b3, uber-trace-id or x-datadog-* value stored in attributes">
            <input type="checkbox" data-testid="links-stored-context" checked={params.storedContext} onChange={(e) => update({ ...params, storedContext: e.target.checked })} />
            Stored trace context{data.storedContextCount ? ` (${data.storedContextCount})` : ''}
          </label>
          <label className="flex flex-col gap-1">
            <span className="field-label">Join by business key</span>
   <select data-testid="links-business-key" className="input w-56" value={params.businessKey ?? ''} onChange={(e) => update({ ...params, businessKey: e.target.value || undefined })}>
              <option value="">None</option>
              {data.keySuggestions.map((s) => (
                <option key={s.key} value={s.key} title={s.reason}>
                  {s.key}
                </option>
              ))}
            </select>
          </label>
          <JoinWindowInput window={params.window} onWindow={(window) => update({ ...params, window })} />
          <button type="button" className="btn-primary" data-testid="links-stitch" disabled={selected.size < 2 || stitching === 'Stitching…'} onClick={() => void stitch()}>
            Stitch {selected.size} {selected.size === 1 ? 'trace' : 'traces'}
          </button>
        </fieldset>
      </div>
      {params.storedContext || params.businessKey ? <FinderReportView finder={finder} loadedTraces={data.loadedTraceIds.length} /> : null}
      {stitching && stitching !== 'Stitching…' ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {stitching}
        </p>
      ) : null}
      <LinkedTracesGraph
        graph={data}
        selected={selected}
        onToggle={(id) => setSelected((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])))}
        onOpen={(id) => navigation.openTrace(id)}
      />
      {data.nodes.length > 1 ? (
        <button type="button" className="self-start text-sm text-sky-700 hover:underline dark:text-sky-300" onClick={() => setSelected(new Set(data.nodes.map((n) => n.traceId)))}>
          Select all {data.nodes.length} for stitching
        </button>
      ) : null}
      {data.missing.length ? (
        <section className="text-sm" data-testid="links-missing">
          <h3 className="field-label mb-1">Linked but not loaded</h3>
          <ul className="flex flex-col gap-1">
            {data.missing.slice(0, 50).map((m) => (
              <li key={m.traceId} className="flex items-center gap-2">
                <span className="font-mono text-xs text-slate-600 dark:text-slate-300">{m.traceId}</span>
                <span className="text-xs text-slate-500">{plural(m.linkCount, 'link')}</span>
                <button
                  type="button"
                  className="btn-secondary py-0.5 text-xs"
                  onClick={() => void fetchTrace(m.traceId)}
                >
                  Fetch from the backend
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

