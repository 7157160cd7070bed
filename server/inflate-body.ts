// Request bodies sent with Content-Encoding (the receivers) or as a gzip file (share uploads), inflated
// as a stream on zlib's thread pool, never with inflateSync on the event loop, and stopped at a cap as
// soon as the output passes it: a 2 MB body that would inflate to 2 GiB costs at most `cap` bytes and the
// time to inflate them, and what was inflated is let go with the refusal.
import { createGunzip, createInflate, type Gunzip, type Inflate } from 'node:zlib';
import { HttpError } from './http-error.ts';

/** A size limit and the setting that raises it, named in the 413 a sender gets. */
export interface BodyCap {
  readonly bytes: number;
  /** e.g. "limits.receiverBodyBytes.otlp". */
  readonly setting: string;
}

// Large output chunks: fewer callbacks on the event loop per inflated megabyte.
const CHUNK_BYTES = 256 * 1024;

function tooLarge(cap: BodyCap, title: string, onceInflated: boolean): HttpError {
  return new HttpError(413, title, `The body is larger than ${cap.bytes} bytes${onceInflated ? ' once decompressed' : ''}; the limit is this server's ${cap.setting}`);
}

/** Undoes Content-Encoding (gzip, deflate or none); 413 past the cap, 400 for a damaged stream, 415 for another encoding. */
export async function decodeContentEncoding(body: Buffer, contentEncoding: string | undefined, cap: BodyCap): Promise<Buffer> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity') {
    if (body.byteLength > cap.bytes) throw tooLarge(cap, 'Payload too large', false);
    return body;
  }
  if (encoding === 'gzip' || encoding === 'x-gzip') return inflateCapped(body, () => createGunzip({ chunkSize: CHUNK_BYTES }), cap, 'gzip', 'Payload too large once decompressed');
  if (encoding === 'deflate') return inflateCapped(body, () => createInflate({ chunkSize: CHUNK_BYTES }), cap, 'deflate', 'Payload too large once decompressed');
  throw new HttpError(415, 'Unsupported Content-Encoding', `"${encoding}": send gzip, deflate or no encoding`);
}

/** A gzip file's bytes inflated (share uploads): 413 titled `tooLargeTitle` past the cap, 400 when damaged. */
export function gunzipCapped(body: Uint8Array, cap: BodyCap, tooLargeTitle: string): Promise<Buffer> {
  return inflateCapped(body, () => createGunzip({ chunkSize: CHUNK_BYTES }), cap, 'gzip', tooLargeTitle);
}

function inflateCapped(body: Uint8Array, createInflater: () => Gunzip | Inflate, cap: BodyCap, format: string, tooLargeTitle: string): Promise<Buffer> {
  // A gzip stream ends with its last member's size mod 2^32. Over the cap, the body is either that large or
  // damaged (zlib checks the size at the end): refused before a byte is inflated. Under it, the cap below holds.
  if (format === 'gzip' && body.byteLength >= 18 && Buffer.from(body.buffer, body.byteOffset, body.byteLength).readUInt32LE(body.byteLength - 4) > cap.bytes) {
    return Promise.reject(tooLarge(cap, tooLargeTitle, true));
  }
  const inflater = createInflater();
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    inflater.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > cap.bytes) {
        chunks = [];
        inflater.destroy();
        reject(tooLarge(cap, tooLargeTitle, true));
        return;
      }
      chunks.push(chunk);
    });
    inflater.on('error', (err) => reject(new HttpError(400, `The body is not valid ${format}`, `${err.message} (after ${size} decompressed bytes)`)));
    inflater.on('end', () => resolve(Buffer.concat(chunks, size)));
    inflater.end(body);
  });
}
