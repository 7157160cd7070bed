// Zipkin v1 and v2 share one tree model: spans are keyed by (trace, id), a SERVER half may reuse its
// CLIENT's id (B3 "shared" spans) and one span may arrive in several fragments. Both importers turn
// their input into fragments; this file merges them, decides every parent and writes the spans.
// The rules follow Zipkin Lens (zipkin-lens/src/zipkin/span-cleaner.js, span-node.js); see FORMATS.md §4–5.
import type { JsonSample } from '../json/json-sample.ts';
import type { AttrValue } from '../model/attributes.ts';
import { epochFromMicros } from '../model/time.ts';
import type { SpanHandle, TraceModelBuilder } from '../model/trace-model-builder.ts';
import type { SpanKind, StatusCode } from '../model/trace-model.ts';
import { knownEntry } from '../known-entry.ts';
import { isRecord } from './importer.ts';

export interface ZipkinEndpoint {
  readonly serviceName?: string;
  readonly ipv4?: string;
  readonly ipv6?: string;
  readonly port?: number;
}

export interface ZipkinAnnotation {
  readonly timestampUs: number | undefined;
  readonly value: string;
}

/** The bulky parts of a span, needed only when it is written (v2 re-reads them from the file). */
export interface ZipkinDetails {
  readonly tags: ReadonlyMap<string, AttrValue>;
  readonly annotations: readonly ZipkinAnnotation[];
  readonly remoteEndpoint: ZipkinEndpoint | undefined;
}

/** One span object as read from the file (v2), or one side of a v1 span. Ids already normalized. */
export interface ZipkinFragment {
  /** Position in the file, for a stable output order. */
  readonly order: number;
  readonly traceId: string;
  readonly id: string;
  /** '' for a root. */
  readonly parentId: string;
  readonly name: string | undefined;
  readonly kind: SpanKind | undefined;
  /** Only ever true for a non-CLIENT span (Lens unsets it on clients). */
  readonly shared: boolean;
  readonly debug: boolean;
  readonly timestampUs: number | undefined;
  readonly durationUs: number | undefined;
  readonly localEndpoint: ZipkinEndpoint | undefined;
  /** Fields of the wrong type ("duration must be a number, got …"), when there are any. */
  readonly badFields?: readonly string[];
  /** In memory (v1); when absent the reader's loader fetches them (v2: byte offset `at`). */
  readonly details?: ZipkinDetails;
  readonly at: number;
}

export type DetailsLoader = (fragment: ZipkinFragment) => ZipkinDetails;

export const NO_DETAILS: ZipkinDetails = { tags: new Map(), annotations: [], remoteEndpoint: undefined };

// ---- detection -------------------------------------------------------------------------------

type SpanShape = 'v1' | 'either';

function spanShape(v: unknown): SpanShape | undefined {
  // traceId + id (not traceID/spanID, trace_id/span_id, traceId/spanId) is what only Zipkin spans have.
  if (!isRecord(v) || typeof v.traceId !== 'string' || typeof v.id !== 'string') return undefined;
  if ('binaryAnnotations' in v) return 'v1';
  if (Array.isArray(v.annotations) && v.annotations.some((a) => isRecord(a) && 'endpoint' in a)) return 'v1';
  // localEndpoint / kind / a tags object mark v2, but a span with none of them reads the same either way.
  return 'either';
}

/** Which Zipkin JSON the sample is: spans, an array of them, an array of arrays, or NDJSON of those. */
export function detectZipkinVersion(sample: JsonSample): 'v1' | 'v2' | undefined {
  const candidates: unknown[] = [];
  for (const value of sample.values) {
    if (!Array.isArray(value)) {
      candidates.push(value);
      continue;
    }
    for (const item of value) {
      if (Array.isArray(item)) candidates.push(...item);
      else candidates.push(item);
    }
  }
  // The first span decides whether this is Zipkin at all; later ones may be cut short by the sampler.
  if (candidates.length === 0 || spanShape(candidates[0]) === undefined) return undefined;
  return candidates.some((c) => spanShape(c) === 'v1') ? 'v1' : 'v2';
}

// ---- small parsers shared by both versions ----------------------------------------------------

export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** Zipkin treats 0 like an absent timestamp (span-cleaner `if (span.timestamp)`). */
export function toTimestampUs(v: unknown): number | undefined {
  const n = toNumber(v);
  return n !== undefined && n > 0 ? n : undefined;
}

