// JSON.parse says *that* a text is invalid but, in current V8, often not *where*. When it fails we
// validate the same bytes again with this small strict checker to name the offset and the reason.
import { decodeUtf8 } from '../bytes.ts';

export interface JsonErrorLocation {
  readonly offset: number;
  readonly reason: string;
}

const WS = new Set([0x20, 0x0a, 0x0d, 0x09]);

function show(c: number | undefined): string {
  if (c === undefined) return 'the end of the input';
  if (c >= 0x20 && c < 0x7f) return `"${String.fromCharCode(c)}"`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}

/** The first problem in bytes[start, end) read as one JSON value, or undefined if it is valid. */
export function locateJsonError(b: Uint8Array, start: number, end: number): JsonErrorLocation | undefined {
  let p = start;
  // Container stack: 'o' expecting key, 'O' after a value in an object, 'a' array start, 'A' after a value in an array.
  const stack: string[] = [];
  const skipWs = () => {
    while (p < end && WS.has(b[p])) p++;
  };
  const fail = (reason: string): JsonErrorLocation => ({ offset: p, reason });
  const readString = (): JsonErrorLocation | undefined => {
    p++;
    while (p < end) {
      const c = b[p];
      if (c === 0x22) {
        p++;
        return undefined;
      }
      if (c < 0x20) return fail(`control character ${show(c)} inside a string`);
      if (c === 0x5c) {
        const e = b[p + 1];
        if (e === 0x75) {
          for (let i = 2; i < 6; i++) if (!/[0-9a-fA-F]/.test(String.fromCharCode(b[p + i] ?? 0))) return fail('bad \\u escape in a string');
          p += 6;
          continue;
        }
        if (![0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74].includes(e)) return fail(`bad escape \\${String.fromCharCode(e)} in a string`);
        p += 2;
        continue;
      }
      p++;
    }
    return fail('the input ended inside a string');
  };
  const readScalar = (): JsonErrorLocation | undefined => {
    const c = b[p];
    if (c === 0x22) return readString();
    for (const word of ['true', 'false', 'null']) {
      if (c === word.charCodeAt(0)) {
        for (let i = 0; i < word.length; i++) {
          if (b[p + i] !== word.charCodeAt(i)) {
            p += i;
            return fail(`unexpected ${show(b[p])} (expected ${word})`);
          }
        }
        p += word.length;
        return undefined;
      }
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(decodeUtf8(b, p, Math.min(end, p + 400)));
    if (!m || m[0] === '' || m[0] === '-') return fail(`unexpected ${show(c)}`);
    p += m[0].length;
    return undefined;
  };

  // An object key and its colon.
  const readKey = (): JsonErrorLocation | undefined => {
    if (b[p] !== 0x22) return fail(`expected a quoted key but found ${show(b[p])}`);
    const err = readString();
    if (err) return err;
    skipWs();
    if (b[p] !== 0x3a) return fail(`expected ":" but found ${show(b[p])}`);
    p++;
    return undefined;
  };

  skipWs();
  for (;;) {
    // Expecting a value.
    skipWs();
    if (p >= end) return fail('expected a value but the input ended');
    const c = b[p];
    if (c === 0x7b || c === 0x5b) {
      p++;
      skipWs();
      const close = c === 0x7b ? 0x7d : 0x5d;
      if (b[p] === close) {
        p++;
      } else {
        stack.push(c === 0x7b ? 'o' : 'a');
        if (c === 0x7b) {
          const err = readKey();
          if (err) return err;
        }
        continue;
      }
    } else {
      const err = readScalar();
      if (err) return err;
    }
    // After a value: close containers or move to the next item.
    for (;;) {
      skipWs();
      const top = stack[stack.length - 1];
      if (top === undefined) {
        return p < end ? fail(`unexpected ${show(b[p])} after the end of the value`) : undefined;
      }
      const close = top === 'o' ? 0x7d : 0x5d;
      if (b[p] === close) {
        p++;
        stack.pop();
        continue;
      }
      if (b[p] !== 0x2c) return fail(p >= end ? 'the input ended inside ' + (top === 'o' ? 'an object' : 'an array') : `expected "," or "${String.fromCharCode(close)}" but found ${show(b[p])}`);
      p++;
      skipWs();
      if (top === 'o') {
        const err = readKey();
        if (err) return err;
      }
      break;
    }
  }
}
