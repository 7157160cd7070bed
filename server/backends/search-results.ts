// A search's traces as one document, so the browser can open them together and aggregate them (the
// service graph, statistics and flamegraph of "every checkout that failed in the last hour"). Each
// hit's trace is fetched from its backend in whatever format that speaks, parsed, and written as one
// OTLP/JSON line: a backend's documents can hold traces that did not match (a stored file of many
// traces), and NDJSON of one format is what the browser's loader joins into one collection.
import { Readable } from 'node:stream';
import type { TraceSearchQuery } from '../../src/core/api/backend-api.ts';
import { otlpJsonChunks } from '../../src/core/export/otlp-json.ts';
import { loadBytes } from '../../src/core/import/index.ts';
import { LoadError } from '../../src/core/import/load-error.ts';
import type { ServerLimits } from '../config.ts';
import { HttpError } from '../http-error.ts';
import type { Backend, BackendCallContext, TraceDocument } from './backend.ts';

/** Spans over all the traces of one answer: beyond this, the search must be narrowed. */
export const MAX_RESULT_SPANS = 1_000_000;

/** A document's traces that a search wants, as one OTLP/JSON line. */
export interface ResultLine {
  readonly line: string;
  readonly traceIds: readonly string[];
  readonly spanCount: number;
}

/** Reads a trace document (parse, then write the wanted traces as a line): in the documents worker, or here in tests. */
export type ResultLineReader = (bytes: Uint8Array, wanted: readonly string[], traceId: string, backendName: string) => Promise<ResultLine | undefined>;

/** The NDJSON lines, produced as the traces arrive (one at a time: the server's memory stays small). */
export async function* searchResultLines(backend: Backend, query: TraceSearchQuery, readLine: ResultLineReader, ctx: BackendCallContext): AsyncGenerator<string> {
  const { traces: hits } = await backend.search(query, ctx);
  if (hits.length === 0) throw new HttpError(404, 'No traces match this search', 'Widen the time range or loosen the filters', backend.info.name);
  const announced = hits.reduce((n, h) => n + h.spanCount, 0); // 0 where a backend does not say
  if (announced > MAX_RESULT_SPANS) throw tooMany(backend);
  const wanted = new Set(hits.map((h) => h.traceId));
  let spanCount = 0;
  for (const hit of hits) {
    if (!wanted.has(hit.traceId)) continue; // came in an earlier hit's document
    ctx.signal.throwIfAborted();
    let doc: TraceDocument;
    try {
      doc = await backend.trace(hit.traceId, ctx);
    } catch (err) {
      if (err instanceof HttpError && err.status === 404) continue; // expired between the search and now
      throw err;
    }
    const found = await readLine(await documentBytes(doc), [...wanted], hit.traceId, backend.info.name);
    if (!found) continue;
    for (const id of found.traceIds) wanted.delete(id);
    spanCount += found.spanCount;
    if (spanCount > MAX_RESULT_SPANS) throw tooMany(backend);
    yield found.line;
  }
}

/** Parses a trace document (a gzip one inflates up to the upload limit) and writes the wanted traces as one OTLP/JSON line. */
export async function readResultLine(bytes: Uint8Array, wanted: readonly string[], traceId: string, backendName: string, limits: ServerLimits): Promise<ResultLine | undefined> {
  const collection = await parse(bytes, limits, backendName, traceId);
  const matching = collection.traces.filter((t) => wanted.includes(t.traceId));
  if (matching.length === 0) return undefined;
  return {
    line: `${[...otlpJsonChunks({ ...collection, traces: matching })].join('')}\n`,
    traceIds: matching.map((t) => t.traceId),
    spanCount: matching.reduce((n, t) => n + t.spanCount, 0),
  };
}

/** The stream of `searchResultLines`; the first line (and so the first error) is awaited before the answer starts. */
export async function searchResultsStream(backend: Backend, query: TraceSearchQuery, readLine: ResultLineReader, ctx: BackendCallContext): Promise<Readable> {
  const lines = searchResultLines(backend, query, readLine, ctx);
  const first = await lines.next();
  async function* rest(): AsyncGenerator<string> {
    if (!first.done) yield first.value;
    yield* lines;
  }
  return Readable.from(rest());
}

function tooMany(backend: Backend): HttpError {
  return new HttpError(413, 'Too many spans to open together', `These traces hold more than ${MAX_RESULT_SPANS.toLocaleString('en-US')} spans: lower the limit or narrow the search`, backend.info.name);
}

async function documentBytes(doc: TraceDocument): Promise<Uint8Array> {
  if (doc.body instanceof Uint8Array) return doc.body;
  const chunks: Buffer[] = [];
  for await (const chunk of doc.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A gzip document (a stored file is kept gzipped) inflates up to the upload limit. */
async function parse(bytes: Uint8Array, limits: ServerLimits, backendName: string, traceId: string) {
  try {
    return await loadBytes(bytes, { fileName: `${traceId}.json`, maxDecompressedBytes: limits.decompressedBytes });
  } catch (err) {
    if (err instanceof LoadError) throw new HttpError(502, `Trace ${traceId} could not be read`, `${err.info.message}${err.info.detail ? `: ${err.info.detail}` : ''}`, backendName);
    throw err;
  }
}
