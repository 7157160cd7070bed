// The trace page's views, in tab order. A new view is a folder under src/features whose component
// takes TraceViewProps, plus one entry here: its tab id (in the URL as ?tab=, so never renamed: old
// links name it), label, lazy loader, the URL keys its settings live in, and the worker analyses it asks for.
import type { AnalysisQuery } from '../core/view-format/analysis-answers.ts';
import type { TraceViewProps } from '../state/navigation.ts';
import { SAMPLING_URL_KEYS } from '../features/sampling/sampling-url.ts';
import { SPAN_TABLE_URL_KEYS } from '../features/span-table/span-table-url.ts';
import { COMPARE_URL_KEYS, FLAME_URL_KEYS, LINK_URL_KEYS, VIEW_URL_KEYS } from '../state/url.ts';
import { lazyView, preloadWhenIdle, type LazyView } from './lazy-view.tsx';

interface ViewEntry {
  readonly id: string;
  readonly label: string;
  /** The query keys its settings use (some are shared: the flamegraph uses the waterfall's s, z, q and skew). */
  readonly urlKeys: readonly string[];
  readonly analyses: readonly AnalysisQuery['kind'][];
  /** Offered over every trace of a multi-trace file, from its trace list, under this label. */
  readonly aggregateLabel?: string;
}

/** The waterfall: the trace page's own view (its store lives with the page), and the default tab. */
export interface WaterfallEntry extends ViewEntry {
  readonly kind: 'waterfall';
}

/** Any other view: its code loads on first use, and once the page is idle. */
export interface LazyEntry extends ViewEntry {
  readonly kind: 'lazy';
  readonly view: LazyView<TraceViewProps>;
}

export type TraceViewEntry = WaterfallEntry | LazyEntry;

const lazy = lazyView<TraceViewProps>;

export const TRACE_VIEWS = [
  { kind: 'waterfall', id: 'waterfall', label: 'Waterfall', urlKeys: VIEW_URL_KEYS, analyses: ['spanLinks'] },
  {
    kind: 'lazy',
    id: 'spans',
    label: 'Spans',
    view: lazy(() => import('../features/span-table/SpanTableView.tsx').then((m) => m.SpanTableView)),
    urlKeys: SPAN_TABLE_URL_KEYS,
    analyses: ['spanTable'],
  },
  {
    kind: 'lazy',
    id: 'services',
    label: 'Services',
    view: lazy(() => import('../features/service-graph/ServicesView.tsx').then((m) => m.ServicesView)),
    urlKeys: ['scope', 'metric', 'layout', 'focus'],
    analyses: ['serviceGraph'],
    aggregateLabel: 'Service graph',
  },
  {
    kind: 'lazy',
    id: 'operations',
    label: 'Operations',
    view: lazy(() => import('../features/service-graph/OperationsView.tsx').then((m) => m.OperationsView)),
    urlKeys: ['scope'],
    analyses: ['operationGraph'],
    aggregateLabel: 'Operations',
  },
  {
    kind: 'lazy',
    id: 'stats',
    label: 'Statistics',
    view: lazy(() => import('../features/stats/StatsView.tsx').then((m) => m.StatsView)),
    urlKeys: ['scope', 'by', 'attr'],
    analyses: ['stats'],
    aggregateLabel: 'Statistics',
  },
  {
    kind: 'lazy',
    id: 'flame',
    label: 'Flamegraph',
    view: lazy(() => import('../features/flamegraph/FlameView.tsx').then((m) => m.FlameView)),
    urlKeys: [...FLAME_URL_KEYS, 'scope'],
    analyses: ['mergedFlame'],
  },
  {
    kind: 'lazy',
    id: 'compare',
    label: 'Compare',
    view: lazy(() => import('../features/trace-diff/CompareView.tsx').then((m) => m.CompareView)),
    urlKeys: COMPARE_URL_KEYS,
    analyses: ['diff'],
  },
  { kind: 'lazy', id: 'links', label: 'Links', view: lazy(() => import('../features/links/LinksView.tsx').then((m) => m.LinksView)), urlKeys: LINK_URL_KEYS, analyses: ['linkGraph', 'stitch'] },
  {
    kind: 'lazy',
    id: 'sampling',
    label: 'Sampling',
    view: lazy(() => import('../features/sampling/SamplingView.tsx').then((m) => m.SamplingView)),
    urlKeys: SAMPLING_URL_KEYS,
    analyses: ['sampling'],
    aggregateLabel: 'Sampling',
  },
] as const satisfies readonly TraceViewEntry[];

export type TraceTab = (typeof TRACE_VIEWS)[number]['id'];

/** The views a multi-trace file offers over all its traces, with their labels there. */
export const AGGREGATE_VIEWS: readonly { readonly id: TraceTab; readonly label: string }[] = TRACE_VIEWS.flatMap((v) =>
  'aggregateLabel' in v ? [{ id: v.id, label: v.aggregateLabel }] : [],
);

/** The view a `tab=` value names; none (or one no longer known) is the waterfall. */
export function traceViewOf(tab: string | undefined): TraceViewEntry {
  return TRACE_VIEWS.find((v) => v.id === tab) ?? TRACE_VIEWS[0];
}

/** Fetches every lazy view's code once the page is idle: a tab's first opening then renders at once. */
export function preloadTraceViewsWhenIdle(): void {
  preloadWhenIdle(TRACE_VIEWS.flatMap((v) => (v.kind === 'lazy' ? [v.view] : [])));
}
