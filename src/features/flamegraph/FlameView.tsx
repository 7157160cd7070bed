// The trace page's Flamegraph tab: the icicle of the trace (on the main thread, from the waterfall's
// columns) or the merged service + operation tree (from the worker, over this trace or all loaded ones),
// with zoom, search highlight and a way back to the waterfall. Its state lives in the URL it shares with
// the waterfall: fm (merged) and ff (zoomed into), plus s (selection), z (time window), q (search),
// skew and scope.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { matchOperationNodes, type MergedFlameTree } from '../../core/analysis/flame-tree.ts';
import { parseSearchQuery } from '../../core/analysis/search.ts';
import { formatCount } from '../../components/format.ts';
import { quote } from '../../components/search-query.ts';
import { serviceColor } from '../../components/service-colors.ts';
import { FLAME_MATCH_BIT, flamePaint } from '../../render/flame-canvas.ts';
import { useAppStore } from '../../state/app-store.ts';
import type { TraceViewProps } from '../../state/navigation.ts';
import { useTraceWorker } from '../../state/trace-worker-context.ts';
import { useUrl, useUrlStore } from '../../state/url-context.ts';
import {
  analysisParamsEdit,
  flameParamsEdit,
  readAnalysisParams,
  readFlameParams,
  readViewParams,
  viewParamsEdit,
  type FlameParams,
  type HistoryMode,
  type UrlEdit,
  type ViewParams,
} from '../../state/url.ts';
import type { AnalysisScope } from '../../core/view-format/analysis-answers.ts';
import { FlameGraph, type FlameHit } from './FlameGraph.tsx';
import { IcicleHoverCard, MergedHoverCard } from './FlameHoverCard.tsx';
import { FlameMenu, type FlameMenuAction } from './FlameMenu.tsx';
import { ancestorsOf, clampWindow, focusExtent, icicleSource, mergedSource, type FlameSource } from './flame-source.ts';
import { FlameBreadcrumb, FlameToolbar, type FlameSearchState } from './FlameToolbar.tsx';
import { plural } from '../../core/plural.ts';

const SEARCH_DEBOUNCE_MS = 150;
const WINDOW_WRITE_DELAY_MS = 250;
const BUTTON = 'rounded border border-slate-300 bg-white px-2 py-0.5 text-xs text-slate-700 hover:bg-slate-50 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200 dark:hover:bg-slate-700';

