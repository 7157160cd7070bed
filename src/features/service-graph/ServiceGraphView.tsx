// The service dependency graph: services, databases and queues as nodes (spans, self time, error rate;
// the chosen metric as a bar), calls as edges (count, errors, p50/p95; dashed when asynchronous), in
// layers left to right or force-directed. Zoom and pan with the wheel and drag, fitted to the view at
// first; far out, the small print is hidden. "Find" shows one service with its callers and callees
// (how a 500-service graph is read). Hover shows the numbers; a click filters.
import { useMemo, useRef, useState, type ReactNode } from 'react';
import { serviceNeighbourhood, type ServiceGraph, type ServiceGraphEdge, type ServiceGraphNode } from '../../core/analysis/service-graph.ts';
import type { LayoutAlgorithm } from '../../core/layout/graph-layout.ts';
import { ArrowMarker } from '../../components/ArrowMarker.tsx';
import { formatCount, formatDuration } from '../../components/format.ts';
import { ERROR_COLOR, serviceColor } from '../../components/service-colors.ts';
import { useGraphLayout } from '../../components/use-graph-layout.ts';
import { useKeepInViewport } from '../../components/keep-in-viewport.ts';
import { usePanZoom } from '../../components/use-pan-zoom.ts';
import { routePath } from '../../render/route-path.ts';
import { clipText, NAME_CLIP_CHARS } from '../../components/clip-text.ts';
import { plural } from '../../core/plural.ts';

const NODE_W = 220;
const NODE_H = 56;
/** More edges than this, and only the found node's edges are labelled. */
const MAX_EDGE_LABELS = 300;

export type NodeMetric = 'spans' | 'selfTime' | 'errorRate';

interface Props {
  readonly graph: ServiceGraph;
  /** More controls at the start of the toolbar (what the graph aggregates). */
  readonly controls?: ReactNode;
  /** Names the graph (its analysis key) so its layout is cached with it. */
  readonly layoutKey: readonly unknown[];
  readonly algorithm: LayoutAlgorithm;
  readonly metric: NodeMetric;
  /** The node shown with its neighbours only (by name), or the whole graph. */
  readonly focus: string | undefined;
  onChangeView(view: { algorithm: LayoutAlgorithm; metric: NodeMetric; focus: string | undefined }): void;
  onSelectNode(node: ServiceGraphNode): void;
  onSelectEdge(edge: ServiceGraphEdge, from: ServiceGraphNode, to: ServiceGraphNode): void;
  /** Beside the graph (what a click picked). */
  readonly aside?: ReactNode;
}

const metricOf: Record<NodeMetric, (n: ServiceGraphNode) => number> = {
  spans: (n) => n.spanCount,
  selfTime: (n) => n.selfTimeNs,
  errorRate: (n) => n.errorRate,
};

