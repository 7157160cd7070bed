// The flamegraph's controls: the mode switch and the search box above the graph, and the zoom path
// (breadcrumb) with what can be done with the node zoomed into.
import type { ReactNode } from 'react';
import { formatCount } from '../../components/format.ts';
import { QueryInput } from '../../components/QueryInput.tsx';
import { ColorSwatch } from '../../components/ServiceSwatch.tsx';
import type { FlamePaint } from '../../render/flame-canvas.ts';
import { useAppStore } from '../../state/app-store.ts';
import type { AnalysisScope } from '../../core/view-format/analysis-answers.ts';

export interface FlameSearchState {
  readonly text: string;
  /** "12 spans", "3 nodes · 12 spans"; undefined while nothing is searched. */
  readonly summary: string | undefined;
  readonly error: string | undefined;
  /** What the query asks that this mode cannot answer. */
  readonly note: string | undefined;
}

/** Services named in the legend; the rest are listed in its tooltip. */
const LEGEND_SHOWN = 6;

const SEGMENT = 'rounded px-2.5 py-0.5 text-xs font-medium';

interface ToolbarProps {
  readonly merged: boolean;
  onMerged(merged: boolean): void;
  readonly search: FlameSearchState;
  onSearchText(text: string): void;
  readonly searchInput: React.RefObject<HTMLInputElement | null>;
  /** Merged mode: this trace or every loaded one. */
  readonly scope: AnalysisScope;
  onScope(scope: AnalysisScope): void;
  /** Service colours, as a legend. */
  readonly legend: readonly { readonly service: string; readonly paint: FlamePaint }[];
}

export function FlameToolbar({ merged, onMerged, search, onSearchText, searchInput, scope, onScope, legend }: ToolbarProps) {
  const traceCount = useAppStore((s) => s.file?.summary.traces.length ?? 1);
  const modes = [
    { merged: false, label: 'Icicle', title: 'Every span at its time: x is time, rows are depth', testId: 'flame-mode-icicle' },
    { merged: true, label: 'Merged', title: 'Identical service + operation paths merged into one node: width is the self time below it', testId: 'flame-mode-merged' },
  ];
  return (
    <div className="flex shrink-0 flex-wrap items-center gap-x-4 gap-y-1.5 border-b border-slate-200 bg-white px-3 py-2 dark:border-slate-800 dark:bg-slate-900">
      <div role="radiogroup" aria-label="Flamegraph mode" className="flex gap-0.5 rounded-md bg-slate-100 p-0.5 dark:bg-slate-800">
        {modes.map((m) => (
          <button
            key={m.label}
            type="button"
            role="radio"
            aria-checked={merged === m.merged}
            data-testid={m.testId}
            title={m.title}
            onClick={() => onMerged(m.merged)}
            className={`${SEGMENT} ${merged === m.merged ? 'bg-white text-sky-700 shadow-sm dark:bg-slate-950 dark:text-sky-300' : 'text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100'}`}
          >
            {m.label}
          </button>
        ))}
      </div>
      <div className="flex items-center gap-2">
        <QueryInput
          inputRef={searchInput}
          query={search.text}
          onQuery={onSearchText}
          error={search.error}
          placeholder={merged ? 'Highlight a service or operation (/)' : 'Highlight spans (/): text, service=…'}
          testId="flame-search"
          className="w-72 max-w-[30vw]"
        />
        <span data-testid="flame-search-count" className="text-xs text-slate-500 tabular-nums dark:text-slate-400">
          {search.summary ?? ''}
        </span>
        {search.note ? <span className="text-xs text-amber-700 dark:text-amber-300">{search.note}</span> : null}
      </div>
      {merged && traceCount > 1 ? (
        <label className="flex items-center gap-1.5 text-xs text-slate-600 dark:text-slate-300">
          Over
          <select className="input py-0.5 text-xs" value={scope} onChange={(e) => onScope(e.target.value as AnalysisScope)} data-testid="analysis-scope">
            <option value="trace">this trace</option>
            <option value="all">all {traceCount} loaded traces</option>
          </select>
        </label>
      ) : null}
      <ul aria-label="Services" className="ml-auto flex max-w-full flex-wrap items-center gap-x-2.5 gap-y-0.5 text-[11px] text-slate-500 dark:text-slate-400">
        {legend.slice(0, LEGEND_SHOWN).map((l) => (
          <li key={l.service} className="flex items-center gap-1">
            <ColorSwatch color={l.paint.fill} service={l.service} />
            {l.service}
          </li>
        ))}
        {legend.length > LEGEND_SHOWN ? (
          <li title={legend.slice(LEGEND_SHOWN).map((l) => l.service).join(', ')} className="cursor-help underline decoration-dotted">
            +{legend.length - LEGEND_SHOWN} more
          </li>
        ) : null}
      </ul>
    </div>
  );
}

export interface Crumb {
  readonly item: number;
  readonly label: string;
  readonly paint: FlamePaint;
}

interface BreadcrumbProps {
  /** Root first, the focused item last; empty when nothing is zoomed into. */
  readonly path: readonly Crumb[];
  readonly zoomed: boolean;
  onFocus(item: number | undefined): void;
  readonly actions: ReactNode;
}

/** A long path shows its root and its last few steps. */
const CRUMBS_SHOWN = 5;

export function FlameBreadcrumb({ path, zoomed, onFocus, actions }: BreadcrumbProps) {
  const shown = path.length > CRUMBS_SHOWN ? [path[0], undefined, ...path.slice(-(CRUMBS_SHOWN - 1))] : path;
  const crumbClass = 'flex max-w-[16rem] min-w-0 items-center gap-1 whitespace-nowrap rounded px-1.5 py-0.5 hover:bg-slate-100 dark:hover:bg-slate-800';
  return (
    <div className="flex h-9 shrink-0 items-center gap-3 border-b border-slate-200 bg-white px-3 text-xs dark:border-slate-800 dark:bg-slate-900">
      <nav aria-label="Zoom path" data-testid="flame-breadcrumb" className="flex min-w-0 flex-1 items-center gap-0.5 overflow-hidden text-slate-600 dark:text-slate-300">
        <button type="button" className={`${crumbClass} shrink-0 ${path.length === 0 ? 'font-semibold text-slate-900 dark:text-slate-50' : ''}`} onClick={() => onFocus(undefined)}>
          All
        </button>
        {shown.map((c, k) =>
          c === undefined ? (
            <span key="more" className="px-1 text-slate-400" title={`${formatCount(path.length - CRUMBS_SHOWN + 1)} more levels`}>
              › …
            </span>
          ) : (
            <span key={c.item} className={`flex items-center gap-0.5 ${k === shown.length - 1 ? 'shrink-0' : 'min-w-0'}`}>
              <span className="text-slate-400">›</span>
              <button
                type="button"
                title={c.label}
                className={`${crumbClass} ${k === shown.length - 1 ? 'font-semibold text-slate-900 dark:text-slate-50' : ''}`}
                onClick={() => onFocus(c.item)}
              >
                <span aria-hidden className="inline-block size-2 shrink-0 rounded-sm" style={{ background: c.paint.fill }} />
                <span className="truncate">{c.label}</span>
              </button>
            </span>
          ),
        )}
        {path.length === 0 && !zoomed ? <span className="ml-2 truncate text-slate-400 dark:text-slate-500">Click a block to zoom in · ctrl/⌘ + wheel zooms, shift + wheel pans · right-click for more</span> : null}
      </nav>
      <div className="flex shrink-0 items-center gap-1.5">{actions}</div>
    </div>
  );
}
