// Datadog span fields that need more than a lookup: span links and span events (native arrays, or JSON
// strings in meta when the agent lacks the native fields), typed event attributes, ids. See FORMATS.md §6.
import { JsonCursor } from '../json/json-cursor.ts';
import type { AttrType, AttrValue } from '../model/attributes.ts';
import { decimalToHex16 } from '../model/ids.ts';
import { epochFromNanos, type EpochNanos } from '../model/time.ts';
import { isRecord } from './importer.ts';

export interface DdAttribute {
  readonly key: string;
  readonly value: AttrValue;
  readonly type?: AttrType;
}

export interface DdLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceState: string | undefined;
  readonly attributes: readonly DdAttribute[];
}

export interface DdEvent {
  readonly time: EpochNanos | undefined;
  readonly name: string;
  readonly attributes: readonly DdAttribute[];
}

/** Items that could be read, plus one message per item that could not. */
export interface Parsed<T> {
  readonly items: T[];
  readonly problems: string[];
}

const HEX = /^[0-9a-fA-F]+$/;

/**
 * Hex id → lowercase, left-padded to `width`. Unlike normalizeHexId an all-zero id stays an id: the test
 * agent's normalized snapshots use trace id 0.
 */
export function hexId(raw: unknown, width: 16 | 32): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim();
  if (s === '' || s.length > width || !HEX.test(s)) return undefined;
  return s.toLowerCase().padStart(width, '0');
}

/** A decimal uint64 (number or digit string) → 16 hex; undefined for absent or invalid. */
export function decimalId(raw: unknown): string | undefined {
  const hex = decimalToHex16(raw);
  return hex === '' ? undefined : hex;
}

/** `start` / `time_unix_nano`: a safe integer, or a digit string when beyond 2^53. */
export function nanosToEpoch(raw: unknown): EpochNanos | undefined {
  if (typeof raw === 'number' || typeof raw === 'string') return epochFromNanos(raw);
  return undefined;
}

/**
 * Parses a JSON string found inside meta. Goes through the cursor so integers beyond 2^53
 * (time_unix_nano, ids) keep their digits.
 */
export function parseEmbeddedJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    const cursor = new JsonCursor(new TextEncoder().encode(text));
    const value = cursor.readValue();
    if (!cursor.atEnd()) return { ok: false, reason: 'text follows the JSON value' };
    return { ok: true, value };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

/** A plain JSON value (meta `events` attributes) → attribute value; undefined for null. */
export function plainAttrValue(v: unknown): AttrValue | undefined {
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
  if (Array.isArray(v)) return v.map(plainAttrValue).filter((x): x is AttrValue => x !== undefined);
  if (isRecord(v)) {
    const out: Record<string, AttrValue> = {};
    for (const [k, x] of Object.entries(v)) {
      const converted = plainAttrValue(x);
      if (converted !== undefined) out[k] = converted;
    }
    return out;
  }
  return undefined;
}

// Native span_events carry the agent's AnyValue union: {type: 0 string | 1 bool | 2 int | 3 double |
// 4 array, <kind>_value}. Anything else is read as a plain value.
function typedAttrValue(v: unknown): { value: AttrValue; type?: AttrType } | undefined {
  if (!isRecord(v) || typeof v.type !== 'number') {
    const value = plainAttrValue(v);
    return value === undefined ? undefined : { value };
  }
  switch (v.type) {
    case 0:
      return { value: String(v.string_value ?? ''), type: 'string' };
    case 1:
      return { value: v.bool_value === true, type: 'bool' };
    case 2: {
      const n = v.int_value;
      if (typeof n === 'number') return { value: n, type: 'int' };
      if (typeof n === 'string' && /^-?\d+$/.test(n)) return { value: BigInt(n), type: 'int' };
      return undefined;
    }
    case 3:
      return typeof v.double_value === 'number' ? { value: v.double_value, type: 'double' } : undefined;
    case 4: {
      const values = isRecord(v.array_value) && Array.isArray(v.array_value.values) ? v.array_value.values : [];
      const items: AttrValue[] = [];
      for (const item of values) {
        const converted = typedAttrValue(item);
        if (converted) items.push(converted.value);
      }
      return { value: items, type: 'array' };
    }
  }
  const value = plainAttrValue(v);
  return value === undefined ? undefined : { value };
}

function readAttributes(raw: unknown, typed: boolean): DdAttribute[] {
  const out: DdAttribute[] = [];
  if (!isRecord(raw)) return out;
  for (const [key, v] of Object.entries(raw)) {
    if (typed) {
      const converted = typedAttrValue(v);
      if (converted) out.push({ key, ...converted });
    } else {
      const value = plainAttrValue(v);
      if (value !== undefined) out.push({ key, value });
    }
  }
  return out;
}

