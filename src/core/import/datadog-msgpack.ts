// Datadog agent msgpack payloads, for the `/v0.4/traces` and `/v0.5/traces` intake (dd-trace's default is
// v0.4; v0.5 is opt-in with DD_TRACE_AGENT_PROTOCOL_VERSION=0.5).
// - v0.4: `[[span map…]…]`, each span {trace_id, span_id, parent_id (uint64), start, duration (int64 ns),
//   error, service, name, resource, type, meta, metrics, meta_struct, span_links, span_events}.
// - v0.5: `[string table, [[span…]…]]`, each span a 12-item array whose strings are string-table indexes.
// Both are decoded into v0.4 traces and handed, as the values the same traces in agent JSON would parse to,
// to the Datadog reader: no JSON text in between. uint64/int64 are decoded as bigint, so ids beyond 2^53
// stay exact.
// The protobuf library's base64 encoder: there is no portable one in both browsers and Node before 22.
import { base64Encode } from '@bufbuild/protobuf/wire';
import { decode } from '@msgpack/msgpack';
import { MAX_JSON_DEPTH } from '../json/json-cursor.ts';
import type { TraceCollection } from '../model/trace-model.ts';
import { importDatadogTraces } from './datadog.ts';
import { LoadError } from './load-error.ts';

const NOT_DATADOG = 'Not a Datadog agent msgpack trace payload';
/** v0.5 span layout, in array order; V05_STRINGS, `type` and the meta keys and values are string-table indexes. */
const V05_FIELDS = ['service', 'name', 'resource', 'trace_id', 'span_id', 'parent_id', 'start', 'duration', 'error', 'meta', 'metrics', 'type'] as const;
const V05_STRINGS = new Set(['service', 'name', 'resource']);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The spans of a v0.4 or v0.5 msgpack payload, read once; a LoadError when it is not one or holds no spans. */
export function importDatadogMsgpack(bytes: Uint8Array): TraceCollection {
  const traces = decodeDatadogMsgpack(bytes);
  asJsonValue(traces, 0);
  return importDatadogTraces([traces]);
}

/** The v0.4 traces of a v0.4 or v0.5 payload, as decoded (bigint, binary); LoadError 'bad-shape' when it is not one. */
export function decodeDatadogMsgpack(bytes: Uint8Array): unknown[] {
  const first = firstNonBlank(bytes);
  if (first === 0x5b || first === 0x7b) {
    throw notDatadog(`it starts with "${String.fromCharCode(first)}", which looks like JSON (send it as application/json)`);
  }
  let payload: unknown;
  try {
    payload = decode(bytes, { useBigInt64: true });
  } catch (err) {
    throw notDatadog(`the msgpack decoder failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!Array.isArray(payload)) throw notDatadog(`the top level is ${describe(payload)}, not an array of traces`);
  const traces = isV05(payload) ? fromV05(payload[0] as string[], payload[1] as unknown[]) : payload;
  for (const trace of traces) {
    if (!Array.isArray(trace) && !isMap(trace)) throw notDatadog(`a trace is ${describe(trace)}, not an array of spans`);
  }
  return traces;
}

function notDatadog(why: string): LoadError {
  return new LoadError({ kind: 'bad-shape', message: NOT_DATADOG, detail: `${NOT_DATADOG}: ${why}.` });
}

function firstNonBlank(bytes: Uint8Array): number | undefined {
  for (const b of bytes) if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return b;
  return undefined;
}

// Decoded maps are plain objects; extension values (Date, ExtData) are not, and Datadog never sends them.
function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Uint8Array) return 'binary data';
  if (isMap(v)) return 'a map';
  return `a ${v === null ? 'nil' : typeof v} (${String(v).slice(0, 40)})`;
}

// v0.4 traces are arrays of maps, never of strings: a leading array of strings is v0.5's string table.
function isV05(payload: unknown[]): boolean {
  const [table, traces] = payload;
  return payload.length === 2 && Array.isArray(table) && table.length > 0 && table.every((s) => typeof s === 'string') && Array.isArray(traces);
}

function fromV05(table: readonly string[], traces: readonly unknown[]): Record<string, unknown>[][] {
  const lookup = (index: unknown, what: string): string => {
    if (typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < table.length) return table[index];
    throw notDatadog(`v0.5 ${what} ${describe(index)} is not an index into the string table of ${table.length} strings`);
  };
  const lookupMap = (raw: unknown, what: string, valuesAreStrings: boolean): Record<string, unknown> => {
    if (!isMap(raw)) throw notDatadog(`v0.5 ${what} is ${describe(raw)}, not a map`);
    const out: Record<string, unknown> = {};
    // Decoded map keys are strings: "12" for the index 12.
    for (const [key, value] of Object.entries(raw)) setOwn(out, lookup(Number(key), `${what} key`), valuesAreStrings ? lookup(value, `${what} value`) : value);
    return out;
  };
  return traces.map((trace) => {
    if (!Array.isArray(trace)) throw notDatadog(`a v0.5 trace is ${describe(trace)}, not an array of spans`);
    return trace.map((span) => {
      if (!Array.isArray(span) || span.length !== V05_FIELDS.length) {
        throw notDatadog(`a v0.5 span is ${describe(span)}${Array.isArray(span) ? ` of ${span.length} items` : ''}, not an array of ${V05_FIELDS.length}`);
      }
      const out: Record<string, unknown> = {};
      V05_FIELDS.forEach((field, i) => {
        const v = span[i];
        if (field === 'type') {
          // v0.4 leaves an absent type out; v0.5 can only point at the table's "".
          const type = lookup(v, field);
          if (type !== '') out.type = type;
        } else if (V05_STRINGS.has(field)) out[field] = lookup(v, field);
        else if (field === 'meta') out.meta = lookupMap(v, 'meta', true);
        else if (field === 'metrics') out.metrics = lookupMap(v, 'metrics', false);
        else out[field] = v;
      });
      return out;
    });
  });
}

// A "__proto__" key must become an own property, not the object's prototype.
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A decoded value, turned in place into what the JSON reader gives for its JSON text: 64-bit integers as
 * numbers, or digit strings beyond 2^53; binary as base64; non-finite floats as strings; nil and
 * extensions as null.
 */
function asJsonValue(v: unknown, depth: number): unknown {
  // The same bound as JSON input's, before the recursion could run out of stack.
  if (depth > MAX_JSON_DEPTH) throw notDatadog(`values are nested deeper than ${MAX_JSON_DEPTH} levels`);
  if (typeof v === 'bigint') return v <= MAX_SAFE && v >= -MAX_SAFE ? Number(v) : v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Uint8Array) return base64Encode(v);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = asJsonValue(v[i], depth + 1);
    return v;
  }
  if (isMap(v)) {
    for (const key of Object.keys(v)) v[key] = asJsonValue(v[key], depth + 1);
    return v;
  }
  return null;
}
