import { describeSearchError } from '../../core/analysis/tag-filters.ts';
import { formatCount } from '../../components/format.ts';
import { QueryInput } from '../../components/QueryInput.tsx';
import { useTraceView } from '../../state/trace-view-context.ts';
import { TopSelfTimeMenu } from './TopSelfTimeMenu.tsx';
import { plural } from '../../core/plural.ts';

interface Props {
  searchInput: React.RefObject<HTMLInputElement | null>;
  onSearchText(text: string): void;
  onNextMatch(step: 1 | -1): void;
  onNextError(step: 1 | -1): void;
  errorCount: number;
  topSelfTime: Uint32Array;
}

function Toggle({ on, onChange, label, testId, title }: { on: boolean; onChange(on: boolean): void; label: string; testId?: string; title?: string }) {
  return (
    <label title={title} className="flex cursor-pointer items-center gap-1.5 text-xs text-slate-600 select-none dark:text-slate-300">
      <input type="checkbox" data-testid={testId} checked={on} onChange={(e) => onChange(e.target.checked)} className="size-3.5 accent-sky-600" />
      {label}
    </label>
  );
}

const ICON_BUTTON = 'rounded border border-slate-300 bg-white px-1.5 py-0.5 text-xs text-slate-700 hover:bg-slate-50 disabled:opacity-40 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200 dark:hover:bg-slate-700';

export function Toolbar({ searchInput, onSearchText, onNextMatch, onNextError, errorCount, topSelfTime }: Props) {
  const search = useTraceView((s) => s.search);
  const onlyMatches = useTraceView((s) => s.onlyMatches);
  const setOnlyMatches = useTraceView((s) => s.setOnlyMatches);
  const criticalOnly = useTraceView((s) => s.criticalOnly);
  const setCriticalOnly = useTraceView((s) => s.setCriticalOnly);
  const showCriticalPath = useTraceView((s) => s.showCriticalPath);
  const setShowCriticalPath = useTraceView((s) => s.setShowCriticalPath);
  const collapseAll = useTraceView((s) => s.collapseAll);
  const expandAll = useTraceView((s) => s.expandAll);
  const collapseToDepth = useTraceView((s) => s.collapseToDepth);
  const resetZoom = useTraceView((s) => s.resetZoom);
  const zoomed = useTraceView((s) => s.windowStartNs > 0 || s.windowEndNs < s.view.traceDurationNs);
  const view = useTraceView((s) => s.view);
  const skewAdjusted = useTraceView((s) => s.skewAdjusted);
  const setSkewAdjusted = useTraceView((s) => s.setSkewAdjusted);
  const gapsCollapsed = useTraceView((s) => s.gapsCollapsed);
  const setGapsCollapsed = useTraceView((s) => s.setGapsCollapsed);

  const count = search.matches?.length ?? 0;
  return (
    // One line at 1280 px: short labels (their titles say the rest), the error arrows only when there are errors.
    <div data-testid="waterfall-toolbar" className="flex shrink-0 flex-wrap items-center gap-x-2.5 gap-y-1 border-b border-slate-200 bg-white px-3 py-1.5 whitespace-nowrap dark:border-slate-800 dark:bg-slate-900">
      <div className="flex items-center gap-1.5">
        <QueryInput
          inputRef={searchInput}
          query={search.text}
          onQuery={onSearchText}
          error={search.error && describeSearchError(search.text, search.error)}
          placeholder={`Search (/): ${view.searchExample ?? 'error=true'}…`}
          testId="search-input"
          errorTestId="search-error"
          className="w-48 max-w-[22vw]"
          onEnter={onNextMatch}
        />
        <span data-testid="search-count" className="min-w-[3.5rem] text-xs text-slate-500 tabular-nums dark:text-slate-400">
          {search.text && !search.error ? (count ? `${search.current >= 0 ? search.current + 1 : 0} of ${formatCount(count)}` : 'no matches') : ''}
        </span>
        <button type="button" className={ICON_BUTTON} disabled={!count} onClick={() => onNextMatch(-1)} aria-label="Previous match" title="Previous match (N)">
          ↑
        </button>
        <button type="button" className={ICON_BUTTON} disabled={!count} onClick={() => onNextMatch(1)} aria-label="Next match" title="Next match (n)">
          ↓
        </button>
        <Toggle on={onlyMatches} onChange={setOnlyMatches} label="Only matches" testId="only-matches-toggle" />
      </div>
      <div className="flex items-center gap-1.5">
        <span className={`text-xs ${errorCount ? 'font-medium text-red-600 dark:text-red-400' : 'text-slate-400'}`}>
          {plural(errorCount, 'error')}
        </span>
        {errorCount ? (
          <>
            <button type="button" data-testid="prev-error" className={ICON_BUTTON} onClick={() => onNextError(-1)} title="Previous error" aria-label="Previous error">
              ↑
            </button>
            <button type="button" data-testid="next-error" className={ICON_BUTTON} onClick={() => onNextError(1)} title="Next error (e)" aria-label="Next error">
              ↓
            </button>
          </>
        ) : null}
      </div>
      <div className="flex items-center gap-3">
        <Toggle on={showCriticalPath} onChange={setShowCriticalPath} label="Critical path" testId="critical-path-overlay-toggle" title="Darker strip on the bars that make up the critical path" />
        <Toggle on={criticalOnly} onChange={setCriticalOnly} label="Only critical" testId="critical-path-toggle" title="Show only the spans on the critical path" />
      </div>
      {view.skew ? (
        <Toggle
          on={skewAdjusted}
          onChange={setSkewAdjusted}
          label={`Fix skew (${view.skew.adjustedSpans})`}
          testId="skew-toggle"
          title="Adjust clock skew: spans of another service that sit outside their parent are shifted back inside it (off: the file's times)"
        />
      ) : null}
      {view.idleGaps.length ? (
        <Toggle
          on={gapsCollapsed}
          onChange={setGapsCollapsed}
          label={`Squeeze gaps (${view.idleGaps.length})`}
          testId="gaps-toggle"
          title="Squeeze idle gaps: draw stretches where no span runs as narrow bands"
        />
      ) : null}
      <TopSelfTimeMenu topSelfTime={topSelfTime} buttonClassName={ICON_BUTTON} />
      <div className="ml-auto flex items-center gap-1.5">
        <button type="button" data-testid="collapse-all" className={ICON_BUTTON} onClick={collapseAll} title="Collapse all ([)" aria-label="Collapse all">
          ⊟
        </button>
        <button type="button" data-testid="expand-all" className={ICON_BUTTON} onClick={expandAll} title="Expand all (])" aria-label="Expand all">
          ⊞
        </button>
        <select
          aria-label="Collapse to depth"
          data-testid="collapse-depth"
          className="w-[4.75rem] rounded border border-slate-300 bg-white px-1 py-0.5 text-xs dark:border-slate-600 dark:bg-slate-800"
          value=""
          onChange={(e) => {
            if (e.target.value !== '') collapseToDepth(Number(e.target.value));
          }}
        >
          <option value="">Depth</option>
          {[1, 2, 3, 4, 5, 6, 8, 10].map((d) => (
            <option key={d} value={d - 1}>
              Show {d} level{d === 1 ? '' : 's'}
            </option>
          ))}
        </select>
        {zoomed ? (
          <button type="button" data-testid="reset-zoom" className={ICON_BUTTON} onClick={resetZoom}>
            Reset zoom
          </button>
        ) : null}
      </div>
    </div>
  );
}
