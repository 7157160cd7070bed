// The comparison as one tree: every span of A and B, matched ones on one row, with A's and B's
// durations and the change. Only the rows on screen exist; past a few million pixels the scrollbar
// maps onto rows proportionally, so a tree of two million nodes scrolls like one of forty.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { TraceDiff } from '../../core/analysis/trace-diff.ts';
import { formatDuration } from '../../components/format.ts';
import { serviceColor } from '../../components/service-colors.ts';
import { TreeRowHead, treeItemAria } from '../../components/TreeRowHead.tsx';
import { useElementSize } from '../../components/use-element-size.ts';
import { DeltaBar, DeltaText } from './Delta.tsx';
import { deltaLevel, labelDifference, nodeChange, type ChangeThreshold, type DiffRows } from './diff-rows.ts';
import { formatDelta, formatPercentChange } from './diff-summary-text.ts';

const ROW_HEIGHT = 26;
const MAX_INDENT_LEVELS = 24;
/** Beyond this the native scroll range stands for the rows proportionally (browsers cap element heights). */
const MAX_SCROLL_PX = 4_000_000;
const DIFF_COLUMNS = 'minmax(0,1fr) 84px 84px 132px 132px';

interface Props {
  readonly diff: TraceDiff;
  readonly rows: DiffRows;
  readonly threshold: ChangeThreshold;
  readonly collapsed: Uint8Array;
  /** When false, spans only in B cannot be opened (B is not one of the loaded file's traces). */
  readonly canOpenB: boolean;
  onToggle(node: number): void;
  onOpen(node: number): void;
}

