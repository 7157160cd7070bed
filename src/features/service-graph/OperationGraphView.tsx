// Jaeger's "trace graph", top to bottom: one node per service + operation (calls, self time, errors) in
// its service's colour, a bar for its share of the self time, edges dashed where the call does not
// block (follows-from, links, messaging). Fitted to the view when it opens; wheel and drag zoom and pan.
// A big graph is condensed (operation-graph-condense.ts): services fold into one node each, which a
// click opens, and only the edges with the most calls are drawn until "show all".
import { useMemo, useState } from 'react';
import type { OperationEdge, OperationGraph } from '../../core/analysis/operation-graph.ts';
import { condenseOperationGraph, DEFAULT_CONDENSE, type CondensedOperationNode } from '../../core/analysis/operation-graph-condense.ts';
import { clipText, NAME_CLIP_CHARS } from '../../components/clip-text.ts';
import { ArrowMarker } from '../../components/ArrowMarker.tsx';
import { formatCount, formatDuration } from '../../components/format.ts';
import { ERROR_COLOR, serviceColor } from '../../components/service-colors.ts';
import { useGraphLayout } from '../../components/use-graph-layout.ts';
import { usePanZoom } from '../../components/use-pan-zoom.ts';
import { defaultLayout } from '../../core/layout/graph-layout.ts';
import { routePath } from '../../render/route-path.ts';
import { plural } from '../../core/plural.ts';

const NODE_W = 220;
const NODE_H = 50;
/** More edges than this are drawn as two paths (failing calls and the rest), their numbers left to the nodes. */
const DENSE_EDGES = 300;

interface Props {
  readonly graph: OperationGraph;
  /** Names the graph (its analysis key) so its layout is cached with it. */
  readonly layoutKey: readonly unknown[];
  onSelectNode(node: CondensedOperationNode): void;
}

export function OperationGraphView({ graph: wholeGraph, layoutKey, onSelectNode }: Props) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [allEdges, setAllEdges] = useState(false);
  const graph = useMemo(
    () => condenseOperationGraph(wholeGraph, { maxOperations: DEFAULT_CONDENSE.maxOperations, maxEdges: allEdges ? undefined : DEFAULT_CONDENSE.maxEdges, expanded }),
    [wholeGraph, expanded, allEdges],
  );
  // Folded services all hang off one or two callers: in layers that is one rank many nodes wide, too
  // wide to read once fitted; force-directed packs them into the box.
  const algorithm = graph.collapsedServices.length ? 'force' : defaultLayout(graph.nodes.length, graph.edges.length);
  // Callers above callees in layers; force-directed, left to right, to fill a wide screen.
  const input = useMemo(
    () => ({ nodeCount: graph.nodes.length, edges: graph.edges, nodeWidth: NODE_W, nodeHeight: NODE_H, rankGap: 36, nodeGap: 18, direction: algorithm === 'force' ? ('LR' as const) : ('TB' as const) }),
    [graph, algorithm],
  );
  const laidOut = useGraphLayout([...layoutKey, [...expanded].sort().join('\u0000'), allEdges], input, algorithm);
  const layout = laidOut.data;
  const pan = usePanZoom(layout);
  const dense = graph.edges.length > DENSE_EDGES;
  const denseEdges = useMemo(() => {
    if (!dense || !layout) return undefined;
    const join = (failing: boolean) => graph.edges.flatMap((e, k) => ((e.errorCount > 0) === failing && layout.routes[k].length >= 2 ? [routePath(layout.routes[k]).d] : [])).join(' ');
    return { ok: join(false), failing: join(true) };
  }, [dense, layout, graph]);
  const totalSelf = graph.nodes.reduce((n, x) => n + x.selfTimeNs, 0) || 1;
  const toggle = (service: string) => setExpanded((s) => (s.has(service) ? new Set([...s].filter((x) => x !== service)) : new Set([...s, service])));
  const openServices = [...expanded].filter((s) => wholeGraph.nodes.length > DEFAULT_CONDENSE.maxOperations && wholeGraph.nodes.some((n) => n.service === s));

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600 dark:text-slate-300" data-testid="operation-graph-summary">
        <span>
          {formatCount(wholeGraph.nodes.length)} operations · {formatCount(wholeGraph.edges.length)} edges
        </span>
        {graph.collapsedServices.length ? (
          <span data-testid="operation-graph-collapsed">
            {graph.collapsedServices.length} {graph.collapsedServices.length === 1 ? 'service' : 'services'} folded into one node each (click one to open it)
          </span>
        ) : null}
        {openServices.map((s) => (
          <button key={s} type="button" className="rounded-full border border-slate-300 px-2 py-0.5 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800" onClick={() => toggle(s)} title="Fold this service again">
            {s} ×
          </button>
        ))}
        {graph.edgeCount > graph.edges.length ? (
          <span data-testid="operation-graph-edge-cut">
            {graph.edges.length} of {formatCount(graph.edgeCount)} edges: the busiest, and each operation’s busiest ·{' '}
            <button type="button" className="text-sky-700 underline dark:text-sky-300" onClick={() => setAllEdges(true)} data-testid="operation-graph-all-edges">
              show all
            </button>
          </span>
        ) : allEdges && graph.edgeCount > DEFAULT_CONDENSE.maxEdges ? (
          <button type="button" className="text-sky-700 underline dark:text-sky-300" onClick={() => setAllEdges(false)}>
            only the {DEFAULT_CONDENSE.maxEdges} busiest edges
          </button>
        ) : null}
        {algorithm === 'force' && !graph.collapsedServices.length ? <span data-testid="operation-graph-dense">too many edges for layers: laid out force-directed</span> : null}
        <button type="button" className="btn-secondary ml-auto py-0.5 text-xs" onClick={pan.fit} data-testid="operation-graph-fit">
          Fit
        </button>
      </div>
      <div className="relative flex min-h-[320px] flex-1">
        <svg
          ref={pan.svg}
          className="graph-canvas min-h-[320px] w-full flex-1 cursor-grab rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
          role="img"
          aria-label="Operation graph"
          aria-busy={laidOut.isPending}
          data-testid="operation-graph"
        >
          <ArrowMarker id="op-arrow" />
          {layout ? (
            <g ref={pan.layer}>
              {denseEdges ? (
                <g data-testid="operation-graph-dense-edges">
                  <path d={denseEdges.ok} fill="none" strokeWidth={1} className="stroke-slate-400 opacity-40 dark:stroke-slate-500" />
                  <path d={denseEdges.failing} fill="none" strokeWidth={1} stroke={ERROR_COLOR} className="opacity-60" />
                </g>
              ) : (
                graph.edges.map((e, k) => <Edge key={k} edge={e} route={layout.routes[k]} />)
              )}
              {graph.nodes.map((n, k) => (
                <Node
                  key={`${n.service}\u0000${n.operation}`}
                  node={n}
                  x={layout.x[k]}
                  y={layout.y[k]}
                  share={n.selfTimeNs / totalSelf}
                  onClick={() => (n.operationCount > 1 ? toggle(n.service) : onSelectNode(n))}
                />
              ))}
            </g>
          ) : null}
        </svg>
        {layout ? null : (
          <p className="absolute inset-0 m-auto h-fit text-center text-sm text-slate-500" role={laidOut.isError ? 'alert' : 'status'}>
            {laidOut.isError ? laidOut.error.message : `Laying out ${graph.nodes.length} operations…`}
          </p>
        )}
      </div>
    </div>
  );
}

