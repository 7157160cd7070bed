// The sampling lab's part of the URL (its keys are listed in its registry entry): the config, the head
// sampler and the scope, and the verdict a trace opened from the lab shows.
import { setOrDelete, type UrlEdit } from '../../state/url.ts';

/**
 * The sampling lab: the Collector config (absent: the reference config), the head sampler (absent: the
 * default one; '' none) and the scope (default every loaded trace). The YAML goes in as it is, percent-
 * encoded: a typical config is well under a kilobyte, and a reader can see it in the link.
 */
export interface SamplingParams {
  readonly config: string | undefined;
  readonly head: string | undefined;
  /** This trace, every loaded trace, or the traces of the embedded store that start in `range`. */
  readonly scope: 'trace' | 'all' | 'store';
  /** The store scope's trace start range, epoch ms, inclusive; an end left out is open. Absolute, so a link replays the same traces. */
  readonly range: StoreRange;
}

export interface StoreRange {
  readonly start: number | undefined;
  readonly end: number | undefined;
}

export const SAMPLING_URL_KEYS = ['scfg', 'shead', 'sscope', 'sfrom', 'sto'] as const;

/** Longest config the URL carries; a longer one stays in the page (the lab says so). */
export const SAMPLING_CONFIG_URL_LIMIT = 16 * 1024;

export function readSamplingParams(search: string): SamplingParams {
  const p = new URLSearchParams(search);
  const head = p.get('shead');
  const scope = p.get('sscope');
  const epochMs = (key: string) => {
    const value = Number(p.get(key) ?? NaN);
    return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  };
  return {
    config: p.get('scfg') ?? undefined,
    head: head === null ? undefined : head === 'none' ? '' : head,
    scope: scope === 'trace' || scope === 'store' ? scope : 'all',
    range: { start: epochMs('sfrom'), end: epochMs('sto') },
  };
}

export function samplingParamsEdit(v: SamplingParams): UrlEdit {
  return ({ searchParams: params }) => {
    setOrDelete(params, 'scfg', v.config !== undefined && v.config.length <= SAMPLING_CONFIG_URL_LIMIT ? v.config : undefined);
    setOrDelete(params, 'shead', v.head === undefined ? undefined : v.head === '' ? 'none' : v.head);
    setOrDelete(params, 'sscope', v.scope === 'all' ? undefined : v.scope);
    setOrDelete(params, 'sfrom', v.scope === 'store' ? v.range.start?.toString() : undefined);
    setOrDelete(params, 'sto', v.scope === 'store' ? v.range.end?.toString() : undefined);
  };
}

/** What the sampling lab decided for the trace it opened, shown on that trace's page. */
export interface SamplingVerdict {
  readonly traceId: string;
  /** Head and tail together. */
  readonly kept: boolean;
  /** The head sampler dropped it (before the tail sampler saw it). */
  readonly headDropped: boolean;
  /** The tail sampler alone. */
  readonly tailSampled: boolean;
  /** The tail policy that decided; undefined when none matched. */
  readonly policy: string | undefined;
}

/** `sdec=<trace id>:<kept|dropped>:<head|tail>:<tail: sampled|not_sampled>:<policy>` (the policy last: its name may hold a colon). */
export function readSamplingVerdict(search: string): SamplingVerdict | undefined {
  const match = /^([^:]+):(kept|dropped):(head|tail):(sampled|not_sampled):(.*)$/s.exec(new URLSearchParams(search).get('sdec') ?? '');
  if (!match) return undefined;
  return { traceId: match[1], kept: match[2] === 'kept', headDropped: match[3] === 'head', tailSampled: match[4] === 'sampled', policy: match[5] || undefined };
}

export function samplingVerdictEdit(v: SamplingVerdict | undefined): UrlEdit {
  return ({ searchParams: params }) =>
    setOrDelete(params, 'sdec', v && `${v.traceId}:${v.kept ? 'kept' : 'dropped'}:${v.headDropped ? 'head' : 'tail'}:${v.tailSampled ? 'sampled' : 'not_sampled'}:${v.policy ?? ''}`);
}
