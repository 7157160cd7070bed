// The search form's state (as the URL holds it) → a TraceSearchQuery, or the first problem to show.
import type { TraceSearchQuery } from '../../core/api/backend-api.ts';
import { MAX_SEARCH_LIMIT } from '../../core/api/backend-api.ts';
import { parseDurationUs, parseTags } from '../../core/api/search-params.ts';
import type { SearchUrlState } from '../../state/url.ts';
import { LOOKBACKS } from '../../core/api/lookbacks.ts';


/** The embedded store holds files from any time; a live backend is searched over the last hour, as Jaeger does. */
export function defaultLookback(backendType: string | undefined): string {
  return backendType === 'embedded' ? 'all' : '1h';
}

/** A query to run, a problem in the form to fix, or a hint of what the backend still needs. */
export type FormOutcome =
  | { readonly query: TraceSearchQuery; readonly problem?: undefined; readonly hint?: undefined }
  | { readonly problem: string; readonly hint?: undefined; readonly query?: undefined }
  | { readonly hint: string; readonly problem?: undefined; readonly query?: undefined };

export function toSearchQuery(form: SearchUrlState, nowMs: number, backendType: string | undefined): FormOutcome {
  // Jaeger's query API searches one service at a time.
  if (backendType === 'jaeger' && !form.service) return { hint: 'Pick a service: Jaeger searches one service at a time.' };
  const tags = parseTags(form.tags);
  if (typeof tags === 'string') return { problem: tags.replace(/^tags: /, 'Tags: ') };
  const minDurationUs = form.minDuration.trim() ? parseDurationUs(form.minDuration) : undefined;
  if (form.minDuration.trim() && minDurationUs === undefined) return { problem: `Min duration "${form.minDuration}" is not a duration (e.g. 250ms, 1.5s)` };
  const maxDurationUs = form.maxDuration.trim() ? parseDurationUs(form.maxDuration) : undefined;
  if (form.maxDuration.trim() && maxDurationUs === undefined) return { problem: `Max duration "${form.maxDuration}" is not a duration (e.g. 250ms, 1.5s)` };
  if (minDurationUs !== undefined && maxDurationUs !== undefined && minDurationUs > maxDurationUs) return { problem: 'Min duration is larger than max duration' };
  if (form.limit < 1 || form.limit > MAX_SEARCH_LIMIT) return { problem: `Limit must be between 1 and ${MAX_SEARCH_LIMIT}` };
  let startMs: number | undefined;
  let endMs: number | undefined;
  if (form.lookback === 'custom') {
    if (form.start === undefined || form.end === undefined) return { problem: 'Pick a start and an end time' };
    if (form.start > form.end) return { problem: 'The start time is after the end time' };
    [startMs, endMs] = [form.start, form.end];
  } else {
    const value = form.lookback || defaultLookback(backendType);
    const lookback = LOOKBACKS.find((l) => l.value === value) ?? LOOKBACKS[1];
    // No end: a refetch (live results) also finds traces that started after the search was made.
    if (Number.isFinite(lookback.ms)) startMs = nowMs - lookback.ms;
  }
  return {
    query: {
      service: form.service || undefined,
      operation: form.operation || undefined,
      tags: tags.length ? tags : undefined,
      minDurationUs,
      maxDurationUs,
      startMs,
      endMs,
      limit: form.limit,
      errorsOnly: form.errorsOnly || undefined,
      traceQl: form.traceQl.trim() || undefined,
    },
  };
}
