// Value-level helpers for OTLP JSON (and Tempo's protobuf JSON): AnyValue → attribute, kind and status
// enums (ints or names), nanosecond timestamps, and key spelling (camelCase, snake_case, Go PascalCase).
import type { AttrType, AttrValue } from '../model/attributes.ts';
import { epochFromNanos, type EpochNanos } from '../model/time.ts';
import type { TraceModelBuilder } from '../model/trace-model-builder.ts';
import { SPAN_KINDS, type SpanKind, type StatusCode } from '../model/trace-model.ts';
import { isRecord } from './importer.ts';

/**
 * `resource_spans`, `ResourceSpans` → `resourceSpans`. OTLP/JSON is camelCase, but Go encoding/json dumps
 * and some collector inputs use the proto or struct field names; one spelling keeps the switches simple.
 */
export function normKey(key: string): string {
  const c = key.charCodeAt(0);
  const upperFirst = c >= 0x41 && c <= 0x5a;
  if (!upperFirst && !key.includes('_')) return key;
  const camel = key.replace(/_+([a-zA-Z0-9])/g, (_m, ch: string) => ch.toUpperCase());
  return upperFirst ? camel[0].toLowerCase() + camel.slice(1) : camel;
}

/** The value of a field under any of its spellings (for the few fields read outside a key loop). */
export function field(obj: Record<string, unknown>, camelName: string): unknown {
  if (camelName in obj) return obj[camelName];
  for (const key in obj) if (normKey(key) === camelName) return obj[key];
  return undefined;
}

export interface ConvertedValue {
  readonly type: AttrType;
  readonly value: AttrValue;
}

const EMPTY: ConvertedValue = { type: 'string', value: '' };
// AnyValue nests arrays and kvlists; past this depth the rest is kept as JSON text.
const MAX_VALUE_NESTING = 32;
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** int64 as JSON string or number → number when it fits exactly, else bigint. */
export function toInt(raw: unknown): number | bigint | undefined {
  if (typeof raw === 'number') return Number.isInteger(raw) ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim();
  if (!/^[-+]?\d+$/.test(s)) return undefined;
  // Up to 15 digits always fits a double exactly: skip the BigInt.
  if (s.length <= 15) return Number(s);
  const big = BigInt(s.startsWith('+') ? s.slice(1) : s);
  return big >= MIN_SAFE && big <= MAX_SAFE ? Number(big) : big;
}

function toDouble(raw: unknown): number | undefined {
  if (typeof raw === 'number') return raw;
  if (typeof raw !== 'string') return undefined;
  // proto3 JSON writes non-finite doubles as strings.
  if (raw === 'NaN') return NaN;
  if (raw === 'Infinity') return Infinity;
  if (raw === '-Infinity') return -Infinity;
  const n = Number(raw);
  return raw.trim() !== '' && !Number.isNaN(n) ? n : undefined;
}

export type ScalarAnyValueField = 'stringValue' | 'boolValue' | 'intValue' | 'doubleValue' | 'bytesValue';

/** The attribute an AnyValue with this one scalar field stands for. */
export function scalarAnyValue(name: ScalarAnyValueField, v: unknown): ConvertedValue {
  switch (name) {
    case 'stringValue':
      return { type: 'string', value: typeof v === 'string' ? v : String(v ?? '') };
    case 'boolValue':
      return { type: 'bool', value: v === true || v === 'true' };
    case 'intValue': {
      const n = toInt(v);
      return n === undefined ? { type: 'string', value: String(v) } : { type: 'int', value: n };
    }
    case 'doubleValue': {
      const n = toDouble(v);
      return n === undefined ? { type: 'string', value: String(v) } : { type: 'double', value: n };
    }
    case 'bytesValue':
      return { type: 'bytes', value: typeof v === 'string' ? v : '' };
  }
}

/** One OTLP AnyValue (`{stringValue}`, `{intValue}`, … or `{}`) → attribute value with its type. */
export function convertAnyValue(raw: unknown, nesting = 0): ConvertedValue {
  if (!isRecord(raw)) {
    // Not an AnyValue wrapper (hand-written files put plain values here): keep what is there.
    if (typeof raw === 'string') return { type: 'string', value: raw };
    if (typeof raw === 'boolean') return { type: 'bool', value: raw };
    if (typeof raw === 'number') return { type: Number.isInteger(raw) ? 'int' : 'double', value: raw };
    return raw == null ? EMPTY : { type: 'string', value: JSON.stringify(raw) };
  }
  if (nesting > MAX_VALUE_NESTING) return { type: 'string', value: JSON.stringify(raw) };
  for (const key in raw) {
    const v = raw[key];
    const name = normKey(key);
    switch (name) {
      case 'stringValue':
      case 'boolValue':
      case 'intValue':
      case 'doubleValue':
      case 'bytesValue':
        return scalarAnyValue(name, v);
      case 'arrayValue': {
        const values = isRecord(v) ? field(v, 'values') : undefined;
        const out: AttrValue[] = [];
        if (Array.isArray(values)) for (const item of values) out.push(convertAnyValue(item, nesting + 1).value);
        return { type: 'array', value: out };
      }
      case 'kvlistValue': {
        const values = isRecord(v) ? field(v, 'values') : undefined;
        const out: Record<string, AttrValue> = {};
        if (Array.isArray(values)) {
          for (const kv of values) {
            if (!isRecord(kv) || typeof kv.key !== 'string') continue;
            setOwn(out, kv.key, convertAnyValue(field(kv, 'value'), nesting + 1).value);
          }
        }
        return { type: 'map', value: out };
      }
      case 'value':
        // Go encoding/json of the generated struct wraps the oneof: {"Value": {"StringValue": "x"}}.
        if (isRecord(v)) return convertAnyValue(v, nesting + 1);
        break;
    }
  }
  return EMPTY;
}