export function FlameView({ trace, view, navigation }: TraceViewProps) {
  const traceId = trace.traceId;
  const getWorker = useTraceWorker();
  const loadKey = useAppStore((s) => s.file?.requestId);
  const urlStore = useUrlStore();
  const url = {
    flame: useUrl((s) => readFlameParams(s.search)),
    view: useUrl((s) => readViewParams(s.search)),
    allTraces: useUrl((s) => readAnalysisParams(s.search).allTraces),
  };
  const followed = useUrl((s) => s.followed);
  // A wheel zoom shows at once and reaches the URL when the wheel rests; `key` ties it to one focus.
  const [liveWindow, setLiveWindow] = useState<{ key: string; window: readonly [number, number] | undefined }>();
  const [menu, setMenu] = useState<{ hit: FlameHit; x: number; y: number }>();
  const windowWrite = useRef(0);
  const searchInput = useRef<HTMLInputElement>(null);
  // Back/Forward: the URL's window, not the one of a wheel zoom still on its way there.
  useEffect(() => {
    window.clearTimeout(windowWrite.current);
    setLiveWindow(undefined);
  }, [followed]);
  const currentView = useCallback(() => readViewParams(urlStore.state.getState().search), [urlStore]);
  const navigate = useCallback(
    (flame: FlameParams, viewChange: Partial<ViewParams>, mode: HistoryMode, also: readonly UrlEdit[] = []) => {
      // A wheel zoom still on its way to the URL would land after this and undo it.
      window.clearTimeout(windowWrite.current);
      urlStore.change(mode, [...also, flameParamsEdit(flame), viewParamsEdit({ ...currentView(), ...viewChange })]);
      setLiveWindow(undefined);
    },
    [urlStore, currentView],
  );

  const merged = url.flame.merged;
  const scope: AnalysisScope = url.allTraces ? 'all' : 'trace';
  const mergedTree = useQuery({
    queryKey: ['merged-flame', traceId, scope, loadKey],
    queryFn: () => getWorker().analyze({ kind: 'mergedFlame', traceId, scope }),
    enabled: merged,
    staleTime: Infinity,
    // Another scope keeps the graph on screen until its tree arrives.
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === traceId ? previous : undefined),
  });
  const skewAdjusted = url.view.skewAdjusted;
  const icicle = useMemo(() => (view ? icicleSource(view, skewAdjusted) : undefined), [view, skewAdjusted]);
  const mergedFlame = useMemo(() => (mergedTree.data ? mergedSource(mergedTree.data) : undefined), [mergedTree.data]);
  const source = merged ? mergedFlame : icicle;
  const paints = useMemo(() => source?.services.map((s) => flamePaint(serviceColor(s))) ?? [], [source]);

  // Search: the waterfall's query (q), run by the worker over spans, or matched to merged nodes here.
  const query = (url.view.query ?? '').trim();
  const debounce = useRef(0);
  const onSearchText = (text: string) => {
    window.clearTimeout(debounce.current);
    debounce.current = window.setTimeout(() => navigate(readFlameParams(urlStore.state.getState().search), { query: text.trim() || undefined }, 'replace'), SEARCH_DEBOUNCE_MS);
  };
  useEffect(
    () => () => {
      window.clearTimeout(debounce.current);
      window.clearTimeout(windowWrite.current);
    },
    [],
  );
  const spanSearch = useQuery({
    queryKey: ['flame-search', loadKey, traceId, query],
    queryFn: () => getWorker().search(traceId, query),
    enabled: !merged && query !== '',
    staleTime: Infinity,
    structuralSharing: false,
    placeholderData: keepPreviousData,
  });
  const nodeSearch = useMemo(() => {
    if (!merged || !mergedTree.data || query === '') return undefined;
    const parsed = parseSearchQuery(query);
    return parsed.ok ? { ...matchOperationNodes(mergedTree.data, parsed.query), error: undefined } : { error: parsed.error.message };
  }, [merged, mergedTree.data, query]);
  const { bits, search } = useMemo(() => searchMarks(source, merged, query, spanSearch.data, nodeSearch, mergedTree.data), [source, merged, query, spanSearch.data, nodeSearch, mergedTree.data]);

  if (!source) {
    const failure = merged ? mergedTree.error : undefined;
    return (
      <p role={failure ? 'alert' : undefined} className={`m-6 text-sm ${failure ? 'text-red-700 dark:text-red-300' : 'text-slate-500'}`}>
        {failure ? `The merged flamegraph could not be built: ${failure.message}` : merged ? 'Merging the call paths…' : 'Laying out the trace…'}
      </p>
    );
  }

  const focus = url.flame.focus !== undefined && url.flame.focus < source.tree.spanCount ? url.flame.focus : undefined;
  const extent = focusExtent(source, focus);
  const windowKey = `${merged}:${scope}:${focus}`;
  const chosenWindow = liveWindow?.key === windowKey ? liveWindow.window : merged || !url.view.window ? undefined : url.view.window;
  const shownWindow = (chosenWindow && clampWindow(chosenWindow[0], chosenWindow[1], extent)) ?? extent;
  const zoomed = focus !== undefined || shownWindow !== extent;
  const selected = selectedItem(url.view.selected, merged, scope, mergedTree.data, source);

  const zoomInto = (item: number | undefined) => navigate({ merged, focus: item }, merged || item === undefined ? { window: undefined } : { window: undefined, selected: item }, 'push');
  // A time window within the focus: the icicle's is the waterfall's z; the merged view's stays here.
  const showWindow = (next: readonly [number, number] | undefined, how: 'wheel' | 'click') => {
    if (merged) return setLiveWindow({ key: windowKey, window: next });
    if (how === 'click') return navigate(url.flame, { window: next }, 'push');
    setLiveWindow({ key: windowKey, window: next });
    window.clearTimeout(windowWrite.current);
    windowWrite.current = window.setTimeout(() => urlStore.change('replace', [viewParamsEdit({ ...currentView(), window: next })]), WINDOW_WRITE_DELAY_MS);
  };
  const zoomOut = () => {
    if (shownWindow !== extent) showWindow(undefined, 'click');
    else if (focus !== undefined) zoomInto(source.tree.parent[focus] >= 0 ? source.tree.parent[focus] : undefined);
  };
  const activate = (hit: FlameHit) => {
    if (hit.count === 1) return zoomInto(hit.item);
    // A run of slivers: the window around it, with a margin, so its items come apart.
    const margin = (hit.endNs - hit.startNs) * 0.05;
    showWindow(clampWindow(hit.startNs - margin, hit.endNs + margin, extent), 'click');
  };
  const tree = merged ? mergedTree.data : undefined;
  const showSpansOf = (tree: MergedFlameTree, node: number) =>
    navigation.showInWaterfall(`service=${quote(tree.names[tree.service[node]])} operation=${quote(tree.names[tree.operation[node]])}`);
  const openInWaterfall = (span: number) => navigation.showWaterfall({ selected: span });
  const nameOf = (item: number) => `${source.services[source.serviceOf(item)]}: ${source.labelOf(item)}`;
  const menuActions = (hit: FlameHit): FlameMenuAction[] => {
    if (hit.count > 1) return [{ label: `Zoom into these ${formatCount(hit.count)} ${merged ? 'call paths' : 'spans'}`, testId: 'flame-menu-zoom', run: () => activate(hit) }];
    const zoom = { label: merged ? 'Zoom into this call path' : 'Zoom into this span', testId: 'flame-menu-zoom', run: () => zoomInto(hit.item) };
    return tree
      ? [zoom, { label: `Show ${spansOf(tree.spanCount[hit.item])} in the waterfall`, testId: 'flame-menu-waterfall', run: () => showSpansOf(tree, hit.item) }]
      : [zoom, { label: 'Open in the waterfall', testId: 'flame-menu-waterfall', run: () => openInWaterfall(hit.item) }];
  };

  return (
    <div
      data-testid="flame-view"
      onKeyDown={(e) => {
        if (e.key === 'Escape') zoomOut();
        else if (e.key === '/') {
          e.preventDefault();
          searchInput.current?.focus();
        }
      }}
      tabIndex={-1}
      className="flex min-h-0 flex-1 flex-col outline-none"
    >
      <FlameToolbar
        merged={merged}
        onMerged={(next) => navigate({ merged: next, focus: undefined }, {}, 'push')}
        search={search}
        onSearchText={onSearchText}
        searchInput={searchInput}
        legend={source.services.map((service, k) => ({ service, paint: paints[k] }))}
        scope={scope}
        onScope={(next) =>
          navigate({ merged, focus: undefined }, {}, 'push', [analysisParamsEdit({ ...readAnalysisParams(urlStore.state.getState().search), allTraces: next === 'all' })])
        }
      />
      <FlameBreadcrumb
        path={focus === undefined ? [] : ancestorsOf(source.tree, focus).map((item) => ({ item, label: source.labelOf(item), paint: paints[source.serviceOf(item)] }))}
        zoomed={zoomed}
        onFocus={zoomInto}
        actions={
          <>
            {focus !== undefined && !tree ? (
              <button type="button" className={BUTTON} data-testid="flame-open-waterfall" onClick={() => openInWaterfall(focus)}>
                Open in waterfall
              </button>
            ) : null}
            {focus !== undefined && tree ? (
              <button type="button" className={BUTTON} data-testid="flame-open-waterfall" onClick={() => showSpansOf(tree, focus)}>
                Show its spans in the waterfall
              </button>
            ) : null}
            {zoomed ? (
              <button type="button" className={BUTTON} data-testid="flame-reset-zoom" onClick={() => zoomInto(undefined)}>
                Reset zoom
              </button>
            ) : null}
          </>
        }
      />
      <FlameGraph
        source={source}
        paints={paints}
        focus={focus}
        window={shownWindow}
        extent={extent}
        bits={bits}
        searching={search.summary !== undefined}
        selected={selected}
        axisOriginNs={merged ? extent[0] : 0}
        onActivate={activate}
        onMenu={(hit, x, y) => setMenu({ hit, x, y })}
        onWindow={(w) => showWindow(w, 'wheel')}
        renderHover={(hit) =>
          tree ? (
            <MergedHoverCard tree={tree} hit={hit} paint={paints[source.serviceOf(hit.item)]} />
          ) : view ? (
            <IcicleHoverCard view={view} skewAdjusted={skewAdjusted} hit={hit} paint={paints[source.serviceOf(hit.item)]} />
          ) : null
        }
      />
      {menu ? <FlameMenu x={menu.x} y={menu.y} title={menu.hit.count > 1 ? `${formatCount(menu.hit.count)} ${merged ? 'call paths' : 'spans'}` : nameOf(menu.hit.item)} actions={menuActions(menu.hit)} onClose={() => setMenu(undefined)} /> : null}
    </div>
  );
}