export function parseEndpoint(raw: unknown): ZipkinEndpoint | undefined {
  if (!isRecord(raw)) return undefined;
  const e: { serviceName?: string; ipv4?: string; ipv6?: string; port?: number } = {};
  if (typeof raw.serviceName === 'string' && raw.serviceName !== '') e.serviceName = raw.serviceName;
  if (typeof raw.ipv4 === 'string' && raw.ipv4 !== '') e.ipv4 = raw.ipv4;
  if (typeof raw.ipv6 === 'string' && raw.ipv6 !== '') e.ipv6 = raw.ipv6;
  const port = toNumber(raw.port);
  if (port !== undefined && port > 0) e.port = port;
  return Object.keys(e).length > 0 ? e : undefined;
}

export function toAttrValue(v: unknown): AttrValue {
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
  return v == null ? '' : JSON.stringify(v);
}

export function parseAnnotations(raw: unknown): ZipkinAnnotation[] {
  if (!Array.isArray(raw)) return [];
  const out: ZipkinAnnotation[] = [];
  for (const a of raw) {
    if (!isRecord(a) || a.value == null) continue;
    out.push({ timestampUs: toTimestampUs(a.timestamp), value: String(a.value) });
  }
  return out;
}

export function toZipkinKind(v: unknown): SpanKind | undefined {
  if (typeof v !== 'string') return undefined;
  const k = v.toLowerCase();
  return k === 'client' || k === 'server' || k === 'producer' || k === 'consumer' ? k : undefined;
}

// ---- merging and writing ------------------------------------------------------------------------

/** The fragments that make one span: same trace, id and shared-ness, compatible endpoint and kind. */
interface MergedSpan {
  readonly traceId: string;
  readonly id: string;
  /** Primary fragment first (the one with a kind, a CLIENT first). */
  readonly fragments: ZipkinFragment[];
  kind: SpanKind | undefined;
  shared: boolean;
  /** Union of the fragments' local endpoints. */
  readonly endpoint: { serviceName?: string; ipv4?: string; ipv6?: string; port?: number };
  order: number;
  parentId: string;
  handle?: SpanHandle;
}

const ZERO16 = '0000000000000000';

// Lens tryMerge: fields present on both sides must agree; then the union is kept.
function mergeEndpoint(into: MergedSpan['endpoint'], e: ZipkinEndpoint | undefined): boolean {
  if (!e) return true;
  if (into.serviceName && e.serviceName && into.serviceName !== e.serviceName) return false;
  if (into.ipv4 && e.ipv4 && into.ipv4 !== e.ipv4) return false;
  if (into.ipv6 && e.ipv6 && into.ipv6 !== e.ipv6) return false;
  if (into.port && e.port && into.port !== e.port) return false;
  into.serviceName ??= e.serviceName;
  into.ipv4 ??= e.ipv4;
  into.ipv6 ??= e.ipv6;
  into.port ??= e.port;
  return true;
}

const kindRank = (f: ZipkinFragment) => (f.kind === undefined ? 2 : f.kind === 'client' ? 0 : 1);

function mergeFragments(traceId: string, list: readonly ZipkinFragment[]): MergedSpan[] {
  const candidates = list.length === 1 ? list : [...list].sort((a, b) => kindRank(a) - kindRank(b) || a.order - b.order);
  const out: MergedSpan[] = [];
  for (const f of candidates) {
    const target = out.find(
      (m) => m.shared === f.shared && (f.kind === undefined || m.kind === undefined || m.kind === f.kind) && mergeEndpoint({ ...m.endpoint }, f.localEndpoint),
    );
    if (target) {
      mergeEndpoint(target.endpoint, f.localEndpoint);
      target.fragments.push(f);
      target.kind ??= f.kind;
      target.order = Math.min(target.order, f.order);
      if (!target.parentId) target.parentId = f.parentId;
      continue;
    }
    const endpoint = {};
    mergeEndpoint(endpoint, f.localEndpoint);
    out.push({ traceId, id: f.id, fragments: [f], kind: f.kind, shared: f.shared, endpoint, order: f.order, parentId: f.parentId });
  }
  // Some instrumentation forgets the shared flag on the server half of a client's id (Lens backfills it).
  if (out.some((m) => !m.shared && m.kind === 'client')) {
    for (const m of out) if (!m.shared && m.kind === 'server') m.shared = true;
  }
  for (const m of out) if (m.parentId === m.id) m.parentId = ''; // never a self-parent
  return out;
}

function sameEndpoint(a: MergedSpan['endpoint'], b: MergedSpan['endpoint']): boolean {
  return a.serviceName === b.serviceName && a.ipv4 === b.ipv4 && a.ipv6 === b.ipv6 && a.port === b.port;
}

/**
 * Which span with id `child.parentId` is the parent. A child is created in the process whose current
 * span has that id: on the server side that is the shared SERVER half, so prefer the half on the
 * child's endpoint, then on its service, then any server half (as Lens does), then the non-shared span.
 */
