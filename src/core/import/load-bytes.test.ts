// The one load path: gzip sniffed, damaged or oversized gzip named, bytes arriving in pieces.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readFixture } from './fixture-test-helpers.ts';
import { IncomingBytes } from './incoming-bytes.ts';
import { loadBytes } from './index.ts';
import { LoadError } from './load-error.ts';

const JAEGER = 'real/jaeger/jaeger__ui_01.json';

async function failure(promise: Promise<unknown>): Promise<LoadError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof LoadError)) throw new Error(`expected a LoadError, got ${String(err)}`);
  return err;
}

describe('loadBytes', () => {
  it('reads a gzip file the same as the plain one', async () => {
    const plain = readFixture(JAEGER);
    const a = await loadBytes(plain, { fileName: 'x.json' });
    const b = await loadBytes(new Uint8Array(gzipSync(plain)), { fileName: 'x.json.gz' });
    expect(b.traces.map((t) => [t.traceId, t.spanCount])).toEqual(a.traces.map((t) => [t.traceId, t.spanCount]));
  });

  it('names a gzip file that is cut short', async () => {
    const gz = gzipSync(readFixture(JAEGER));
    const err = await failure(loadBytes(new Uint8Array(gz.subarray(0, gz.length >> 1)), { fileName: 'cut.json.gz' }));
    expect(err.info).toMatchObject({ kind: 'bad-shape', fileName: 'cut.json.gz', message: 'The file looks gzip-compressed but does not decompress' });
  });

  it('names a gzip file whose data is damaged', async () => {
    const gz = new Uint8Array(gzipSync(readFixture(JAEGER)));
    for (let i = 20; i < 60; i++) gz[i] ^= 0x5a;
    const err = await failure(loadBytes(gz, { fileName: 'bad.gz' }));
    expect(err.info.message).toBe('The file looks gzip-compressed but does not decompress');
  });

  it('stops a gzip file that inflates beyond the limit', async () => {
    const err = await failure(loadBytes(new Uint8Array(gzipSync(Buffer.alloc(4 << 20, 0x20))), { maxDecompressedBytes: 1 << 20 }));
    expect(err.info).toMatchObject({ kind: 'too-large', message: 'The file decompresses to more than 1048576 bytes' });
  });

  it('reads bytes that arrive in pieces', async () => {
    const plain = readFixture(JAEGER);
    const incoming = new IncomingBytes(new Uint8Array(plain.length));
    const loading = loadBytes(incoming);
    for (let at = 0; at < plain.length; at += 4096) {
      const end = Math.min(plain.length, at + 4096);
      incoming.bytes.set(plain.subarray(at, end), at);
      incoming.receive(end);
      await new Promise((r) => setTimeout(r, 0));
    }
    incoming.finish();
    expect((await loading).traces.length).toBe((await loadBytes(plain)).traces.length);
  });
});
