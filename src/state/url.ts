// The one place that reads and writes the address bar. The source of the open trace is one of
// ?url= (a trace file anywhere), ?backend=&trace= (a trace in a configured backend) or ?share= (a file
// stored by Share); ?trace= also picks the trace of a multi-trace file. ?page=search is the search page.
//
// A UrlStore (one per app) holds the query string and is its one subscription: it listens for
// Back/Forward and is told of every write, which goes through it as a list of edits (one history step).
// The read* functions parse a query string; the *Edit functions return edits.
import { createStore, type StoreApi } from 'zustand';
import { normalizeTraceId } from '../core/model/ids.ts';

export type HistoryMode = 'push' | 'replace';

/** A change to the URL; several make one history step. */
export type UrlEdit = (url: URL) => void;

export interface UrlSnapshot {
  /** `location.search`. */
  readonly search: string;
  /**
   * Counts the changes the app follows as it follows Back/Forward (the trace to open, the view to
   * restore): each popstate, and each write made with `follow`. A plain write leaves it as it is.
   */
  readonly followed: number;
}

/** The parts of `window` the store uses (a test hands in its own). */
export interface UrlWindow {
  readonly location: Pick<Location, 'href' | 'search' | 'hash'>;
  readonly history: Pick<History, 'pushState' | 'replaceState'>;
  addEventListener(type: 'popstate', listener: () => void): void;
  removeEventListener(type: 'popstate', listener: () => void): void;
}

export interface UrlStore {
  readonly state: StoreApi<UrlSnapshot>;
  /** Applies the edits to the current URL as one history step (none when nothing changes). */
  change(mode: HistoryMode, edits: readonly UrlEdit[], options?: { readonly follow?: boolean }): void;
  /** Follows Back/Forward until the returned function is called. */
  listen(): () => void;
  /** The current URL without its fragment, e.g. for a share link. */
  appUrl(): URL;
  /** The fragment (a trace carried in the link itself). */
  hash(): string;
}

export function createUrlStore(win: UrlWindow = window): UrlStore {
  const state = createStore<UrlSnapshot>(() => ({ search: win.location.search, followed: 0 }));
  const onPop = () => state.setState((s) => ({ search: win.location.search, followed: s.followed + 1 }));
  return {
    state,
    change(mode, edits, options = {}) {
      const url = new URL(win.location.href);
      for (const edit of edits) edit(url);
      if (url.href !== win.location.href) {
        if (mode === 'push') win.history.pushState(null, '', url);
        else win.history.replaceState(null, '', url);
      }
      state.setState((s) => ({ search: win.location.search, followed: options.follow ? s.followed + 1 : s.followed }));
    },
    listen() {
      win.addEventListener('popstate', onPop);
      state.setState({ search: win.location.search });
      return () => win.removeEventListener('popstate', onPop);
    },
    appUrl() {
      const url = new URL(win.location.href);
      url.hash = '';
      return url;
    },
    hash: () => win.location.hash,
  };
}

/** Leaves nothing of the URL before it (a new source, the search page). */
export const clearAllEdit: UrlEdit = (url) => {
  url.search = '';
  url.hash = '';
};

/** Sets a query key, or removes it when the value is empty: a view's URL edits are built from this. */
export const setOrDelete = (params: URLSearchParams, key: string, value: string | undefined) => (value ? params.set(key, value) : params.delete(key));

export interface UrlState {
  readonly sourceUrl: string | undefined;
  readonly backend: string | undefined;
  readonly shareId: string | undefined;
  readonly traceId: string | undefined;
  readonly page: 'search' | undefined;
}

export function readUrlState(search: string): UrlState {
  const params = new URLSearchParams(search);
  const get = (key: string) => params.get(key) || undefined;
  return {
    sourceUrl: get('url'),
    backend: get('backend'),
    shareId: get('share'),
    traceId: get('trace'),
    page: params.get('page') === 'search' ? 'search' : undefined,
  };
}