function pickParent(halves: readonly MergedSpan[], child: MergedSpan): MergedSpan {
  const servers = halves.filter((h) => h.shared);
  const ordered = [...servers, ...halves.filter((h) => !h.shared)];
  const service = child.endpoint.serviceName;
  return (
    ordered.find((h) => sameEndpoint(h.endpoint, child.endpoint) && Object.keys(child.endpoint).length > 0) ??
    (service === undefined ? undefined : ordered.find((h) => h.endpoint.serviceName === service)) ??
    ordered[0]
  );
}

/** The client side of a shared server half: the non-shared span with the same id. */
function clientHalf(halves: readonly MergedSpan[]): MergedSpan | undefined {
  const others = halves.filter((h) => !h.shared);
  return others.find((h) => h.kind === 'client') ?? others.find((h) => h.kind === 'producer') ?? others[0];
}

/** Trace ids of one response: a 64-bit id whose 128-bit form appears elsewhere takes that form (Lens picks the longest). */
function traceIdWidener(fragments: readonly ZipkinFragment[]): (traceId: string) => string {
  const wideByLow = new Map<string, string>();
  for (const f of fragments) {
    if (f.traceId.startsWith(ZERO16)) continue;
    const low = f.traceId.slice(16);
    const seen = wideByLow.get(low);
    if (seen === undefined) wideByLow.set(low, f.traceId);
    else if (seen !== f.traceId) wideByLow.set(low, ''); // two different high halves: ambiguous, leave as is
  }
  if (wideByLow.size === 0) return (t) => t;
  return (t) => (t.startsWith(ZERO16) ? wideByLow.get(t.slice(16)) || t : t);
}

export class ZipkinWriter {
  private readonly resources = new Map<string, number>();

  constructor(private readonly builder: TraceModelBuilder) {}

  /** Writes one batch (a whole response or trace: parents are resolved within it). */
  write(fragments: readonly ZipkinFragment[], load: DetailsLoader): void {
    if (fragments.length === 0) return;
    const widen = traceIdWidener(fragments);
    const byKey = new Map<string, ZipkinFragment[]>();
    for (const f of fragments) {
      const key = `${widen(f.traceId)}/${f.id}`;
      const list = byKey.get(key);
      if (list) list.push(f);
      else byKey.set(key, [f]);
    }
    const groups = new Map<string, MergedSpan[]>();
    const all: MergedSpan[] = [];
    for (const [key, list] of byKey) {
      const merged = mergeFragments(widen(list[0].traceId), list);
      groups.set(key, merged);
      for (const m of merged) all.push(m);
    }
    byKey.clear();
    all.sort((a, b) => a.order - b.order);
    for (const m of all) this.writeSpan(m, load);

    for (const m of all) {
      const halves = knownEntry(groups, `${m.traceId}/${m.id}`);
      let parent = m.shared ? clientHalf(halves) : undefined;
      if (!parent && m.parentId) {
        const parentHalves = groups.get(`${m.traceId}/${m.parentId}`);
        if (parentHalves) parent = pickParent(parentHalves, m);
      }
      // Unresolved parents stay as parentSpanId: the builder reports them as orphans.
      if (parent && parent !== m) this.builder.setParent(writtenHandle(m), writtenHandle(parent));
    }
  }

  private resourceFor(e: MergedSpan['endpoint']): number | undefined {
    if (!e.serviceName && !e.ipv4 && !e.ipv6 && !e.port) return undefined;
    const key = `${e.serviceName ?? ''}|${e.ipv4 ?? ''}|${e.ipv6 ?? ''}|${e.port ?? ''}`;
    let resource = this.resources.get(key);
    if (resource !== undefined) return resource;
    const b = this.builder;
    resource = b.addResource(e.serviceName ?? 'unknown_service');
    // OTel (semconv ≤ 1.20) names for the local endpoint; ipv6 gets its own key when both are given.
    if (e.ipv4 || e.ipv6) b.attr('net.host.ip', e.ipv4 ?? e.ipv6 ?? '', 'string');
    if (e.ipv4 && e.ipv6) b.attr('net.host.ipv6', e.ipv6, 'string');
    if (e.port) b.attr('net.host.port', e.port, 'int');
    this.resources.set(key, resource);
    return resource;
  }

