// Jaeger's "trace graph", top to bottom: one node per service + operation (calls, self time, errors), coloured by its
// share of the self time, edges dashed where the call does not block (follows-from, links, messaging).
import { useMemo } from 'react';
import type { OperationGraph, OperationNode } from '../../core/analysis/operation-graph.ts';
import { ArrowMarker } from '../../components/ArrowMarker.tsx';
import { formatCount, formatDuration } from '../../components/format.ts';
import { ERROR_COLOR, serviceColor } from '../../components/service-colors.ts';
import { useGraphLayout } from '../../components/use-graph-layout.ts';
import { defaultLayout } from '../../core/layout/graph-layout.ts';
import { routePath } from '../../render/route-path.ts';

const NODE_W = 220;
const NODE_H = 50;

interface Props {
  readonly graph: OperationGraph;
  /** Names the graph (its analysis key) so its layout is cached with it. */
  readonly layoutKey: readonly unknown[];
  onSelectNode(node: OperationNode): void;
}

export function OperationGraphView({ graph, layoutKey, onSelectNode }: Props) {
  const input = useMemo(() => ({ nodeCount: graph.nodes.length, edges: graph.edges, nodeWidth: NODE_W, nodeHeight: NODE_H, rankGap: 36, nodeGap: 18, direction: 'TB' as const }), [graph]);
  const algorithm = defaultLayout(graph.nodes.length, graph.edges.length);
  const laidOut = useGraphLayout(layoutKey, input, algorithm);
  // Thousands of edges (a big generated trace calls almost every operation from every other): drawn as
  // two paths (failing calls and the rest), their numbers left to the nodes' tooltips.
  const dense = graph.edges.length > 300;
  const denseEdges = useMemo(() => {
    if (!dense || !laidOut.data) return undefined;
    const routes = laidOut.data.routes;
    const join = (failing: boolean) => graph.edges.flatMap((e, k) => ((e.errorCount > 0) === failing && routes[k].length >= 2 ? [routePath(routes[k]).d] : [])).join(' ');
    return { ok: join(false), failing: join(true) };
  }, [dense, laidOut.data, graph]);
  const layout = laidOut.data;
  if (!layout) {
    return (
      <p className="text-sm text-slate-500" role={laidOut.isError ? 'alert' : 'status'}>
        {laidOut.isError ? laidOut.error.message : `Laying out ${graph.nodes.length} operations…`}
      </p>
    );
  }
  const totalSelf = graph.nodes.reduce((n, x) => n + x.selfTimeNs, 0) || 1;
  return (
    <>
    {algorithm === 'force' ? (
      <p className="text-xs text-slate-500 dark:text-slate-400" data-testid="operation-graph-dense">
        {graph.nodes.length} operations and {formatCount(graph.edges.length)} edges: too many for layers, laid out force-directed
      </p>
    ) : null}
    <div className="min-h-0 flex-1 overflow-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900" data-testid="operation-graph">
      <svg width={layout.width} height={layout.height} className="block" role="img" aria-label="Operation graph">
        <ArrowMarker id="op-arrow" />
        {denseEdges ? (
          <g data-testid="operation-graph-dense-edges">
            <path d={denseEdges.ok} fill="none" strokeWidth={1} className="stroke-slate-400 opacity-40 dark:stroke-slate-500" />
            <path d={denseEdges.failing} fill="none" strokeWidth={1} stroke={ERROR_COLOR} className="opacity-60" />
          </g>
        ) : null}
        {denseEdges ? null : graph.edges.map((e, k) => {
          const route = layout.routes[k];
          if (route.length < 2) return null;
          const { d, mid } = routePath(route);
          return (
            <g key={k} data-testid="operation-graph-edge">
              <title>{`${e.callCount} calls (${e.kind})${e.errorCount ? `, ${e.errorCount} failed` : ''}`}</title>
              <path d={d} fill="none" strokeWidth={1.25} strokeDasharray={e.kind === 'sync' ? undefined : '5 4'} stroke={e.errorCount ? ERROR_COLOR : undefined} className={e.errorCount ? '' : 'stroke-slate-400 dark:stroke-slate-500'} markerEnd="url(#op-arrow)" />
              {e.callCount > 1 ? (
                <text x={mid.x} y={mid.y - 4} textAnchor="middle" className="fill-slate-500 text-[10px] dark:fill-slate-400">
                  ×{formatCount(e.callCount)}
                </text>
              ) : null}
            </g>
          );
        })}
        {graph.nodes.map((n, k) => {
          const share = n.selfTimeNs / totalSelf;
          return (
            <g key={`${n.service}\u0000${n.operation}`} transform={`translate(${layout.x[k]},${layout.y[k]})`} className="cursor-pointer" onClick={() => onSelectNode(n)} data-testid="operation-graph-node">
              <title>{`${n.service}: ${n.operation} — ${n.spanCount} spans, self time ${formatDuration(n.selfTimeNs)} (${(share * 100).toFixed(1)}%), total ${formatDuration(n.totalDurationNs)}, ${n.errorCount} errors`}</title>
              {/* Self-time colouring: the more of the trace's own time a node holds, the warmer its fill. */}
              <rect width={NODE_W} height={NODE_H} rx={6} fill={`rgba(230, 159, 0, ${Math.min(0.85, 0.08 + share * 1.6)})`} className="stroke-slate-300 dark:stroke-slate-600" />
              <rect width={4} height={NODE_H} rx={2} fill={serviceColor(n.service)} />
              <text x={12} y={18} className="fill-slate-600 text-[11px] dark:fill-slate-300">
                {n.service}
              </text>
              <text x={12} y={34} className="fill-slate-900 text-[12px] font-semibold dark:fill-slate-50">
                {n.operation.length > 30 ? `${n.operation.slice(0, 29)}…` : n.operation}
              </text>
              <text x={NODE_W - 8} y={18} textAnchor="end" className="fill-slate-600 text-[10px] dark:fill-slate-300">
                {formatCount(n.spanCount)}× · {formatDuration(n.selfTimeNs)}
                {n.errorCount ? <tspan fill={ERROR_COLOR}>{` · ${n.errorCount} err`}</tspan> : null}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
    </>
  );
}
