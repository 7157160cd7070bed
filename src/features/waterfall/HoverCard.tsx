import { useRef } from 'react';
import { clipText, HOVER_CLIP_CHARS, NAME_CLIP_CHARS } from '../../components/clip-text.ts';
import { formatDuration } from '../../components/format.ts';
import { useKeepInViewport } from '../../components/keep-in-viewport.ts';
import { FLAG_ERROR, spanLabelOf } from '../../core/view-format/trace-view-format.ts';
import { useTraceView } from '../../state/trace-view-context.ts';
import { useSpanDetails } from '../../state/use-span-details.ts';

/** The popover over a bar: what the span is, its times, its error message, and a nearby event. */
export function HoverCard({ span, x, y, timeNs }: { span: number; x: number; y: number; timeNs: number }) {
  const view = useTraceView((s) => s.view);
  const windowNs = useTraceView((s) => s.windowEndNs - s.windowStartNs);
  const isError = (view.flags[span] & FLAG_ERROR) !== 0;
  const hasEvents = view.eventOffset[span + 1] > view.eventOffset[span];
  const details = useSpanDetails(isError || hasEvents ? span : -1);
  // The event closest to the pointer, within a few pixels' worth of time.
  const near = windowNs / 150;
  const distance = (e: { readonly relativeNs?: number }) => (e.relativeNs === undefined ? Infinity : Math.abs(e.relativeNs - timeNs));
  const event = details.data?.events.filter((e) => distance(e) < near).sort((a, b) => distance(a) - distance(b))[0];
  const card = useRef<HTMLDivElement>(null);
  useKeepInViewport(card, { x, y });
  return (
    <div
      ref={card}
      data-testid="hover-card"
      className="pointer-events-none fixed z-40 max-w-[360px] rounded-md border border-slate-200 bg-white px-3 py-2 text-xs shadow-lg dark:border-slate-700 dark:bg-slate-800"
    >
      <p className="font-semibold text-slate-800 dark:text-slate-100">
        {clipText(view.services[view.service[span]], NAME_CLIP_CHARS)}: <span className="font-normal break-all">{clipText(spanLabelOf(view, span), NAME_CLIP_CHARS)}</span>
      </p>
      <p className="mt-0.5 text-slate-500 dark:text-slate-400">
        {formatDuration(view.durationNs[span])} at +{formatDuration(view.startNs[span])} · self {formatDuration(view.selfTimeNs[span])}
      </p>
      {isError && details.data ? <p className="mt-1 break-all text-red-700 dark:text-red-300">{clipText(details.data.errorMessage ?? details.data.statusMessage ?? 'Error', HOVER_CLIP_CHARS)}</p> : null}
      {event ? (
        <div className="mt-1 border-t border-slate-200 pt-1 dark:border-slate-700">
          <p className={event.name === 'exception' ? 'font-medium text-red-700 dark:text-red-300' : 'font-medium'}>
            {clipText(event.name, NAME_CLIP_CHARS)} <span className="font-normal text-slate-500">+{formatDuration(event.offsetNs ?? 0)}</span>
          </p>
          {event.attributes.slice(0, 4).map((a) => (
            <p key={a.key} className="truncate text-slate-600 dark:text-slate-300">
              {clipText(a.key, NAME_CLIP_CHARS)}: {clipText(String(a.value), HOVER_CLIP_CHARS)}
            </p>
          ))}
        </div>
      ) : null}
    </div>
  );
}
