// The lexical layer of the search language (search.ts gives the terms their meaning): splits the query
// into free-text words, "quoted phrases" and `key op value` terms, keeping every character position so
// an error can point at the exact part of the text.
import type { CompareOp, SearchError } from './search.ts';

export type RawTerm =
  | { readonly kind: 'text'; readonly text: string; readonly start: number; readonly end: number }
  | {
      readonly kind: 'field';
      readonly key: string;
      /** undefined: `attr.KEY` alone (a presence test). */
      readonly op: CompareOp | undefined;
      /** undefined: an operator with nothing after it. */
      readonly value: string | undefined;
      readonly start: number;
      readonly end: number;
      readonly keyStart: number;
      readonly keyEnd: number;
      readonly opStart: number;
      readonly opEnd: number;
      readonly valueStart: number;
    };

export type ReadTermsResult = { readonly ok: true; readonly terms: readonly RawTerm[] } | { readonly ok: false; readonly error: SearchError };

// Attribute keys seen in real files hold dots, dashes and colons ("guid:x-request-id").
const KEY = /[A-Za-z_][\w.:-]*/y;
const OPERATORS: readonly CompareOp[] = ['!=', '>=', '<=', '=', '>', '<'];

export function readTerms(text: string): ReadTermsResult {
  const terms: RawTerm[] = [];
  const n = text.length;
  const skipSpaces = (p: number): number => {
    while (p < n && isSpace(text.charCodeAt(p))) p++;
    return p;
  };
  const wordEnd = (p: number): number => {
    while (p < n && !isSpace(text.charCodeAt(p))) p++;
    return p;
  };
  let pos = skipSpaces(0);
  while (pos < n) {
    const start = pos;
    if (text[pos] === '"') {
      const quoted = readQuoted(text, pos);
      if (!quoted.ok) return quoted;
      terms.push({ kind: 'text', text: quoted.value, start, end: quoted.end });
      pos = quoted.end;
    } else {
      KEY.lastIndex = pos;
      const key = KEY.exec(text)?.[0];
      const keyEnd = pos + (key?.length ?? 0);
      // Spaces around the operator are allowed: `service = frontend`.
      const opStart = skipSpaces(keyEnd);
      const op = key === undefined ? undefined : OPERATORS.find((o) => text.startsWith(o, opStart));
      if (key !== undefined && op !== undefined) {
        const opEnd = opStart + op.length;
        const valueStart = skipSpaces(opEnd);
        let value: string | undefined;
        let end: number;
        if (valueStart >= n) {
          end = n;
        } else if (text[valueStart] === '"') {
          const quoted = readQuoted(text, valueStart);
          if (!quoted.ok) return quoted;
          value = quoted.value;
          end = quoted.end;
        } else {
          end = wordEnd(valueStart);
          value = text.slice(valueStart, end);
        }
        terms.push({ kind: 'field', key, op, value, start, end, keyStart: start, keyEnd, opStart, opEnd, valueStart });
        pos = end;
      } else if (key !== undefined && keyEnd === wordEnd(pos) && key.toLowerCase().startsWith('attr.')) {
        terms.push({ kind: 'field', key, op: undefined, value: undefined, start, end: keyEnd, keyStart: start, keyEnd, opStart: keyEnd, opEnd: keyEnd, valueStart: keyEnd });
        pos = keyEnd;
      } else {
        pos = wordEnd(pos);
        terms.push({ kind: 'text', text: text.slice(start, pos), start, end: pos });
      }
    }
    if (pos < n && !isSpace(text.charCodeAt(pos))) {
      return { ok: false, error: { message: 'put a space after the closing quote', start: pos, end: wordEnd(pos) } };
    }
    pos = skipSpaces(pos);
  }
  return { ok: true, terms };
}

/** A "double-quoted" string from `start` (the quote); \" and \\ escape. `end` is past the closing quote. */
function readQuoted(text: string, start: number): { ok: true; value: string; end: number } | { ok: false; error: SearchError } {
  let value = '';
  for (let p = start + 1; p < text.length; p++) {
    const c = text[p];
    if (c === '"') return { ok: true, value, end: p + 1 };
    if (c === '\\' && p + 1 < text.length) value += text[++p];
    else value += c;
  }
  return { ok: false, error: { message: 'unterminated quote: add a closing "', start, end: text.length } };
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xa0;
}

// Units longest first where one is a prefix of another ("ms" before "m" and "s").
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
const NS_PER_UNIT: Readonly<Record<string, number>> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** "100ms", "1.5s", "1m30s" → nanoseconds; undefined for anything else (a unit is required). */
export function parseDurationNs(value: string): number | undefined {
  let ns = 0;
  let pos = 0;
  while (pos < value.length) {
    DURATION_PART.lastIndex = pos;
    const m = DURATION_PART.exec(value);
    if (!m) return undefined;
    ns += Number(m[1]) * NS_PER_UNIT[m[2]];
    pos = DURATION_PART.lastIndex;
  }
  return pos > 0 ? ns : undefined;
}
