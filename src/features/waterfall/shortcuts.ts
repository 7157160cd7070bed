// The waterfall's keyboard shortcuts as one table: the page-level key handler looks a key up here, and
// the shortcut sheet (`?`) lists the same rows, so the sheet cannot drift from what the keys do.

export type ShortcutAction =
  | 'down'
  | 'up'
  | 'page-down'
  | 'page-up'
  | 'first'
  | 'last'
  | 'collapse-or-parent'
  | 'expand-or-child'
  | 'open-details'
  | 'focus-search'
  | 'next-match'
  | 'previous-match'
  | 'next-error'
  | 'previous-error'
  | 'collapse-all'
  | 'expand-all'
  | 'clear'
  | 'show-shortcuts';

export interface Shortcut {
  /** `KeyboardEvent.key` values that trigger it. */
  readonly keys: readonly string[];
  readonly action: ShortcutAction;
  readonly description: string;
}

export const WATERFALL_SHORTCUTS: readonly Shortcut[] = [
  { keys: ['ArrowDown', 'j'], action: 'down', description: 'Next span' },
  { keys: ['ArrowUp', 'k'], action: 'up', description: 'Previous span' },
  { keys: ['PageDown'], action: 'page-down', description: 'One screen down' },
  { keys: ['PageUp'], action: 'page-up', description: 'One screen up' },
  { keys: ['Home'], action: 'first', description: 'First span' },
  { keys: ['End'], action: 'last', description: 'Last span' },
  { keys: ['ArrowLeft', 'h'], action: 'collapse-or-parent', description: 'Collapse the span, or go to its parent' },
  { keys: ['ArrowRight', 'l'], action: 'expand-or-child', description: 'Expand the span, or go to its first child' },
  { keys: ['Enter'], action: 'open-details', description: 'Open the span’s details' },
  { keys: ['/'], action: 'focus-search', description: 'Search the spans' },
  { keys: ['n'], action: 'next-match', description: 'Next search match' },
  { keys: ['N'], action: 'previous-match', description: 'Previous search match' },
  { keys: ['e'], action: 'next-error', description: 'Next error span' },
  { keys: ['E'], action: 'previous-error', description: 'Previous error span' },
  { keys: ['['], action: 'collapse-all', description: 'Collapse all' },
  { keys: [']'], action: 'expand-all', description: 'Expand all' },
  { keys: ['Escape'], action: 'clear', description: 'Clear the selection and close the details' },
  { keys: ['?'], action: 'show-shortcuts', description: 'Show these shortcuts' },
];

const ACTION_OF_KEY = new Map(WATERFALL_SHORTCUTS.flatMap((s) => s.keys.map((k) => [k, s.action] as const)));

/** The action a key press asks for; undefined for keys the waterfall leaves alone. */
export function shortcutAction(key: string): ShortcutAction | undefined {
  return ACTION_OF_KEY.get(key);
}

/** A key as the sheet shows it. */
export function keyLabel(key: string): string {
  const arrows: Record<string, string> = { ArrowDown: '↓', ArrowUp: '↑', ArrowLeft: '←', ArrowRight: '→', Escape: 'Esc', PageDown: 'PgDn', PageUp: 'PgUp' };
  return arrows[key] ?? (key.length === 1 && key !== key.toLowerCase() ? `Shift+${key.toLowerCase()}` : key);
}

/**
 * True for key presses that belong to something else: typing in a field, a key with a modifier (browser
 * and OS shortcuts), or one a control already handled.
 */
export function isForSomethingElse(e: Pick<KeyboardEvent, 'target' | 'ctrlKey' | 'metaKey' | 'altKey' | 'defaultPrevented'>): boolean {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return true;
  const target = e.target;
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target.closest('[role=dialog]:not([data-shortcut-sheet])')) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}
