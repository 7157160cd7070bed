// Every real fixture: import → write (OTLP/JSON, Jaeger JSON) → import again, and compare span by span.
// A format whose importer is not written yet is skipped with a test name that says so.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { assert, describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../import/fixture-test-helpers.ts';
import { IMPORTERS, loadBytes } from '../import/index.ts';
import { sampleJson } from '../json/json-sample.ts';
import { attrValueToString, type Attribute } from '../model/attributes.ts';
import { getSpanDetails, type SpanDetails } from '../model/span-details.ts';
import { epochToMicros, epochToNanosString } from '../model/time.ts';
import type { TraceCollection, TraceFormat } from '../model/trace-model.ts';
import { REF_TYPE_ATTRIBUTE, effectiveLinkKind } from './chunks.ts';
import { jaegerJsonChunks } from './jaeger-json.ts';
import { otlpJsonChunks } from './otlp-json.ts';
import { BIG_INT, BYTES_BASE64, MIN_INT, T1, buildTestCollection } from './test-collection.ts';

const REAL_DIR = join(FIXTURES_DIR, 'real');
const FORMAT_OF_DIR: Record<string, TraceFormat> = {
  jaeger: 'jaeger',
  otlp: 'otlp-json',
  tempo: 'tempo',
  zipkin: 'zipkin-v2',
  'zipkin-v1': 'zipkin-v1',
  datadog: 'datadog',
};

function fixtureFiles(): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(REAL_DIR, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && !entry.name.endsWith('.md')) files.push(relative(REAL_DIR, join(entry.parentPath, entry.name)));
  }
  return files.sort();
}

/** Whether the importer for `format` recognizes this file (false while it is still a stub). */
function importerReady(format: TraceFormat, bytes: Uint8Array): boolean {
  const importer = IMPORTERS.find((i) => i.format === format);
  if (!importer) return false;
  try {
    return importer.looksLike(sampleJson(bytes));
  } catch {
    return false;
  }
}

const OTLP_PROBE = new TextEncoder().encode('{"resourceSpans":[{"resource":{},"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"x","startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]}');
const OTLP_READY = importerReady('otlp-json', OTLP_PROBE);

function toBytes(chunks: Iterable<string>): Uint8Array {
  return new TextEncoder().encode([...chunks].join(''));
}

type Via = 'otlp' | 'jaeger';

// Tags the Jaeger writer adds for what Jaeger has no field for (kind, status, scope, trace state).
const JAEGER_DERIVED_TAGS: ReadonlySet<string> = new Set(['span.kind', 'error', 'otel.status_code', 'otel.status_description', 'otel.scope.name', 'otel.scope.version', 'w3c.tracestate']);
const NONE: ReadonlySet<string> = new Set();

function attrText(a: Attribute): string {
  return `${a.key}:${a.type}=${attrValueToString(a.value)}`;
}

/** What the writer promises to keep: every attribute with its type (Jaeger has no arrays or maps: JSON text). */
function expectedAttrs(attrs: readonly Attribute[], via: Via, drop: ReadonlySet<string> = NONE): string[] {
  return attrs
    .filter((a) => !drop.has(a.key))
    .map((a) => (via === 'jaeger' && (a.type === 'array' || a.type === 'map') ? `${a.key}:string=${attrValueToString(a.value)}` : attrText(a)));
}

/** The attributes read back, minus those the writer added (keys in `added` the original did not have). */
function actualAttrs(attrs: readonly Attribute[], original: readonly Attribute[], added: ReadonlySet<string>, drop: ReadonlySet<string> = NONE): string[] {
  const had = new Set(original.map((a) => a.key));
  return attrs.filter((a) => !drop.has(a.key) && (had.has(a.key) || !added.has(a.key))).map(attrText);
}

