// A received request body → the spans it carries, in the importer's model. Decoding is per protocol
// (protobuf and msgpack into the JSON our importers read); the importer then checks the shape, so a
// receiver accepts exactly what a file of that format would give.
import { gunzipSync, inflateSync } from 'node:zlib';
import { datadogMsgpackToJson } from '../../src/core/import/datadog-msgpack.ts';
import { importTraces } from '../../src/core/import/index.ts';
import { LoadError } from '../../src/core/import/load-error.ts';
import { otlpProtobufToJson } from '../../src/core/import/otlp-protobuf.ts';
import type { TraceCollection, TraceFormat } from '../../src/core/model/trace-model.ts';
import { HttpError } from '../http-error.ts';

export type ReceivedEncoding = 'otlp-protobuf' | 'otlp-json' | 'zipkin-json' | 'datadog-msgpack' | 'datadog-json';

const EXPECTED_FORMAT: Record<ReceivedEncoding, TraceFormat> = {
  'otlp-protobuf': 'otlp-json',
  'otlp-json': 'otlp-json',
  'zipkin-json': 'zipkin-v2',
  'datadog-msgpack': 'datadog',
  'datadog-json': 'datadog',
};

/** Undoes Content-Encoding (gzip, deflate), stopping at `maxBytes` so a compressed bomb cannot grow. */
export function decodeContentEncoding(body: Buffer, contentEncoding: string | undefined, maxBytes: number): Buffer {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(body, { maxOutputLength: maxBytes });
    if (encoding === 'deflate') return inflateSync(body, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new HttpError(413, 'Payload too large once decompressed', `The body inflates to more than ${maxBytes} bytes`);
    throw new HttpError(400, `The body is not valid ${encoding}`, err instanceof Error ? err.message : String(err));
  }
  if (encoding !== 'identity') throw new HttpError(415, 'Unsupported Content-Encoding', `"${encoding}": send gzip, deflate or no encoding`);
  return body;
}

/** The spans of a decoded body; an empty payload gives an empty collection, anything malformed a 400. */
export async function decodeSpans(body: Uint8Array, encoding: ReceivedEncoding): Promise<TraceCollection | undefined> {
  if (body.byteLength === 0) return undefined;
  try {
    const json = encoding === 'otlp-protobuf' ? otlpProtobufToJson(body) : encoding === 'datadog-msgpack' ? datadogMsgpackToJson(body) : body;
    if (isEmptyPayload(json)) return undefined;
    const collection = await importTraces(json);
    if (collection.format !== EXPECTED_FORMAT[encoding]) {
      throw new HttpError(400, `Not a ${EXPECTED_FORMAT[encoding]} payload`, `The body reads as ${collection.format}; this endpoint takes ${encoding}`);
    }
    return collection;
  } catch (err) {
    if (err instanceof LoadError) {
      if (err.info.kind === 'no-spans') return undefined;
      const where = err.info.line !== undefined ? ` (line ${err.info.line}, column ${err.info.column})` : '';
      throw new HttpError(400, err.info.message, `${err.info.detail ?? ''}${where}`.trim());
    }
    throw err;
  }
}

/** `{}`, `[]`, `{"resourceSpans":[]}` and the like: a valid request with nothing in it. */
function isEmptyPayload(json: Uint8Array): boolean {
  if (json.byteLength > 64) return false;
  const text = new TextDecoder().decode(json).replace(/\s/g, '');
  return ['', '{}', '[]', '[[]]', '{"resourceSpans":[]}', '{"resource_spans":[]}'].includes(text);
}
