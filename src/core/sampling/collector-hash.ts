// The probabilistic policy's hash, as the Collector computes it (tailsamplingprocessor
// internal/sampling/probabilistic.go): FNV-1a 64 over the salt's bytes then the 16 trace id bytes,
// sampled when hash ≤ threshold, threshold = MaxUint64 × ratio computed with Go's big.Float (64-bit
// mantissa, round to nearest even) and truncated. 64-bit arithmetic is done on two 32-bit halves so a
// trace costs no BigInt; the threshold is computed once per policy with BigInt.

export const DEFAULT_HASH_SALT = 'default-hash-seed';

const FNV_OFFSET_HI = 0xcbf29ce4;
const FNV_OFFSET_LO = 0x84222325;

/** A uint64 as two unsigned 32-bit halves. */
export interface U64 {
  readonly hi: number;
  readonly lo: number;
}

/** Bytes of the salt (UTF-8) followed by the trace id (hex; a 64-bit id is left-padded to 16 bytes). */
export function hashInput(salt: string, traceIdHex: string): Uint8Array {
  const saltBytes = new TextEncoder().encode(salt);
  const out = new Uint8Array(saltBytes.length + 16);
  out.set(saltBytes);
  writeTraceIdBytes(traceIdHex, out, saltBytes.length);
  return out;
}

/** Lowercase or uppercase hex, no substring per byte (this runs once per trace). */
export function writeTraceIdBytes(traceIdHex: string, out: Uint8Array, at: number): void {
  const pad = 32 - traceIdHex.length;
  for (let i = 0; i < 16; i++) {
    const c = 2 * i - pad;
    out[at + i] = (c >= 0 ? hexDigit(traceIdHex.charCodeAt(c)) << 4 : 0) | (c + 1 >= 0 ? hexDigit(traceIdHex.charCodeAt(c + 1)) : 0);
  }
}

function hexDigit(code: number): number {
  return code <= 57 ? code - 48 : (code | 0x20) - 87;
}

export function fnv1a64(bytes: Uint8Array, from = 0, to = bytes.length, seed: U64 = { hi: FNV_OFFSET_HI, lo: FNV_OFFSET_LO }): U64 {
  let hi = seed.hi;
  let lo = seed.lo;
  for (let i = from; i < to; i++) {
    lo = (lo ^ bytes[i]) >>> 0;
    // × 0x100000001b3 = × 0x1b3 + × 2^40, modulo 2^64.
    const loProduct = lo * 0x1b3;
    const carry = Math.floor(loProduct / 0x100000000);
    hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) >>> 0;
    lo = loProduct >>> 0;
  }
  return { hi, lo };
}

export function u64ToBigInt(v: U64): bigint {
  return (BigInt(v.hi) << 32n) | BigInt(v.lo);
}

export function compareU64(a: U64, b: U64): number {
  return a.hi !== b.hi ? a.hi - b.hi : a.lo - b.lo;
}

const MAX_UINT64 = (1n << 64n) - 1n;

/** Go: big.NewFloat(MaxUint64).Mul(ratio).Uint64(), exactly (the product rounded to a 64-bit mantissa). */
export function collectorThreshold(ratio: number): bigint {
  if (!(ratio > 0)) return 0n;
  const { mantissa, exponent } = decomposeDouble(ratio);
  let product = MAX_UINT64 * mantissa;
  const bits = product.toString(2).length;
  let scale = exponent;
  if (bits > 64) {
    const shift = BigInt(bits - 64);
    let kept = product >> shift;
    const rest = product & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    if (rest > half || (rest === half && (kept & 1n) === 1n)) kept += 1n;
    product = kept;
    scale += bits - 64;
  }
  const value = scale >= 0 ? product << BigInt(scale) : product >> BigInt(-scale);
  return value > MAX_UINT64 ? MAX_UINT64 : value;
}

/** value = mantissa × 2^exponent, exactly, for a positive finite double. */
function decomposeDouble(value: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  return biased === 0 ? { mantissa: fraction, exponent: -1074 } : { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

export function bigIntToU64(v: bigint): U64 {
  return { hi: Number(v >> 32n), lo: Number(v & 0xffffffffn) };
}

/** The Collector's probabilistic decision for one trace: a prepared salt hash is continued over the id. */
export class CollectorProbabilistic {
  private readonly saltState: U64;
  private readonly threshold: U64;
  private readonly idBytes = new Uint8Array(16);

  constructor(samplingPercentage: number, salt: string) {
    const saltBytes = new TextEncoder().encode(salt || DEFAULT_HASH_SALT);
    this.saltState = fnv1a64(saltBytes);
    this.threshold = bigIntToU64(collectorThreshold(samplingPercentage / 100));
  }

  sampled(traceIdHex: string): boolean {
    writeTraceIdBytes(traceIdHex, this.idBytes, 0);
    return compareU64(fnv1a64(this.idBytes, 0, 16, this.saltState), this.threshold) <= 0;
  }
}
