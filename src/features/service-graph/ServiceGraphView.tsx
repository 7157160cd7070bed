// The service dependency graph: services, databases and queues as nodes (spans, self time, error rate;
// the chosen metric as a bar), calls as edges (count, errors, p50/p95; dashed when asynchronous), in
// layers left to right. Zoom and pan with the wheel and drag; hover shows the numbers; a click filters.
import { select, zoom, type ZoomBehavior } from 'd3';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ServiceGraph, ServiceGraphEdge, ServiceGraphNode } from '../../core/analysis/service-graph.ts';
import { ArrowMarker } from '../../components/ArrowMarker.tsx';
import { formatCount, formatDuration } from '../../components/format.ts';
import { ERROR_COLOR, serviceColorIn } from '../../components/service-colors.ts';
import { layeredLayout, routePath } from '../../render/layered-layout.ts';

const NODE_W = 190;
const NODE_H = 56;

export type NodeMetric = 'spans' | 'selfTime' | 'errorRate';

interface Props {
  readonly graph: ServiceGraph;
  readonly services: readonly string[];
  onSelectNode(node: ServiceGraphNode): void;
  onSelectEdge(from: ServiceGraphNode, to: ServiceGraphNode): void;
}

const metricOf: Record<NodeMetric, (n: ServiceGraphNode) => number> = {
  spans: (n) => n.spanCount,
  selfTime: (n) => n.selfTimeNs,
  errorRate: (n) => n.errorRate,
};

export function ServiceGraphView({ graph, services, onSelectNode, onSelectEdge }: Props) {
  const [metric, setMetric] = useState<NodeMetric>('spans');
  const [hover, setHover] = useState<string | undefined>();
  const svg = useRef<SVGSVGElement>(null);
  const layer = useRef<SVGGElement>(null);
  const layout = useMemo(() => layeredLayout({ nodeCount: graph.nodes.length, edges: graph.edges, nodeWidth: NODE_W, nodeHeight: NODE_H, rankGap: 110, nodeGap: 24 }), [graph]);
  const peak = Math.max(1e-9, ...graph.nodes.map(metricOf[metric]));
  const maxCalls = Math.max(1, ...graph.edges.map((e) => e.callCount));

  useEffect(() => {
    const root = svg.current;
    if (!root || !layer.current) return;
    const g = select(layer.current);
    const behavior: ZoomBehavior<SVGSVGElement, unknown> = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.1, 4])
      .on('zoom', (event) => g.attr('transform', event.transform.toString()));
    select(root).call(behavior);
    return () => {
      select(root).on('.zoom', null);
    };
  }, [graph]);

  const nodeStroke = (n: ServiceGraphNode) => (n.kind === 'service' ? serviceColorIn(services, n.name) : '#64748b');
  return (
    <div className="flex min-h-0 flex-1 flex-col gap-2" data-testid="service-graph">
      <div className="flex items-center gap-3 text-sm">
        <span className="text-slate-600 dark:text-slate-300">
          {graph.nodes.length} nodes · {graph.edges.length} edges · {formatCount(graph.spanCount)} spans in {graph.traceCount} {graph.traceCount === 1 ? 'trace' : 'traces'}
        </span>
        <label className="ml-auto flex items-center gap-2">
          <span className="field-label">Size by</span>
          <select className="input py-1" value={metric} onChange={(e) => setMetric(e.target.value as NodeMetric)} data-testid="service-graph-metric">
            <option value="spans">Span count</option>
            <option value="selfTime">Self time</option>
            <option value="errorRate">Error rate</option>
          </select>
        </label>
        <span className="text-xs text-slate-500 dark:text-slate-400">Wheel to zoom, drag to pan, click to filter</span>
      </div>
      <svg ref={svg} className="min-h-[420px] w-full flex-1 cursor-grab rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900" role="img" aria-label="Service dependency graph">
        <ArrowMarker id="graph-arrow" size={10} />
        <g ref={layer}>
          {graph.edges.map((e, k) => (
            <Edge key={k} edge={e} route={layout.routes[k]} from={graph.nodes[e.from]} to={graph.nodes[e.to]} width={1 + 4 * Math.log1p(e.callCount) / Math.log1p(maxCalls)} onSelect={onSelectEdge} />
          ))}
          {graph.nodes.map((n, k) => {
            const value = metricOf[metric](n);
            return (
              <g
                key={`${n.kind}:${n.name}`}
                transform={`translate(${layout.x[k]},${layout.y[k]})`}
                className="cursor-pointer"
                data-testid="service-graph-node"
                data-name={n.name}
                onClick={() => onSelectNode(n)}
                onMouseEnter={() => setHover(n.name)}
                onMouseLeave={() => setHover(undefined)}
              >
                <title>
                  {`${n.name}: ${n.spanCount} spans · self time ${formatDuration(n.selfTimeNs)} · ${n.errorCount} errors (${(n.errorRate * 100).toFixed(1)}%)`}
                </title>
                <rect
                  width={NODE_W}
                  height={NODE_H}
                  rx={n.kind === 'service' ? 8 : 24}
                  className="fill-white dark:fill-slate-800"
                  stroke={nodeStroke(n)}
                  strokeWidth={hover === n.name ? 3 : 2}
                  strokeDasharray={n.kind === 'messaging' ? '6 3' : undefined}
                />
                <rect x={10} y={NODE_H - 10} width={(NODE_W - 20) * Math.min(1, value / peak)} height={4} rx={2} fill={metric === 'errorRate' ? ERROR_COLOR : nodeStroke(n)} opacity={0.7} />
                <text x={12} y={20} className="fill-slate-800 text-[12px] font-semibold dark:fill-slate-100">
                  {n.name.length > 24 ? `${n.name.slice(0, 23)}…` : n.name}
                </text>
                <text x={12} y={36} className="fill-slate-500 text-[11px] dark:fill-slate-400">
                  {n.kind === 'service' ? `${formatCount(n.spanCount)} spans · ${formatDuration(n.selfTimeNs)} self` : `${n.kind === 'database' ? 'database' : 'queue'} · ${formatCount(n.spanCount)} calls`}
                  {n.errorCount ? <tspan fill={ERROR_COLOR}>{` · ${(n.errorRate * 100).toFixed(0)}% err`}</tspan> : null}
                </text>
              </g>
            );
          })}
        </g>
      </svg>
    </div>
  );
}

