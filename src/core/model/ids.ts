// Span and trace ids as normalized lowercase hex strings (16 and 32 chars). Ids from every format
// come through here; none ever passes through a JS number.

const HEX = /^[0-9a-fA-F]+$/;
const DECIMAL = /^\d+$/;

export type IdProblem = 'empty' | 'zero' | 'not-hex' | 'too-long';

export interface NormalizedId {
  readonly id: string;
  readonly problem?: IdProblem;
}

/**
 * Hex id (any case, surrounding whitespace, too short) → lowercase hex left-padded to `width`.
 * Returns '' for empty / all-zero ids (absent) and undefined for something that is not hex.
 */
export function normalizeHexId(raw: unknown, width: 16 | 32): string | undefined {
  if (typeof raw !== 'string') return raw == null ? '' : undefined;
  if (raw.length === width && isLowerHex(raw) && !isZeroId(raw)) return raw; // the common case, without regexes
  const s = raw.trim();
  if (s === '') return '';
  if (!HEX.test(s)) return undefined;
  const lower = s.toLowerCase().replace(/^0+/, '');
  if (lower === '') return '';
  if (lower.length > width) return lower.length <= 32 ? lower.padStart(32, '0') : undefined;
  return lower.padStart(width, '0');
}

/** Trace ids are compared as 32 hex chars everywhere (64-bit ids get 16 leading zeros). */
export function normalizeTraceId(raw: unknown): string | undefined {
  return normalizeHexId(raw, 32);
}

export function normalizeSpanId(raw: unknown): string | undefined {
  return normalizeHexId(raw, 16);
}

/** The longest id kept as written: ids are labels, not payloads. */
export const MAX_VERBATIM_ID_CHARS = 256;

/**
 * An id that is not hex, kept as written (trimmed): Jaeger UI opens them (its own test traces use
 * `zeroChild`, `brokenMiddle`) and custom tracers write their own. Undefined when it is not a string,
 * is empty, too long, or holds control characters.
 */
export function verbatimId(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim();
  // eslint-disable-next-line no-control-regex
  if (s === '' || s.length > MAX_VERBATIM_ID_CHARS || /[\u0000-\u001f\u007f]/.test(s)) return undefined;
  return s;
}

/** A Jaeger trace id: normalized hex when it is hex, else as written (see verbatimId). */
export function readJaegerTraceId(raw: unknown): string | undefined {
  return normalizeTraceId(raw) ?? verbatimId(raw);
}

export function readJaegerSpanId(raw: unknown): string | undefined {
  return normalizeSpanId(raw) ?? verbatimId(raw);
}

/** Whether the id is hex of the model's width (16 for spans, 32 for traces), as every format but a verbatim Jaeger id gives. */
export function isHexId(id: string, width: 16 | 32): boolean {
  return id.length === width && isLowerHex(id);
}

/**
 * The stable hex id of the given width standing for an id: a hex id is itself, a verbatim one
 * (`span-1`) a hash of it (FNV-1a 64, twice with different offsets for 128 bits), the same on every
 * load. For outputs that need hex, such as OTLP.
 */
export function hexIdFor(id: string, width: 16 | 32): string {
  if (id === '' || isHexId(id, width)) return id;
  const low = fnv1a64(id, 0xcbf29ce484222325n);
  return width === 16 ? low : fnv1a64(id, 0x84222325cbf29ce4n) + low;
}

function fnv1a64(s: string, offset: bigint): string {
  let h = offset;
  for (let i = 0; i < s.length; i++) h = ((h ^ BigInt(s.charCodeAt(i))) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, '0');
}

/** Base64 (protobuf JSON: Tempo, gogo) → hex, or undefined when it does not decode to `bytes` bytes. */
export function base64ToHex(raw: string, bytes: number): string | undefined {
  const s = raw.trim();
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(s)) return undefined;
  let bin: string;
  try {
    bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return undefined;
  }
  if (bin.length !== bytes) return undefined;
  let hex = '';
  for (let i = 0; i < bin.length; i++) hex += bin.charCodeAt(i).toString(16).padStart(2, '0');
  return hex;
}

export function hexToBase64(hex: string): string {
  let bin = '';
  for (let i = 0; i < hex.length; i += 2) bin += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return btoa(bin);
}

/**
 * An OTLP id that may be hex (the OTLP/JSON spec) or base64 (protobuf JSON from Tempo and Go tools).
 * Hex wins when a value is both (a 32-char hex string is also valid base64).
 */
export function normalizeOtlpId(raw: unknown, bytes: 8 | 16): string | undefined {
  if (raw == null) return '';
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim();
  if (s === '') return '';
  if (s.length === bytes * 2 && HEX.test(s)) return normalizeHexId(s, bytes === 16 ? 32 : 16);
  const fromBase64 = base64ToHex(s, bytes);
  if (fromBase64 !== undefined) return /^0+$/.test(fromBase64) ? '' : fromBase64;
  return normalizeHexId(s, bytes === 16 ? 32 : 16);
}

/** A decimal uint64 (Datadog ids: number or string of digits) → 16 hex chars, exactly. */
export function decimalToHex16(raw: unknown): string | undefined {
  let s: string;
  if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw) || raw < 0) return undefined;
    s = String(raw);
  } else if (typeof raw === 'bigint') {
    s = raw.toString();
  } else if (typeof raw === 'string') {
    s = raw.trim();
  } else {
    return raw == null ? '' : undefined;
  }
  if (!DECIMAL.test(s)) return undefined;
  const n = BigInt(s);
  if (n >= 1n << 64n) return undefined;
  return n.toString(16).padStart(16, '0');
}

export function hexToDecimal(hex: string): string {
  return BigInt(`0x${hex || '0'}`).toString();
}

export function isZeroId(id: string): boolean {
  for (let i = 0; i < id.length; i++) if (id.charCodeAt(i) !== 0x30) return false;
  return true;
}

function isLowerHex(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}
