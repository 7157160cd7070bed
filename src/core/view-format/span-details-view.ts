// One span's details as the worker sends them for the details panel (see Workspace.spanDetails).
import type { SpanDetails, SpanLinkDetails } from '../model/span-details.ts';

/** A link of the span, its target (when loaded) named by trace id: it may be in any collection of the workspace. */
export interface SpanLinkView extends Omit<SpanLinkDetails, 'target'> {
  readonly target: { readonly traceId: string; readonly span: number } | undefined;
}

/** A span's details plus what the worker works out for the panel. */
export interface SpanDetailsView extends Omit<SpanDetails, 'links'> {
  readonly links: readonly SpanLinkView[];
  readonly errorMessage: string | undefined;
}
