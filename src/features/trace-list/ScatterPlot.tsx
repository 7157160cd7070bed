// Duration over start time, one dot per trace (area ∝ span count) in its root service's colour, errors
// in red and drawn last so no normal dot hides one: Jaeger's search plot.
import { axisBottom, axisLeft, extent, max, min, scaleLinear, scaleLog, scaleSqrt, scaleTime, select } from 'd3';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TraceListItem } from './trace-list-item.ts';
import { formatDuration, formatStartTime } from '../../components/format.ts';
import { ERROR_COLOR, serviceColor } from '../../components/service-colors.ts';
import { scatterDrawOrder } from './scatter-order.ts';
import { plural } from '../../core/plural.ts';

interface Props {
  traces: readonly TraceListItem[];
  onSelect(traceId: string): void;
}

const HEIGHT = 200;
const MARGIN = { top: 12, right: 16, bottom: 28, left: 64 };

export function ScatterPlot({ traces, onSelect }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const xAxis = useRef<SVGGElement>(null);
  const yAxis = useRef<SVGGElement>(null);
  const [width, setWidth] = useState(800);
  const [hover, setHover] = useState<TraceListItem | undefined>();

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.max(320, entry.contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const scales = useMemo(() => {
    const times = traces.map((t) => new Date(t.traceStart.ms));
    const [t0, t1] = extent(times) as [Date, Date];
    const pad = Math.max(1, (t1.getTime() - t0.getTime()) * 0.03);
    const x = scaleTime()
      .domain([new Date(t0.getTime() - pad), new Date(t1.getTime() + pad)])
      .range([MARGIN.left, width - MARGIN.right]);
    // Durations spread over orders of magnitude (a few slow outliers) read better on a log axis.
    const longest = max(traces, (t) => t.durationNs) || 1;
    const shortest = Math.max(1, min(traces, (t) => t.durationNs) ?? 1);
    const y =
      longest / shortest > 50
        ? scaleLog()
            .domain([shortest / 1.5, longest * 1.5])
            .range([HEIGHT - MARGIN.bottom, MARGIN.top])
            .clamp(true)
        : scaleLinear()
            .domain([0, longest * 1.1])
            .range([HEIGHT - MARGIN.bottom, MARGIN.top])
            .nice();
    const r = scaleSqrt()
      .domain([1, max(traces, (t) => t.spanCount) ?? 1])
      .range([3, 12]);
    return { x, y, r };
  }, [traces, width]);
  const ordered = useMemo(() => scatterDrawOrder(traces), [traces]);

  useEffect(() => {
    const [t0, t1] = scales.x.domain().map((d) => d.getTime());
    const xTicks = axisBottom(scales.x)
      .ticks(Math.max(2, Math.floor(width / 130)))
      .tickFormat((d) => timeTickLabel(d as Date, t1 - t0));
    if (xAxis.current) select(xAxis.current).call(xTicks);
    // 1-2-5 per decade on a log axis; on a linear one (durations of one magnitude) d3's even steps.
    const yTicks = 'base' in scales.y ? durationTicks(scales.y.domain() as [number, number]) : scales.y.ticks(5);
    if (yAxis.current) select(yAxis.current).call(axisLeft(scales.y).tickValues(yTicks).tickFormat((d) => formatDuration(Number(d))));
  }, [scales, width]);

  return (
    <div ref={box} className="relative" data-testid="trace-scatter">
      <svg width={width} height={HEIGHT} className="block text-slate-500 dark:text-slate-400" role="img" aria-label="Trace duration over start time">
        <g ref={xAxis} transform={`translate(0,${HEIGHT - MARGIN.bottom})`} />
        <g ref={yAxis} transform={`translate(${MARGIN.left},0)`} />
        {ordered.map((t) => (
          <circle
            key={t.traceId}
            data-testid="trace-scatter-dot"
            data-service={t.rootService}
            data-error={t.errorCount > 0}
            cx={scales.x(new Date(t.traceStart.ms))}
            cy={scales.y(t.durationNs)}
            r={scales.r(t.spanCount)}
            fill={t.errorCount ? ERROR_COLOR : serviceColor(t.rootService)}
            fillOpacity={t.errorCount ? 0.75 : 0.5}
            stroke={t.errorCount ? ERROR_COLOR : serviceColor(t.rootService)}
            strokeWidth={hover === t ? 2.5 : 1}
            className="cursor-pointer"
            onMouseEnter={() => setHover(t)}
            onMouseLeave={() => setHover(undefined)}
            onClick={() => onSelect(t.traceId)}
          />
        ))}
      </svg>
      {hover ? (
        <div
          className="pointer-events-none absolute z-10 rounded-md border border-slate-200 bg-white px-2.5 py-1.5 text-xs shadow-md dark:border-slate-700 dark:bg-slate-800"
          style={{ left: Math.min(scales.x(new Date(hover.traceStart.ms)) + 12, width - 220), top: Math.max(0, scales.y(hover.durationNs) - 40) }}
        >
          <p className="font-semibold">
            {hover.rootService}: {hover.rootName}
          </p>
          <p className="text-slate-500 dark:text-slate-400">
            {formatDuration(hover.durationNs)} · {plural(hover.spanCount, 'span')}{hover.errorCount ? ` · ${plural(hover.errorCount, 'error')}` : ''} · {formatStartTime(hover.traceStart)}
          </p>
        </div>
      ) : null}
    </div>
  );
}

/** Clock time at the precision the visible range needs (d3's default mixes ":45" and ".500"). */
function timeTickLabel(d: Date, spanMs: number): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const hms = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  if (spanMs < 10_000) return `${hms}.${pad(d.getMilliseconds(), 3)}`;
  if (spanMs < 86_400_000) return hms;
  return `${d.toLocaleDateString('en-US', { month: 'short', day: 'numeric' })} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** About five readable duration ticks on a log axis: 1-2-5 steps per decade, thinned to fit. */
function durationTicks([lo, hi]: [number, number]): number[] {
  const out: number[] = [];
  for (let decade = 10 ** Math.floor(Math.log10(Math.max(1, lo))); decade <= hi; decade *= 10) {
    for (const m of [1, 2, 5]) if (decade * m >= lo && decade * m <= hi) out.push(decade * m);
  }
  if (out.length <= 6) return out;
  const powers = out.filter((v) => Math.log10(v) % 1 === 0);
  return powers.length >= 2 ? powers.filter((_, i) => i % Math.ceil(powers.length / 6) === 0) : out.filter((_, i) => i % Math.ceil(out.length / 6) === 0);
}
