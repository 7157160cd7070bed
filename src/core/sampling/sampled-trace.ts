// One trace as the tail sampler sees it at decision time: the spans that arrived within decision_wait
// (the others are late), their count and size, and attribute lookups with the Collector's type rules.
//
// Arrival: a span is exported when it ends, so the trace "arrives" with its earliest-ending span and
// the Collector decides decision_wait later. A span ending after that instant is late: the policies do
// not see it, and it follows the decision already made (the trace is still in memory, num_traces
// permitting). Times are the traces' own, replayed; nothing here reads a clock.
import { ATTR_TYPES, type AttributeStore, type AttrValue } from '../model/attributes.ts';
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
 * (as if the trace arrived in one batch). Strings count UTF-8 bytes. A sizer remembers what it measured
 * of each load (LoadSizes): keep one while the traces stay loaded.
 */
export class TraceSizer {
  private readonly loads = new Map<AttributeStore, LoadSizes>();
  private last: LoadSizes | undefined;
  private calls = 0;
  private resourceStamps = new Uint32Array(64);
  private scopeStamps = new Uint32Array(64);

  /** What is measured of the model's load, up to date with its stores (one lookup per load in a row). */
  private sizesOf(model: TraceModel): LoadSizes {
    const { attributes, strings } = model.stores;
    let sizes = this.last;
    if (sizes?.attributes !== attributes) {
      sizes = this.loads.get(attributes);
      if (sizes === undefined) this.loads.set(attributes, (sizes = new LoadSizes(attributes, strings)));
      this.last = sizes;
    }
    sizes.catchUp();
    return sizes;
  }

  /** @param include the spans to count (all when undefined) */
  bytes(model: TraceModel, include?: (span: number) => boolean): number {
    const { events, links, resources, scopes } = model.stores;
    const sizes = this.sizesOf(model);
    // Each resource and scope counts once per trace: counted when its stamp is this call's (index 0 of
    // the resources: spans without one). The stamps are reused from trace to trace.
    const call = ++this.calls;
    if (this.resourceStamps.length <= resources.length) this.resourceStamps = new Uint32Array(2 * resources.length + 1);
    if (this.scopeStamps.length < scopes.length) this.scopeStamps = new Uint32Array(2 * scopes.length);
    const resourceStamp = this.resourceStamps;
    const scopeStamp = this.scopeStamps;
    const { nameId, attrStart, attrCount, eventStart, eventCount, linkStart, linkCount, resourceId, scopeId } = model;
    let total = 0;
    for (let i = 0; i < model.spanCount; i++) {
      if (include !== undefined && !include(i)) continue;
      total += 68 + sizes.interned(nameId[i]) + sizes.attrs(attrStart[i], attrCount[i]);
      for (let e = eventStart[i], end = e + eventCount[i]; e < end; e++) {
        total += 12 + sizes.interned(events.nameId[e]) + sizes.attrs(events.attrStart[e], events.attrCount[e]);
      }
      for (let l = linkStart[i], end = l + linkCount[i]; l < end; l++) {
        total += 28 + utf8Length(links.traceState[l] ?? '') + sizes.attrs(links.attrStart[l], links.attrCount[l]);
      }
      const r = resourceId[i];
      if (resourceStamp[r + 1] !== call) {
        resourceStamp[r + 1] = call;
        total += 4 + (r >= 0 ? sizes.attrs(resources[r].attrStart, resources[r].attrCount) : 0);
      }
      const s = scopeId[i];
      if (s >= 0 && scopeStamp[s] !== call) {
        scopeStamp[s] = call;
        total += 4 + utf8Length(scopes[s].name) + utf8Length(scopes[s].version) + sizes.attrs(scopes[s].attrStart, scopes[s].attrCount);
      }
    }
    // The few spans with a trace state or a status message, from their maps rather than a lookup per span.
    if (model.traceState.size > 0) for (const [i, state] of model.traceState) if (include === undefined || include(i)) total += utf8Length(state);
    if (model.statusMessage.size > 0) for (const [i, message] of model.statusMessage) if (include === undefined || include(i)) total += utf8Length(message);
    return total;
  }
}

/**
 * The sizes of one load's strings and attributes. Attributes are summed in one walk through the store
 * into running sums, so a range's size is two reads: a big trace's spans are ordered by the tree and
 * their attributes by arrival, and measuring span by span read the store at random (~1.7× slower over
 * the 1M-span bench trace). The sums wrap at 2^32: a difference is exact while one range is under 4 GiB.
 */
class LoadSizes {
  /** UTF-8 length per string id, -1 where not measured yet. */
  private internedBytes = new Int32Array(64).fill(-1);
  private sums = new Uint32Array(1);

  constructor(
    readonly attributes: AttributeStore,
    private readonly strings: StringTable,
  ) {}

  /** Sizes up to the stores' current lengths (they only grow). */
  catchUp(): void {
    if (this.internedBytes.length < this.strings.size) {
      const grown = new Int32Array(2 * this.strings.size).fill(-1);
      grown.set(this.internedBytes);
      this.internedBytes = grown;
    }
    const done = this.sums.length - 1;
    const { attributes } = this;
    if (attributes.length === done) return;
    const sums = new Uint32Array(attributes.length + 1);
    sums.set(this.sums);
    const { keys, types, values } = attributes;
    let sum = sums[done];
    for (let a = done; a < attributes.length; a++) {
      const type = types[a];
      sum = (sum + this.interned(keys[a]) + (type === STRING_TYPE ? utf8Length(values[a] as string) : valueBytes(type, values[a]))) >>> 0;
      sums[a + 1] = sum;
    }
    this.sums = sums;
  }

  interned(id: number): number {
    let n = this.internedBytes[id];
    if (n < 0) this.internedBytes[id] = n = utf8Length(this.strings.get(id));
    return n;
  }

  /** Bytes of the attributes [start, start + count): keys and values. */
  attrs(start: number, count: number): number {
    return (this.sums[start + count] - this.sums[start]) >>> 0;
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

/** UTF-8 bytes of a string: its length while it is ASCII (the common case, a tight scan), then what each non-ASCII code unit adds. */
export function utf8Length(text: string): number {
  const length = text.length;
  for (let i = 0; i < length; i++) if (text.charCodeAt(i) >= 0x80) return length + nonAsciiExtra(text, i);
  return length;
}

function nonAsciiExtra(text: string, from: number): number {
  let extra = 0;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) extra += 1;
    else if (c >= 0xd800 && c <= 0xdbff) {
      extra += 2; // a surrogate pair: 2 code units, 4 bytes
      i++;
    } else extra += 2;
  }
  return extra;
}
