// Zipkin v2 JSON: an array of spans (GET /api/v2/trace/{id}), an array of such arrays (GET
// /api/v2/traces), a single span, or NDJSON of those. Times are microseconds. See FORMATS.md §4.
//
// Parents need the whole response (shared client/server halves, fragments to merge), so a batch is
// read in two passes: the first keeps only each span's small fields and byte offset, the second
// re-reads tags, annotations and the remote endpoint while writing, so a huge flat array is never
// held as parsed objects. An array of arrays is written one inner array (one trace) at a time.
import type { JsonCursor } from '../json/json-cursor.ts';
import { normalizeSpanId, normalizeTraceId } from '../model/ids.ts';
import type { TraceModelBuilder } from '../model/trace-model-builder.ts';
import type { AttrValue } from '../model/attributes.ts';
import { isRecord, readArray, type TraceImporter } from './importer.ts';
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
    const s = cursor.readValue() as Record<string, unknown>;
    const traceId = normalizeTraceId(s.traceId);
    const id = normalizeSpanId(s.id);
    if (!traceId || !id) {
      this.skipped.add('span without a valid traceId and id');
      return;
    }
    const kind = toZipkinKind(s.kind);
    into.push({
      order: this.order++,
      traceId,
      id,
      parentId: normalizeSpanId(s.parentId) ?? '',
      name: typeof s.name === 'string' ? s.name : undefined,
      kind,
      shared: s.shared === true && kind !== 'client',
      debug: s.debug === true,
      timestampUs: toTimestampUs(s.timestamp),
      durationUs: toNumber(s.duration),
      localEndpoint: parseEndpoint(s.localEndpoint),
      at,
    });
  }

  private readDetails(at: number): ZipkinDetails {
    this.cursor.pos = at;
    const s = this.cursor.readValue() as Record<string, unknown>;
    const tags = new Map<string, AttrValue>();
    if (isRecord(s.tags)) for (const [k, v] of Object.entries(s.tags)) tags.set(k, toAttrValue(v));
    return { tags, annotations: parseAnnotations(s.annotations), remoteEndpoint: parseEndpoint(s.remoteEndpoint) };
  }
}
