import { useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { formatDuration } from '../../components/format.ts';
import type { TimeScale } from '../../render/time-scale.ts';
import { useTraceView } from '../../state/trace-view-context.ts';

interface Props {
  treeWidth: number;
  barsWidth: number;
  scale: TimeScale;
  ticksNs: readonly number[];
}

/** Tick labels of the visible window; drag across it to zoom into that range. */
export function TimeAxis({ treeWidth, barsWidth, scale, ticksNs }: Props) {
  const setWindow = useTraceView((s) => s.setWindow);
  const [drag, setDrag] = useState<{ from: number; to: number } | undefined>();
  const axis = useRef<HTMLDivElement>(null);
  const toX = scale.x;
  const fromClient = (clientX: number) => {
    const left = axis.current?.getBoundingClientRect().left ?? 0;
    return Math.max(0, Math.min(barsWidth, clientX - left));
  };
  const onDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    const x = fromClient(e.clientX);
    e.currentTarget.setPointerCapture(e.pointerId);
    setDrag({ from: x, to: x });
  };
  const onMove = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (drag) setDrag({ ...drag, to: fromClient(e.clientX) });
  };
  const onUp = () => {
    if (drag && Math.abs(drag.to - drag.from) > 3) {
      setWindow(scale.ns(Math.min(drag.from, drag.to)), scale.ns(Math.max(drag.from, drag.to)));
    }
    setDrag(undefined);
  };
  return (
    <div className="flex h-7 shrink-0 border-b border-slate-200 bg-slate-50 text-[11px] text-slate-500 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-400">
      <div className="flex shrink-0 items-center px-3 font-medium" style={{ width: treeWidth + 4 }}>
        Service &amp; operation
      </div>
      <div
        ref={axis}
        data-testid="time-axis"
        title="Drag to zoom into a time range"
        className="relative shrink-0 cursor-crosshair overflow-hidden"
        style={{ width: barsWidth }}
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={onUp}
      >
        {ticksNs.map((t) => (
          <span key={t} className="absolute top-1/2 -translate-y-1/2 pl-1 whitespace-nowrap tabular-nums" style={{ left: toX(t) }}>
            <span className="absolute top-[-8px] bottom-[-8px] left-0 border-l border-slate-300 dark:border-slate-600" />
            {formatDuration(t)}
          </span>
        ))}
        {scale.gaps.map((g) => (
          <span key={g.startNs} className="absolute top-0 bottom-0 flex items-center justify-center bg-slate-200/70 text-[9px] text-slate-500 dark:bg-slate-700/60" style={{ left: g.x0, width: g.x1 - g.x0 }} title={`Idle for ${formatDuration(g.endNs - g.startNs)}`}>
            ⋯
          </span>
        ))}
        {drag ? <div className="absolute top-0 bottom-0 bg-sky-400/30" style={{ left: Math.min(drag.from, drag.to), width: Math.abs(drag.to - drag.from) }} /> : null}
      </div>
    </div>
  );
}
