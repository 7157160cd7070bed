import { memo } from 'react';
import { clipText, HOVER_CLIP_CHARS } from '../../components/clip-text.ts';
import { formatCount, formatDuration } from '../../components/format.ts';
import { TreeRowHead, treeItemAria } from '../../components/TreeRowHead.tsx';
import { FLAG_ERROR, FLAG_ERROR_ANCESTOR, FLAG_IN_LINKS, FLAG_OUT_LINKS, spanLabelOf } from '../../core/view-format/trace-view-format.ts';
import { useTraceView } from '../../state/trace-view-context.ts';
import { plural } from '../../core/plural.ts';

/** Levels indented in full; deeper ones indent a little each, and at most 40% of the column. */
const FULL_INDENT_LEVELS = 8;
const MAX_INDENT_SHARE = 0.4;

interface Props {
  span: number;
  top: number;
  /** The span column's width, which bounds the indentation. */
  columnWidth: number;
  height: number;
  color: string;
  selected: boolean;
  match: boolean;
  currentMatch: boolean;
  onOpenDetails(): void;
}

export const TreeRow = memo(function TreeRow({ span, top, columnWidth, height, color, selected, match, currentMatch, onOpenDetails }: Props) {
  const view = useTraceView((s) => s.view);
  const collapsed = useTraceView((s) => s.collapsed[span] === 1);
  const select = useTraceView((s) => s.select);
  const toggle = useTraceView((s) => s.toggleCollapsed);
  // The shift is marked where it starts: on the span moved, not again on each descendant moving with it.
  const skewShiftNs = useTraceView((s) => {
    const shift = s.skewAdjusted ? s.view.skew?.shiftNs : undefined;
    if (!shift) return 0;
    const p = s.view.parent[span];
    return p >= 0 && shift[p] === shift[span] ? 0 : shift[span];
  });
  const depth = view.depth[span];
  const hasChildren = view.childCount[span] > 0;
  const flags = view.flags[span];
  const isError = (flags & FLAG_ERROR) !== 0;
  const hidden = collapsed ? view.subtreeEnd[span] - span - 1 : 0;
  const service = view.services[view.service[span]];
  const label = spanLabelOf(view, span);
  return (
    <div
      {...treeItemAria(depth, hasChildren, collapsed, selected)}
      data-testid="waterfall-row"
      data-span={span}
      onClick={() => {
        select(span);
        onOpenDetails();
      }}
      className={`absolute right-0 left-0 flex cursor-pointer items-center gap-1.5 pr-2 text-[12.5px] leading-none whitespace-nowrap ${
        selected ? 'bg-sky-100 dark:bg-sky-900/50' : currentMatch ? 'bg-yellow-200/70 dark:bg-yellow-500/30' : match ? 'bg-yellow-100 dark:bg-yellow-500/15' : 'hover:bg-slate-100 dark:hover:bg-slate-800/70'
      }`}
      style={{ top, height }}
      title={clipText(`${service}: ${label}`, HOVER_CLIP_CHARS)}
    >
      <TreeRowHead
        depth={depth}
        maxIndentLevels={FULL_INDENT_LEVELS}
        maxIndentPx={Math.round(columnWidth * MAX_INDENT_SHARE)}
        showDeepDepth
        guideLeadPx={4}
        guideOffsetPx={9}
        rowHeight={height}
        expandable={hasChildren}
        collapsed={collapsed}
        onToggle={() => toggle(span)}
        toggleTestId={hasChildren ? 'row-toggle' : undefined}
        color={color}
        service={service}
        label={label}
        tone={isError ? 'error' : 'plain'}
      />
      {isError ? (
        <span data-testid="row-error" title="Error" className="size-2.5 shrink-0 rounded-full bg-red-600 dark:bg-red-400" />
      ) : flags & FLAG_ERROR_ANCESTOR ? (
        <span data-testid="row-error-ancestor" title="An error happened below this span" className="size-2.5 shrink-0 rounded-full border-2 border-red-600 dark:border-red-400" />
      ) : null}
      {skewShiftNs !== 0 ? (
        <span data-testid="row-skew" title={`Clock skew adjusted: moved ${skewShiftNs > 0 ? 'later' : 'earlier'} by ${formatDuration(Math.abs(skewShiftNs))}`} className="shrink-0 rounded bg-amber-100 px-1 text-[10px] text-amber-800 dark:bg-amber-900/60 dark:text-amber-200">
          {skewShiftNs > 0 ? '+' : '−'}
          {formatDuration(Math.abs(skewShiftNs))}
        </span>
      ) : null}
      {flags & (FLAG_OUT_LINKS | FLAG_IN_LINKS) ? (
        <span title={flags & FLAG_IN_LINKS ? 'Has links (incoming)' : 'Has links'} className="shrink-0 text-[11px] text-violet-600 dark:text-violet-300">
          ⇄
        </span>
      ) : null}
      {hasChildren ? (
        <span className="ml-auto shrink-0 pl-1 text-[11px] text-slate-400 tabular-nums" title={plural(view.childCount[span], 'child', 'children')}>
          {collapsed ? (
            <span data-testid="row-hidden-count" className="rounded bg-slate-200 px-1 py-0.5 text-slate-700 dark:bg-slate-700 dark:text-slate-200">
              +{formatCount(hidden)}
              {view.descendantErrors[span] > 0 ? <span className="ml-1 text-red-600 dark:text-red-400">● {view.descendantErrors[span]}</span> : null}
            </span>
          ) : (
            view.childCount[span]
          )}
        </span>
      ) : null}
    </div>
  );
});
