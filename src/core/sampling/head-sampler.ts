// Head samplers as the SDKs configure them from OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG.
//
// traceidratio differs between SDKs, so each rule is a named variant:
//  - 'go'   (default; Go SDK sdk/trace/sampling.go, and the Java SDK's rule in substance): the trace
//           id's lower 8 bytes, big-endian, shifted right by one, < ratio × 2^63.
//  - 'js'   (@opentelemetry/sdk-trace 2.12 TraceIdRatioBasedSampler): the XOR of the id's four 32-bit
//           words < floor(ratio × 0xffffffff) (2^32 when ratio is 1).
//  - 'consistent' (OpenTelemetry consistent probability sampling, "TraceState: Probability Sampling"):
//           randomness R is the `rv` value of the root span's `ot` tracestate entry when present, else the
//           trace id's lower 56 bits, which the W3C Trace Context Level 2 random flag (trace flags bit
//           0x02; OTLP keeps the flags in Span.flags bits 0–7) declares random. With neither, the id is
//           still used (no other randomness is left), but the decision says so (randomness 'assumed'),
//           so the lab counts those traces instead of silently trusting their ids. Sampled when R ≥ T,
//           T = 2^56 − round(ratio × 2^56). A root's `ot=th:` is the threshold an upstream sampler kept
//           it at, so R ≥ th is known: a replayed threshold at or below th keeps the trace whatever its
//           randomness.
// parentbased_*: a trace's root span has no parent, so the root sampler decides; a trace whose root is
// an orphan (its parent is in another process and not in the file) had a sampled parent, or it would
// not have been recorded, so it is kept.
import { traceStateValue } from './policies.ts';

export type RatioRule = 'go' | 'js' | 'consistent';
export const RATIO_RULES: readonly RatioRule[] = ['go', 'js', 'consistent'];

export type HeadSampler =
  | { readonly kind: 'always_on' }
  | { readonly kind: 'always_off' }
  | { readonly kind: 'traceidratio'; readonly ratio: number; readonly rule: RatioRule }
  | { readonly kind: 'parentbased'; readonly root: HeadSampler };

export interface HeadSamplerError {
  readonly error: string;
}

const NAMES = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'];

/**
 * `name[:arg[:rule]]` with the OTEL_TRACES_SAMPLER names, e.g. "parentbased_traceidratio:0.1" or
 * "traceidratio:0.25:js". A missing ratio is 1, as in the SDKs.
 */
export function parseHeadSampler(text: string): HeadSampler | HeadSamplerError {
  const [name, arg, rule = 'go', ...rest] = text.trim().split(':');
  if (!NAMES.includes(name)) return { error: `unknown head sampler "${name}" (known: ${NAMES.join(', ')})` };
  if (rest.length > 0) return { error: `head sampler "${text}": expected name[:ratio[:rule]]` };
  if (!(RATIO_RULES as readonly string[]).includes(rule)) return { error: `unknown traceidratio rule "${rule}" (known: ${RATIO_RULES.join(', ')})` };
  const ratioNeeded = name.endsWith('traceidratio');
  if (!ratioNeeded && arg !== undefined) return { error: `head sampler ${name} takes no argument` };
  const ratio = arg === undefined ? 1 : Number(arg);
  if (ratioNeeded && (arg?.trim() === '' || !Number.isFinite(ratio) || ratio < 0 || ratio > 1)) return { error: `head sampler ${name}: the ratio must be a number from 0 to 1 (got "${arg}")` };
  const base = name.replace('parentbased_', '');
  const root: HeadSampler = base === 'traceidratio' ? { kind: 'traceidratio', ratio, rule: rule as RatioRule } : { kind: base as 'always_on' | 'always_off' };
  return name.startsWith('parentbased_') ? { kind: 'parentbased', root } : root;
}

/** The name back, for the summary and the URL. */
export function formatHeadSampler(s: HeadSampler): string {
  if (s.kind === 'parentbased') return `parentbased_${formatHeadSampler(s.root)}`;
  if (s.kind === 'traceidratio') return `traceidratio:${s.ratio}${s.rule === 'go' ? '' : `:${s.rule}`}`;
  return s.kind;
}

export interface HeadTraceInput {
  readonly traceId: string;
  /** The root span's tracestate ('' when none). */
  readonly rootTraceState: string;
  /** The root span's parent id is set but not in the trace. */
  readonly rootIsOrphan: boolean;
  /** The root span's W3C trace flags, or undefined when the file does not record them (only OTLP does). */
  readonly rootTraceFlags: number | undefined;
}

