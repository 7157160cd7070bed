// Epoch timestamps in nanoseconds (~1.7e18) do not fit a float64 exactly, so at the edges a time is an
// exact pair: whole milliseconds since the epoch plus the nanoseconds within that millisecond.
// Inside a trace, times are float64 nanoseconds relative to the trace start (exact for 104 days).

export type Nanos = number;
export type Micros = number;

export interface EpochNanos {
  readonly ms: number;
  /** 0 ≤ nsOfMs < 1,000,000 */
  readonly nsOfMs: number;
}

export const EPOCH_ZERO: EpochNanos = { ms: 0, nsOfMs: 0 };

/** From a decimal string or integer of nanoseconds (OTLP `startTimeUnixNano`, Datadog `start`). */
export function epochFromNanos(value: string | number | bigint): EpochNanos | undefined {
  if (typeof value === 'bigint') value = value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    if (Number.isSafeInteger(value)) {
      const ms = Math.floor(value / 1e6);
      return { ms, nsOfMs: value - ms * 1e6 };
    }
    value = BigInt(Math.round(value)).toString();
  }
  const s = value.trim();
  if (!/^-?\d+$/.test(s)) return undefined;
  if (s.startsWith('-')) return undefined;
  if (s.length <= 6) return { ms: 0, nsOfMs: Number(s) };
  return { ms: Number(s.slice(0, -6)), nsOfMs: Number(s.slice(-6)) };
}

/** From microseconds (Jaeger `startTime`, Zipkin `timestamp`). */
export function epochFromMicros(us: number): EpochNanos {
  const whole = Math.floor(us);
  const ms = Math.floor(whole / 1000);
  return { ms, nsOfMs: (whole - ms * 1000) * 1000 + Math.round((us - whole) * 1000) };
}

/** Nanoseconds from `origin` to `t`, as a float64 (exact while under 2^53 ns). */
export function nanosBetween(origin: EpochNanos, t: EpochNanos): Nanos {
  return (t.ms - origin.ms) * 1e6 + (t.nsOfMs - origin.nsOfMs);
}

export function addNanos(t: EpochNanos, ns: Nanos): EpochNanos {
  const total = t.nsOfMs + ns;
  const carryMs = Math.floor(total / 1e6);
  return { ms: t.ms + carryMs, nsOfMs: total - carryMs * 1e6 };
}

export function compareEpoch(a: EpochNanos, b: EpochNanos): number {
  return a.ms !== b.ms ? a.ms - b.ms : a.nsOfMs - b.nsOfMs;
}

export function epochToBigInt(t: EpochNanos): bigint {
  return BigInt(t.ms) * 1_000_000n + BigInt(t.nsOfMs);
}

export function epochToNanosString(t: EpochNanos): string {
  return epochToBigInt(t).toString();
}

/** Whole microseconds since the epoch (Jaeger and Zipkin precision). */
export function epochToMicros(t: EpochNanos): Micros {
  return t.ms * 1000 + Math.floor(t.nsOfMs / 1000);
}

export function epochToIso(t: EpochNanos): string {
  const iso = new Date(t.ms).toISOString(); // 2024-01-01T00:00:00.123Z
  return `${iso.slice(0, -1)}${String(t.nsOfMs).padStart(6, '0')}Z`;
}

/** Human duration: 1.23s, 45.6ms, 789µs, 12ns. */
export function formatDuration(ns: Nanos): string {
  if (!Number.isFinite(ns)) return '–';
  const a = Math.abs(ns);
  if (a >= 3_600e9) return `${(ns / 3_600e9).toFixed(2)}h`;
  if (a >= 60e9) return `${(ns / 60e9).toFixed(2)}min`;
  if (a >= 1e9) return `${trim(ns / 1e9)}s`;
  if (a >= 1e6) return `${trim(ns / 1e6)}ms`;
  if (a >= 1e3) return `${trim(ns / 1e3)}µs`;
  return `${Math.round(ns)}ns`;
}

function trim(x: number): string {
  const s = Math.abs(x) >= 100 ? x.toFixed(1) : Math.abs(x) >= 10 ? x.toFixed(2) : x.toFixed(3);
  return s.replace(/\.?0+$/, '');
}
