// The one place that reads and writes the address bar. The source of the open trace is one of
// ?url= (a trace file anywhere), ?backend=&trace= (a trace in a configured backend) or ?share= (a file
// stored by Share); ?trace= also picks the trace of a multi-trace file. ?page=search is the search page.
import { normalizeTraceId } from '../core/model/ids.ts';

export interface UrlState {
  readonly sourceUrl: string | undefined;
  readonly backend: string | undefined;
  readonly shareId: string | undefined;
  readonly traceId: string | undefined;
  readonly page: 'search' | undefined;
}

export function readUrlState(location: Location = window.location): UrlState {
  const params = new URLSearchParams(location.search);
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

/** Records the open trace; a new history entry so Back returns to the list. */
export function writeUrlState(next: Partial<UrlState>, mode: 'push' | 'replace'): void {
  const url = new URL(window.location.href);
  for (const [field, key] of Object.entries(URL_STATE_KEYS)) {
    if (!(field in next)) continue;
    const value = next[field as keyof UrlState];
    if (value === undefined) url.searchParams.delete(key);
    else url.searchParams.set(key, value);
  }
  navigate(url, mode);
}

function navigate(url: URL, mode: 'push' | 'replace'): void {
  if (url.href === window.location.href) return;
  if (mode === 'push') window.history.pushState(null, '', url);
  else window.history.replaceState(null, '', url);
}

/** A new history entry that shows one trace of a backend, and nothing else of the page before it. */
export function pushBackendTraceUrl(backend: string, traceId: string): void {
  const url = new URL(window.location.origin + window.location.pathname);
  url.searchParams.set('backend', backend);
  url.searchParams.set('trace', traceId);
  navigate(url, 'push');
}

/** A new history entry that opens a trace file by its URL, and nothing else of the page before it. */
export function pushFileUrl(fileUrl: string): void {
  const url = new URL(window.location.origin + window.location.pathname);
  url.searchParams.set('url', fileUrl);
  navigate(url, 'push');
}

/** The current URL without its fragment, e.g. for a share link. */
export function currentAppUrl(): URL {
  const url = new URL(window.location.href);
  url.hash = '';
  return url;
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
  navigate(url, mode);
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

export function readSearchUrlState(location: Location = window.location): SearchUrlState {
  const p = new URLSearchParams(location.search);
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

export function writeSearchUrlState(s: SearchUrlState, mode: 'push' | 'replace'): void {
  const url = new URL(window.location.origin + window.location.pathname);
  url.searchParams.set('page', 'search');
  const set = (key: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
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
  navigate(url, mode);
}

/** The trace page's tabs. */
export const TRACE_TABS = ['waterfall', 'services', 'operations', 'stats', 'flame', 'compare', 'links'] as const;
export type TraceTab = (typeof TRACE_TABS)[number];

export function readTraceTab(location: Location = window.location): TraceTab {
  const tab = new URLSearchParams(location.search).get('tab');
  return TRACE_TABS.find((t) => t === tab) ?? 'waterfall';
}

export function writeTraceTab(tab: TraceTab, mode: 'push' | 'replace'): void {
  const url = new URL(window.location.href);
  if (tab === 'waterfall') url.searchParams.delete('tab');
  else url.searchParams.set('tab', tab);
  navigate(url, mode);
}

/** The links view: how the broken-trace finder joins traces, and which traces are stitched. */
export interface LinkParams {
  readonly businessKey: string | undefined;
  readonly storedContext: boolean;
  readonly stitch: readonly string[];
}

export function readLinkParams(location: Location = window.location): LinkParams {
  const p = new URLSearchParams(location.search);
  return { businessKey: p.get('key') || undefined, storedContext: p.get('ctx') === '1', stitch: (p.get('stitch') ?? '').split('.').filter(Boolean) };
}

export function writeLinkParams(v: LinkParams, mode: 'push' | 'replace'): void {
  const url = new URL(window.location.href);
  const set = (key: string, value: string | undefined) => (value ? url.searchParams.set(key, value) : url.searchParams.delete(key));
  set('key', v.businessKey);
  set('ctx', v.storedContext ? '1' : undefined);
  set('stitch', v.stitch.length ? v.stitch.join('.') : undefined);
  navigate(url, mode);
}

/** The flamegraph tab: the icicle of the trace or the merged service + operation view, and what is zoomed into. */
export interface FlameParams {
  readonly merged: boolean;
  /** The span (icicle) or node (merged) zoomed into. */
  readonly focus: number | undefined;
}

export function readFlameParams(location: Location = window.location): FlameParams {
  const p = new URLSearchParams(location.search);
  const focus = p.get('ff');
  return { merged: p.get('fm') === '1', focus: focus && /^\d{1,9}$/.test(focus) ? Number(focus) : undefined };
}

export function writeFlameParams(v: FlameParams, mode: 'push' | 'replace'): void {
  const url = new URL(window.location.href);
  if (v.merged) url.searchParams.set('fm', '1');
  else url.searchParams.delete('fm');
  if (v.focus !== undefined) url.searchParams.set('ff', String(v.focus));
  else url.searchParams.delete('ff');
  navigate(url, mode);
}

/** The compare tab: the trace the open one is compared with (the open trace is A, this one B). */
export function readCompareWith(location: Location = window.location): string | undefined {
  return new URLSearchParams(location.search).get('vs') || undefined;
}

export function writeCompareWith(traceId: string | undefined, mode: 'push' | 'replace'): void {
  const url = new URL(window.location.href);
  if (traceId) url.searchParams.set('vs', traceId);
  else url.searchParams.delete('vs');
  navigate(url, mode);
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

export function readAnalysisParams(location: Location = window.location): AnalysisParams {
  const p = new URLSearchParams(location.search);
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

export function writeAnalysisParams(v: AnalysisParams, mode: 'push' | 'replace'): void {
  const url = new URL(window.location.href);
  const set = (key: string, value: string | undefined) => (value ? url.searchParams.set(key, value) : url.searchParams.delete(key));
  set('scope', v.allTraces ? 'all' : undefined);
  set('metric', v.metric === 'spans' ? undefined : v.metric);
  set('layout', v.layout);
  set('focus', v.graphFocus);
  set('by', v.statsBy === 'operation' ? undefined : v.statsBy);
  set('attr', v.statsBy === 'attribute' ? v.statsAttribute : undefined);
  navigate(url, mode);
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

export function readCompareSettings(location: Location = window.location): CompareSettings {
  const p = new URLSearchParams(location.search);
  const relative = Number(p.get('thr'));
  const path = p.get('cpath');
  return {
    mode: p.get('cmode') === 'paths' ? 'paths' : 'tree',
    onlyChanged: p.get('changed') === '1',
    relative: relative > 0 && relative < 100 ? relative : DEFAULT_COMPARE_SETTINGS.relative,
    path: path && /^\d{1,9}$/.test(path) ? Number(path) : undefined,
  };
}

export function writeCompareSettings(v: CompareSettings, mode: 'push' | 'replace'): void {
  const url = new URL(window.location.href);
  const set = (key: string, value: string | undefined) => (value ? url.searchParams.set(key, value) : url.searchParams.delete(key));
  set('cmode', v.mode === 'paths' ? 'paths' : undefined);
  set('changed', v.onlyChanged ? '1' : undefined);
  set('thr', v.relative !== DEFAULT_COMPARE_SETTINGS.relative ? String(v.relative) : undefined);
  set('cpath', v.path === undefined ? undefined : String(v.path));
  navigate(url, mode);
}