function timeText(t: SpanDetails['start'], via: Via): string {
  // OTLP keeps nanoseconds exactly; Jaeger keeps whole microseconds.
  return via === 'otlp' ? epochToNanosString(t) : String(epochToMicros(t));
}

function durationOf(d: SpanDetails, via: Via): number {
  return via === 'otlp' ? Math.round(d.durationNs) : Math.floor(Math.round(d.durationNs) / 1000);
}

function spanKey(d: SpanDetails, via: Via): string {
  return `${d.spanId}|${timeText(d.start, via)}|${d.name}|${d.service}`;
}

function linkText(l: SpanDetails['links'][number], via: Via): string {
  const kind = effectiveLinkKind(l.kind, l.attributes);
  // Jaeger references are CHILD_OF or FOLLOWS_FROM: a plain link comes back as follows_from.
  return `${via === 'jaeger' && kind === 'link' ? 'follows_from' : kind}→${l.traceId}/${l.spanId}`;
}

/** The part of `d` that must survive, read from `d` itself (original = undefined) or checked against the original. */
function spanRecord(d: SpanDetails, via: Via, original?: SpanDetails) {
  const serviceName = new Set(['service.name']);
  const added = via === 'jaeger' ? JAEGER_DERIVED_TAGS : NONE;
  return {
    spanId: d.spanId,
    parentSpanId: d.parentSpanId,
    service: d.service,
    name: d.name,
    kind: d.kind,
    status: original || via === 'otlp' ? d.status : jaegerStatus(d),
    statusMessage: d.statusMessage,
    start: timeText(d.start, via),
    duration: durationOf(d, via),
    attributes: original ? actualAttrs(d.attributes, original.attributes, added) : expectedAttrs(d.attributes, via),
    // The writers add service.name to a resource (OTLP) or move it to serviceName (Jaeger).
    resourceAttributes: original
      ? actualAttrs(d.resource?.attributes ?? [], original.resource?.attributes ?? [], NONE, serviceName)
      : expectedAttrs(d.resource?.attributes ?? [], via, serviceName),
    eventCount: d.events.length,
    events: d.events.map((e, k) => ({
      name: e.name,
      time: timeText(e.time ?? d.start, via),
      // A Jaeger log gets an "event" field naming it.
      attributes: original
        ? actualAttrs(e.attributes, original.events[k]?.attributes ?? [], via === 'jaeger' ? new Set(['event']) : NONE)
        : expectedAttrs(e.attributes, via),
    })),
    linkCount: d.links.length,
    links: d.links.map((l) => linkText(l, via)).sort(),
    // Jaeger references carry no attributes; OTLP links keep theirs (plus the reference type we add).
    linkAttributes:
      via === 'jaeger'
        ? []
        : d.links.map((l, k) => (original ? actualAttrs(l.attributes, original.links[k]?.attributes ?? [], new Set([REF_TYPE_ATTRIBUTE])) : expectedAttrs(l.attributes, via))),
  };
}

// In Jaeger an "error" tag of true is what marks an error, whatever the span's status was.
function jaegerStatus(d: SpanDetails): SpanDetails['status'] {
  return d.attributes.some((a) => a.key === 'error' && (a.value === true || a.value === 'true')) ? 'error' : d.status;
}

function compareCollections(before: TraceCollection, after: TraceCollection, via: Via): void {
  expect(after.traces.map((t) => t.traceId).sort()).toEqual(before.traces.map((t) => t.traceId).sort());
  for (const a of before.traces) {
    const b = after.traces.find((t) => t.traceId === a.traceId);
    assert(b);
    expect(b.spanCount, `span count of trace ${a.traceId}`).toBe(a.spanCount);
    expect([...b.spanIds].sort(), `span ids of trace ${a.traceId}`).toEqual([...a.spanIds].sort());
    // Spans may come back in another order (resource grouping, duplicate ids): match them by id,
    // start, name and service.
    const unmatched = new Map<string, number[]>();
    for (let j = 0; j < b.spanCount; j++) {
      const key = spanKey(getSpanDetails(b, j), via);
      unmatched.set(key, [...(unmatched.get(key) ?? []), j]);
    }
    for (let i = 0; i < a.spanCount; i++) {
      const original = getSpanDetails(a, i);
      const j = unmatched.get(spanKey(original, via))?.shift();
      assert(j !== undefined, `span ${spanKey(original, via)} read back`);
      expect(spanRecord(getSpanDetails(b, j), via, original), `span ${original.spanId} "${original.name}"`).toEqual(spanRecord(original, via));
    }
  }
}