export function DiffTree({ diff, rows, threshold, collapsed, canOpenB, onToggle, onOpen }: Props) {
  const spans = diff.spans;
  const box = useRef<HTMLDivElement>(null);
  const { height } = useElementSize(box, { width: 0, height: 400 });
  const [scrollTop, setScrollTop] = useState(0);
  const [cursor, setCursor] = useState(-1);

  const n = rows.rows.length;
  const contentPx = n * ROW_HEIGHT;
  const scaled = contentPx > MAX_SCROLL_PX;
  const scrollPx = Math.min(contentPx, MAX_SCROLL_PX);
  const maxFirstRow = Math.max(0, n - height / ROW_HEIGHT);
  const scrollRange = Math.max(1, scrollPx - height);
  const firstRow = scaled ? Math.min(1, scrollTop / scrollRange) * maxFirstRow : scrollTop / ROW_HEIGHT;
  const scrollTopOfRow = (r: number) => (scaled ? (r / Math.max(1, maxFirstRow)) * scrollRange : r * ROW_HEIGHT);

  // Scaled, a wheel notch would jump many rows: the wheel moves by rows, as on a short tree.
  useEffect(() => {
    const el = box.current;
    if (!el || !scaled) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const rowsMoved = e.deltaMode === 1 ? e.deltaY : e.deltaY / ROW_HEIGHT;
      el.scrollTop += (rowsMoved / Math.max(1, maxFirstRow)) * scrollRange;
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [scaled, maxFirstRow, scrollRange]);

  const maxAbsDelta = useMemo(() => maxAbsDeltaOf(diff), [diff]);
  const cursorRow = Math.min(cursor, n - 1);

  const moveCursor = (r: number) => {
    const next = Math.max(0, Math.min(n - 1, r));
    setCursor(next);
    const el = box.current;
    if (!el) return;
    const visible = Math.floor(height / ROW_HEIGHT);
    if (next < firstRow) el.scrollTop = scrollTopOfRow(next);
    else if (next >= firstRow + visible - 1) el.scrollTop = scrollTopOfRow(Math.max(0, next - visible + 2));
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const node = rows.rows[cursorRow];
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    const hasChildren = node !== undefined && spans.subtreeEnd[node] > node + 1;
    switch (e.key) {
      case 'ArrowDown':
        moveCursor(cursorRow + 1);
        break;
      case 'ArrowUp':
        moveCursor(cursorRow - 1);
        break;
      case 'PageDown':
        moveCursor(cursorRow + page);
        break;
      case 'PageUp':
        moveCursor(cursorRow - page);
        break;
      case 'Home':
        moveCursor(0);
        break;
      case 'End':
        moveCursor(n - 1);
        break;
      case 'ArrowLeft':
        if (hasChildren && !collapsed[node]) onToggle(node);
        else if (node !== undefined && spans.parent[node] >= 0) moveCursor(rows.rows.indexOf(spans.parent[node]));
        break;
      case 'ArrowRight':
        if (hasChildren && collapsed[node]) onToggle(node);
        break;
      case 'Enter':
        if (node !== undefined) onOpen(node);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const first = Math.floor(firstRow);
  const visibleRows = [];
  for (let r = first; r < Math.min(n, first + Math.ceil(height / ROW_HEIGHT) + 1); r++) {
    const node = rows.rows[r];
    visibleRows.push(
      <DiffRow
        key={node}
        diff={diff}
        node={node}
        top={(r - firstRow) * ROW_HEIGHT}
        threshold={threshold}
        maxAbsDelta={maxAbsDelta}
        context={!rows.matches[node]}
        collapsed={collapsed[node] === 1}
        focused={r === cursorRow}
        canOpen={spans.spanA[node] >= 0 || canOpenB}
        onToggle={() => onToggle(node)}
        onOpen={() => onOpen(node)}
        onFocus={() => setCursor(r)}
      />,
    );
  }

  return (
    <div className="flex min-h-0 flex-1 flex-col overflow-hidden rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <div
        className="grid shrink-0 items-center gap-x-3 border-b border-slate-200 bg-slate-50 px-3 py-1.5 text-[11px] font-medium tracking-wide text-slate-500 uppercase dark:border-slate-800 dark:bg-slate-800/60 dark:text-slate-400"
        style={{ gridTemplateColumns: DIFF_COLUMNS }}
      >
        <span>
          Span · <span data-testid="diff-count">{rows.matchCount.toLocaleString('en-US')} of {spans.nodeCount.toLocaleString('en-US')}</span>
        </span>
        <span className="text-right">A</span>
        <span className="text-right">B</span>
        <span className="text-right">Δ B − A</span>
        <span className="flex justify-between px-1 normal-case">
          <span className="text-blue-700 dark:text-blue-300">◀ faster</span>
          <span className="text-orange-700 dark:text-orange-300">slower ▶</span>
        </span>
      </div>
      <div
        ref={box}
        role="tree"
        aria-label="Spans of A and B"
        tabIndex={0}
        data-testid="diff-tree"
        onKeyDown={onKeyDown}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        className="min-h-0 flex-1 overflow-y-auto outline-none focus-visible:ring-2 focus-visible:ring-sky-500 focus-visible:ring-inset"
      >
        <div style={{ height: scrollPx }}>
          <div className="sticky top-0 overflow-hidden" style={{ height: Math.min(height, scrollPx) }}>
            {visibleRows}
          </div>
        </div>
      </div>
    </div>
  );
}

/** The widest change: the bars' scale. */
function maxAbsDeltaOf(diff: TraceDiff): number {
  let max = 0;
  const s = diff.spans;
  for (let k = 0; k < s.nodeCount; k++) {
    const d = Math.abs(s.durationBNs[k] - s.durationANs[k]);
    if (d > max) max = d; // NaN (one side missing) never is
  }
  return max;
}

interface RowProps {
  readonly diff: TraceDiff;
  readonly node: number;
  readonly top: number;
  readonly threshold: ChangeThreshold;
  readonly maxAbsDelta: number;
  /** Shown only because something below it matches the filter. */
  readonly context: boolean;
  readonly collapsed: boolean;
  readonly focused: boolean;
  readonly canOpen: boolean;
  onToggle(): void;
  onOpen(): void;
  onFocus(): void;
}

function DiffRow({ diff, node, top, threshold, maxAbsDelta, context, collapsed, focused, canOpen, onToggle, onOpen, onFocus }: RowProps) {
  const s = diff.spans;
  const service = s.names[s.service[node]];
  const operation = s.names[s.operation[node]];
  const change = nodeChange(s, node, threshold);
  const level = deltaLevel(s, node, threshold);
  const depth = s.depth[node];
  const hasChildren = s.subtreeEnd[node] > node + 1;
  const labelA = s.labelA[node] >= 0 ? s.labels[s.labelA[node]] : undefined;
  const labelB = s.labelB[node] >= 0 ? s.labels[s.labelB[node]] : undefined;
  const label = labelA ?? labelB ?? operation;
  const labelInB = labelA !== undefined && labelB !== undefined ? labelDifference(labelA, labelB) : undefined;
  const [a, b] = [s.durationANs[node], s.durationBNs[node]];
  const missing = change === 'only-a' ? 'B' : change === 'only-b' ? 'A' : undefined;
  const title = [
    `${service}: ${operation}${s.occurrence[node] ? ` (call ${s.occurrence[node] + 1} of it under its parent)` : ''}`,
    labelA !== undefined ? `A: ${formatDuration(a)} (self ${formatDuration(s.selfTimeANs[node])}) · ${labelA}` : 'not in A',
    labelB !== undefined ? `B: ${formatDuration(b)} (self ${formatDuration(s.selfTimeBNs[node])}) · ${labelB}` : 'not in B',
    missing ? undefined : `Δ ${formatDelta(b - a)}${formatPercentChange(a, b) ? ` (${formatPercentChange(a, b)})` : ''}`,
    canOpen ? `Click to open it in the waterfall of ${change === 'only-b' ? 'B' : 'A'}` : 'B is not among the loaded traces: its waterfall cannot open here',
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <div
      {...treeItemAria(depth, hasChildren, collapsed, focused)}
      data-testid="diff-row"
      data-change={change}
      data-node={node}
      title={title}
      onClick={() => {
        onFocus();
        if (canOpen) onOpen();
      }}
      className={`absolute inset-x-0 grid items-center gap-x-3 px-3 text-[12.5px] whitespace-nowrap ${canOpen ? 'cursor-pointer' : 'cursor-default'} ${
        focused ? 'bg-sky-50 dark:bg-sky-900/40' : 'hover:bg-slate-50 dark:hover:bg-slate-800/60'
      } ${context ? 'opacity-55' : ''}`}
      style={{ top, height: ROW_HEIGHT, gridTemplateColumns: DIFF_COLUMNS }}
    >
      <span className="flex min-w-0 items-center gap-1.5">
        <TreeRowHead
          depth={depth}
          maxIndentLevels={MAX_INDENT_LEVELS}
          guideLeadPx={0}
          guideOffsetPx={7}
          rowHeight={ROW_HEIGHT}
          expandable={hasChildren}
          collapsed={collapsed}
          onToggle={onToggle}
          color={serviceColor(service)}
          service={service}
          label={label}
          tone={missing === 'B' ? 'struck' : 'plain'}
        />
        {labelInB ? <span className="shrink-0 rounded bg-slate-100 px-1 text-[11px] text-slate-600 dark:bg-slate-800 dark:text-slate-300">B: {labelInB}</span> : null}
        {collapsed ? <span className="shrink-0 rounded bg-slate-200 px-1 text-[11px] text-slate-600 tabular-nums dark:bg-slate-700 dark:text-slate-200">+{(s.subtreeEnd[node] - node - 1).toLocaleString('en-US')}</span> : null}
        <PresenceBadge missing={missing} />
        <ErrorBadge errorA={s.errorA[node] === 1} errorB={s.errorB[node] === 1} />
      </span>
      <Duration ns={a} missing={missing === 'A'} />
      <Duration ns={b} missing={missing === 'B'} />
      <span className="text-right">{missing ? <span className="text-slate-400">—</span> : <DeltaText fromNs={a} toNs={b} level={level} />}</span>
      {missing ? <span /> : <DeltaBar deltaNs={b - a} maxAbsNs={maxAbsDelta} level={change === 'same' ? 0 : level} />}
    </div>
  );
}

function Duration({ ns, missing }: { ns: number; missing: boolean }) {
  if (missing) return <span className="text-right text-slate-400 dark:text-slate-500">—</span>;
  return <span className="text-right text-slate-700 tabular-nums dark:text-slate-200">{formatDuration(ns)}</span>;
}

function PresenceBadge({ missing }: { missing: 'A' | 'B' | undefined }) {
  if (missing === 'B')
    return (
      <span data-testid="only-in-a" className="shrink-0 rounded border border-dashed border-slate-400 px-1 text-[11px] text-slate-600 dark:border-slate-500 dark:text-slate-300">
        − only in A
      </span>
    );
  if (missing === 'A')
    return (
      <span data-testid="only-in-b" className="shrink-0 rounded border border-violet-400 bg-violet-50 px-1 text-[11px] text-violet-800 dark:border-violet-500 dark:bg-violet-950 dark:text-violet-200">
        + only in B
      </span>
    );
  return null;
}

function ErrorBadge({ errorA, errorB }: { errorA: boolean; errorB: boolean }) {
  if (!errorA && !errorB) return null;
  const text = errorA && errorB ? 'fails in both' : errorA ? 'fails in A' : 'fails in B';
  return (
    <span data-testid="diff-error" className="flex shrink-0 items-center gap-1 text-[11px] font-medium text-red-700 dark:text-red-300">
      <span aria-hidden className="size-2 rounded-full bg-red-600 dark:bg-red-400" />
      {text}
    </span>
  );
}
