// View state of one open trace: collapse, selection, zoom window, scroll, search and toggles.
// Lives as long as the trace page; canvas hover is not here (it repaints without React).
import { createStore, type StoreApi } from 'zustand';
import { collapseAll, collapseBelowDepth, computeVisibleRows, revealSpan } from '../core/analysis/visible-rows.ts';
import type { TraceViewData } from '../core/view-format/trace-view-format.ts';

export interface SearchState {
  readonly text: string;
  readonly matches: Uint32Array | undefined;
  /** matches + their ancestors, for "show only matches". */
  readonly includeMask: Uint8Array | undefined;
  readonly matchMask: Uint8Array | undefined;
  readonly error: { readonly message: string; readonly start: number; readonly end: number } | undefined;
  /** Position of the current match in `matches`, -1 before the first jump. */
  readonly current: number;
}

export interface TraceViewState {
  /** The trace as drawn: the file's times, or the clock-skew adjusted ones. */
  readonly view: TraceViewData;
  readonly skewAdjusted: boolean;
  /** 1 where a span is collapsed, else 0. */
  readonly collapsed: Uint8Array;
  readonly selected: number;
  /** The visible time window, ns from the trace start. */
  readonly windowStartNs: number;
  readonly windowEndNs: number;
  /** First row shown, in rows (fractional while scrolling). */
  readonly scrollRow: number;
  readonly search: SearchState;
  readonly onlyMatches: boolean;
  readonly criticalOnly: boolean;
  readonly showCriticalPath: boolean;
  /** Idle gaps drawn narrow. */
  readonly gapsCollapsed: boolean;
  /** Derived: the spans that are rows, in order. */
  readonly rows: Uint32Array;
  /** Derived: row index of each span, -1 when hidden. */
  readonly rowOfSpan: Int32Array;
}

export interface TraceViewActions {
  select(span: number): void;
  toggleCollapsed(span: number): void;
  setCollapsed(span: number, collapsed: boolean): void;
  collapseAll(): void;
  expandAll(): void;
  collapseToDepth(depth: number): void;
  setWindow(startNs: number, endNs: number): void;
  resetZoom(): void;
  setScrollRow(row: number, viewportRows: number): void;
  setSearch(search: SearchState): void;
  setCurrentMatch(index: number): void;
  setOnlyMatches(on: boolean): void;
  setCriticalOnly(on: boolean): void;
  setShowCriticalPath(on: boolean): void;
  setSkewAdjusted(on: boolean): void;
  setGapsCollapsed(on: boolean): void;
  /** Applies a state read from the URL in one go. */
  restore(state: Partial<Pick<TraceViewState, 'collapsed' | 'selected' | 'windowStartNs' | 'windowEndNs' | 'onlyMatches' | 'criticalOnly' | 'showCriticalPath' | 'skewAdjusted' | 'gapsCollapsed'>>): void;
}

export type TraceViewStore = StoreApi<TraceViewState & TraceViewActions>;

export const EMPTY_SEARCH: SearchState = { text: '', matches: undefined, includeMask: undefined, matchMask: undefined, error: undefined, current: -1 };

function criticalMask(view: TraceViewData): Uint8Array {
  // Spans on the critical path and their ancestors.
  const mask = new Uint8Array(view.spanCount);
  for (const s of view.criticalSpan) for (let p = s; p >= 0 && !mask[p]; p = view.parent[p]) mask[p] = 1;
  return mask;
}

type Rows = Pick<TraceViewState, 'rows' | 'rowOfSpan'>;

/** Every span a row, in order: rows and rowOfSpan are both the identity (one buffer, never written). */
function allRows(view: TraceViewData): Rows {
  const rows = view.everyRow;
  return { rows, rowOfSpan: new Int32Array(rows.buffer, rows.byteOffset, rows.length) };
}

function deriveRows(view: TraceViewData, collapsed: Uint8Array, include: Uint8Array | undefined): Rows {
  const rows = computeVisibleRows(view, collapsed, include);
  const rowOfSpan = new Int32Array(view.spanCount).fill(-1);
  for (let r = 0; r < rows.length; r++) rowOfSpan[rows[r]] = r;
  return { rows, rowOfSpan };
}

/** The view with the skew-adjusted times swapped in. */
function adjustedView(view: TraceViewData): TraceViewData {
  const skew = view.skew;
  if (!skew) return view;
  return {
    ...view,
    startNs: skew.startNs,
    traceDurationNs: skew.traceDurationNs,
    selfTimeNs: skew.selfTimeNs,
    topSelfTime: skew.topSelfTime,
    criticalSpan: skew.criticalSpan,
    criticalStartNs: skew.criticalStartNs,
    criticalEndNs: skew.criticalEndNs,
    idleGaps: skew.idleGaps,
    density: skew.density,
  };
}

/** The whole trace as a window: [0, duration], at least 1 ns wide. */
function wholeWindow(view: TraceViewData): Pick<TraceViewState, 'windowStartNs' | 'windowEndNs'> {
  return { windowStartNs: 0, windowEndNs: Math.max(1, view.traceDurationNs) };
}

/** A window inside [0, duration], at least 1 µs wide (or the whole trace when shorter). */
export function clampWindow(startNs: number, endNs: number, durationNs: number): Pick<TraceViewState, 'windowStartNs' | 'windowEndNs'> {
  const total = Math.max(1, durationNs);
  const minWidth = Math.min(total, 1000);
  let s = Math.max(0, Math.min(startNs, endNs));
  let e = Math.min(total, Math.max(startNs, endNs));
  if (e - s < minWidth) {
    const mid = (s + e) / 2;
    s = Math.max(0, mid - minWidth / 2);
    e = Math.min(total, s + minWidth);
  }
  return { windowStartNs: s, windowEndNs: e };
}

