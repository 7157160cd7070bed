// Reading a byte stream to its end into one Uint8Array: into a preallocated buffer when the size is
// known, else chunks joined once at the end.

export async function readStreamBytes(stream: ReadableStream<Uint8Array>, expectedSize?: number, onProgress?: (fraction: number) => void): Promise<Uint8Array> {
  const reader = stream.getReader();
  let buffer = expectedSize !== undefined ? new Uint8Array(expectedSize) : undefined;
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (buffer && received + value.length <= buffer.length) buffer.set(value, received);
    else {
      // More than announced: fall back to chunks.
      if (buffer) chunks.push(buffer.subarray(0, received));
      buffer = undefined;
      chunks.push(value);
    }
    received += value.length;
    if (expectedSize) onProgress?.(Math.min(1, received / expectedSize));
  }
  if (buffer) return received === buffer.length ? buffer : buffer.subarray(0, received);
  return concatBytes(chunks);
}

/** The chunks one after another in one new buffer. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const c of chunks) total += c.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Whether the bytes live in a SharedArrayBuffer (a dropped file read straight into the parser's memory). */
export function isShared(bytes: Uint8Array): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && bytes.buffer instanceof SharedArrayBuffer;
}

/** The bytes in memory of their own when shared: TextDecoder and DecompressionStream refuse shared memory. */
export function unshared(bytes: Uint8Array): Uint8Array {
  return isShared(bytes) ? bytes.slice() : bytes;
}

const utf8 = new TextDecoder('utf-8');

/** UTF-8 text of bytes[start, end), shared memory or not. */
export function decodeUtf8(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const range = bytes.subarray(start, end);
  return utf8.decode(isShared(bytes) ? range.slice() : range);
}
