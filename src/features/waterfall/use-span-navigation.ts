// Moving through the spans: jump to a span (select it, scroll its row and its bar into view), the next
// search match or error, and the keyboard map over them. A selection made anywhere else (header error
// count, a link, a graph) and a change of the rows (a filter, a collapse) also keep the selected span on screen.
import { useCallback, useEffect, useEffectEvent, useState, type RefObject } from 'react';
import { useTraceView, useTraceViewStore } from '../../state/trace-view-context.ts';
import { scrollRowToReveal, windowToReveal } from './waterfall-layout.ts';
import { isForSomethingElse, shortcutAction, type ShortcutAction } from './shortcuts.ts';
import { nextErrorSpan, nextMatchIndex, rowForKey } from './waterfall-navigation.ts';

/** The shortcut actions that move the selection by rows, as the row keys rowForKey reads. */
const ROW_MOVES: ReadonlyMap<ShortcutAction, string> = new Map([
  ['down', 'ArrowDown'],
  ['up', 'ArrowUp'],
  ['page-down', 'PageDown'],
  ['page-up', 'PageUp'],
  ['first', 'Home'],
  ['last', 'End'],
]);

interface Options {
  /** Rows on screen now (read when a key is pressed: the box may have resized). */
  viewportRows(): number;
  searchInput: RefObject<HTMLInputElement | null>;
  onOpenDetails(): void;
  onCloseDetails(): void;
}

export interface SpanNavigation {
  nextMatch(step: 1 | -1): void;
  nextError(step: 1 | -1): void;
  /** The shortcut sheet (`?`) is open. */
  sheetOpen: boolean;
  closeSheet(): void;
}

export function useSpanNavigation({ viewportRows, searchInput, onOpenDetails, onCloseDetails }: Options): SpanNavigation {
  const store = useTraceViewStore();
  const reveal = useCallback(
    (span: number) => {
      const s = store.getState();
      const row = s.rowOfSpan[span];
      if (row < 0) return;
      const rowsOnScreen = viewportRows();
      const scrollRow = scrollRowToReveal(row, s.scrollRow, rowsOnScreen);
      if (scrollRow !== undefined) s.setScrollRow(scrollRow, rowsOnScreen);
      const window = windowToReveal(s.view.startNs[span], s.view.startNs[span] + s.view.durationNs[span], s.windowStartNs, s.windowEndNs);
      if (window) s.setWindow(window[0], window[1]);
    },
    [store, viewportRows],
  );

  const selected = useTraceView((s) => s.selected);
  const rows = useTraceView((s) => s.rows);
  useEffect(() => {
    if (selected >= 0) reveal(selected);
  }, [selected, rows, reveal]);

  const jumpTo = (span: number) => {
    store.getState().select(span);
    reveal(span);
  };
  const nextMatch = (step: 1 | -1) => {
    const { search, setCurrentMatch } = store.getState();
    if (!search.matches?.length) return;
    const next = nextMatchIndex(search.current, search.matches.length, step);
    setCurrentMatch(next);
    jumpTo(search.matches[next]);
  };
  const nextError = (step: 1 | -1) => {
    const s = store.getState();
    const span = nextErrorSpan(s.view.errorSpans, s.selected, step);
    if (span !== undefined) jumpTo(span);
  };

  const [sheetOpen, setSheetOpen] = useState(false);
  // Whichever action a key names, wherever the focus is on the page (but not while typing in a field).
  const runAction = (action: ShortcutAction): boolean => {
    const s = store.getState();
    const row = s.selected >= 0 ? s.rowOfSpan[s.selected] : -1;
    const moveTo = (r: number | undefined) => {
      if (r !== undefined) jumpTo(s.rows[r]);
    };
    const rowMove = ROW_MOVES.get(action);
    if (rowMove) {
      const moved = rowForKey(rowMove, row, s.rows.length, viewportRows());
      moveTo(moved);
      return moved !== undefined;
    }
    switch (action) {
      case 'collapse-or-parent':
        if (s.selected < 0) return false;
        if (s.view.childCount[s.selected] > 0 && !s.collapsed[s.selected]) s.setCollapsed(s.selected, true);
        else if (s.view.parent[s.selected] >= 0) jumpTo(s.view.parent[s.selected]);
        return true;
      case 'expand-or-child':
        if (s.selected < 0) return false;
        if (s.collapsed[s.selected]) s.setCollapsed(s.selected, false);
        else if (s.view.childCount[s.selected] > 0) moveTo(rowForKey('ArrowDown', row, s.rows.length, 1));
        return true;
      case 'open-details':
        if (s.selected < 0) return false;
        onOpenDetails();
        return true;
      case 'focus-search':
        searchInput.current?.focus();
        return true;
      case 'next-match':
      case 'previous-match':
        nextMatch(action === 'next-match' ? 1 : -1);
        return true;
      case 'next-error':
      case 'previous-error':
        nextError(action === 'next-error' ? 1 : -1);
        return true;
      case 'collapse-all':
        s.collapseAll();
        return true;
      case 'expand-all':
        s.expandAll();
        return true;
      case 'clear':
        s.select(-1);
        onCloseDetails();
        return true;
      case 'show-shortcuts':
        setSheetOpen(true);
        return true;
      default:
        return false;
    }
  };
  const onKey = useEffectEvent((e: KeyboardEvent) => {
    if (isForSomethingElse(e)) return;
    const action = shortcutAction(e.key);
    if (sheetOpen) {
      // The sheet is modal: Esc or ? closes it, other keys wait.
      if (action === 'clear' || action === 'show-shortcuts') setSheetOpen(false);
      e.preventDefault();
      return;
    }
    if (action && runAction(action)) e.preventDefault();
  });

  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => onKey(e);
    // Listening on the page, not the waterfall's box: keys work the moment the trace opens, before any click.
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  return { nextMatch, nextError, sheetOpen, closeSheet: () => setSheetOpen(false) };
}
