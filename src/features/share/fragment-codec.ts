// A trace file carried in the URL fragment (#z=…): gzip, then base64url. The fragment never reaches a
// server, so this works with no server at all — for small traces only.

/** Longest fragment we produce: chat tools and browsers cope with 64 KiB URLs. */
export const FRAGMENT_LIMIT_CHARS = 64 * 1024;
export const FRAGMENT_KEY = 'z';

export async function encodeFragment(bytes: Blob): Promise<string> {
  const gz = new Uint8Array(await new Response(bytes.stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
  return toBase64Url(gz);
}

/** Largest trace a link may inflate to: a crafted link must not be a gzip bomb that takes the tab down. */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

/** The fragment's file, or undefined when the fragment carries none; throws when it is damaged. */
export async function decodeFragment(hash: string): Promise<string | undefined> {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const payload = params.get(FRAGMENT_KEY);
  if (!payload) return undefined;
  const gz = fromBase64Url(payload);
  const reader = new Blob([gz as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    total += r.value.byteLength;
    if (total > MAX_INFLATED_BYTES) {
      await reader.cancel();
      throw new Error(`the trace in this link inflates to more than ${MAX_INFLATED_BYTES / 1024 / 1024} MB`);
    }
    chunks.push(r.value);
  }
  return new TextDecoder().decode(await new Blob(chunks as Uint8Array<ArrayBuffer>[]).arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