const files = fixtureFiles();

describe('round trip of every real fixture', () => {
  it('finds the fixtures', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  for (const file of files) {
    const format = FORMAT_OF_DIR[file.split('/')[0]];
    const bytes = new Uint8Array(readFileSync(join(REAL_DIR, file)));
    const ready = format !== undefined && importerReady(format, bytes);
    const why = ready ? '' : ` (skipped: the ${format ?? file.split('/')[0]} importer is not implemented yet)`;

    it.skipIf(!ready || !OTLP_READY)(`${file} → OTLP/JSON → import${ready && !OTLP_READY ? ' (skipped: the OTLP importer is not implemented yet)' : why}`, async () => {
      const before = await loadBytes(bytes);
      const after = await loadBytes(toBytes(otlpJsonChunks(before)));
      expect(after.format).toBe('otlp-json');
      compareCollections(before, after, 'otlp');
    });

    it.skipIf(!ready)(`${file} → Jaeger JSON → import${why}`, async () => {
      const before = await loadBytes(bytes);
      const after = await loadBytes(toBytes(jaegerJsonChunks(before)));
      expect(after.format).toBe('jaeger');
      compareCollections(before, after, 'jaeger');
    });
  }
});

describe('round trip of typed attributes', () => {
  async function rootAttrs(chunks: Iterable<string>): Promise<readonly Attribute[]> {
    const c = await loadBytes(toBytes(chunks));
    const m = c.traces.find((t) => t.traceId === T1);
    assert(m);
    return getSpanDetails(m, m.spanIds.indexOf('a000000000000001')).attributes;
  }

  it.skipIf(!OTLP_READY)(`keeps int64 beyond 2^53 as a bigint and bytes as base64 through OTLP${OTLP_READY ? '' : ' (skipped: the OTLP importer is not implemented yet)'}`, async () => {
    const attrs = await rootAttrs(otlpJsonChunks(buildTestCollection()));
    expect(attrs.find((a) => a.key === 'big')).toEqual({ key: 'big', type: 'int', value: BIG_INT });
    expect(attrs.find((a) => a.key === 'min')).toEqual({ key: 'min', type: 'int', value: MIN_INT });
    expect(attrs.find((a) => a.key === 'payload')).toEqual({ key: 'payload', type: 'bytes', value: BYTES_BASE64 });
    expect(attrs.find((a) => a.key === 'whole.double')?.type).toBe('double');
  });

  it('keeps int64 beyond 2^53 as a bigint and bytes as base64 through Jaeger JSON', async () => {
    const attrs = await rootAttrs(jaegerJsonChunks(buildTestCollection()));
    expect(attrs.find((a) => a.key === 'big')).toEqual({ key: 'big', type: 'int', value: BIG_INT });
    expect(attrs.find((a) => a.key === 'min')).toEqual({ key: 'min', type: 'int', value: MIN_INT });
    expect(attrs.find((a) => a.key === 'payload')).toEqual({ key: 'payload', type: 'bytes', value: BYTES_BASE64 });
    expect(attrs.find((a) => a.key === 'http.status_code')).toEqual({ key: 'http.status_code', type: 'int', value: 500 });
    expect(attrs.find((a) => a.key === 'whole.double')).toEqual({ key: 'whole.double', type: 'double', value: 2 });
  });
});
