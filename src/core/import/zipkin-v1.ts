// Zipkin v1 JSON: spans with annotations [{timestamp, value, endpoint}] and binaryAnnotations
// [{key, value, endpoint}], as an array, an array of arrays, a single span, or NDJSON. See FORMATS.md §5.
//
// One v1 span may hold both sides of an RPC: cs/cr make a CLIENT span on the endpoint of cs, sr/ss a
// SERVER span on the endpoint of sr that shares the id (the client's child); ms/mr make PRODUCER and
// CONSUMER spans. Each side becomes a fragment for zipkin-common, which links the halves like v2.
// v1 is a legacy format whose files are small, so spans are read whole.
import type { AttrValue } from '../model/attributes.ts';
import { normalizeSpanId, normalizeTraceId } from '../model/ids.ts';
import type { SpanKind } from '../model/trace-model.ts';
import { isRecord, readArray, type TraceImporter } from './importer.ts';
import {
  NO_DETAILS,
  SkipCounter,
  ZipkinWriter,
  detectZipkinVersion,
  parseEndpoint,
  toAttrValue,
  toNumber,
  toTimestampUs,
  type ZipkinAnnotation,
  type ZipkinEndpoint,
  type ZipkinFragment,
} from './zipkin-common.ts';

export const zipkinV1Importer: TraceImporter = {
  format: 'zipkin-v1',
  label: 'Zipkin v1 JSON',
  fileNameHint: /zipkin/i,
  looksLike: (sample) => detectZipkinVersion(sample) === 'v1',
  read(cursor, builder) {
    const writer = new ZipkinWriter(builder);
    const skipped = new SkipCounter();
    const state = { order: 0 };
    const loose: ZipkinFragment[] = [];
    const readSpan = (into: ZipkinFragment[]) => {
      const result = convertV1Span(cursor.readValue(), state);
      if (typeof result === 'string') skipped.add(result);
      else for (const f of result) into.push(f);
    };
    const write = (batch: ZipkinFragment[]) => writer.write(batch, () => NO_DETAILS);
    while (!cursor.atEnd()) {
      if (cursor.peek() !== 'array') {
        readSpan(loose);
        continue;
      }
      const batch: ZipkinFragment[] = [];
      readArray(cursor, () => {
        if (cursor.peek() !== 'array') return readSpan(batch);
        const trace: ZipkinFragment[] = [];
        readArray(cursor, () => readSpan(trace));
        write(trace);
      });
      write(batch);
    }
    write(loose);
    skipped.report(builder);
  },
};

interface V1Annotation extends ZipkinAnnotation {
  readonly endpoint: ZipkinEndpoint | undefined;
}

interface V1Binary {
  readonly key: string;
  readonly value: unknown;
  readonly endpoint: ZipkinEndpoint | undefined;
}

/** One side of a v1 span, filled in before it becomes a fragment. */
interface Side {
  readonly kind: SpanKind | undefined;
  readonly endpoint: ZipkinEndpoint | undefined;
  startUs: number | undefined;
  durationUs: number | undefined;
  readonly remote: ZipkinEndpoint | undefined;
  readonly shared: boolean;
  readonly tags: Map<string, AttrValue>;
  readonly annotations: ZipkinAnnotation[];
}

const CORE_ANNOTATIONS = new Set(['cs', 'cr', 'sr', 'ss', 'ms', 'mr']);
const ADDRESS_KEYS = new Set(['ca', 'sa', 'ma']);

/** `ca`/`sa`/`ma` carry the value true (as bool, "true" or 1 depending on the producer). */
function isAddress(b: V1Binary): boolean {
  return ADDRESS_KEYS.has(b.key) && (b.value === true || b.value === 'true' || b.value === 1 || b.value === '1');
}

function sameHost(side: Side, e: ZipkinEndpoint): boolean {
  const s = side.endpoint;
  if (!s) return false;
  if (s.serviceName && e.serviceName) return s.serviceName === e.serviceName;
  return s.ipv4 !== undefined && s.ipv4 === e.ipv4;
}

