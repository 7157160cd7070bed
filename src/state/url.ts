// The one place that reads and writes the address bar. ?url= names a trace file to fetch, ?trace= the
// open trace of a multi-trace file.
export interface UrlState {
  readonly sourceUrl: string | undefined;
  readonly traceId: string | undefined;
}

export function readUrlState(location: Location = window.location): UrlState {
  const params = new URLSearchParams(location.search);
  return { sourceUrl: params.get('url') ?? undefined, traceId: params.get('trace') ?? undefined };
}

/** Records the open trace; a new history entry so Back returns to the list. */
export function writeUrlState(next: Partial<UrlState>, mode: 'push' | 'replace'): void {
  const url = new URL(window.location.href);
  const set = (key: string, value: string | undefined) => (value === undefined ? url.searchParams.delete(key) : url.searchParams.set(key, value));
  if ('sourceUrl' in next) set('url', next.sourceUrl);
  if ('traceId' in next) set('trace', next.traceId);
  if (url.href === window.location.href) return;
  if (mode === 'push') window.history.pushState(null, '', url);
  else window.history.replaceState(null, '', url);
}

/** The parts of a trace view that the URL reproduces. */
export interface ViewParams {
  readonly selected: number | undefined;
  readonly window: readonly [number, number] | undefined;
  /** 'all', or span indices. */
  readonly collapsed: 'all' | readonly number[] | undefined;
  readonly query: string | undefined;
  readonly onlyMatches: boolean;
  readonly criticalOnly: boolean;
  readonly criticalPathHidden: boolean;
  readonly details: boolean;
  readonly skewAdjusted: boolean;
  readonly gapsCollapsed: boolean;
}

export const NO_VIEW_PARAMS: ViewParams = {
  selected: undefined,
  window: undefined,
  collapsed: undefined,
  query: undefined,
  onlyMatches: false,
  criticalOnly: false,
  criticalPathHidden: false,
  details: false,
  skewAdjusted: false,
  gapsCollapsed: false,
};

const VIEW_KEYS = ['s', 'z', 'c', 'q', 'only', 'cp', 'details', 'skew', 'gaps'];

export function readViewParams(location: Location = window.location): ViewParams {
  const p = new URLSearchParams(location.search);
  const num = (v: string | null) => (v !== null && /^\d+(\.\d+)?$/.test(v) ? Number(v) : undefined);
  const z = p.get('z')?.split(',').map(Number);
  const c = p.get('c');
  return {
    selected: num(p.get('s')),
    window: z && z.length === 2 && z.every(Number.isFinite) ? [z[0], z[1]] : undefined,
    collapsed: c === 'all' ? 'all' : c ? c.split('.').map((x) => parseInt(x, 36)).filter(Number.isFinite) : undefined,
    query: p.get('q') ?? undefined,
    onlyMatches: p.get('only') === '1',
    criticalOnly: p.get('cp') === 'only',
    criticalPathHidden: p.get('cp') === 'off',
    details: p.get('details') === '1',
    skewAdjusted: p.get('skew') === '1',
    gapsCollapsed: p.get('gaps') === '1',
  };
}

export function writeViewParams(v: ViewParams, mode: 'push' | 'replace'): void {
  const url = new URL(window.location.href);
  for (const k of VIEW_KEYS) url.searchParams.delete(k);
  if (v.selected !== undefined) url.searchParams.set('s', String(v.selected));
  if (v.window) url.searchParams.set('z', `${Math.round(v.window[0])},${Math.round(v.window[1])}`);
  if (v.collapsed === 'all') url.searchParams.set('c', 'all');
  else if (v.collapsed?.length) url.searchParams.set('c', v.collapsed.map((i) => i.toString(36)).join('.'));
  if (v.query) url.searchParams.set('q', v.query);
  if (v.onlyMatches) url.searchParams.set('only', '1');
  if (v.criticalOnly) url.searchParams.set('cp', 'only');
  else if (v.criticalPathHidden) url.searchParams.set('cp', 'off');
  if (v.details) url.searchParams.set('details', '1');
  if (v.skewAdjusted) url.searchParams.set('skew', '1');
  if (v.gapsCollapsed) url.searchParams.set('gaps', '1');
  if (url.href === window.location.href) return;
  if (mode === 'push') window.history.pushState(null, '', url);
  else window.history.replaceState(null, '', url);
}
