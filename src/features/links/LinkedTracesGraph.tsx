// The traces connected to the open one by links, in layers left to right (a link runs from earlier work
// to later work): each a card (root service and operation, spans, duration, errors), links as arrows with
// their count, inferred ones dashed and labelled. Cards can be ticked for the stitched view. Fitted to
// the box when it opens; wheel and drag zoom and pan, "Fit" brings all of it back.
import { useMemo } from 'react';
import { ArrowMarker } from '../../components/ArrowMarker.tsx';
import { formatDuration } from '../../components/format.ts';
import { serviceColor } from '../../components/service-colors.ts';
import { usePanZoom } from '../../components/use-pan-zoom.ts';
import { formatInferredVia } from '../../core/analysis/span-ref.ts';
import { layeredLayout } from '../../core/layout/graph-layout.ts';
import { routePath } from '../../render/route-path.ts';
import type { LinkGraphResult } from '../../core/view-format/analysis-answers.ts';
import { plural } from '../../core/plural.ts';

const CARD_W = 200;
const CARD_H = 64;

interface Props {
  readonly graph: LinkGraphResult;
  readonly selected: ReadonlySet<string>;
  onToggle(traceId: string): void;
  onOpen(traceId: string): void;
}

/** A short label for an edge; the full reason is in its tooltip. */
function edgeLabel(e: LinkGraphResult['edges'][number]): string {
  if (!e.inferred) return e.count > 1 ? `×${e.count}` : '';
  if (e.inferred.kind === 'business-key') return formatInferredVia(e.inferred); // "job.id = 4"
  return `${e.inferred.header.split(' ')[0]} stored`; // "traceparent stored"
}

export function LinkedTracesGraph({ graph, selected, onToggle, onOpen }: Props) {
  // Links run from earlier work to later work, so layers read left to right in time.
  const layout = useMemo(() => layeredLayout({ nodeCount: graph.nodes.length, edges: graph.edges, nodeWidth: CARD_W, nodeHeight: CARD_H, rankGap: 130 }), [graph]);
  const pan = usePanZoom(layout);
  return (
    // As tall as the graph when there is room, else the room left, the graph fitted into it.
    <div className="relative flex min-h-[160px] flex-1" style={{ maxHeight: layout.height + 48 }}>
      <button type="button" className="btn-secondary absolute top-2 right-2 z-10 py-0.5 text-xs" onClick={pan.fit} data-testid="linked-traces-fit">
        Fit
      </button>
      <svg
        ref={pan.svg}
        className="graph-canvas w-full flex-1 cursor-grab rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
        role="img"
        aria-label={`${graph.nodes.length} linked traces`}
        data-testid="linked-traces-graph"
      >
        <ArrowMarker id="link-arrow" />
        <g ref={pan.layer}>
        {graph.edges.map((e, k) => {
          const route = layout.routes[k];
          if (route.length < 2) return null;
          const { d, mid } = routePath(route);
          return (
            <g key={k} data-testid={e.inferred ? 'linked-traces-edge-inferred' : 'linked-traces-edge'}>
              <path d={d} fill="none" strokeWidth={1.5} strokeDasharray={e.inferred ? '5 4' : undefined} className="stroke-slate-400 dark:stroke-slate-500" markerEnd="url(#link-arrow)">
                <title>{e.inferred ? `inferred by ${formatInferredVia(e.inferred)}` : `${e.count} link${e.count === 1 ? '' : 's'} (${e.kinds.join(', ')})`}</title>
              </path>
              <text x={mid.x} y={mid.y - 5} textAnchor="middle" className="fill-slate-500 text-[10px] dark:fill-slate-400">
                {edgeLabel(e)}
              </text>
            </g>
          );
        })}
        {graph.nodes.map((n, k) => {
          const p = { x: layout.x[k], y: layout.y[k] };
          const isSelected = selected.has(n.traceId);
          return (
            <g key={n.traceId} transform={`translate(${p.x},${p.y})`} data-testid="linked-trace-node" data-trace={n.traceId}>
              <rect
                width={CARD_W}
                height={CARD_H}
                rx={6}
                className={`${n.current ? 'stroke-sky-500' : isSelected ? 'stroke-sky-400' : 'stroke-slate-300 dark:stroke-slate-600'} fill-white dark:fill-slate-800`}
                strokeWidth={n.current || isSelected ? 2 : 1}
              />
              <rect x={0} y={0} width={4} height={CARD_H} rx={2} fill={serviceColor(n.rootService)} data-service={n.rootService} data-service-color={serviceColor(n.rootService)} />
              <foreignObject x={10} y={6} width={CARD_W - 16} height={CARD_H - 10}>
                <div className="flex h-full flex-col text-[11px] leading-tight text-slate-700 dark:text-slate-200">
                  <label className="flex min-w-0 items-center gap-1 font-semibold">
                    <input type="checkbox" checked={isSelected} onChange={() => onToggle(n.traceId)} data-testid="linked-trace-select" aria-label={`Stitch ${n.rootService} ${n.rootName}`} />
                    <span className="truncate">{n.rootService}</span>
                  </label>
                  <button type="button" className="truncate text-left text-sky-700 hover:underline dark:text-sky-300" onClick={() => onOpen(n.traceId)} title="Open this trace">
                    {n.rootName}
                  </button>
                  <span className="mt-auto text-slate-500 tabular-nums dark:text-slate-400">
                    {plural(n.spanCount, 'span')} · {formatDuration(n.durationNs)}
                    {n.errorCount ? <span className="font-semibold text-red-600 dark:text-red-400"> · {n.errorCount} err</span> : null}
                  </span>
                </div>
              </foreignObject>
            </g>
          );
        })}
        </g>
      </svg>
    </div>
  );
}
