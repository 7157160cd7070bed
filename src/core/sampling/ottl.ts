// The subset of OTTL boolean conditions the lab replays for the ottl_condition policy. Anything outside
// it is a "not supported" error, never a guess.
//
// Supported: comparisons `<path> <op> <literal>` joined by `and` / `or` (and binds tighter; no
// parentheses, no `not`, no functions, no arithmetic).
//   span paths:      name, kind, status.code, status.message, attributes["k"], resource.attributes["k"],
//                    instrumentation_scope.name
//   spanevent paths: name, attributes["k"], span.name, resource.attributes["k"]
//   ops:             == != < <= > >=
//   literals:        "string", integers, decimals, true, false, nil, SPAN_KIND_*, STATUS_CODE_*
// Comparison rules as OTTL's: values of different types are unequal (int and double compare as
// numbers); a missing attribute is nil; ordering only between numbers or between strings, else false.
import { SPAN_KINDS, STATUS_CODES } from '../model/trace-model.ts';

export type OttlContext = 'span' | 'spanevent';
export type OttlPath =
  | { readonly kind: 'name' | 'kind' | 'status.code' | 'status.message' | 'span.name' | 'instrumentation_scope.name' }
  | { readonly kind: 'attribute' | 'resource.attribute'; readonly key: string };
export type OttlOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type OttlLiteral = string | number | boolean | null;

export interface OttlComparison {
  readonly path: OttlPath;
  readonly op: OttlOp;
  readonly literal: OttlLiteral;
}

export interface OttlCondition {
  readonly text: string;
  /** OR of ANDs. */
  readonly anyOf: readonly (readonly OttlComparison[])[];
}

/** A value read from a span or event: undefined is OTTL's nil; other types (arrays, maps) compare unequal. */
export type OttlValue = string | number | boolean | bigint | undefined | object;

const TOKEN = /\s*(?:("(?:[^"\\]|\\.)*")|(==|!=|<=|>=|<|>)|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|([A-Za-z_][\w.]*)(\["(?:[^"\\]|\\.)*"\])?)/y;
const SIMPLE_PATHS: Readonly<Record<OttlContext, readonly string[]>> = {
  span: ['name', 'kind', 'status.code', 'status.message', 'instrumentation_scope.name'],
  spanevent: ['name', 'span.name'],
};
const ENUMS: ReadonlyMap<string, number> = new Map([
  ...SPAN_KINDS.map((k, i) => [`SPAN_KIND_${k.toUpperCase()}`, i] as const),
  ...STATUS_CODES.map((c, i) => [`STATUS_CODE_${c.toUpperCase()}`, i] as const),
]);

/** Parses one condition; `fail` is called (and must throw) with a message naming what is unsupported. */
export function parseOttlCondition(text: string, context: OttlContext, fail: (message: string) => never): OttlCondition {
  const tokens = tokenize(text, fail);
  const anyOf: OttlComparison[][] = [[]];
  let i = 0;
  for (;;) {
    if (i + 3 > tokens.length) fail(`ottl condition "${text}": expected <path> <op> <value> (supported subset: see docs/adr/0006)`);
    anyOf[anyOf.length - 1].push(comparison(tokens[i], tokens[i + 1], tokens[i + 2], context, text, fail));
    i += 3;
    if (i === tokens.length) break;
    const joiner = tokens[i];
    if (joiner.word === 'or') anyOf.push([]);
    else if (joiner.word !== 'and') fail(`ottl condition "${text}": "${joiner.raw}" is not supported here (only "and" / "or" between comparisons)`);
    i++;
  }
  return { text, anyOf };
}

interface Token {
  readonly raw: string;
  readonly str?: string;
  readonly op?: OttlOp;
  readonly num?: number;
  readonly word?: string;
  readonly index?: string;
}

function tokenize(text: string, fail: (message: string) => never): Token[] {
  const out: Token[] = [];
  let at = 0;
  while (text.slice(at).trim() !== '') {
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (!m) fail(`ottl condition "${text}": not supported by the lab at "${text.slice(at).trim()}" (functions, parentheses and arithmetic are outside the supported subset)`);
    at = TOKEN.lastIndex;
    const raw = m[0].trim();
    if (m[1] !== undefined) out.push({ raw, str: JSON.parse(m[1]) as string });
    else if (m[2] !== undefined) out.push({ raw, op: m[2] as OttlOp });
    else if (m[3] !== undefined) out.push({ raw, num: Number(m[3]) });
    else out.push({ raw, word: m[4], index: m[5] === undefined ? undefined : (JSON.parse(m[5].slice(1, -1)) as string) });
  }
  return out;
}

function comparison(left: Token, op: Token, right: Token, context: OttlContext, text: string, fail: (message: string) => never): OttlComparison {
  if (op.op === undefined) fail(`ottl condition "${text}": expected a comparison operator after "${left.raw}"`);
  return { path: path(left, context, text, fail), op: op.op, literal: literal(right, text, fail) };
}

function path(token: Token, context: OttlContext, text: string, fail: (message: string) => never): OttlPath {
  const { word, index } = token;
  if (word !== undefined && index !== undefined) {
    if (word === 'attributes') return { kind: 'attribute', key: index };
    if (word === 'resource.attributes') return { kind: 'resource.attribute', key: index };
  } else if (word !== undefined && SIMPLE_PATHS[context].includes(word)) {
    return { kind: word as 'name' };
  }
  return fail(`ottl condition "${text}": path "${token.raw}" is not supported by the lab in ${context} conditions`);
}

function literal(token: Token, text: string, fail: (message: string) => never): OttlLiteral {
  if (token.str !== undefined) return token.str;
  if (token.num !== undefined) return token.num;
  if (token.word === 'true' || token.word === 'false') return token.word === 'true';
  if (token.word === 'nil') return null;
  const enumValue = token.word === undefined ? undefined : ENUMS.get(token.word);
  if (enumValue !== undefined && token.index === undefined) return enumValue;
  return fail(`ottl condition "${text}": "${token.raw}" is not a supported literal`);
}

export function evaluateOttl(condition: OttlCondition, read: (path: OttlPath) => OttlValue): boolean {
  return condition.anyOf.some((all) => all.every((c) => compare(read(c.path), c.op, c.literal)));
}

function compare(value: OttlValue, op: OttlOp, literal: OttlLiteral): boolean {
  const v = typeof value === 'bigint' ? Number(value) : value;
  if (op === '==' || op === '!=') {
    const equal = literal === null ? v === undefined : v === literal;
    return op === '==' ? equal : !equal;
  }
  const bothNumbers = typeof v === 'number' && typeof literal === 'number';
  const bothStrings = typeof v === 'string' && typeof literal === 'string';
  if (!bothNumbers && !bothStrings) return false;
  const a = v as number | string;
  const b = literal as number | string;
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}
