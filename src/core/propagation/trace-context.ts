// Reads what users paste into "open trace by id": a bare id, one propagation header value, or several
// header lines copied from devtools. Formats: W3C traceparent (w3c/trace-context spec §3.2), B3 single and
// multi (openzipkin/b3-propagation), Jaeger uber-trace-id, Datadog x-datadog-* (decimal uint64 ids).
// Ids stay strings end to end; decimals are converted with BigInt, never through a JS number.
import { decimalToHex16, isZeroId } from '../model/ids.ts';

export type TraceReferenceFormat = 'hex' | 'w3c-traceparent' | 'b3-single' | 'b3-multi' | 'jaeger-uber-trace-id' | 'datadog';

export interface TraceReference {
  /** Lowercase hex: 16 chars for a 64-bit id, 32 for a 128-bit one, as the source gave it. */
  readonly traceId: string;
  /** 16 lowercase hex chars. */
  readonly spanId?: string;
  readonly sampled?: boolean;
  readonly format: TraceReferenceFormat;
}

export interface TraceReferenceError {
  readonly error: string;
}

type Parsed = TraceReference | TraceReferenceError;

const EXPECTED = 'expected 16 or 32 hex digits, a traceparent, a b3 or uber-trace-id header value, or Datadog decimal ids';
const HEX = /^[0-9a-f]+$/;
const DIGITS = /^\d+$/;
const UINT64_DIGITS = /^\d{1,20}$/;
/** `name: value`; HTTP/2 pseudo-headers (`:authority: …`) as devtools copy them, too. */
const HEADER_LINE = /^(:?[a-z][\w-]*)\s*:\s*(.*)$/;

/** One pasted line (lowercased); `name` is set when the line starts with a header name. */
interface HeaderLine {
  readonly name?: string;
  readonly value: string;
}

/**
 * Parses a trace reference. Input is trimmed and case-insensitive (users retype ids, and devtools may
 * show headers in any case, although W3C and B3 senders must use lowercase). With several lines, the
 * first line that yields a trace id wins. When none does, the first error of a line with a trace header
 * name is returned, else the first error of a bare line (a request line such as `GET / HTTP/1.1` is noise
 * next to a broken `traceparent`). Errors quote the input lowercased.
 */
export function parseTraceReference(input: string): Parsed {
  const lines = input.toLowerCase().split(/\r?\n/).map(splitHeaderLine).filter((line) => line.value !== '');
  if (lines.length === 0) return { error: `nothing pasted: ${EXPECTED}` };
  let headerError: TraceReferenceError | undefined;
  let bareValueError: TraceReferenceError | undefined;
  for (const line of lines) {
    const parsed = parseLine(line, lines);
    if (parsed === undefined) continue;
    if (!('error' in parsed)) return parsed;
    if (line.name === undefined) bareValueError ??= parsed;
    else headerError ??= parsed;
  }
  // Reaching here without an error means every line was a header that carries no trace id.
  const names = lines.map((line) => line.name).join(', ');
  return headerError ?? bareValueError ?? { error: `none of the pasted headers (${names}) carries a trace id: ${EXPECTED}` };
}

/** `traceparent` for a parsed reference; a 64-bit trace id is left-padded to 32 digits as W3C requires. */
export function formatTraceparent(traceId: string, spanId: string, sampled: boolean): string {
  const trace = traceId.toLowerCase().padStart(32, '0');
  const span = spanId.toLowerCase().padStart(16, '0');
  if (trace.length !== 32 || !HEX.test(trace) || isZeroId(trace)) throw new RangeError(`trace id "${traceId}" is not a valid 64- or 128-bit hex id`);
  if (span.length !== 16 || !HEX.test(span) || isZeroId(span)) throw new RangeError(`span id "${spanId}" is not a valid 64-bit hex id`);
  return `00-${trace}-${span}-${sampled ? '01' : '00'}`;
}

function splitHeaderLine(line: string): HeaderLine {
  const trimmed = line.trim();
  const match = HEADER_LINE.exec(trimmed);
  if (!match) return { value: trimmed };
  const [, name, value] = match;
  // `4bf9…:00f0…:0:1` is a bare uber-trace-id, not a header named "4bf9…"; `b3` is the one hex header name.
  if (name !== 'b3' && HEX.test(name)) return { value: trimmed };
  return { name, value: value.trim() };
}

/** undefined: the line carries no trace id (a companion or an unrelated header such as `host`). */
function parseLine(line: HeaderLine, all: readonly HeaderLine[]): Parsed | undefined {
  switch (line.name) {
    case undefined: return parseBareValue(line.value);
    case 'traceparent': return parseTraceparent(line.value);
    case 'b3': return parseB3Single(line.value);
    case 'x-b3-traceid': return parseB3Multi(line.value, all);
    case 'uber-trace-id': return parseUberTraceId(line.value);
    case 'x-datadog-trace-id': return parseDatadog(line.value, all);
    default: return undefined;
  }
}