// A "__proto__" key must become an own property, not the object's prototype.
function setOwn(obj: Record<string, AttrValue>, key: string, value: AttrValue): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Adds `[{key, value: AnyValue}]` to whatever the builder added last (resource, scope, span, event, link). */
export function addKeyValues(builder: TraceModelBuilder, list: unknown): void {
  if (!Array.isArray(list)) return;
  for (const kv of list) {
    if (!isRecord(kv)) continue;
    const key = kv.key ?? field(kv, 'key');
    if (typeof key !== 'string') continue;
    const converted = convertAnyValue(kv.value ?? field(kv, 'value'));
    builder.attr(key, converted.value, converted.type);
  }
}

/** The string value of one key in a KeyValue list (service.name), or undefined. */
export function findStringValue(list: unknown, key: string): string | undefined {
  if (!Array.isArray(list)) return undefined;
  for (const kv of list) {
    if (!isRecord(kv) || kv.key !== key) continue;
    const converted = convertAnyValue(kv.value ?? field(kv, 'value'));
    return typeof converted.value === 'string' ? converted.value : undefined;
  }
  return undefined;
}

/** `kind`: 0..5, "2", or "SPAN_KIND_SERVER" (protobuf JSON from Tempo and Go tools). */
export function toOtlpSpanKind(raw: unknown): SpanKind {
  if (typeof raw === 'number') return Number.isInteger(raw) && raw >= 0 && raw < SPAN_KINDS.length ? SPAN_KINDS[raw] : 'unspecified';
  if (typeof raw !== 'string') return 'unspecified';
  if (/^\d$/.test(raw)) return toOtlpSpanKind(Number(raw));
  const name = raw.toLowerCase().replace(/^span_kind_/, '');
  return (SPAN_KINDS as readonly string[]).includes(name) ? (name as SpanKind) : 'unspecified';
}

/** `status`: {code 0|1|2 or "STATUS_CODE_ERROR", message, deprecatedCode} → status and message. */
export function toOtlpStatus(raw: unknown): { status: StatusCode; message: string | undefined } {
  if (!isRecord(raw)) return { status: 'unset', message: undefined };
  let code: unknown;
  let deprecatedCode: unknown;
  let message: string | undefined;
  for (const key in raw) {
    const v = raw[key];
    switch (normKey(key)) {
      case 'code':
        code = v;
        break;
      case 'deprecatedCode':
        deprecatedCode = v;
        break;
      case 'message':
        if (typeof v === 'string' && v !== '') message = v;
        break;
    }
  }
  const status = statusFromCode(code);
  if (status !== 'unset') return { status, message };
  // OTLP < 0.10 receivers: with code UNSET, any deprecated code other than OK (0) means an error.
  if (deprecatedCode !== undefined && deprecatedCode !== 0 && deprecatedCode !== '0' && !/^(DEPRECATED_STATUS_CODE_)?OK$/i.test(String(deprecatedCode))) {
    return { status: 'error', message };
  }
  return { status: 'unset', message };
}

function statusFromCode(code: unknown): StatusCode {
  if (code === 1 || code === '1') return 'ok';
  if (code === 2 || code === '2') return 'error';
  if (typeof code !== 'string') return 'unset';
  const name = code.toUpperCase().replace(/^STATUS_CODE_/, '');
  return name === 'OK' ? 'ok' : name === 'ERROR' ? 'error' : 'unset';
}

/** A `*TimeUnixNano` value (decimal string, or number) → exact epoch time; 0 and garbage are "absent". */
export function toEpoch(raw: unknown): EpochNanos | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const t = epochFromNanos(raw);
  return t && (t.ms !== 0 || t.nsOfMs !== 0) ? t : undefined;
}

/** `flags` (fixed32) when present and non-zero. */
export function toFlags(raw: unknown): number | undefined {
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** droppedAttributesCount and friends, for a span warning. */
export function toCount(raw: unknown): number {
  const n = typeof raw === 'string' ? Number(raw) : raw;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 0;
}
