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