const spansOf = (n: number) => (n === 1 ? 'its span' : `its ${formatCount(n)} spans`);

/** The item outlined as the waterfall's selection: the span, or (merged, this trace) the node holding it. */
function selectedItem(span: number | undefined, merged: boolean, scope: AnalysisScope, tree: MergedFlameTree | undefined, source: FlameSource): number {
  if (span === undefined) return -1;
  if (!merged) return span < source.tree.spanCount ? span : -1;
  return scope === 'trace' && tree && span < tree.nodeOfSpan[0].length ? tree.nodeOfSpan[0][span] : -1;
}

type NodeSearch = ({ readonly error: undefined } & ReturnType<typeof matchOperationNodes>) | { readonly error: string };

/** Per item: its error bit, plus FLAME_MATCH_BIT on search matches; and what the search box says. */
function searchMarks(
  source: FlameSource | undefined,
  merged: boolean,
  query: string,
  spans: { readonly matches: Uint32Array | undefined; readonly error: { readonly message: string } | undefined } | undefined,
  nodes: NodeSearch | undefined,
  tree: MergedFlameTree | undefined,
): { bits: Uint8Array; search: FlameSearchState } {
  const none = { text: query, summary: undefined, error: undefined, note: undefined };
  if (!source) return { bits: new Uint8Array(0), search: none };
  if (query === '') return { bits: source.errorBits, search: none };
  const bits = source.errorBits.slice();
  if (!merged) {
    if (!spans?.matches) return { bits: source.errorBits, search: { ...none, error: spans?.error?.message } };
    for (const span of spans.matches) bits[span] |= FLAME_MATCH_BIT;
    const n = spans.matches.length;
    return { bits, search: { ...none, summary: n ? `${formatCount(n)} span${n === 1 ? '' : 's'}` : 'no matches' } };
  }
  if (!nodes || !tree) return { bits: source.errorBits, search: none };
  if (nodes.error !== undefined) return { bits: source.errorBits, search: { ...none, error: nodes.error } };
  let spanCount = 0;
  for (let k = 0; k < nodes.mask.length; k++) {
    if (!nodes.mask[k]) continue;
    bits[k] |= FLAME_MATCH_BIT;
    spanCount += tree.spanCount[k];
  }
  const summary = nodes.count ? `${plural(nodes.count, 'node')} · ${plural(spanCount, 'span')}` : 'no matches';
  const ignored = [...new Set(nodes.ignoredTerms.map((t) => query.slice(t.start, t.end)))];
  return { bits, search: { ...none, summary, note: ignored.length ? `not per node, left out: ${ignored.join(' ')}` : undefined } };
}
