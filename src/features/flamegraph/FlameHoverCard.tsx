// What the hover card says about a rectangle: a span of the icicle, a node of the merged tree, or a run
// of either too narrow to draw one by one.
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { MergedFlameTree } from '../../core/analysis/flame-tree.ts';
import { clipText, HOVER_CLIP_CHARS, NAME_CLIP_CHARS } from '../../components/clip-text.ts';
import { formatCount, formatDuration } from '../../components/format.ts';
import { FLAME_ERROR_BIT, type FlamePaint } from '../../render/flame-canvas.ts';
import { useAppStore } from '../../state/app-store.ts';
import { useTraceWorker } from '../../state/trace-worker-context.ts';
import { FLAG_ERROR, spanLabelOf, type TraceViewData } from '../../core/view-format/trace-view-format.ts';
import type { FlameHit } from './FlameGraph.tsx';

function Title({ paint, service, name }: { paint: FlamePaint; service: string; name: string }) {
  return (
    <p className="flex items-baseline gap-1.5 font-semibold text-slate-800 dark:text-slate-100">
      <span aria-hidden className="inline-block size-2.5 shrink-0 self-center rounded-sm ring-1 ring-black/10 dark:ring-white/15" style={{ background: paint.fill }} />
      <span>
        {clipText(service, NAME_CLIP_CHARS)}: <span className="font-normal break-all">{clipText(name, NAME_CLIP_CHARS)}</span>
      </span>
    </p>
  );
}

function Facts({ rows }: { rows: readonly (readonly [string, ReactNode])[] }) {
  return (
    <dl className="mt-1.5 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 tabular-nums">
      {rows.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="text-slate-500 dark:text-slate-400">{term}</dt>
          <dd className="text-slate-800 dark:text-slate-100">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Hint({ children }: { children: ReactNode }) {
  return <p className="mt-1.5 border-t border-slate-200 pt-1 text-[11px] text-slate-500 dark:border-slate-700 dark:text-slate-400">{children}</p>;
}

const percent = (part: number, whole: number) => `${whole > 0 ? ((100 * part) / whole).toFixed(part < whole / 100 ? 2 : 1) : '0'}%`;

function RunCard({ hit, unit }: { hit: FlameHit; unit: string }) {
  return (
    <>
      <p className="font-semibold text-slate-800 dark:text-slate-100">
        {formatCount(hit.count)} {unit} too narrow to draw one by one
      </p>
      <Facts rows={[['Range', `+${formatDuration(hit.startNs)} – +${formatDuration(hit.endNs)}`], ...(hit.bits & FLAME_ERROR_BIT ? [['Errors', <span className="text-red-700 dark:text-red-300">some of them</span>] as const] : [])]} />
      <Hint>Click to zoom into them</Hint>
    </>
  );
}

export function IcicleHoverCard({ view, skewAdjusted, hit, paint }: { view: TraceViewData; skewAdjusted: boolean; hit: FlameHit; paint: FlamePaint }) {
  const times = skewAdjusted && view.skew ? view.skew : view;
  const span = hit.item;
  const single = hit.count === 1;
  const isError = single && (view.flags[span] & FLAG_ERROR) !== 0;
  const getWorker = useTraceWorker();
  const loadKey = useAppStore((s) => s.file?.requestId);
  // The same cache entry as the span details panel's.
  const details = useQuery({
    queryKey: ['span-details', loadKey, view.traceId, span],
    queryFn: () => getWorker().spanDetails(view.traceId, span),
    enabled: isError,
    staleTime: Infinity,
    gcTime: 60_000,
  });
  if (!single) return <RunCard hit={hit} unit="spans" />;
  return (
    <>
      <Title paint={paint} service={view.services[view.service[span]]} name={spanLabelOf(view, span)} />
      <Facts
        rows={[
          ['Duration', formatDuration(view.durationNs[span])],
          ['Self time', `${formatDuration(times.selfTimeNs[span])} (${percent(times.selfTimeNs[span], view.durationNs[span])})`],
          ['Starts at', `+${formatDuration(times.startNs[span])}`],
          ['Children', formatCount(view.childCount[span])],
        ]}
      />
      {isError ? <p className="mt-1 break-all text-red-700 dark:text-red-300">⚠ {clipText(details.data?.errorMessage ?? details.data?.statusMessage ?? 'Error', HOVER_CLIP_CHARS)}</p> : null}
      <Hint>Click to zoom in · right-click for more</Hint>
    </>
  );
}

export function MergedHoverCard({ tree, hit, paint }: { tree: MergedFlameTree; hit: FlameHit; paint: FlamePaint }) {
  const node = hit.item;
  if (hit.count > 1) return <RunCard hit={hit} unit="call paths" />;
  const errors = tree.errorCount[node];
  return (
    <>
      <Title paint={paint} service={tree.names[tree.service[node]]} name={tree.names[tree.operation[node]]} />
      <Facts
        rows={[
          ['Spans', formatCount(tree.spanCount[node])],
          ['Total time', formatDuration(tree.totalDurationNs[node])],
          ['Self time', formatDuration(tree.selfTimeNs[node])],
          ['Self time below', `${formatDuration(tree.weightNs[node])} (${percent(tree.weightNs[node], tree.totalWeightNs)} of all)`],
          ...(errors ? [['Errors', <span className="text-red-700 dark:text-red-300">{formatCount(errors)}</span>] as const] : []),
        ]}
      />
      <Hint>Click to zoom in · right-click for more</Hint>
    </>
  );
}