/**
 * The loaded trace a `trace=` value names: a short hex id (64-bit, or typed without its leading zeros)
 * is the 32-digit id the model keeps; anything else (a stitched view's id) is taken as it is.
 */
export function traceIdFromUrl(value: string | undefined): string | undefined {
  return value === undefined ? undefined : normalizeTraceId(value) || value;
}

const URL_STATE_KEYS: Record<keyof UrlState, string> = { sourceUrl: 'url', backend: 'backend', shareId: 'share', traceId: 'trace', page: 'page' };

/** The open source and trace: the fields given are set (or, undefined, removed), the others stay. */
export function urlStateEdit(next: Partial<UrlState>): UrlEdit {
  return ({ searchParams: params }) => {
    for (const [field, key] of Object.entries(URL_STATE_KEYS)) {
      if (field in next) setOrDelete(params, key, next[field as keyof UrlState]);
    }
  };
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

/** The waterfall's keys (the flamegraph shares s, z, q and skew). */
export const VIEW_URL_KEYS = ['s', 'z', 'c', 'q', 'only', 'cp', 'details', 'skew', 'gaps'] as const;

export function readViewParams(search: string): ViewParams {
  const p = new URLSearchParams(search);
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

export function viewParamsEdit(v: ViewParams): UrlEdit {
  return ({ searchParams: params }) => {
    for (const k of VIEW_URL_KEYS) params.delete(k);
    if (v.selected !== undefined) params.set('s', String(v.selected));
    if (v.window) params.set('z', `${Math.round(v.window[0])},${Math.round(v.window[1])}`);
    if (v.collapsed === 'all') params.set('c', 'all');
    else if (v.collapsed?.length) params.set('c', v.collapsed.map((i) => i.toString(36)).join('.'));
    if (v.query) params.set('q', v.query);
    if (v.onlyMatches) params.set('only', '1');
    if (v.criticalOnly) params.set('cp', 'only');
    else if (v.criticalPathHidden) params.set('cp', 'off');
    if (v.details) params.set('details', '1');
    if (v.skewAdjusted) params.set('skew', '1');
    if (v.gapsCollapsed) params.set('gaps', '1');
  };
}

/** The search page's form, in the URL so a search can be bookmarked and shared. */
export interface SearchUrlState {
  readonly backend: string | undefined;
  readonly service: string;
  readonly operation: string;
  /** logfmt: `http.status_code=500 error=true` */
  readonly tags: string;
  /** '' for the backend's default (see defaultLookback). */
  readonly lookback: string;
  /** Epoch ms, used when lookback is 'custom'. */
  readonly start: number | undefined;
  readonly end: number | undefined;
  readonly minDuration: string;
  readonly maxDuration: string;
  readonly limit: number;
  readonly errorsOnly: boolean;
  readonly traceQl: string;
}

export function readSearchUrlState(search: string): SearchUrlState {
  const p = new URLSearchParams(search);
  const ms = (v: string | null) => (v && /^\d{1,15}$/.test(v) ? Number(v) : undefined);
  const limit = Number(p.get('limit'));
  return {
    backend: p.get('backend') || undefined,
    service: p.get('service') ?? '',
    operation: p.get('operation') ?? '',
    tags: p.get('tags') ?? '',
    lookback: p.get('lookback') ?? '',
    start: ms(p.get('start')),
    end: ms(p.get('end')),
    minDuration: p.get('minDuration') ?? '',
    maxDuration: p.get('maxDuration') ?? '',
    limit: Number.isInteger(limit) && limit > 0 ? limit : 20,
    errorsOnly: p.get('errors') === '1',
    traceQl: p.get('traceql') ?? '',
  };
}

/** The search page with this form, and nothing else of the page before it. */
export function searchUrlStateEdit(s: SearchUrlState): UrlEdit {
  return (url) => {
    clearAllEdit(url);
    const params = url.searchParams;
    params.set('page', 'search');
    const set = (key: string, value: string | number | undefined) => {
      if (value !== undefined && value !== '') params.set(key, String(value));
    };
    set('backend', s.backend);
    set('service', s.service);
    set('operation', s.operation);
    set('tags', s.tags);
    set('lookback', s.lookback);
    if (s.lookback === 'custom') {
      set('start', s.start);
      set('end', s.end);
    }
    set('minDuration', s.minDuration);
    set('maxDuration', s.maxDuration);
    set('limit', s.limit);
    if (s.errorsOnly) set('errors', '1');
    set('traceql', s.traceQl);
  };
}

/** The trace page's tab (its views are listed in src/app/trace-views.ts); none is the waterfall. */
export function readTraceTab(search: string): string | undefined {
  return new URLSearchParams(search).get('tab') || undefined;
}

export function traceTabEdit(tab: string): UrlEdit {
  return ({ searchParams: params }) => setOrDelete(params, 'tab', tab === 'waterfall' ? undefined : tab);
}

/** The links view: how the broken-trace finder joins traces, and which traces are stitched. */
export interface LinkParams {
  readonly businessKey: string | undefined;
  readonly storedContext: boolean;
  readonly stitch: readonly string[];
  /** How far apart (either way) traces may start and still be joined: `30m`, `1h`, `7d`. */
  readonly window: string;
}

export const LINK_URL_KEYS = ['key', 'ctx', 'stitch', 'win'] as const;
export const DEFAULT_JOIN_WINDOW = '1h';
const WINDOW_UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A join window's milliseconds; undefined for text that is not `<number><m|h|d>`. */
export function joinWindowMs(text: string): number | undefined {
  const m = /^(\d{1,4})([mhd])$/.exec(text.trim());
  return m && Number(m[1]) > 0 ? Number(m[1]) * WINDOW_UNIT_MS[m[2]] : undefined;
}

export function readLinkParams(search: string): LinkParams {
  const p = new URLSearchParams(search);
  const window = p.get('win') ?? '';
  return {
    businessKey: p.get('key') || undefined,
    storedContext: p.get('ctx') === '1',
    stitch: (p.get('stitch') ?? '').split('.').filter(Boolean),
    window: joinWindowMs(window) === undefined ? DEFAULT_JOIN_WINDOW : window,
  };
}

export function linkParamsEdit(v: LinkParams): UrlEdit {
  return ({ searchParams: params }) => {
    setOrDelete(params, 'key', v.businessKey);
    setOrDelete(params, 'ctx', v.storedContext ? '1' : undefined);
    setOrDelete(params, 'stitch', v.stitch.length ? v.stitch.join('.') : undefined);
    setOrDelete(params, 'win', v.window === DEFAULT_JOIN_WINDOW ? undefined : v.window);
  };
}

/** The flamegraph tab: the icicle of the trace or the merged service + operation view, and what is zoomed into. */
export interface FlameParams {
  readonly merged: boolean;
  /** The span (icicle) or node (merged) zoomed into. */
  readonly focus: number | undefined;
}

export const FLAME_URL_KEYS = ['fm', 'ff'] as const;

export function readFlameParams(search: string): FlameParams {
  const p = new URLSearchParams(search);
  const focus = p.get('ff');
  return { merged: p.get('fm') === '1', focus: focus && /^\d{1,9}$/.test(focus) ? Number(focus) : undefined };
}

export function flameParamsEdit(v: FlameParams): UrlEdit {
  return ({ searchParams: params }) => {
    setOrDelete(params, 'fm', v.merged ? '1' : undefined);
    setOrDelete(params, 'ff', v.focus === undefined ? undefined : String(v.focus));
  };
}

/** The compare tab: the trace the open one is compared with (the open trace is A, this one B). */
export function readCompareWith(search: string): string | undefined {
  return traceIdFromUrl(new URLSearchParams(search).get('vs') || undefined);
}

export function compareWithEdit(traceId: string | undefined): UrlEdit {
  return ({ searchParams: params }) => setOrDelete(params, 'vs', traceId);
}

/** The Service graph, Operations and Statistics tabs: what they aggregate and how they show it. */
export interface AnalysisParams {
  /** Every loaded trace rather than the open one. */
  readonly allTraces: boolean;
  readonly metric: 'spans' | 'selfTime' | 'errorRate';
  /** undefined: the graph's own default. */
  readonly layout: 'layered' | 'force' | undefined;
  /** The service graph shows this node with its callers and callees only. */
  readonly graphFocus: string | undefined;
  readonly statsBy: 'service' | 'operation' | 'attribute';
  readonly statsAttribute: string;
}

export function readAnalysisParams(search: string): AnalysisParams {
  const p = new URLSearchParams(search);
  const oneOf = <T extends string>(value: string | null, options: readonly T[], fallback: T): T => options.find((o) => o === value) ?? fallback;
  const layout = p.get('layout');
  return {
    allTraces: p.get('scope') === 'all',
    metric: oneOf(p.get('metric'), ['spans', 'selfTime', 'errorRate'], 'spans'),
    layout: layout === 'layered' || layout === 'force' ? layout : undefined,
    graphFocus: p.get('focus') || undefined,
    statsBy: oneOf(p.get('by'), ['service', 'operation', 'attribute'], 'operation'),
    statsAttribute: p.get('attr') || 'http.route',
  };
}

export function analysisParamsEdit(v: AnalysisParams): UrlEdit {
  return ({ searchParams: params }) => {
    setOrDelete(params, 'scope', v.allTraces ? 'all' : undefined);
    setOrDelete(params, 'metric', v.metric === 'spans' ? undefined : v.metric);
    setOrDelete(params, 'layout', v.layout);
    setOrDelete(params, 'focus', v.graphFocus);
    setOrDelete(params, 'by', v.statsBy === 'operation' ? undefined : v.statsBy);
    setOrDelete(params, 'attr', v.statsBy === 'attribute' ? v.statsAttribute : undefined);
  };
}

/** The compare tab's view of the diff: tree or per-path table, what it hides, the path it narrows to. */
export interface CompareSettings {
  readonly mode: 'tree' | 'paths';
  readonly onlyChanged: boolean;
  /** "Changed" means beyond this fraction of the span's duration in A. */
  readonly relative: number;
  /** A node of the per-path tree: the span tree shows that path only. */
  readonly path: number | undefined;
}

export const DEFAULT_COMPARE_SETTINGS: CompareSettings = { mode: 'tree', onlyChanged: false, relative: 0.1, path: undefined };

/** The compared trace (vs) and how the diff shows. */
export const COMPARE_URL_KEYS = ['vs', 'cmode', 'changed', 'thr', 'cpath'] as const;

export function readCompareSettings(search: string): CompareSettings {
  const p = new URLSearchParams(search);
  const relative = Number(p.get('thr'));
  const path = p.get('cpath');
  return {
    mode: p.get('cmode') === 'paths' ? 'paths' : 'tree',
    onlyChanged: p.get('changed') === '1',
    relative: relative > 0 && relative < 100 ? relative : DEFAULT_COMPARE_SETTINGS.relative,
    path: path && /^\d{1,9}$/.test(path) ? Number(path) : undefined,
  };
}

export function compareSettingsEdit(v: CompareSettings): UrlEdit {
  return ({ searchParams: params }) => {
    setOrDelete(params, 'cmode', v.mode === 'paths' ? 'paths' : undefined);
    setOrDelete(params, 'changed', v.onlyChanged ? '1' : undefined);
    setOrDelete(params, 'thr', v.relative !== DEFAULT_COMPARE_SETTINGS.relative ? String(v.relative) : undefined);
    setOrDelete(params, 'cpath', v.path === undefined ? undefined : String(v.path));
  };
}
