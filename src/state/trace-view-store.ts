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

export function createTraceViewStore(fileView: TraceViewData): TraceViewStore {
  const skewView = adjustedView(fileView);
  const view = fileView;
  const collapsed = new Uint8Array(view.spanCount);
  let critical: Uint8Array | undefined;
  const includeOf = (s: Pick<TraceViewState, 'onlyMatches' | 'criticalOnly' | 'search' | 'view'>): Uint8Array | undefined => {
    const a = s.onlyMatches ? s.search.includeMask : undefined;
    const b = s.criticalOnly ? (critical ??= criticalMask(s.view)) : undefined;
    if (a && b) return a.map((x, i) => (x && b[i] ? 1 : 0));
    return a ?? b;
  };

  // The rows of a trace as it opens (nothing collapsed or filtered): made once, shared by every state
  // that shows them, so opening a trace and restoring its URL state do not walk every span twice.
  let everyRow: Rows | undefined;
  const rowsOf = (s: Pick<TraceViewState, 'onlyMatches' | 'criticalOnly' | 'search' | 'view' | 'collapsed'>): Rows => {
    const include = includeOf(s);
    if (include || s.collapsed.indexOf(1) >= 0) return deriveRows(s.view, s.collapsed, include);
    return (everyRow ??= allRows(view));
  };

  return createStore<TraceViewState & TraceViewActions>((set, get) => {
    const withRows = (patch: Partial<TraceViewState>) => {
      const next = { ...get(), ...patch };
      const derived = rowsOf(next);
      // Fewer rows than before (collapse, filter): keep the scroll position inside them.
      const scrollRow = Math.min(next.scrollRow, Math.max(0, derived.rows.length - 1));
      set({ ...patch, ...derived, scrollRow });
    };
    return {
      view,
      skewAdjusted: false,
      collapsed,
      selected: -1,
      windowStartNs: 0,
      windowEndNs: Math.max(1, view.traceDurationNs),
      scrollRow: 0,
      search: EMPTY_SEARCH,
      onlyMatches: false,
      criticalOnly: false,
      showCriticalPath: true,
      gapsCollapsed: false,
      ...rowsOf({ view, collapsed, onlyMatches: false, criticalOnly: false, search: EMPTY_SEARCH }),

      select(span) {
        if (span < 0 || span >= view.spanCount) return set({ selected: -1 });
        const c = revealSpan(view.parent, get().collapsed, span);
        if (c !== get().collapsed) withRows({ collapsed: c, selected: span });
        else set({ selected: span });
      },
      toggleCollapsed(span) {
        get().setCollapsed(span, !get().collapsed[span]);
      },
      setCollapsed(span, on) {
        if (view.subtreeEnd[span] <= span + 1 || Boolean(get().collapsed[span]) === on) return;
        const c = get().collapsed.slice();
        c[span] = on ? 1 : 0;
        withRows({ collapsed: c });
      },
      collapseAll() {
        withRows({ collapsed: collapseAll(view) });
      },
      expandAll() {
        withRows({ collapsed: new Uint8Array(view.spanCount) });
      },
      collapseToDepth(depth) {
        withRows({ collapsed: collapseBelowDepth(view, depth) });
      },
      setWindow(startNs, endNs) {
        const total = Math.max(1, view.traceDurationNs);
        // At least 1 µs wide (or the whole trace when shorter), inside the trace.
        const minWidth = Math.min(total, 1000);
        let s = Math.max(0, Math.min(startNs, endNs));
        let e = Math.min(total, Math.max(startNs, endNs));
        if (e - s < minWidth) {
          const mid = (s + e) / 2;
          s = Math.max(0, mid - minWidth / 2);
          e = Math.min(total, s + minWidth);
        }
        set({ windowStartNs: s, windowEndNs: e });
      },
      resetZoom() {
        set({ windowStartNs: 0, windowEndNs: Math.max(1, view.traceDurationNs) });
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
        const next = on ? skewView : fileView;
        critical = undefined;
        set({ view: next, skewAdjusted: on });
        withRows({ windowStartNs: 0, windowEndNs: Math.max(1, next.traceDurationNs) });
      },
      restore(state) {
        if (state.skewAdjusted !== undefined) get().setSkewAdjusted(state.skewAdjusted);
        withRows(state);
      },
    };
  });
}
