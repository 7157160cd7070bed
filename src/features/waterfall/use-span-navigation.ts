// Moving through the spans: jump to a span (select it, scroll its row and its bar into view), the next
// search match or error, and the keyboard map over them. A selection made anywhere else (header error
// count, a link, a graph) and a change of the rows (a filter, a collapse) also keep the selected span on screen.
import { useCallback, useEffect, type KeyboardEvent, type RefObject } from 'react';
import { useTraceView, useTraceViewStore } from '../../state/trace-view-context.ts';
import { scrollRowToReveal, windowToReveal } from './waterfall-layout.ts';
import { nextErrorSpan, nextMatchIndex, rowForKey } from './waterfall-navigation.ts';

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
  onKeyDown(e: KeyboardEvent<HTMLElement>): void;
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

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const s = store.getState();
    const row = s.selected >= 0 ? s.rowOfSpan[s.selected] : -1;
    const moveTo = (r: number | undefined) => {
      if (r !== undefined) jumpTo(s.rows[r]);
    };
    const moved = rowForKey(e.key, row, s.rows.length, viewportRows());
    if (moved !== undefined) {
      moveTo(moved);
      e.preventDefault();
      return;
    }
    switch (e.key) {
      case 'ArrowLeft':
        if (s.selected < 0) return;
        if (s.view.childCount[s.selected] > 0 && !s.collapsed[s.selected]) s.setCollapsed(s.selected, true);
        else if (s.view.parent[s.selected] >= 0) jumpTo(s.view.parent[s.selected]);
        break;
      case 'ArrowRight':
        if (s.selected < 0) return;
        if (s.collapsed[s.selected]) s.setCollapsed(s.selected, false);
        else if (s.view.childCount[s.selected] > 0) moveTo(rowForKey('ArrowDown', row, s.rows.length, 1));
        break;
      case 'Enter':
        if (s.selected >= 0) onOpenDetails();
        break;
      case '/':
        searchInput.current?.focus();
        break;
      case 'n':
      case 'N':
        nextMatch(e.key === 'n' ? 1 : -1);
        break;
      case 'e':
      case 'E':
        nextError(e.key === 'e' ? 1 : -1);
        break;
      case '[':
        s.collapseAll();
        break;
      case ']':
        s.expandAll();
        break;
      case 'Escape':
        s.select(-1);
        onCloseDetails();
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  return { nextMatch, nextError, onKeyDown };
}