function linkExtras(raw: Record<string, unknown>, attributes: DdAttribute[]): void {
  // The model has no trace-flags column: keep them as an attribute rather than drop them.
  if (typeof raw.flags === 'number') attributes.push({ key: 'flags', value: raw.flags, type: 'int' });
}

/**
 * Native `span_links`: decimal ids, 128-bit trace id = hex16(trace_id_high) ‖ hex16(trace_id).
 * `tidOf` supplies the upper half when trace_id_high is absent (a link into a trace of this payload).
 */
export function readNativeLinks(raw: unknown, tidOf: (lower: string) => string | undefined): Parsed<DdLink> {
  const result: Parsed<DdLink> = { items: [], problems: [] };
  if (!Array.isArray(raw)) {
    if (raw != null) result.problems.push('span_links is not an array');
    return result;
  }
  for (const l of raw) {
    if (!isRecord(l)) {
      result.problems.push('a span link is not an object');
      continue;
    }
    const low = decimalId(l.trace_id);
    const spanId = decimalId(l.span_id);
    const high = l.trace_id_high == null ? (low === undefined ? undefined : tidOf(low)) : decimalToHex16(l.trace_id_high);
    if (low === undefined || spanId === undefined || (l.trace_id_high != null && !high)) {
      result.problems.push(`span link with invalid ids (trace_id ${String(l.trace_id)}, trace_id_high ${String(l.trace_id_high)}, span_id ${String(l.span_id)}) skipped`);
      continue;
    }
    const attributes = readAttributes(l.attributes, false);
    linkExtras(l, attributes);
    result.items.push({
      traceId: (high ?? '0000000000000000') + low,
      spanId,
      traceState: typeof l.tracestate === 'string' && l.tracestate !== '' ? l.tracestate : undefined,
      attributes,
    });
  }
  return result;
}

/** meta `_dd.span_links`: a JSON string of [{trace_id: "<32 hex>", span_id: "<16 hex>", tracestate, flags, attributes}]. */
export function readMetaLinks(text: string): Parsed<DdLink> | { error: string } {
  const parsed = parseEmbeddedJson(text);
  if (!parsed.ok) return { error: `meta _dd.span_links is not valid JSON (${parsed.reason}); kept as text` };
  if (!Array.isArray(parsed.value)) return { error: 'meta _dd.span_links is not a JSON array; kept as text' };
  const result: Parsed<DdLink> = { items: [], problems: [] };
  for (const l of parsed.value) {
    const traceId = isRecord(l) ? hexId(l.trace_id, 32) : undefined;
    const spanId = isRecord(l) ? hexId(l.span_id, 16) : undefined;
    if (!isRecord(l) || !traceId || !spanId) {
      result.problems.push(`a link in meta _dd.span_links has no valid hex trace_id/span_id: ${JSON.stringify(l)?.slice(0, 120)}`);
      continue;
    }
    const attributes = readAttributes(l.attributes, false);
    linkExtras(l, attributes);
    result.items.push({
      traceId,
      spanId,
      traceState: typeof l.tracestate === 'string' && l.tracestate !== '' ? l.tracestate : undefined,
      attributes,
    });
  }
  return result;
}

function readEventList(list: unknown[], typed: boolean, where: string): Parsed<DdEvent> {
  const result: Parsed<DdEvent> = { items: [], problems: [] };
  for (const e of list) {
    if (!isRecord(e)) {
      result.problems.push(`an event in ${where} is not an object`);
      continue;
    }
    const time = nanosToEpoch(e.time_unix_nano);
    if (!time) result.problems.push(`event ${JSON.stringify(e.name ?? '')} in ${where} has no valid time_unix_nano`);
    result.items.push({ time, name: typeof e.name === 'string' ? e.name : 'event', attributes: readAttributes(e.attributes, typed) });
  }
  return result;
}

/** Native `span_events`: [{time_unix_nano, name, attributes: {k: AnyValue}}]. */
export function readNativeEvents(raw: unknown): Parsed<DdEvent> {
  if (!Array.isArray(raw)) return { items: [], problems: raw == null ? [] : ['span_events is not an array'] };
  return readEventList(raw, true, 'span_events');
}

/** meta `events`: a JSON string of [{name, time_unix_nano, attributes: {k: plain value}}]. */
export function readMetaEvents(text: string): Parsed<DdEvent> | { error: string } {
  const parsed = parseEmbeddedJson(text);
  if (!parsed.ok) return { error: `meta events is not valid JSON (${parsed.reason}); kept as text` };
  if (!Array.isArray(parsed.value)) return { error: 'meta events is not a JSON array; kept as text' };
  return readEventList(parsed.value, false, 'meta events');
}