/**
 * The store of one open trace. `view` in the state is the one owner of the drawn view (the file's times
 * or the skew-adjusted ones): every action reads it from there, never from the view it was made with.
 */
export function createTraceViewStore(fileView: TraceViewData): TraceViewStore {
  const skewView = adjustedView(fileView);
  // The critical-path mask of the view it was made for (the skew-adjusted path differs).
  let critical: { readonly of: TraceViewData; readonly mask: Uint8Array } | undefined;
  const criticalOf = (view: TraceViewData): Uint8Array => {
    if (critical?.of !== view) critical = { of: view, mask: criticalMask(view) };
    return critical.mask;
  };
  const includeOf = (s: Pick<TraceViewState, 'onlyMatches' | 'criticalOnly' | 'search' | 'view'>): Uint8Array | undefined => {
    const a = s.onlyMatches ? s.search.includeMask : undefined;
    const b = s.criticalOnly ? criticalOf(s.view) : undefined;
    if (a && b) return a.map((x, i) => (x && b[i] ? 1 : 0));
    return a ?? b;
  };

  // The rows of a trace as it opens (nothing collapsed or filtered): made once, shared by every state
  // that shows them, so opening a trace and restoring its URL state do not walk every span twice. Both
  // views share the tree, so they share these rows.
  let everyRow: Rows | undefined;
  const rowsOf = (s: Pick<TraceViewState, 'onlyMatches' | 'criticalOnly' | 'search' | 'view' | 'collapsed'>): Rows => {
    const include = includeOf(s);
    if (include || s.collapsed.indexOf(1) >= 0) return deriveRows(s.view, s.collapsed, include);
    return (everyRow ??= allRows(s.view));
  };

  return createStore<TraceViewState & TraceViewActions>((set, get) => {
    const withRows = (patch: Partial<TraceViewState>) => {
      const next = { ...get(), ...patch };
      const derived = rowsOf(next);
      // Fewer rows than before (collapse, filter): keep the scroll position inside them.
      const scrollRow = Math.min(next.scrollRow, Math.max(0, derived.rows.length - 1));
      set({ ...patch, ...derived, scrollRow });
    };
    const collapsed = new Uint8Array(fileView.spanCount);
    return {
      view: fileView,
      skewAdjusted: false,
      collapsed,
      selected: -1,
      ...wholeWindow(fileView),
      scrollRow: 0,
      search: EMPTY_SEARCH,
      onlyMatches: false,
      criticalOnly: false,
      showCriticalPath: true,
      gapsCollapsed: false,
      ...rowsOf({ view: fileView, collapsed, onlyMatches: false, criticalOnly: false, search: EMPTY_SEARCH }),

      select(span) {
        const { view, collapsed } = get();
        if (span < 0 || span >= view.spanCount) return set({ selected: -1 });
        const c = revealSpan(view.parent, collapsed, span);
        if (c !== collapsed) withRows({ collapsed: c, selected: span });
        else set({ selected: span });
      },
      toggleCollapsed(span) {
        get().setCollapsed(span, !get().collapsed[span]);
      },
      setCollapsed(span, on) {
        const { view, collapsed } = get();
        if (view.subtreeEnd[span] <= span + 1 || Boolean(collapsed[span]) === on) return;
        const c = collapsed.slice();
        c[span] = on ? 1 : 0;
        withRows({ collapsed: c });
      },
      collapseAll() {
        withRows({ collapsed: collapseAll(get().view) });
      },
      expandAll() {
        withRows({ collapsed: new Uint8Array(get().view.spanCount) });
      },
      collapseToDepth(depth) {
        withRows({ collapsed: collapseBelowDepth(get().view, depth) });
      },
      setWindow(startNs, endNs) {
        set(clampWindow(startNs, endNs, get().view.traceDurationNs));
      },
      resetZoom() {
        set(wholeWindow(get().view));
      },
      setScrollRow(row, viewportRows) {
        const max = Math.max(0, get().rows.length - viewportRows);
        set({ scrollRow: Math.max(0, Math.min(max, row)) });
      },
      setSearch(search) {
        withRows({ search });
      },
      setCurrentMatch(index) {
        set({ search: { ...get().search, current: index } });
      },
      setOnlyMatches(on) {
        withRows({ onlyMatches: on });
      },
      setCriticalOnly(on) {
        withRows({ criticalOnly: on });
      },
      setShowCriticalPath(on) {
        set({ showCriticalPath: on });
      },
      setGapsCollapsed(on) {
        set({ gapsCollapsed: on });
      },
      setSkewAdjusted(on) {
        if (on === get().skewAdjusted || !fileView.skew) return;
        const view = on ? skewView : fileView;
        withRows({ view, skewAdjusted: on, ...wholeWindow(view) });
      },
      restore({ skewAdjusted, windowStartNs, windowEndNs, ...rest }) {
        if (skewAdjusted !== undefined) get().setSkewAdjusted(skewAdjusted);
        // A window from the URL fits the view now drawn (the whole file's window is wider than the adjusted view).
        const { view, windowStartNs: start, windowEndNs: end } = get();
        const window = windowStartNs === undefined && windowEndNs === undefined ? {} : clampWindow(windowStartNs ?? start, windowEndNs ?? end, view.traceDurationNs);
        // A span chosen in another view (the span table, the flamegraph) shows, even under a collapsed parent.
        const { selected = -1, collapsed = get().collapsed } = rest;
        withRows({ ...rest, ...window, ...(selected >= 0 && selected < view.spanCount ? { collapsed: revealSpan(view.parent, collapsed, selected) } : {}) });
      },
    };
  });
}