/** The fragments of one v1 span, or why it was skipped. */
export function convertV1Span(raw: unknown, state: { order: number }): ZipkinFragment[] | string {
  if (!isRecord(raw)) return 'not a Zipkin v1 span object';
  const traceId = normalizeTraceId(raw.traceId);
  const id = normalizeSpanId(raw.id);
  if (!traceId || !id) return 'span without a valid traceId and id';

  const annotations: V1Annotation[] = [];
  if (Array.isArray(raw.annotations)) {
    for (const a of raw.annotations) {
      if (!isRecord(a) || a.value == null) continue;
      annotations.push({ timestampUs: toTimestampUs(a.timestamp), value: String(a.value), endpoint: parseEndpoint(a.endpoint) });
    }
  }
  const binaries: V1Binary[] = [];
  if (Array.isArray(raw.binaryAnnotations)) {
    for (const b of raw.binaryAnnotations) {
      if (!isRecord(b) || typeof b.key !== 'string') continue;
      binaries.push({ key: b.key, value: b.value, endpoint: parseEndpoint(b.endpoint) });
    }
  }

  const core = new Map<string, V1Annotation>();
  for (const a of annotations) if (CORE_ANNOTATIONS.has(a.value) && !core.has(a.value)) core.set(a.value, a);
  // Only the first address of each kind is the remote endpoint (Zipkin's converter keeps one too).
  const address = (key: string) => binaries.find((b) => b.key === key && isAddress(b))?.endpoint;
  const newSide = (kind: SpanKind | undefined, endpoint: ZipkinEndpoint | undefined, remote: ZipkinEndpoint | undefined, shared: boolean): Side => ({
    kind,
    endpoint,
    startUs: undefined,
    durationUs: undefined,
    remote,
    shared,
    tags: new Map(),
    annotations: [],
  });
  const between = (from: V1Annotation | undefined, to: V1Annotation | undefined) =>
    from?.timestampUs !== undefined && to?.timestampUs !== undefined ? to.timestampUs - from.timestampUs : undefined;

  const sides: Side[] = [];
  const cs = core.get('cs');
  const cr = core.get('cr');
  const sr = core.get('sr');
  const ss = core.get('ss');
  const ms = core.get('ms');
  const mr = core.get('mr');
  const client = cs ?? cr;
  if (client) {
    const side = newSide('client', client.endpoint, address('sa'), false);
    side.startUs = cs?.timestampUs;
    side.durationUs = between(cs, cr);
    sides.push(side);
  }
  const server = sr ?? ss;
  if (server) {
    // The server half of a span that also has the client half reuses its id: shared, the client's child.
    const side = newSide('server', server.endpoint, address('ca'), sides.length > 0);
    side.startUs = sr?.timestampUs;
    side.durationUs = between(sr, ss);
    sides.push(side);
  }
  if (ms) {
    const side = newSide('producer', ms.endpoint, address('ma'), false);
    side.startUs = ms.timestampUs;
    sides.push(side);
  }
  if (mr) {
    const side = newSide('consumer', mr.endpoint, address('ma'), sides.some((s) => s.kind === 'producer'));
    side.startUs = mr.timestampUs;
    sides.push(side);
  }
  if (sides.length === 0) {
    // A local span: `lc` (local component) names its endpoint; otherwise take any endpoint given.
    const lc = binaries.find((b) => b.key === 'lc');
    const endpoint = lc?.endpoint ?? annotations.find((a) => a.endpoint)?.endpoint ?? binaries.find((b) => b.endpoint)?.endpoint;
    sides.push(newSide(lc ? 'internal' : undefined, endpoint, undefined, false));
  }
  // The span's own timestamp/duration belong to its first side (the client when there is one).
  const primary = sides[0];
  primary.startUs = toTimestampUs(raw.timestamp) ?? primary.startUs;
  primary.durationUs = toNumber(raw.duration) ?? primary.durationUs;

  const sideFor = (e: ZipkinEndpoint | undefined) => (e && sides.find((s) => sameHost(s, e))) || primary;
  for (const a of annotations) {
    if (core.get(a.value) === a) continue; // became the side's timing
    sideFor(a.endpoint).annotations.push({ timestampUs: a.timestampUs, value: a.value });
  }
  for (const b of binaries) {
    if (isAddress(b)) continue; // became a remote endpoint
    sideFor(b.endpoint).tags.set(b.key, toAttrValue(b.value));
  }

  const parentId = normalizeSpanId(raw.parentId) ?? '';
  return sides.map((side) => ({
    order: state.order++,
    traceId,
    id,
    parentId: parentId === id ? '' : parentId,
    name: typeof raw.name === 'string' ? raw.name : undefined,
    kind: side.kind,
    shared: side.shared,
    debug: raw.debug === true,
    timestampUs: side.startUs,
    durationUs: side.durationUs,
    localEndpoint: side.endpoint,
    details: { tags: side.tags, annotations: side.annotations, remoteEndpoint: side.remote },
    at: -1,
  }));
}