  private writeSpan(m: MergedSpan, load: DetailsLoader): void {
    const b = this.builder;
    const frags = m.fragments;
    let name: string | undefined;
    let debug = false;
    let startUs: number | undefined;
    let endUs: number | undefined;
    let durationOnlyUs: number | undefined;
    const starts = new Set<number>();
    for (const f of frags) {
      if (name === undefined && f.name) name = f.name;
      debug ||= f.debug;
      if (f.timestampUs !== undefined) {
        starts.add(f.timestampUs);
        startUs = startUs === undefined ? f.timestampUs : Math.min(startUs, f.timestampUs);
        if (f.durationUs !== undefined) endUs = Math.max(endUs ?? -Infinity, f.timestampUs + f.durationUs);
      } else if (f.durationUs !== undefined) durationOnlyUs = Math.max(durationOnlyUs ?? 0, f.durationUs);
    }
    const durationUs = endUs !== undefined && startUs !== undefined ? endUs - startUs : durationOnlyUs;

    // Later fragments (in file order) add late tags and annotations; a later tag value wins.
    const inFileOrder = frags.length === 1 ? frags : [...frags].sort((a, x) => a.order - x.order);
    const tags = new Map<string, AttrValue>();
    let annotations: ZipkinAnnotation[] = [];
    const remote: { serviceName?: string; ipv4?: string; ipv6?: string; port?: number } = {};
    for (const f of inFileOrder) {
      const d = f.details ?? load(f);
      for (const [k, v] of d.tags) tags.set(k, v);
      for (const a of d.annotations) annotations.push(a);
      if (d.remoteEndpoint) Object.assign(remote, d.remoteEndpoint);
    }
    if (frags.length > 1) {
      const seen = new Set<string>();
      annotations = annotations.filter((a) => {
        const key = `${a.timestampUs}\u0000${a.value}`;
        return seen.has(key) ? false : (seen.add(key), true);
      });
    }
    // Events in time order (stable; annotations without a time go last).
    annotations.sort((a, x) => (a.timestampUs ?? Infinity) - (x.timestampUs ?? Infinity));

    // Zipkin's error convention: an `error` tag, its value the message (may be ""); OTel bridges add otel.status_code.
    let status: StatusCode = 'unset';
    let statusMessage: string | undefined;
    const error = tags.get('error');
    const otelCode = tags.get('otel.status_code');
    if (error !== undefined) {
      status = 'error';
      statusMessage = String(error) || undefined;
    }
    if (otelCode === 'ERROR') {
      status = 'error';
      const description = tags.get('otel.status_description');
      statusMessage ??= description === undefined ? undefined : String(description) || undefined;
    } else if (otelCode === 'OK' && status !== 'error') status = 'ok';

    const resource = this.resourceFor(m.endpoint);
    m.handle = b.addSpan({
      traceId: m.traceId,
      spanId: m.id,
      parentSpanId: m.parentId,
      name: name ?? '',
      service: m.endpoint.serviceName ?? 'unknown_service',
      resource,
      kind: m.kind ?? 'unspecified',
      start: startUs === undefined ? undefined : epochFromMicros(startUs),
      durationNs: durationUs === undefined ? NaN : durationUs * 1000,
      status,
      statusMessage,
    });
    for (const [k, v] of tags) b.attr(k, v, typeof v === 'string' ? 'string' : undefined);
    // The remote endpoint as OTel (semconv ≤ 1.20) peer attributes, unless a tag already says it.
    const derived = (key: string, value: AttrValue | undefined, type: 'string' | 'int') => {
      if (value !== undefined && !tags.has(key)) b.attr(key, value, type);
    };
    derived('peer.service', remote.serviceName, 'string');
    derived('net.peer.ip', remote.ipv4 ?? remote.ipv6, 'string');
    derived('net.peer.ipv6', remote.ipv4 ? remote.ipv6 : undefined, 'string');
    derived('net.peer.port', remote.port, 'int');
    if (debug) b.attr('zipkin.debug', true, 'bool');
    if (frags.some((f) => f.shared)) b.attr('zipkin.shared', true, 'bool');

    for (const f of frags) for (const problem of f.badFields ?? []) b.badField('Zipkin', problem);
    if (resource === undefined) b.spanWarning('no localEndpoint in the file: the service is unknown');
    if (starts.size > 1) b.spanWarning(`merged ${frags.length} fragments with this span id that start at different times`);
    for (const a of annotations) b.addEvent(a.timestampUs === undefined ? undefined : epochFromMicros(a.timestampUs), a.value);
  }
}

/** Counts skipped values by reason and reports each reason once, at the end. */
export class SkipCounter {
  private readonly counts = new Map<string, number>();

  add(reason: string): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
  }

  report(builder: TraceModelBuilder): void {
    for (const [reason, n] of this.counts) builder.warn(`skipped ${n} value${n === 1 ? '' : 's'}: ${reason}`);
  }
}

/** The handle writeSpan gave a merged span (every span is written before parents are set). */
function writtenHandle(m: MergedSpan): SpanHandle {
  if (!m.handle) throw new Error(`zipkin: span ${m.id} was not written`);
  return m.handle;
}