function Edge({ edge: e, route }: { edge: OperationEdge; route: readonly { x: number; y: number }[] }) {
  if (route.length < 2) return null;
  const { d, mid } = routePath(route);
  return (
    <g data-testid="operation-graph-edge">
      <title>{`${plural(e.callCount, 'call')} (${e.kind})${e.errorCount ? `, ${e.errorCount} failed` : ''}`}</title>
      <path d={d} fill="none" strokeWidth={1.25} strokeDasharray={e.kind === 'sync' ? undefined : '5 4'} stroke={e.errorCount ? ERROR_COLOR : undefined} className={e.errorCount ? '' : 'stroke-slate-400 dark:stroke-slate-500'} markerEnd="url(#op-arrow)" />
      {e.callCount > 1 ? (
        <text x={mid.x} y={mid.y - 4} textAnchor="middle" className="graph-detail fill-slate-500 text-[10px] dark:fill-slate-400">
          ×{formatCount(e.callCount)}
        </text>
      ) : null}
    </g>
  );
}

function Node({ node: n, x, y, share, onClick }: { node: CondensedOperationNode; x: number; y: number; share: number; onClick(): void }) {
  const color = serviceColor(n.service);
  const folded = n.operationCount > 1;
  return (
    <g transform={`translate(${x},${y})`} className="group cursor-pointer" onClick={onClick} data-testid="operation-graph-node" data-service={n.service} data-service-color={color} data-folded={folded || undefined}>
      <title>{`${clipText(n.service, NAME_CLIP_CHARS)}: ${clipText(n.operation, NAME_CLIP_CHARS)} — ${plural(n.spanCount, 'span')}, self time ${formatDuration(n.selfTimeNs)} (${(share * 100).toFixed(1)}%), total ${formatDuration(n.totalDurationNs)}, ${plural(n.errorCount, 'error')}${folded ? ' — click to show its operations' : ''}`}</title>
      <rect width={NODE_W} height={NODE_H} rx={6} className="fill-white stroke-slate-300 group-hover:stroke-slate-500 dark:fill-slate-800 dark:stroke-slate-600" strokeDasharray={folded ? '4 3' : undefined} />
      <rect width={NODE_W} height={NODE_H} rx={6} fill={color} opacity={0.12} />
      <rect width={4} height={NODE_H} rx={2} fill={color} />
      {/* Its share of the trace's self time. */}
      <rect x={12} y={NODE_H - 7} width={(NODE_W - 24) * Math.min(1, share)} height={3} rx={1.5} fill={color} />
      <text x={12} y={17} className="fill-slate-600 text-[11px] dark:fill-slate-300">
        {n.service.length > 22 ? `${n.service.slice(0, 21)}…` : n.service}
      </text>
      <text x={12} y={33} className={`text-[12px] font-semibold ${folded ? 'fill-sky-700 dark:fill-sky-300' : 'fill-slate-900 dark:fill-slate-50'}`}>
        {folded ? `${n.operation} ▸` : n.operation.length > 30 ? `${n.operation.slice(0, 29)}…` : n.operation}
      </text>
      <text x={NODE_W - 8} y={17} textAnchor="end" className="graph-detail fill-slate-600 text-[10px] dark:fill-slate-300">
        {formatCount(n.spanCount)}× · {formatDuration(n.selfTimeNs)}
        {n.errorCount ? <tspan fill={ERROR_COLOR}>{` · ${formatCount(n.errorCount)} err`}</tspan> : null}
      </text>
    </g>
  );
}