function Edge({ edge, route, from, to, width, onSelect }: { edge: ServiceGraphEdge; route: readonly { x: number; y: number }[]; from: ServiceGraphNode; to: ServiceGraphNode; width: number; onSelect: Props['onSelectEdge'] }) {
  if (route.length < 2) return null;
  const { d, mid } = routePath(route);
  const asynchronous = edge.kind !== 'sync';
  return (
    <g className="cursor-pointer" onClick={() => onSelect(from, to)} data-testid="service-graph-edge">
      <title>{`${from.name} → ${to.name} (${edge.kind}): ${edge.callCount} calls, ${edge.errorCount} errors, p50 ${formatDuration(edge.p50Ns)}, p95 ${formatDuration(edge.p95Ns)}, max ${formatDuration(edge.maxNs)}`}</title>
      <path d={d} fill="none" strokeWidth={width} strokeDasharray={asynchronous ? '6 4' : undefined} stroke={edge.errorCount ? ERROR_COLOR : undefined} className={edge.errorCount ? '' : 'stroke-slate-400 dark:stroke-slate-500'} markerEnd="url(#graph-arrow)" />
      <text x={mid.x} y={mid.y - 6} textAnchor="middle" className="fill-slate-600 text-[10px] dark:fill-slate-300">
        {formatCount(edge.callCount)}× · p95 {formatDuration(edge.p95Ns)}
        {edge.errorCount ? ` · ${edge.errorCount} err` : ''}
      </text>
    </g>
  );
}
