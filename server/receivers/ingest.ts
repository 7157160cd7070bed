// A received request body → the spans it carries, in the importer's model, read once. OTLP protobuf and
// Datadog msgpack are decoded and handed to their format's reader as values; a Zipkin body is parsed once,
// for the importer and to be kept as it came; JSON is detected and imported like a file, so a receiver
// accepts exactly what a file of that format would give.
import { importDatadogMsgpack } from '../../src/core/import/datadog-msgpack.ts';
import { loadBytes, toLoadError } from '../../src/core/import/index.ts';
import { JsonCursor } from '../../src/core/json/json-cursor.ts';
import { LoadError } from '../../src/core/import/load-error.ts';
import { importOtlpProtobuf } from '../../src/core/import/otlp-protobuf.ts';
import { detectZipkinVersion } from '../../src/core/import/zipkin-common.ts';
import { importZipkinSpans } from '../../src/core/import/zipkin.ts';
import type { TraceCollection, TraceFormat } from '../../src/core/model/trace-model.ts';
import { HttpError, loadErrorDetail } from '../http-error.ts';
import { decodeContentEncoding, type BodyCap } from '../inflate-body.ts';
import type { AppendOutcome, LiveTraces } from '../store/live-traces.ts';

export type ReceivedEncoding = 'otlp-protobuf' | 'otlp-json' | 'zipkin-json' | 'datadog-msgpack' | 'datadog-json';

type JsonEncoding = 'otlp-json' | 'datadog-json';

const EXPECTED_FORMAT: Record<JsonEncoding, TraceFormat> = {
  'otlp-json': 'otlp-json',
  'datadog-json': 'datadog',
};

/** A request's spans; for Zipkin also its span objects as they came (LiveTraces keeps those). */
export interface ReceivedSpans {
  readonly collection: TraceCollection;
  readonly zipkinSpans: readonly unknown[] | undefined;
}

/** The spans of a decoded body, read once; an empty payload gives undefined, anything malformed a 400. */
export async function decodeSpans(body: Uint8Array, encoding: ReceivedEncoding): Promise<ReceivedSpans | undefined> {
  if (body.byteLength === 0) return undefined;
  try {
    switch (encoding) {
      case 'otlp-protobuf':
        return { collection: importOtlpProtobuf(body), zipkinSpans: undefined };
      case 'zipkin-json': {
        if (isEmptyPayload(body)) return undefined;
        const spans = parseZipkinSpans(body);
        return spans.length === 0 ? undefined : { collection: importZipkinSpans(spans), zipkinSpans: spans };
      }
      case 'datadog-msgpack':
        return { collection: importDatadogMsgpack(body), zipkinSpans: undefined };
      case 'otlp-json':
      case 'datadog-json':
        return await importJson(body, encoding);
    }
  } catch (err) {
    if (err instanceof LoadError) {
      if (err.info.kind === 'no-spans') return undefined;
      throw new HttpError(400, err.info.message, loadErrorDetail(err));
    }
    throw err;
  }
}

/** A request's body as it came (still compressed), how it is encoded, its Content-Encoding and its receiver's cap. */
export interface IntakeRequest {
  readonly body: Uint8Array;
  readonly encoding: ReceivedEncoding;
  readonly contentEncoding: string | undefined;
  /** The most the body may be, as sent and once inflated (413 naming the setting beyond). */
  readonly cap: BodyCap;
}

/** Where every receiver hands what it received: answers once the spans are committed. */
export interface SpanIntake {
  /** Throws HttpError 4xx for a payload the sender got wrong. */
  receive(request: IntakeRequest): Promise<AppendOutcome>;
}

export type IntakeResult = { readonly outcome: AppendOutcome } | { readonly error: unknown };

const NOTHING: AppendOutcome = { acceptedSpans: 0, rejectedSpans: 0, rejectReason: undefined };

/**
 * Inflates and decodes each request (one that fails, fails alone), then stores all their spans in one
 * transaction: committed when this resolves.
 */
export async function receiveAll(live: LiveTraces, requests: readonly IntakeRequest[]): Promise<IntakeResult[]> {
  const decoded: (ReceivedSpans | undefined | { readonly error: unknown })[] = [];
  for (const r of requests) {
    try {
      const body = Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength);
      decoded.push(await decodeSpans(await decodeContentEncoding(body, r.contentEncoding, r.cap), r.encoding));
    } catch (error) {
      decoded.push({ error });
    }
  }
  const toStore = decoded.filter((d): d is ReceivedSpans => d !== undefined && 'collection' in d);
  const outcomes = live.appendAll(toStore.map((d) => ({ collection: d.collection, zipkinSpans: d.zipkinSpans })));
  return decoded.map((d) => {
    if (d === undefined) return { outcome: NOTHING };
    if ('error' in d) return d;
    return { outcome: outcomes[toStore.indexOf(d)] };
  });
}

/** The intake in the caller's thread (tests that drive the routes without a worker). */
export function inProcessIntake(live: LiveTraces): SpanIntake {
  return {
    receive: async (request) => {
      const [result] = await receiveAll(live, [request]);
      if ('error' in result) throw result.error;
      return result.outcome;
    },
  };
}

/** JSON bodies go through format detection, like a file. */
async function importJson(json: Uint8Array, encoding: JsonEncoding): Promise<ReceivedSpans | undefined> {
  if (isEmptyPayload(json)) return undefined;
  const collection = await loadBytes(json);
  if (collection.format !== EXPECTED_FORMAT[encoding]) {
    throw new HttpError(400, `Not a ${EXPECTED_FORMAT[encoding]} payload`, `The body reads as ${collection.format}; this endpoint takes ${encoding}`);
  }
  return { collection, zipkinSpans: undefined };
}

/** A Zipkin v2 body is a JSON array of spans: parsed once, for the importer and for keeping as it came. */
function parseZipkinSpans(body: Uint8Array): readonly unknown[] {
  let spans: unknown;
  try {
    // The cursor bounds the nesting before JSON.parse builds anything a reader could overflow on.
    const cursor = new JsonCursor(body);
    spans = cursor.readValue();
    if (!cursor.atEnd()) cursor.fail('unexpected data after the JSON value');
  } catch (err) {
    throw toLoadError(err, body);
  }
  if (!Array.isArray(spans)) throw new HttpError(400, 'Not a zipkin-v2 payload', 'This endpoint takes a JSON array of Zipkin v2 spans');
  if (spans.length > 0 && detectZipkinVersion({ value: spans, values: [spans], isSequence: false }) !== 'v2') {
    throw new HttpError(400, 'Not a zipkin-v2 payload', 'The body is not an array of Zipkin v2 spans (Zipkin v1 spans go to /api/v1/spans)');
  }
  return spans;
}

/** `{}`, `[]`, `{"resourceSpans":[]}` and the like: a valid request with nothing in it. */
function isEmptyPayload(json: Uint8Array): boolean {
  if (json.byteLength > 64) return false;
  const text = new TextDecoder().decode(json).replace(/\s/g, '');
  return ['', '{}', '[]', '[[]]', '{"resourceSpans":[]}', '{"resource_spans":[]}'].includes(text);
}