/** W3C Trace Context Level 2: the trace id's lower 56 bits are random. */
export const W3C_RANDOM_FLAG = 0x02;

/**
 * Where the consistent rule took a trace's randomness from: the tracestate's `ot=rv`, the trace id
 * flagged random by the W3C random flag, or the id with neither (its randomness assumed).
 */
export type RandomnessSource = 'rv' | 'random-flag' | 'assumed';

export interface HeadVerdict {
  readonly kept: boolean;
  /** Set when the consistent rule decided from the randomness (not from an orphan root or an upstream th). */
  readonly randomness?: RandomnessSource;
}

export function headDecision(s: HeadSampler, trace: HeadTraceInput): boolean {
  return headVerdict(s, trace).kept;
}

const KEPT: HeadVerdict = { kept: true };
const NOT_KEPT: HeadVerdict = { kept: false };

export function headVerdict(s: HeadSampler, trace: HeadTraceInput): HeadVerdict {
  switch (s.kind) {
    case 'always_on':
      return KEPT;
    case 'always_off':
      return NOT_KEPT;
    case 'parentbased':
      return trace.rootIsOrphan ? KEPT : headVerdict(s.root, trace);
    case 'traceidratio':
      return s.rule === 'consistent' ? consistentVerdict(s.ratio, trace) : { kept: ratioSampled(s.ratio, s.rule, trace.traceId.padStart(32, '0')) };
  }
}

function ratioSampled(ratio: number, rule: 'go' | 'js', id: string): boolean {
  if (rule === 'js') {
    const upper = ratio >= 1 ? 0x100000000 : Math.floor(ratio * 0xffffffff);
    let acc = 0;
    for (let i = 0; i < 32; i += 8) acc = (acc ^ parseInt(id.slice(i, i + 8), 16)) >>> 0;
    return acc < upper;
  }
  if (ratio >= 1) return true;
  // (lower >> 1) < U ⟺ lower < 2U, U = trunc(ratio × 2^63); 2U is an exact double, split in halves.
  const twoU = 2 * Math.trunc(ratio * 2 ** 63);
  const uHi = Math.floor(twoU / 2 ** 32);
  const hi = parseInt(id.slice(16, 24), 16);
  return hi !== uHi ? hi < uHi : parseInt(id.slice(24), 16) < twoU - uHi * 2 ** 32;
}

function consistentVerdict(ratio: number, trace: HeadTraceInput): HeadVerdict {
  // As the SDKs' ProbabilityToThreshold: 2^56 − round(ratio × 2^56) (ratio × 2^56 is exact below 2^53).
  const threshold = (1n << 56n) - BigInt(Math.round(ratio * 2 ** 56));
  // An upstream sampler that kept the trace at threshold th proved R ≥ th: a threshold at or below it keeps it too.
  const upstream = upstreamThreshold(trace.rootTraceState);
  if (upstream !== undefined && threshold <= upstream) return KEPT;
  const rv = otValue(trace.rootTraceState, 'rv');
  if (rv !== undefined && /^[0-9a-f]{14}$/.test(rv)) return { kept: BigInt(`0x${rv}`) >= threshold, randomness: 'rv' };
  const flagged = trace.rootTraceFlags !== undefined && (trace.rootTraceFlags & W3C_RANDOM_FLAG) !== 0;
  return { kept: BigInt(`0x${trace.traceId.padStart(32, '0').slice(18)}`) >= threshold, randomness: flagged ? 'random-flag' : 'assumed' };
}

/** `ot=th:` as a 56-bit threshold: 1–14 hex digits, trailing zeros dropped ("c" is 0xc0000000000000). */
export function upstreamThreshold(traceState: string): bigint | undefined {
  const th = otValue(traceState, 'th');
  if (th === undefined || !/^[0-9a-f]{1,14}$/.test(th)) return undefined;
  return BigInt(`0x${th.padEnd(14, '0')}`);
}

/** A sub-key of the `ot` tracestate entry ("ot=th:8;rv:…"), e.g. th or rv. */
export function otValue(traceState: string, key: string): string | undefined {
  const ot = traceStateValue(traceState, 'ot');
  if (ot === undefined) return undefined;
  for (const part of ot.split(';')) if (part.startsWith(`${key}:`)) return part.slice(key.length + 1);
  return undefined;
}
