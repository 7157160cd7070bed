// One trace as the tail sampler sees it at decision time: the spans that arrived within decision_wait
// (the others are late), their count and size, and attribute lookups with the Collector's type rules.
//
// Arrival: a span is exported when it ends, so the trace "arrives" with its earliest-ending span and
// the Collector decides decision_wait later. A span ending after that instant is late: the policies do
// not see it, and it follows the decision already made (the trace is still in memory, num_traces
// permitting). Times are the traces' own, replayed; nothing here reads a clock.
import { ATTR_TYPES, type AttrValue } from '../model/attributes.ts';
import type { StringTable } from '../model/string-table.ts';
import type { TraceModel } from '../model/trace-model.ts';

const INT_TYPE = ATTR_TYPES.indexOf('int');
const DOUBLE_TYPE = ATTR_TYPES.indexOf('double');
const STRING_TYPE = ATTR_TYPES.indexOf('string');
const BOOL_TYPE = ATTR_TYPES.indexOf('bool');
const BYTES_TYPE = ATTR_TYPES.indexOf('bytes');

export interface SampledTrace {
  readonly model: TraceModel;
  /** Index in the collection. */
  readonly index: number;
  /** Spans whose end ≤ this (ns relative to the trace start) arrived before the decision. */
  readonly cutoffNs: number;
  readonly onTimeSpans: number;
  readonly lateSpans: number;
  /** When the Collector decides: arrival of the first span + decision_wait, in epoch seconds. */
  readonly decisionTimeSec: number;
}

export function sampledTrace(model: TraceModel, index: number, decisionWaitNs: number): SampledTrace {
  let firstEnd = Infinity;
  for (let i = 0; i < model.spanCount; i++) firstEnd = Math.min(firstEnd, model.startNs[i] + model.durationNs[i]);
  const cutoffNs = firstEnd + decisionWaitNs;
  let late = 0;
  for (let i = 0; i < model.spanCount; i++) if (model.startNs[i] + model.durationNs[i] > cutoffNs) late++;
  return {
    model,
    index,
    cutoffNs,
    onTimeSpans: model.spanCount - late,
    lateSpans: late,
    decisionTimeSec: (model.traceStart.ms + (model.traceStart.nsOfMs + cutoffNs) / 1e6) / 1e3,
  };
}

export function isOnTime(trace: SampledTrace, span: number): boolean {
  return trace.model.startNs[span] + trace.model.durationNs[span] <= trace.cutoffNs;
}

/** The attribute's index in the shared store within [start, start + count), or -1. */
function findAttr(model: TraceModel, start: number, count: number, keyId: number | undefined): number {
  if (keyId === undefined) return -1;
  const keys = model.stores.attributes.keys;
  for (let a = start; a < start + count; a++) if (keys[a] === keyId) return a;
  return -1;
}

/**
 * A typed attribute reader for one key, resolved once per policy. Follows pdata: Int() of a non-int is
 * 0, Str() of a non-string is "", Bool() of a non-bool is false. A resource without a service.name
 * attribute still has the service name the importer gave it.
 */
export class AttrReader {
  constructor(readonly key: string) {}

  private keyId(model: TraceModel): number | undefined {
    return model.stores.strings.idOf(this.key);
  }

  span(model: TraceModel, span: number): number {
    return findAttr(model, model.attrStart[span], model.attrCount[span], this.keyId(model));
  }

  /** -2: no attribute, but key is service.name and the resource's service stands in. */
  resource(model: TraceModel, resourceId: number): number {
    if (resourceId < 0) return this.key === 'service.name' ? -2 : -1;
    const r = model.stores.resources[resourceId];
    const found = findAttr(model, r.attrStart, r.attrCount, this.keyId(model));
    return found < 0 && this.key === 'service.name' ? -2 : found;
  }

  intValue(model: TraceModel, attr: number): number {
    if (model.stores.attributes.types[attr] !== INT_TYPE) return 0;
    return Number(model.stores.attributes.values[attr]);
  }

  strValue(model: TraceModel, attr: number, span: number): string {
    if (attr === -2) return model.stores.strings.get(model.serviceId[span]);
    if (model.stores.attributes.types[attr] !== STRING_TYPE) return '';
    return model.stores.attributes.values[attr] as string;
  }

  boolValue(model: TraceModel, attr: number): boolean {
    return model.stores.attributes.types[attr] === BOOL_TYPE && model.stores.attributes.values[attr] === true;
  }
}

/** Distinct resource ids of the on-time spans, each with one span that uses it (for service.name). */
export function resourcesOf(trace: SampledTrace): Map<number, number> {
  const out = new Map<number, number>();
  const { model } = trace;
  for (let i = 0; i < model.spanCount; i++) if (isOnTime(trace, i) && !out.has(model.resourceId[i])) out.set(model.resourceId[i], i);
  return out;
}

/**
 * Bytes of a trace as the Collector's bytes_limiting policy estimates them (calculateTraceSize in
 * internal/sampling/bytes_limiting.go): fixed 68 B per span plus name, trace state, status message and
 * attributes (key bytes + value: string bytes, 8 per number, 1 per bool, raw bytes, maps and lists
 * summed); 12 B + name + attributes per event; 28 B + trace state + attributes per link; 4 B +
 * attributes per resource and 4 B + name + version + attributes per scope, each counted once per trace
 * (as if the trace arrived in one batch). Strings count UTF-8 bytes. One sizer per evaluation run: it
 * remembers the byte length of each interned string (keys, names) it has measured.
 */
