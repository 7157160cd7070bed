// Zipkin v2 JSON: an array of spans (GET /api/v2/trace/{id}), an array of such arrays (GET
// /api/v2/traces), a single span, or NDJSON of those. Times are microseconds. See FORMATS.md §4.
//
// Parents need the whole response (shared client/server halves, fragments to merge), so a batch is
// read in two passes: the first keeps only each span's small fields and byte offset, the second
// re-reads tags, annotations and the remote endpoint while writing, so a huge flat array is never
// held as parsed objects. An array of arrays is written one inner array (one trace) at a time.
import type { JsonCursor } from '../json/json-cursor.ts';
import { normalizeSpanId, normalizeTraceId } from '../model/ids.ts';
import { TraceModelBuilder } from '../model/trace-model-builder.ts';
import type { AttrValue } from '../model/attributes.ts';
import type { TraceCollection } from '../model/trace-model.ts';
import { buildCollection, isRecord, quoteValue, readArray, type TraceImporter } from './importer.ts';
import {
  SkipCounter,
  ZipkinWriter,
  detectZipkinVersion,
  parseAnnotations,
  parseEndpoint,
  toAttrValue,
  toNumber,
  toTimestampUs,
  toZipkinKind,
  type ZipkinDetails,
  type ZipkinFragment,
} from './zipkin-common.ts';

export const zipkinV2Importer: TraceImporter = {
  format: 'zipkin-v2',
  label: 'Zipkin v2 JSON',
  fileNameHint: /zipkin/i,
  looksLike: (sample) => detectZipkinVersion(sample) === 'v2',
  read(cursor, builder) {
    new ZipkinV2Reader(cursor, builder).readAll();
  },
};

class ZipkinV2Reader {
  private readonly writer: ZipkinWriter;
  private readonly skipped = new SkipCounter();
  /** Spans that are top-level values themselves (a single span, NDJSON of spans): one batch at the end. */
  private readonly loose: ZipkinFragment[] = [];
  private order = 0;

  constructor(
    private readonly cursor: JsonCursor,
    private readonly builder: TraceModelBuilder,
  ) {
    this.writer = new ZipkinWriter(builder);
  }

  readAll(): void {
    const cursor = this.cursor;
    while (!cursor.atEnd()) {
      const kind = cursor.peek();
      if (kind === 'array') this.readTopLevelArray();
      else if (kind === 'object') this.readSpan(this.loose);
      else {
        cursor.skipValue();
        this.skipped.add('a top-level value that is not a Zipkin span or span array');
      }
    }
    this.flush(this.loose);
    this.skipped.report(this.builder);
  }

  // [span, …] is one batch; [[span, …], …] is one batch per inner array.
  private readTopLevelArray(): void {
    const cursor = this.cursor;
    const batch: ZipkinFragment[] = [];
    readArray(cursor, () => {
      if (cursor.peek() !== 'array') {
        this.readSpan(batch);
        return;
      }
      const trace: ZipkinFragment[] = [];
      readArray(cursor, () => this.readSpan(trace));
      this.flush(trace);
    });
    this.flush(batch);
  }

  private flush(batch: ZipkinFragment[]): void {
    if (batch.length === 0) return;
    const resumeAt = this.cursor.pos;
    this.writer.write(batch, (f) => this.readDetails(f.at));
    this.cursor.pos = resumeAt;
    batch.length = 0;
  }

  private readSpan(into: ZipkinFragment[]): void {
    const cursor = this.cursor;
    if (cursor.peek() !== 'object') {
      cursor.skipValue();
      this.skipped.add('not a Zipkin span object');
      return;
    }
    const at = cursor.pos;
    // One native parse per span is far cheaper than one per key; only the small fields are kept.
    const fragment = zipkinFragment(cursor.readValue() as Record<string, unknown>, this.order++, at);
    if (fragment) into.push(fragment);
    else this.skipped.add(NO_IDS);
  }

  private readDetails(at: number): ZipkinDetails {
    this.cursor.pos = at;
    return zipkinDetails(this.cursor.readValue() as Record<string, unknown>);
  }
}

const NO_IDS = 'span without a valid traceId and id';

/**
 * Zipkin v2 spans already parsed (the receiver's POST /api/v2/spans body, which it also keeps as it
 * came): one batch, read from the values with the same rules as a file. A LoadError 'no-spans' when none is usable.
 */
export function importZipkinSpans(spans: readonly unknown[]): TraceCollection {
  const builder = new TraceModelBuilder(zipkinV2Importer.format);
  const skipped = new SkipCounter();
  const batch: ZipkinFragment[] = [];
  spans.forEach((span, at) => {
    const fragment = isRecord(span) ? zipkinFragment(span, at, at) : undefined;
    if (fragment) batch.push(fragment);
    else skipped.add(isRecord(span) ? NO_IDS : 'not a Zipkin span object');
  });
  new ZipkinWriter(builder).write(batch, (f) => zipkinDetails(spans[f.at] as Record<string, unknown>));
  skipped.report(builder);
  return buildCollection(builder, zipkinV2Importer.label);
}

/** The small fields of a span, kept for the first pass; `at` finds the span again for its details. */
function zipkinFragment(s: Record<string, unknown>, order: number, at: number): ZipkinFragment | undefined {
  const traceId = normalizeTraceId(s.traceId);
  const id = normalizeSpanId(s.id);
  if (!traceId || !id) return undefined;
  const kind = toZipkinKind(s.kind);
  const timestampUs = toTimestampUs(s.timestamp);
  const durationUs = toNumber(s.duration);
  const badFields: string[] = [];
  if (s.timestamp != null && timestampUs === undefined && toNumber(s.timestamp) === undefined) badFields.push(`timestamp must be a number (microseconds), got ${quoteValue(s.timestamp)}`);
  if (s.duration != null && durationUs === undefined) badFields.push(`duration must be a number (microseconds), got ${quoteValue(s.duration)}`);
  return {
    order,
    traceId,
    id,
    parentId: normalizeSpanId(s.parentId) ?? '',
    name: typeof s.name === 'string' ? s.name : undefined,
    kind,
    shared: s.shared === true && kind !== 'client',
    debug: s.debug === true,
    timestampUs,
    durationUs,
    ...(badFields.length > 0 ? { badFields } : {}),
    localEndpoint: parseEndpoint(s.localEndpoint),
    at,
  };
}

function zipkinDetails(s: Record<string, unknown>): ZipkinDetails {
  const tags = new Map<string, AttrValue>();
  if (isRecord(s.tags)) for (const [k, v] of Object.entries(s.tags)) tags.set(k, toAttrValue(v));
  return { tags, annotations: parseAnnotations(s.annotations), remoteEndpoint: parseEndpoint(s.remoteEndpoint) };
}