export function ServiceGraphView({ graph: wholeGraph, controls, layoutKey, algorithm: chosenAlgorithm, metric, focus, onChangeView, onSelectNode, onSelectEdge, aside }: Props) {
  const focusIndex = focus === undefined ? -1 : wholeGraph.nodes.findIndex((n) => n.name === focus);
  const graph = useMemo(() => (focusIndex >= 0 ? serviceNeighbourhood(wholeGraph, focusIndex) : wholeGraph), [wholeGraph, focusIndex]);
  // A neighbourhood reads best as callers → it → callees.
  const algorithm = focusIndex >= 0 ? 'layered' : chosenAlgorithm;
  const found = focusIndex >= 0 ? 0 : undefined;
  const input = useMemo(() => ({ nodeCount: graph.nodes.length, edges: graph.edges, nodeWidth: NODE_W, nodeHeight: NODE_H, rankGap: 150, nodeGap: 28 }), [graph]);
  const layout = useGraphLayout([...layoutKey, focusIndex], input, algorithm);
  const change = (view: Partial<Parameters<Props['onChangeView']>[0]>) => onChangeView({ algorithm: chosenAlgorithm, metric, focus, ...view });
  const peak = Math.max(1e-9, ...graph.nodes.map(metricOf[metric]));
  const maxCalls = Math.max(1, ...graph.edges.map((e) => e.callCount));
  const pan = usePanZoom(layout.data, aside !== undefined);
  const [hoverEdge, setHoverEdge] = useState<{ edge: number; x: number; y: number } | undefined>();
  // One <path> per edge and nothing else (a dense graph has tens of thousands): labels only where they
  // can be read, the numbers of the others on hover. Memoized so a hover does not redraw them all.
  const edgePaths = useMemo(
    () =>
      layout.data
        ? graph.edges.map((e, k) => (
            <EdgePath
              key={k}
              index={k}
              edge={e}
              route={layout.data.routes[k]}
              width={1 + (4 * Math.log1p(e.callCount)) / Math.log1p(maxCalls)}
              hitArea={graph.edges.length <= MAX_EDGE_LABELS}
            />
          ))
        : null,
    [graph, layout.data, maxCalls],
  );
  const labelled = graph.edges.length <= MAX_EDGE_LABELS ? graph.edges : [];

  const nodeStroke = (n: ServiceGraphNode) => (n.kind === 'service' ? serviceColor(n.name) : '#64748b');
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2" data-testid="service-graph">
      <div className="flex flex-wrap items-end gap-3 text-sm">
        {controls}
        <label className="flex flex-col gap-1">
          <span className="field-label">Find</span>
          <input
            className="input w-48 py-1"
            list="service-graph-names"
            placeholder="service, database, queue"
            data-testid="service-graph-find"
            key={focus}
            defaultValue={focus}
            onChange={(e) => {
              const name = e.target.value;
              if (name === '' || wholeGraph.nodes.some((n) => n.name === name)) change({ focus: name || undefined });
            }}
          />
          <datalist id="service-graph-names">
            {wholeGraph.nodes.map((n) => (
              <option key={`${n.kind}:${n.name}`} value={n.name} />
            ))}
          </datalist>
        </label>
        <label className="flex flex-col gap-1">
          <span className="field-label">Size by</span>
          <select className="input py-1" value={metric} onChange={(e) => change({ metric: e.target.value as NodeMetric })} data-testid="service-graph-metric">
            <option value="spans">Span count</option>
            <option value="selfTime">Self time</option>
            <option value="errorRate">Error rate</option>
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="field-label">Layout</span>
          <select
            className="input py-1"
            value={algorithm}
            disabled={found !== undefined}
            onChange={(e) => change({ algorithm: e.target.value as LayoutAlgorithm })}
            data-testid="service-graph-layout"
          >
            <option value="layered">Layers, left to right</option>
            <option value="force">Force-directed</option>
          </select>
        </label>
        <button type="button" className="btn-secondary py-1" onClick={pan.fit} data-testid="service-graph-fit">
          Fit
        </button>
      </div>
      <p className="text-sm">
        <span className="text-slate-600 dark:text-slate-300">
          {found === undefined ? (
            <>
              {plural(graph.nodes.length, 'node')} · {plural(graph.edges.length, 'edge')} · {plural(graph.spanCount, 'span')} in {plural(graph.traceCount, 'trace')}
            </>
          ) : (
            <span data-testid="service-graph-focus">
              <strong>{focus}</strong>: {graph.edges.filter((e) => e.to === 0).length} incoming and {graph.edges.filter((e) => e.from === 0).length} outgoing edges, of {wholeGraph.nodes.length} nodes ·{' '}
              <button type="button" className="text-sky-700 underline dark:text-sky-300" onClick={() => change({ focus: undefined })} data-testid="service-graph-show-all">
                show the whole graph
              </button>
            </span>
          )}
        </span>
      </p>
      <div className="flex min-h-[420px] flex-1 gap-3">
      <div className="relative flex min-w-0 flex-1">
        <svg
          ref={pan.svg}
          className="graph-canvas min-h-[420px] w-full flex-1 cursor-grab rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
          role="img"
          aria-label="Service dependency graph"
          aria-busy={layout.isPending}
        >
          <ArrowMarker id="graph-arrow" size={10} />
          {layout.data ? (
            <g ref={pan.layer}>
              <g onClick={(e) => edgeAt(e.target, (k) => onSelectEdge(graph.edges[k], graph.nodes[graph.edges[k].from], graph.nodes[graph.edges[k].to]))}
                 onMouseMove={(e) => edgeAt(e.target, (k) => setHoverEdge({ edge: k, x: e.clientX, y: e.clientY }), () => setHoverEdge(undefined))}
                 onMouseLeave={() => setHoverEdge(undefined)}>
                {edgePaths}
              </g>
              {labelled.map((e, k) => (
                <EdgeLabel key={k} edge={e} route={layout.data.routes[k]} />
              ))}
              {graph.nodes.map((n, k) => (
                <g
                  key={`${n.kind}:${n.name}`}
                  transform={`translate(${layout.data.x[k]},${layout.data.y[k]})`}
                  className="group cursor-pointer"
                  data-testid="service-graph-node"
                  data-name={n.name}
                  data-service-color={n.kind === 'service' ? nodeStroke(n) : undefined}
                  onClick={() => onSelectNode(n)}
                >
                  <title>{`${clipText(n.name, NAME_CLIP_CHARS)}: ${plural(n.spanCount, 'span')} · self time ${formatDuration(n.selfTimeNs)} · ${plural(n.errorCount, 'error')} (${(n.errorRate * 100).toFixed(1)}%)`}</title>
                  <rect
                    width={NODE_W}
                    height={NODE_H}
                    rx={n.kind === 'service' ? 8 : 24}
                    className="fill-white group-hover:stroke-[3px] dark:fill-slate-800"
                    stroke={nodeStroke(n)}
                    strokeWidth={k === found ? 4 : 2}
                    strokeDasharray={n.kind === 'messaging' ? '6 3' : undefined}
                  />
                  <rect x={10} y={NODE_H - 10} width={(NODE_W - 20) * Math.min(1, metricOf[metric](n) / peak)} height={4} rx={2} fill={metric === 'errorRate' ? ERROR_COLOR : nodeStroke(n)} opacity={0.7} />
                  <text x={12} y={20} className="fill-slate-800 text-[12px] font-semibold dark:fill-slate-100">
                    {n.name.length > 24 ? `${n.name.slice(0, 23)}…` : n.name}
                  </text>
                  <text x={12} y={36} className="graph-detail fill-slate-500 text-[11px] dark:fill-slate-400">
                    {n.kind === 'service' ? `${plural(n.spanCount, 'span')} · ${formatDuration(n.selfTimeNs)} self` : `${n.kind === 'database' ? 'database' : 'queue'} · ${plural(n.spanCount, 'call')}`}
                    {n.errorCount ? <tspan fill={ERROR_COLOR}>{` · ${(n.errorRate * 100).toFixed(0)}% err`}</tspan> : null}
                  </text>
                </g>
              ))}
            </g>
          ) : null}
        </svg>
        {hoverEdge ? <EdgeCard graph={graph} edge={hoverEdge.edge} x={hoverEdge.x} y={hoverEdge.y} /> : null}
        {layout.isPending ? (
          <p className="absolute inset-0 m-auto h-fit text-center text-sm text-slate-500" role="status">
            Laying out {graph.nodes.length} nodes and {graph.edges.length} edges…
          </p>
        ) : layout.isError ? (
          <p className="absolute inset-0 m-auto h-fit text-center text-sm text-red-700 dark:text-red-300" role="alert">
            {layout.error.message}
          </p>
        ) : null}
      </div>
      {aside}
      </div>
      <p className="text-xs text-slate-500 dark:text-slate-400">Wheel to zoom, drag to pan, click a node or an edge to see its spans (in the waterfall, or the traces they are in) · dashed = asynchronous (messaging, follows-from, links)</p>
    </div>
  );
}