export class TraceSizer {
  private readonly lengths = new Map<StringTable, Int32Array>();

  /** The byte lengths of a store's interned strings, -1 where not measured yet (one table per store). */
  private lengthsOf(strings: StringTable): Int32Array {
    let cache = this.lengths.get(strings);
    if (cache === undefined || cache.length < strings.size) {
      const grown = new Int32Array(Math.max(strings.size, 64)).fill(-1);
      if (cache) grown.set(cache);
      cache = grown;
      this.lengths.set(strings, cache);
    }
    return cache;
  }

  /** UTF-8 length of an interned string. */
  private internedLength(strings: StringTable, id: number): number {
    const cache = this.cache ?? this.lengthsOf(strings);
    if (cache[id] < 0) cache[id] = utf8Length(strings.get(id));
    return cache[id];
  }

  private calls = 0;
  private resourceStamps = new Uint32Array(64);
  private scopeStamps = new Uint32Array(64);

  /** The table of the model being measured (looked up once per trace, not once per string). */
  private cache: Int32Array | undefined;

  private attrs(model: TraceModel, start: number, count: number): number {
    const { strings, attributes } = model.stores;
    let size = 0;
    for (let a = start; a < start + count; a++) size += this.internedLength(strings, attributes.keys[a]) + valueBytes(attributes.types[a], attributes.values[a]);
    return size;
  }

  bytes(model: TraceModel, include?: (span: number) => boolean): number {
    const { strings, events, links, resources, scopes } = model.stores;
    // Each resource and scope counts once per trace: counted when its stamp is this call's (index 0 of
    // the resources: spans without one). The stamps are reused from trace to trace.
    const call = ++this.calls;
    if (this.resourceStamps.length <= resources.length) this.resourceStamps = new Uint32Array(2 * resources.length + 1);
    if (this.scopeStamps.length < scopes.length) this.scopeStamps = new Uint32Array(2 * scopes.length);
    const resourceStamp = this.resourceStamps;
    const scopeStamp = this.scopeStamps;
    this.cache = this.lengthsOf(strings);
    let total = 0;
    for (let i = 0; i < model.spanCount; i++) {
      if (include !== undefined && !include(i)) continue;
      total += 68 + this.internedLength(strings, model.nameId[i]);
      total += this.attrs(model, model.attrStart[i], model.attrCount[i]);
      for (let e = model.eventStart[i]; e < model.eventStart[i] + model.eventCount[i]; e++) {
        total += 12 + this.internedLength(strings, events.nameId[e]) + this.attrs(model, events.attrStart[e], events.attrCount[e]);
      }
      for (let l = model.linkStart[i]; l < model.linkStart[i] + model.linkCount[i]; l++) {
        total += 28 + utf8Length(links.traceState[l] ?? '') + this.attrs(model, links.attrStart[l], links.attrCount[l]);
      }
      const r = model.resourceId[i];
      if (resourceStamp[r + 1] !== call) {
        resourceStamp[r + 1] = call;
        total += 4 + (r >= 0 ? this.attrs(model, resources[r].attrStart, resources[r].attrCount) : 0);
      }
      const s = model.scopeId[i];
      if (s >= 0 && scopeStamp[s] !== call) {
        scopeStamp[s] = call;
        total += 4 + utf8Length(scopes[s].name) + utf8Length(scopes[s].version) + this.attrs(model, scopes[s].attrStart, scopes[s].attrCount);
      }
    }
    // The few spans with a trace state or a status message, from their maps rather than a lookup per span.
    if (model.traceState.size > 0) for (const [i, state] of model.traceState) if (include === undefined || include(i)) total += utf8Length(state);
    if (model.statusMessage.size > 0) for (const [i, message] of model.statusMessage) if (include === undefined || include(i)) total += utf8Length(message);
    this.cache = undefined;
    return total;
  }
}

/** One trace's size with a fresh sizer (tests, single use). */
export function traceBytes(model: TraceModel, include?: (span: number) => boolean): number {
  return new TraceSizer().bytes(model, include);
}

function valueBytes(type: number, value: AttrValue): number {
  if (type === STRING_TYPE) return utf8Length(value as string);
  if (type === INT_TYPE || type === DOUBLE_TYPE) return 8;
  if (type === BOOL_TYPE) return 1;
  if (type === BYTES_TYPE) return base64DecodedLength(value as string);
  return nestedBytes(value);
}

function nestedBytes(value: AttrValue): number {
  switch (typeof value) {
    case 'string':
      return utf8Length(value);
    case 'number':
    case 'bigint':
      return 8;
    case 'boolean':
      return 1;
  }
  if (Array.isArray(value)) return value.reduce((sum: number, v: AttrValue) => sum + nestedBytes(v), 0);
  return Object.entries(value as Record<string, AttrValue>).reduce((sum, [k, v]) => sum + utf8Length(k) + nestedBytes(v), 0);
}

function base64DecodedLength(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
}

/** UTF-8 bytes of a string: its length plus what its non-ASCII code units add (a plain loop beats a regex test on the short values of attributes). */
export function utf8Length(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 2; // a surrogate pair: 2 code units, 4 bytes
      i++;
    } else n += 2;
  }
  return n;
}