/** A value without a header name: the shape tells the format. */
function parseBareValue(value: string): Parsed {
  if (value.includes(':') || value.includes('%3a')) return parseUberTraceId(value);
  // traceparent starts with a 2-digit version; a b3 trace id has 16 or 32 digits.
  if (value.includes('-')) return value.indexOf('-') === 2 ? parseTraceparent(value) : parseB3Single(value);
  if (DIGITS.test(value)) return parseBareDigits(value);
  if (HEX.test(value)) return withTraceId(readHexId(value, 'trace id'), { format: 'hex' });
  return { error: `"${value}" is not a trace id: ${EXPECTED}` };
}

/**
 * Digits only: hex or a Datadog decimal? Hex ids are shown with 16 or 32 digits; Datadog ids are random
 * 63/64-bit numbers, so almost always 19–20 decimal digits. Hence:
 * - exactly 16 or 32 digits → hex (a decimal uint64 of exactly 16 digits is as rare as a hex id without letters);
 * - 17–20 digits that fit in a uint64 → Datadog decimal (a 17–20-digit hex id would be a 128-bit id with
 *   12+ leading zero nibbles trimmed);
 * - longer, or above 2^64−1 → hex with leading zeros trimmed (Jaeger < 1.16, Tempo search), padded to 32;
 * - 1–15 digits → ambiguous: we ask rather than guess.
 */
function parseBareDigits(value: string): Parsed {
  const n = value.length;
  if (n >= 17 && n <= 20 && decimalToHex16(value) !== undefined) return parseDatadog(value, []);
  if (n >= 16) return withTraceId(readHexId(value, 'trace id'), { format: 'hex' });
  return {
    error: `"${value}" is ambiguous: write a hex trace id with 16 or 32 digits (left-pad with zeros), or a Datadog id as "x-datadog-trace-id: ${value}"`,
  };
}

/** `{version}-{trace-id}-{parent-id}-{flags}`; a later version may append fields after the flags. */
function parseTraceparent(value: string): Parsed {
  const parts = value.split('-');
  const [version, traceId, parentId, flags] = parts;
  if (!/^[0-9a-f]{2}$/.test(version) || version === 'ff') return { error: `traceparent version "${version}" is invalid` };
  if (parts.length < 4 || (version === '00' && parts.length > 4)) {
    return { error: `traceparent "${value}" has ${parts.length} fields: expected ${version}-<32 hex trace id>-<16 hex parent id>-<2 hex flags>` };
  }
  const spanId = readHexId(parentId, 'traceparent parent id', [16]);
  if (typeof spanId !== 'string') return spanId;
  if (!/^[0-9a-f]{2}$/.test(flags)) return { error: `traceparent flags "${flags}" are invalid: expected 2 hex digits` };
  const sampled = (parseInt(flags, 16) & 1) === 1;
  return withTraceId(readHexId(traceId, 'traceparent trace id', [32]), { spanId, sampled, format: 'w3c-traceparent' });
}

/** `{traceId}-{spanId}-{sampled}-{parentSpanId}`, the last two optional; a lone `0`/`1`/`d` carries no id. */
function parseB3Single(value: string): Parsed {
  const parts = value.split('-');
  if (parts.length === 1 && /^[01d]$/.test(value)) return { error: `b3 "${value}" is only a sampling decision: it carries no trace id` };
  if (parts.length < 2 || parts.length > 4) {
    return { error: `b3 "${value}" has ${parts.length} fields: expected {traceId}-{spanId}[-{sampled}[-{parentSpanId}]]` };
  }
  const [traceId, spanId, sampling, parentSpanId] = parts;
  const span = readHexId(spanId, 'b3 span id', [16]);
  if (typeof span !== 'string') return span;
  if (sampling !== undefined && !/^[01d]$/.test(sampling)) return { error: `b3 sampling state "${sampling}" is invalid: expected 0, 1 or d` };
  if (parentSpanId !== undefined) {
    const parent = readHexId(parentSpanId, 'b3 parent span id', [16]);
    if (typeof parent !== 'string') return parent;
  }
  const sampled = sampling === undefined ? undefined : sampling !== '0';
  return withTraceId(readHexId(traceId, 'b3 trace id', [16, 32]), { spanId: span, sampled, format: 'b3-single' });
}

/** `X-B3-TraceId` with `X-B3-SpanId`, `X-B3-Sampled` and `X-B3-Flags` (1 = debug, implies sampled). */
function parseB3Multi(traceId: string, all: readonly HeaderLine[]): Parsed {
  const spanIdValue = headerValue(all, 'x-b3-spanid');
  const spanId = spanIdValue === undefined ? undefined : readHexId(spanIdValue, 'X-B3-SpanId', [16]);
  if (spanId !== undefined && typeof spanId !== 'string') return spanId;
  const sampledValue = headerValue(all, 'x-b3-sampled');
  // Old Zipkin clients sent "true"/"false".
  if (sampledValue !== undefined && !/^(0|1|true|false)$/.test(sampledValue)) {
    return { error: `X-B3-Sampled "${sampledValue}" is invalid: expected 0 or 1` };
  }
  const debug = headerValue(all, 'x-b3-flags') === '1';
  const sampled = debug || (sampledValue === undefined ? undefined : sampledValue === '1' || sampledValue === 'true');
  return withTraceId(readHexId(traceId, 'X-B3-TraceId', [16, 32]), { spanId, sampled, format: 'b3-multi' });
}