/** Calls `found` with the edge index of an edge path under the pointer, else `missed`. */
function edgeAt(target: EventTarget, found: (edge: number) => void, missed?: () => void): void {
  const edge = target instanceof SVGPathElement ? target.dataset.edge : undefined;
  if (edge !== undefined) found(Number(edge));
  else missed?.();
}

/** The edge; with `hitArea`, under a wider transparent copy that is easier to point at (small graphs only). */
function EdgePath({ index, edge, route, width, hitArea }: { index: number; edge: ServiceGraphEdge; route: readonly { x: number; y: number }[]; width: number; hitArea: boolean }) {
  if (route.length < 2) return null;
  const { d } = routePath(route);
  return (
    <>
      <path
        d={d}
        data-edge={index}
        data-testid="service-graph-edge"
        fill="none"
        strokeWidth={width}
        strokeDasharray={edge.kind !== 'sync' ? '6 4' : undefined}
        stroke={edge.errorCount ? ERROR_COLOR : undefined}
        className={`cursor-pointer ${edge.errorCount ? '' : 'stroke-slate-400 dark:stroke-slate-500'}`}
        markerEnd="url(#graph-arrow)"
      />
      {hitArea ? <path d={d} data-edge={index} fill="none" stroke="transparent" strokeWidth={12} className="cursor-pointer" /> : null}
    </>
  );
}

