// Trace durations in log-spaced buckets: every trace (grey) against the kept ones (sky), in SVG.
import { max, scaleBand, scaleLinear } from 'd3';
import { useRef } from 'react';
import { formatCount } from '../../components/format.ts';
import { useElementSize } from '../../components/use-element-size.ts';
import type { SamplingSummary } from '../../core/sampling/summary.ts';

const HEIGHT = 180;
const MARGIN = { top: 8, right: 8, bottom: 24, left: 40 };

function boundLabel(ms: number): string {
  return ms >= 1000 ? `${ms / 1000}s` : `${ms}ms`;
}

/** "≤1ms", …, ">60s" for the last, open bucket. */
function bucketLabels(upperBoundsMs: readonly number[]): string[] {
  const last = upperBoundsMs[upperBoundsMs.length - 1] ?? 0;
  return [...upperBoundsMs.map((b) => `≤${boundLabel(b)}`), `>${boundLabel(last)}`];
}

export function LatencyHistogram({ histogram }: { histogram: SamplingSummary['latencyHistogram'] }) {
  const box = useRef<HTMLDivElement>(null);
  const { width } = useElementSize(box, { width: 600, height: HEIGHT });
  const labels = bucketLabels(histogram.upperBoundsMs);
  const x = scaleBand<number>()
    .domain(labels.map((_, k) => k))
    .range([MARGIN.left, Math.max(MARGIN.left + 1, width - MARGIN.right)])
    .padding(0.15);
  const y = scaleLinear()
    .domain([0, max(histogram.all) || 1])
    .nice()
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  // Every other label when the buckets are narrow, so the labels never overlap.
  const labelEvery = x.bandwidth() < 34 ? 2 : 1;
  return (
    <div ref={box} className="w-full" data-testid="sampling-histogram">
      <div className="mb-1 flex gap-4 text-xs text-slate-600 dark:text-slate-300">
        <span className="flex items-center gap-1">
          <span className="inline-block size-2.5 rounded-sm bg-slate-300 dark:bg-slate-600" /> all traces
        </span>
        <span className="flex items-center gap-1">
          <span className="inline-block size-2.5 rounded-sm bg-sky-600 dark:bg-sky-400" /> kept
        </span>
      </div>
      <svg width={width} height={HEIGHT} role="img" aria-label="Trace durations: all traces against kept traces" className="text-slate-500 dark:text-slate-400">
        {y.ticks(4).map((t) => (
          <g key={t}>
            <line x1={MARGIN.left} x2={width - MARGIN.right} y1={y(t)} y2={y(t)} className="stroke-slate-200 dark:stroke-slate-800" />
            <text x={MARGIN.left - 6} y={y(t)} dy="0.32em" textAnchor="end" fontSize={11} fill="currentColor">
              {formatCount(t)}
            </text>
          </g>
        ))}
        {labels.map((label, k) => {
          const left = x(k) ?? 0;
          const all = histogram.all[k] ?? 0;
          const kept = histogram.kept[k] ?? 0;
          return (
            <g key={label}>
              <title>{`${label}: ${formatCount(kept)} of ${formatCount(all)} kept`}</title>
              <rect x={left} width={x.bandwidth()} y={y(all)} height={y(0) - y(all)} className="fill-slate-300 dark:fill-slate-600" />
              <rect x={left + x.bandwidth() * 0.2} width={x.bandwidth() * 0.6} y={y(kept)} height={y(0) - y(kept)} className="fill-sky-600 dark:fill-sky-400" />
              {k % labelEvery === 0 ? (
                <text x={left + x.bandwidth() / 2} y={HEIGHT - MARGIN.bottom + 14} textAnchor="middle" fontSize={10} fill="currentColor">
                  {label}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