/**
 * `{trace-id}:{span-id}:{parent-span-id}:{flags}`, possibly URL-encoded (`%3A`). Jaeger drops leading
 * zeros, so ids may be shorter than 16/32 digits; flags are one byte in hex, bit 0 = sampled.
 */
function parseUberTraceId(value: string): Parsed {
  const parts = value.replaceAll('%3a', ':').split(':');
  if (parts.length !== 4) {
    return { error: `uber-trace-id "${value}" has ${parts.length} fields: expected {trace-id}:{span-id}:{parent-span-id}:{flags}` };
  }
  const [traceId, spanId, parentSpanId, flags] = parts;
  const span = readHexId(spanId, 'uber-trace-id span id', undefined, 16);
  if (typeof span !== 'string') return span;
  if (!/^[0-9a-f]{1,16}$/.test(parentSpanId)) return { error: `uber-trace-id parent span id "${parentSpanId}" is invalid: expected up to 16 hex digits` };
  if (!/^[0-9a-f]{1,2}$/.test(flags)) return { error: `uber-trace-id flags "${flags}" are invalid: expected 1 or 2 hex digits` };
  const sampled = (parseInt(flags, 16) & 1) === 1;
  return withTraceId(readHexId(traceId, 'uber-trace-id trace id'), { spanId: span, sampled, format: 'jaeger-uber-trace-id' });
}

/**
 * `x-datadog-trace-id` (decimal uint64, the lower 64 bits) with `x-datadog-parent-id`, the sampling
 * priority (> 0 = keep) and `_dd.p.tid` in `x-datadog-tags` (the upper 64 bits, 16 hex).
 */
function parseDatadog(decimalTraceId: string, all: readonly HeaderLine[]): Parsed {
  const lowerHalf = readDecimalId(decimalTraceId, 'x-datadog-trace-id');
  if (typeof lowerHalf !== 'string') return lowerHalf;
  const parentIdValue = headerValue(all, 'x-datadog-parent-id');
  // Parent id 0 means "no parent": the request started the trace.
  const spanId = parentIdValue === undefined || /^0+$/.test(parentIdValue) ? undefined : readDecimalId(parentIdValue, 'x-datadog-parent-id');
  if (spanId !== undefined && typeof spanId !== 'string') return spanId;
  const priority = headerValue(all, 'x-datadog-sampling-priority');
  const sampled = priority !== undefined && /^-?\d+$/.test(priority) ? Number(priority) > 0 : undefined;
  const tid = headerValue(all, 'x-datadog-tags')?.split(',').map((tag) => tag.trim()).find((tag) => tag.startsWith('_dd.p.tid='))?.slice('_dd.p.tid='.length);
  if (tid !== undefined && !/^[0-9a-f]{16}$/.test(tid)) return { error: `_dd.p.tid "${tid}" is invalid: expected 16 hex digits (the upper 64 bits of the trace id)` };
  return { traceId: (tid ?? '') + lowerHalf, spanId, sampled, format: 'datadog' };
}

/** Decimal uint64 → 16 lowercase hex, exactly. */
function readDecimalId(value: string, label: string): string | TraceReferenceError {
  if (!UINT64_DIGITS.test(value)) return { error: `${label} "${value}" is invalid: expected a decimal number of up to 20 digits` };
  const hex = decimalToHex16(value);
  if (hex === undefined) return { error: `${label} ${value} is larger than 2^64-1` };
  if (isZeroId(hex)) return { error: `${label} is zero` };
  return hex;
}

/**
 * Hex id → lowercase, left-padded to 16 digits (up to 16) or 32 (17–32), keeping the width the source
 * gave. `exactWidths` is for formats whose spec fixes the width; otherwise any 1…maxDigits digits pass.
 */
function readHexId(value: string, label: string, exactWidths?: readonly number[], maxDigits = 32): string | TraceReferenceError {
  if (!value) return { error: `${label} is missing` };
  if (!HEX.test(value)) return { error: `${label} "${value}" is not hex` };
  if (exactWidths ? !exactWidths.includes(value.length) : value.length > maxDigits) {
    const expected = exactWidths ? exactWidths.join(' or ') : `at most ${maxDigits}`;
    return { error: `${label} "${value}" has ${value.length} hex digits: expected ${expected}` };
  }
  if (isZeroId(value)) return { error: `${label} is all zeros` };
  return value.padStart(value.length <= 16 ? 16 : 32, '0');
}

function withTraceId(traceId: string | TraceReferenceError, rest: Omit<TraceReference, 'traceId'>): Parsed {
  return typeof traceId === 'string' ? { traceId, ...rest } : traceId;
}

function headerValue(all: readonly HeaderLine[], name: string): string | undefined {
  return all.find((line) => line.name === name)?.value;
}
