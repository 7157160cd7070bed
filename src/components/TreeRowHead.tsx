// The start of a row in a span tree (the waterfall's span column, the comparison tree): one guide line
// per level of indentation, the expand toggle, and the span's service and name. It renders into the
// caller's flex row, which adds what follows (badges, numbers).
import { clipText, NAME_CLIP_CHARS } from './clip-text.ts';
import { ColorSwatch } from './ServiceSwatch.tsx';

const INDENT_PX = 14;
/** Past the full levels, each level indents this much: a deep row keeps room for its name. */
const DEEP_INDENT_PX = 3;

/**
 * How far a row at `depth` is indented: full steps for the first `fullLevels`, small ones after, never past
 * `maxPx`. The same for every row, so rows of one level line up.
 */
export function indentPx(depth: number, fullLevels: number, maxPx = Infinity): number {
  return Math.min(maxPx, Math.min(depth, fullLevels) * INDENT_PX + Math.max(0, depth - fullLevels) * DEEP_INDENT_PX);
}

/** How the name reads: plain, an error (red name), or missing from this side (struck through). */
export type SpanNameTone = 'plain' | 'error' | 'struck';

const SERVICE_CLASS: Record<SpanNameTone, string> = {
  plain: 'text-slate-800 dark:text-slate-100',
  error: 'text-slate-800 dark:text-slate-100',
  struck: 'text-slate-400 line-through dark:text-slate-500',
};
const LABEL_CLASS: Record<SpanNameTone, string> = {
  plain: 'text-slate-600 dark:text-slate-300',
  error: 'text-red-700 dark:text-red-300',
  struck: 'text-slate-400 line-through dark:text-slate-500',
};

/** The swatch, the service and the span's name; the name is cut with … when the row is too narrow. */
export function SpanNameCells({ color, service, label, tone = 'plain', labelShrinks = true }: { color: string; service: string; label: string; tone?: SpanNameTone; labelShrinks?: boolean }) {
  return (
    <>
      <ColorSwatch color={color} service={service} />
      <span className={`shrink-0 font-medium ${SERVICE_CLASS[tone]}`}>{clipText(service, NAME_CLIP_CHARS)}</span>
      <span className={`${labelShrinks ? 'min-w-0 truncate' : 'shrink-0'} ${LABEL_CLASS[tone]}`}>{clipText(label, NAME_CLIP_CHARS)}</span>
    </>
  );
}

/** The ARIA of a tree row: its level, open or closed (rows with children), selected or not. */
export function treeItemAria(depth: number, expandable: boolean, collapsed: boolean, selected: boolean) {
  return { role: 'treeitem', 'aria-level': depth + 1, 'aria-expanded': expandable ? !collapsed : undefined, 'aria-selected': selected } as const;
}

interface Props {
  readonly depth: number;
  /** Levels indented in full and drawn as guides; deeper levels indent a little each (see indentPx). */
  readonly maxIndentLevels: number;
  /** The most a row is indented (px), so that the deepest rows still show their service and name. */
  readonly maxIndentPx?: number;
  /** Deeper rows than the guides show their depth as a number. */
  readonly showDeepDepth?: boolean;
  /** Space before the first guide column, and where in each column its line sits (px). */
  readonly guideLeadPx: number;
  readonly guideOffsetPx: number;
  readonly rowHeight: number;
  readonly expandable: boolean;
  readonly collapsed: boolean;
  onToggle(): void;
  readonly toggleTestId?: string;
  readonly color: string;
  readonly service: string;
  readonly label: string;
  readonly tone?: SpanNameTone;
}

export function TreeRowHead({ depth, maxIndentLevels, maxIndentPx, showDeepDepth = false, guideLeadPx, guideOffsetPx, rowHeight, expandable, collapsed, onToggle, toggleTestId, color, service, label, tone }: Props) {
  const indent = indentPx(depth, maxIndentLevels, maxIndentPx);
  // Guides for the levels that got a full step; the compressed ones are a faint band.
  const guides = Array.from({ length: Math.min(depth, maxIndentLevels) }, (_, k) => indentPx(k, maxIndentLevels, maxIndentPx)).filter((x) => x + guideOffsetPx < indent + guideLeadPx);
  const deepFrom = indentPx(maxIndentLevels, maxIndentLevels, maxIndentPx);
  return (
    <>
      <span aria-hidden className="relative shrink-0" style={{ width: indent + guideLeadPx, height: rowHeight }}>
        {guides.map((x, k) => (
          <span key={k} className="absolute inset-y-0 border-l border-slate-200 dark:border-slate-700" style={{ left: x + guideOffsetPx }} />
        ))}
        {depth > maxIndentLevels && indent > deepFrom ? (
          <span className="absolute inset-y-0 bg-[repeating-linear-gradient(90deg,var(--color-slate-200)_0_1px,transparent_1px_3px)] dark:bg-[repeating-linear-gradient(90deg,var(--color-slate-700)_0_1px,transparent_1px_3px)]" style={{ left: deepFrom + guideOffsetPx, width: indent - deepFrom }} />
        ) : null}
      </span>
      {showDeepDepth && depth > maxIndentLevels ? (
        <span data-testid="row-depth" title={`Depth ${depth}`} className="shrink-0 rounded bg-slate-200 px-1 text-[10px] text-slate-600 tabular-nums dark:bg-slate-700 dark:text-slate-300">
          {depth}
        </span>
      ) : null}
      <button
        type="button"
        tabIndex={-1}
        aria-label={collapsed ? 'Expand' : 'Collapse'}
        data-testid={toggleTestId}
        onClick={(e) => {
          e.stopPropagation();
          if (expandable) onToggle();
        }}
        className={`flex size-4 shrink-0 items-center justify-center rounded text-slate-500 ${expandable ? 'hover:bg-slate-200 dark:hover:bg-slate-700' : 'invisible'}`}
      >
        <svg width="10" height="10" viewBox="0 0 10 10" aria-hidden style={{ transform: collapsed ? 'rotate(-90deg)' : undefined }}>
          <path d="M1.5 3 5 7l3.5-4z" fill="currentColor" />
        </svg>
      </button>
      <SpanNameCells color={color} service={service} label={label} tone={tone} />
    </>
  );
}