function EdgeLabel({ edge, route }: { edge: ServiceGraphEdge; route: readonly { x: number; y: number }[] }) {
  if (route.length < 2) return null;
  const { mid } = routePath(route);
  return (
    <text x={mid.x} y={mid.y - 6} textAnchor="middle" className="graph-detail pointer-events-none fill-slate-600 text-[10px] dark:fill-slate-300">
      {formatCount(edge.callCount)}× · p95 {formatDuration(edge.p95Ns)}
      {edge.errorCount ? ` · ${edge.errorCount} err` : ''}
    </text>
  );
}

const KIND_TEXT: Record<ServiceGraphEdge['kind'], string> = { sync: 'synchronous', messaging: 'messaging', follows_from: 'follows from', link: 'span link' };

/** The numbers of the edge under the pointer, beside it. */
function EdgeCard({ graph, edge, x, y }: { graph: ServiceGraph; edge: number; x: number; y: number }) {
  const e = graph.edges[edge];
  const card = useRef<HTMLDivElement>(null);
  useKeepInViewport(card, { x, y });
  return (
    <div
      ref={card}
      className="pointer-events-none fixed z-20 max-w-sm rounded-md border border-slate-200 bg-white px-3 py-2 text-xs shadow-lg dark:border-slate-700 dark:bg-slate-800"
      data-testid="service-graph-edge-card"
    >
      <div className="font-semibold text-slate-800 dark:text-slate-100">
        {graph.nodes[e.from].name} → {graph.nodes[e.to].name}
      </div>
      <div className="mt-1 grid grid-cols-[auto_auto] gap-x-3 text-slate-600 dark:text-slate-300">
        <span>Calls</span>
        <span className="tabular-nums">
          {formatCount(e.callCount)} ({KIND_TEXT[e.kind]})
        </span>
        <span>Errors</span>
        <span className={`tabular-nums ${e.errorCount ? 'text-red-700 dark:text-red-300' : ''}`}>{formatCount(e.errorCount)}</span>
        <span>p50 · p95 · max</span>
        <span className="tabular-nums">
          {formatDuration(e.p50Ns)} · {formatDuration(e.p95Ns)} · {formatDuration(e.maxNs)}
        </span>
      </div>
    </div>
  );
}
