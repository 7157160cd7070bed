// Reading typed fields out of a parsed YAML document while keeping each node's line and column, so a
// config error can say where it is and in which policy. Every map is read through readMap, which
// refuses keys it was not told about: a field the lab does not know is never skipped silently.
import { isMap, isScalar, isSeq, LineCounter, type Node, type YAMLMap } from 'yaml';

export interface ConfigErrorInfo {
  readonly message: string;
  /** 1-based; undefined when the error concerns the whole text (e.g. no tail_sampling found). */
  readonly line?: number;
  readonly column?: number;
  /** The policy the error is in: "outer" or "outer > sub" for a sub-policy. */
  readonly policy?: string;
}

export class ConfigError extends Error {
  constructor(readonly info: ConfigErrorInfo) {
    super(info.message);
    this.name = 'ConfigError';
  }
}

/** One place in the config text: resolves node offsets to line and column, and knows the policy. */
export class ConfigSite {
  constructor(
    private readonly lines: LineCounter,
    readonly policy: string | undefined,
  ) {}

  within(policy: string): ConfigSite {
    return new ConfigSite(this.lines, this.policy === undefined ? policy : `${this.policy} > ${policy}`);
  }

  fail(node: Node | null | undefined, message: string): never {
    const offset = node?.range?.[0];
    const pos = offset === undefined ? undefined : this.lines.linePos(offset);
    throw new ConfigError({ message, line: pos?.line, column: pos?.col, policy: this.policy });
  }
}

export function newLineCounter(): LineCounter {
  return new LineCounter();
}

export type FieldKind = 'string' | 'int' | 'number' | 'bool' | 'duration' | 'string-list' | 'map' | 'list';

/** A map's fields, read and checked; `node` keeps each value's node for later errors. */
export interface ReadMap {
  readonly node: YAMLMap;
  readonly values: ReadonlyMap<string, unknown>;
  readonly nodes: ReadonlyMap<string, Node>;
  /** The node of the key, for errors about a field as a whole. */
  readonly keyNodes: ReadonlyMap<string, Node>;
}

export function asMap(site: ConfigSite, node: Node | null | undefined, what: string): YAMLMap {
  if (!isMap(node)) site.fail(node, `${what} must be a map`);
  return node;
}

/**
 * Reads a map whose allowed keys and their kinds are given. An unknown key is an error naming it and
 * listing the known ones; a value of the wrong kind is an error naming the field.
 */
export function readMap(site: ConfigSite, node: Node | null | undefined, what: string, fields: Readonly<Record<string, FieldKind>>): ReadMap {
  const map = asMap(site, node, what);
  const values = new Map<string, unknown>();
  const nodes = new Map<string, Node>();
  const keyNodes = new Map<string, Node>();
  for (const pair of map.items) {
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) ? String(keyNode.value) : site.fail(keyNode, `${what}: keys must be plain names`);
    const kind = fields[key];
    if (kind === undefined) {
      const known = Object.keys(fields);
      site.fail(keyNode, `${what}: unknown field "${key}"${known.length ? ` (known: ${known.join(', ')})` : ' (this policy type takes no fields)'}`);
    }
    if (values.has(key)) site.fail(keyNode, `${what}: field "${key}" is given twice`);
    const valueNode = pair.value as Node | null;
    values.set(key, readValue(site, valueNode ?? keyNode, valueNode, `${what}.${key}`, kind));
    nodes.set(key, valueNode ?? keyNode);
    keyNodes.set(key, keyNode);
  }
  return { node: map, values, nodes, keyNodes };
}

function readValue(site: ConfigSite, at: Node, node: Node | null, what: string, kind: FieldKind): unknown {
  if (kind === 'map' || kind === 'list') {
    if (kind === 'map' && !isMap(node)) site.fail(at, `${what} must be a map`);
    if (kind === 'list' && !isSeq(node)) site.fail(at, `${what} must be a list`);
    return node;
  }
  if (kind === 'string-list') {
    if (!isSeq(node)) site.fail(at, `${what} must be a list of strings`);
    return node.items.map((item) => {
      const v = isScalar(item) ? item.value : undefined;
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
      return site.fail(item as Node, `${what}: every item must be a string`);
    });
  }
  const value = isScalar(node) ? node.value : node === null ? null : site.fail(at, `${what} must be a single value`);
  switch (kind) {
    case 'string':
      if (value === null) return '';
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
      break;
    case 'bool':
      if (typeof value === 'boolean') return value;
      break;
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string' && /^-?\d[\d_]*$/.test(value)) return Number(value.replaceAll('_', ''));
      break;
    case 'number':
      if (typeof value === 'number') return value;
      break;
    case 'duration': {
      const ns = typeof value === 'string' ? parseGoDurationNs(value) : undefined;
      if (ns !== undefined) return ns;
      return site.fail(at, `${what} must be a duration such as 10s, 500ms or 1m30s (got ${JSON.stringify(value)})`);
    }
  }
  return site.fail(at, `${what} must be ${KIND_TEXT[kind]} (got ${JSON.stringify(value)})`);
}

const KIND_TEXT: Record<FieldKind, string> = {
  string: 'a string',
  int: 'an integer',
  number: 'a number',
  bool: 'true or false',
  duration: 'a duration',
  'string-list': 'a list of strings',
  map: 'a map',
  list: 'a list',
};

const DURATION_UNITS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Go's time.ParseDuration for the forms configs use ("10s", "1m30s", "1.5h", "0"); undefined if malformed. */
export function parseGoDurationNs(text: string): number | undefined {
  const s = text.trim();
  if (s === '0') return 0;
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < s.length) {
    part.lastIndex = at;
    const m = part.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * DURATION_UNITS[m[2]];
    at = part.lastIndex;
  }
  return at === 0 ? undefined : Math.round(total);
}
