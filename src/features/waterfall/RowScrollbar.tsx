// The rows' own scrollbar: rows are placed by index math, not by a native scroller, so a million rows
// cost no more than forty.
import { useTraceView } from '../../state/trace-view-context.ts';
import { followPointerDrag } from './pointer-drag.ts';
import { scrollThumb } from './waterfall-layout.ts';

export function RowScrollbar({ viewportRows, trackHeight }: { viewportRows: number; trackHeight: number }) {
  const scrollRow = useTraceView((s) => s.scrollRow);
  const rowCount = useTraceView((s) => s.rows.length);
  const setScrollRow = useTraceView((s) => s.setScrollRow);
  const thumb = scrollThumb(scrollRow, viewportRows, rowCount, trackHeight);
  return (
    <div className="relative w-2.5 shrink-0 bg-slate-100 dark:bg-slate-900" aria-hidden>
      {thumb.maxScroll > 0 ? (
        <div
          data-testid="waterfall-scroll-thumb"
          onPointerDown={(e) => followPointerDrag(e, (_, dy) => setScrollRow(scrollRow + dy * thumb.rowsPerPx, viewportRows))}
          className="absolute right-0.5 left-0.5 cursor-grab rounded-full bg-slate-400/70 hover:bg-slate-500 dark:bg-slate-500/70"
          style={{ top: thumb.top, height: thumb.height }}
        />
      ) : null}
    </div>
  );
}
