// The spans with the most self time, as a menu: one click selects the span. A click outside closes it.
import { useRef, useState } from 'react';
import { useDismiss } from '../../components/use-dismiss.ts';
import { formatDuration } from '../../components/format.ts';
import { useKeepInViewport } from '../../components/keep-in-viewport.ts';
import { useTraceView } from '../../state/trace-view-context.ts';
import { spanLabelOf } from '../../core/view-format/trace-view-format.ts';

export function TopSelfTimeMenu({ topSelfTime, buttonClassName }: { topSelfTime: Uint32Array; buttonClassName: string }) {
  const view = useTraceView((s) => s.view);
  const select = useTraceView((s) => s.select);
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const menu = useRef<HTMLOListElement>(null);
  useKeepInViewport(menu);

  useDismiss(box, open, () => setOpen(false));

  return (
    <div className="relative" ref={box}>
      <button type="button" data-testid="top-self-time-button" className={buttonClassName} onClick={() => setOpen(!open)} aria-expanded={open}>
        Top self time ▾
      </button>
      {open ? (
        <ol ref={menu} data-testid="top-self-time" className="absolute top-full left-0 z-30 mt-1 max-h-96 w-[28rem] max-w-[calc(100vw-16px)] overflow-auto rounded-md border border-slate-200 bg-white py-1 text-xs shadow-lg dark:border-slate-700 dark:bg-slate-800">
          {Array.from(topSelfTime, (s) => (
            <li key={s}>
              <button
                type="button"
                onClick={() => {
                  select(s);
                  setOpen(false);
                }}
                className="flex w-full items-baseline gap-2 px-3 py-1 text-left hover:bg-slate-100 dark:hover:bg-slate-700"
              >
                <span className="w-16 shrink-0 text-right font-medium tabular-nums">{formatDuration(view.selfTimeNs[s])}</span>
                <span className="shrink-0 font-medium">{view.services[view.service[s]]}</span>
                <span className="truncate text-slate-500 dark:text-slate-400">{spanLabelOf(view, s)}</span>
              </button>
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
