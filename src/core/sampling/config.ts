// The Collector's tail_sampling configuration, parsed from YAML into typed policies. Accepts a whole
// otelcol config (processors.tail_sampling or tail_sampling/<name>), a `tail_sampling:` block, or the
// processor's own map (decision_wait, policies…). Field names and defaults follow
// opentelemetry-collector-contrib processor/tailsamplingprocessor (see docs/adr/0006). Anything the lab
// does not know is an error that names it, with line, column and policy.
import { isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from 'yaml';
import { STATUS_CODES, type StatusCode } from '../model/trace-model.ts';
import { ConfigError, ConfigSite, newLineCounter, readMap, type FieldKind, type ReadMap } from './config-yaml.ts';
import { parseOttlCondition, type OttlCondition } from './ottl.ts';

export type LeafPolicy =
  | { readonly type: 'always_sample' }
  | { readonly type: 'latency'; readonly thresholdMs: number; readonly upperThresholdMs: number }
  | { readonly type: 'numeric_attribute'; readonly key: string; readonly minValue: number | undefined; readonly maxValue: number | undefined; readonly invertMatch: boolean }
  | { readonly type: 'probabilistic'; readonly samplingPercentage: number; readonly hashSalt: string }
  | { readonly type: 'status_code'; readonly statusCodes: readonly StatusCode[] }
  | { readonly type: 'string_attribute'; readonly key: string; readonly values: readonly string[]; readonly enabledRegexMatching: boolean; readonly invertMatch: boolean }
  | { readonly type: 'boolean_attribute'; readonly key: string; readonly value: boolean; readonly invertMatch: boolean }
  | { readonly type: 'trace_state'; readonly key: string; readonly values: readonly string[] }
  | { readonly type: 'span_count'; readonly minSpans: number; readonly maxSpans: number }
  | { readonly type: 'rate_limiting'; readonly spansPerSecond: number }
  | { readonly type: 'bytes_limiting'; readonly bytesPerSecond: number; readonly burstCapacity: number }
  | { readonly type: 'ottl_condition'; readonly span: readonly OttlCondition[]; readonly spanEvent: readonly OttlCondition[] };

export type PolicySpec =
  | LeafPolicy
  | { readonly type: 'and'; readonly policies: readonly NamedPolicy[] }
  | { readonly type: 'drop'; readonly policies: readonly NamedPolicy[] }
  | {
      readonly type: 'composite';
      readonly maxTotalSpansPerSecond: number;
      readonly policies: readonly NamedPolicy[];
      /** Spans per second allowed to each sub-policy, by sub-policy name (0 when not allocated). */
      readonly allocatedSpansPerSecond: ReadonlyMap<string, number>;
    };

export type PolicyType = PolicySpec['type'];
export type NamedPolicy = { readonly name: string } & PolicySpec;

export interface TailSamplingConfig {
  readonly decisionWaitNs: number;
  readonly sampleOnFirstMatch: boolean;
  readonly policies: readonly NamedPolicy[];
  /** Which processor the policies came from ("tail_sampling/errors"), when the text was a whole config. */
  readonly processor: string | undefined;
}

/** Fields of each leaf type's block, as the Collector's config structs name them. */
const LEAF_FIELDS: Readonly<Record<LeafPolicy['type'], Readonly<Record<string, FieldKind>>>> = {
  always_sample: {},
  latency: { threshold_ms: 'int', upper_threshold_ms: 'int' },
  numeric_attribute: { key: 'string', min_value: 'int', max_value: 'int', invert_match: 'bool' },
  probabilistic: { hash_salt: 'string', sampling_percentage: 'number' },
  status_code: { status_codes: 'string-list' },
  string_attribute: { key: 'string', values: 'string-list', enabled_regex_matching: 'bool', cache_max_size: 'int', invert_match: 'bool' },
  boolean_attribute: { key: 'string', value: 'bool', invert_match: 'bool' },
  trace_state: { key: 'string', values: 'string-list' },
  span_count: { min_spans: 'int', max_spans: 'int' },
  rate_limiting: { spans_per_second: 'int' },
  bytes_limiting: { bytes_per_second: 'int', burst_capacity: 'int' },
  ottl_condition: { error_mode: 'string', span: 'string-list', spanevent: 'string-list' },
};
const LEAF_TYPES = Object.keys(LEAF_FIELDS) as LeafPolicy['type'][];
const ALL_TYPES: readonly PolicyType[] = [...LEAF_TYPES, 'and', 'drop', 'composite'];
/** Types the Collector has that the lab does not replay: an error that says so, not "unknown". */
const UNSUPPORTED_TYPES: Readonly<Record<string, string>> = {
  trace_flags: 'the loaded files do not keep the W3C trace flags of each span',
  not: 'the not policy is not replayed yet',
};
const TOP_FIELDS: Readonly<Record<string, FieldKind>> = {
  decision_wait: 'duration',
  num_traces: 'int',
  expected_new_traces_per_sec: 'int',
  decision_cache: 'map',
  sample_on_first_match: 'bool',
  block_on_overflow: 'bool',
  drop_pending_traces_on_shutdown: 'bool',
  policies: 'list',
};
const DEFAULT_DECISION_WAIT_NS = 30e9;

/** Parses a config text; throws ConfigError. `processor` picks one of several tail_sampling processors. */
export function parseSamplingConfig(text: string, processor?: string): TailSamplingConfig {
  const lines = newLineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const root: ConfigSite = new ConfigSite(lines, undefined);
  const [first] = doc.errors;
  if (first) {
    const [line, column] = first.linePos ? [first.linePos[0].line, first.linePos[0].col] : [undefined, undefined];
    throw new ConfigError({ message: `invalid YAML: ${first.message.split('\n')[0]}`, line, column });
  }
  const { block, name } = findProcessorBlock(root, doc.contents as Node | null, processor);
  const top = readMap(root, block, name ?? 'tail_sampling', TOP_FIELDS);
  const policiesNode = top.values.get('policies');
  if (!isSeq(policiesNode) || policiesNode.items.length === 0) root.fail(top.keyNodes.get('policies') ?? block, `${name ?? 'tail_sampling'}: "policies" must list at least one policy`);
  const policies = readPolicyList(root, policiesNode.items as Node[], ALL_TYPES, 'policies');
  return {
    decisionWaitNs: (top.values.get('decision_wait') as number | undefined) ?? DEFAULT_DECISION_WAIT_NS,
    sampleOnFirstMatch: (top.values.get('sample_on_first_match') as boolean | undefined) ?? false,
    policies,
    processor: name,
  };
}

function findProcessorBlock(site: ConfigSite, contents: Node | null, wanted: string | undefined): { block: Node; name: string | undefined } {
  if (!isMap(contents)) site.fail(contents, 'the config must be a YAML map (a Collector config or a tail_sampling block)');
  if (hasKey(contents, 'policies')) return { block: contents, name: undefined };
  const processors = getKey(contents, 'processors');
  const holder = isMap(processors) ? processors : contents;
  const names = holder.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')).filter((k) => k === 'tail_sampling' || k.startsWith('tail_sampling/'));
  if (names.length === 0) site.fail(contents, 'no tail_sampling processor found (expected processors.tail_sampling, processors.tail_sampling/<name>, or a block with "policies")');
  const name = wanted ?? (names.length === 1 ? names[0] : site.fail(processors ?? contents, `several tail_sampling processors (${names.join(', ')}): choose one`));
  if (!names.includes(name)) site.fail(processors ?? contents, `no processor named ${name} (found: ${names.join(', ')})`);
  const block = getKey(holder, name);
  if (!isMap(block)) site.fail(block ?? holder, `${name} must be a map`);
  return { block, name };
}

function hasKey(map: YAMLMap, key: string): boolean {
  return map.items.some((p) => isScalar(p.key) && p.key.value === key);
}

function getKey(map: YAMLMap, key: string): Node | undefined {
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  return (pair?.value ?? undefined) as Node | undefined;
}

function readPolicyList(site: ConfigSite, items: readonly Node[], allowed: readonly PolicyType[], what: string): NamedPolicy[] {
  const seen = new Set<string>();
  return items.map((item, index) => {
    const nameNode = isMap(item) ? getKey(item, 'name') : undefined;
    const name = isScalar(nameNode) && nameNode.value !== null && String(nameNode.value) !== '' ? String(nameNode.value) : site.fail(nameNode ?? item, `${what}[${index}]: every policy needs a "name"`);
    if (seen.has(name)) site.fail(nameNode, `duplicate policy name "${name}"`);
    seen.add(name);
    return readPolicy(site.within(name), item, allowed);
  });
}

function readPolicy(site: ConfigSite, node: Node, allowed: readonly PolicyType[]): NamedPolicy {
  const typeNode = isMap(node) ? getKey(node, 'type') : undefined;
  const type = isScalar(typeNode) ? String(typeNode.value) : site.fail(typeNode ?? node, 'every policy needs a "type"');
  if (UNSUPPORTED_TYPES[type]) site.fail(typeNode, `policy type "${type}" is not supported by the lab: ${UNSUPPORTED_TYPES[type]}`);
  if (!(ALL_TYPES as readonly string[]).includes(type)) site.fail(typeNode, `unknown policy type "${type}" (known: ${ALL_TYPES.join(', ')})`);
  if (!(allowed as readonly string[]).includes(type)) site.fail(typeNode, `a policy of type "${type}" is not allowed here (allowed: ${allowed.join(', ')})`);
  const policyType = type as PolicyType;
  // The policy's own map: name, type and the block named after its type, nothing else.
  const own: Record<string, FieldKind> = { name: 'string', type: 'string' };
  if (policyType !== 'always_sample') own[policyType] = 'map';
  const fields = readMap(site, node, 'policy', own);
  for (const key of ALL_TYPES) {
    if (key !== policyType && fields.values.has(key)) site.fail(fields.keyNodes.get(key), `field "${key}" does not belong to a policy of type "${policyType}"`);
  }
  const name = fields.values.get('name') as string;
  const blockNode = fields.nodes.get(policyType);
  return { name, ...readSpec(site, policyType, blockNode, fields) };
}

function readSpec(site: ConfigSite, type: PolicyType, blockNode: Node | undefined, policy: ReadMap): PolicySpec {
  if (type === 'always_sample') return { type };
  if (blockNode === undefined) site.fail(policy.node, `a "${type}" policy needs its "${type}:" block`);
  if (type === 'and' || type === 'drop') {
    const block = readMap(site, blockNode, type, { [`${type}_sub_policy`]: 'list' });
    return { type, policies: subPolicies(site, block, `${type}_sub_policy`, LEAF_TYPES) };
  }
  if (type === 'composite') return readComposite(site, blockNode);
  const block = readMap(site, blockNode, type, LEAF_FIELDS[type]);
  const v = block.values;
  const str = (k: string) => (v.get(k) as string | undefined) ?? '';
  const num = (k: string) => (v.get(k) as number | undefined) ?? 0;
  const bool = (k: string) => (v.get(k) as boolean | undefined) ?? false;
  const list = (k: string) => (v.get(k) as string[] | undefined) ?? [];
  switch (type) {
    case 'latency':
      return { type, thresholdMs: num('threshold_ms'), upperThresholdMs: num('upper_threshold_ms') };
    case 'numeric_attribute':
      // As the Collector builds it: a 0 bound is "no bound".
      return { type, key: str('key'), minValue: num('min_value') || undefined, maxValue: num('max_value') || undefined, invertMatch: bool('invert_match') };
    case 'probabilistic':
      return { type, samplingPercentage: num('sampling_percentage'), hashSalt: str('hash_salt') };
    case 'status_code': {
      const codes = list('status_codes');
      if (codes.length === 0) site.fail(block.nodes.get('status_codes') ?? blockNode, 'expected at least one status code to filter on');
      return {
        type,
        statusCodes: codes.map((c) => (STATUS_CODES as readonly string[]).includes(c.toLowerCase()) && c === c.toUpperCase() ? (c.toLowerCase() as StatusCode) : site.fail(block.nodes.get('status_codes'), `unknown status code "${c}", supported: OK, ERROR, UNSET`)),
      };
    }
    case 'string_attribute': {
      const values = list('values');
      if (bool('enabled_regex_matching')) {
        for (const value of values) {
          try {
            new RegExp(value);
          } catch (err) {
            site.fail(block.nodes.get('values'), `values: "${value}" is not a valid regular expression (${(err as Error).message})`);
          }
        }
      }
      return { type, key: str('key'), values, enabledRegexMatching: bool('enabled_regex_matching'), invertMatch: bool('invert_match') };
    }
    case 'boolean_attribute':
      return { type, key: str('key'), value: bool('value'), invertMatch: bool('invert_match') };
    case 'trace_state':
      return { type, key: str('key'), values: list('values') };
    case 'span_count':
      return { type, minSpans: num('min_spans'), maxSpans: num('max_spans') };
    case 'rate_limiting':
      return { type, spansPerSecond: num('spans_per_second') };
    case 'bytes_limiting':
      return { type, bytesPerSecond: num('bytes_per_second'), burstCapacity: num('burst_capacity') || 2 * num('bytes_per_second') };
    case 'ottl_condition': {
      const mode = str('error_mode') || 'propagate';
      if (!['propagate', 'ignore', 'silent'].includes(mode)) site.fail(block.nodes.get('error_mode'), `error_mode must be propagate, ignore or silent (got "${mode}")`);
      const conditions = (k: string) => list(k).map((text) => parseOttlCondition(text, k === 'span' ? 'span' : 'spanevent', (message) => site.fail(block.nodes.get(k), message)));
      return { type, span: conditions('span'), spanEvent: conditions('spanevent') };
    }
  }
}

function subPolicies(site: ConfigSite, block: ReadMap, key: string, allowed: readonly PolicyType[]): NamedPolicy[] {
  const list = block.values.get(key);
  if (!isSeq(list) || list.items.length === 0) site.fail(block.keyNodes.get(key) ?? block.node, `"${key}" must list at least one policy`);
  return readPolicyList(site, list.items as Node[], allowed, key);
}

function readComposite(site: ConfigSite, blockNode: Node): PolicySpec {
  const block = readMap(site, blockNode, 'composite', {
    max_total_spans_per_second: 'int',
    policy_order: 'string-list',
    composite_sub_policy: 'list',
    rate_allocation: 'list',
  });
  const policies = subPolicies(site, block, 'composite_sub_policy', [...LEAF_TYPES, 'and']);
  const maxTotal = (block.values.get('max_total_spans_per_second') as number | undefined) ?? 0;
  const names = new Set(policies.map((p) => p.name));
  for (const ordered of (block.values.get('policy_order') as string[] | undefined) ?? []) {
    if (!names.has(ordered)) site.fail(block.nodes.get('policy_order'), `policy_order names "${ordered}", which is not one of the composite_sub_policy names`);
  }
  // As the Collector's getRateAllocationMap: percent of the total; a percent ≤ 0 gets an equal share;
  // a sub-policy without an allocation gets 0 spans per second.
  const allocated = new Map<string, number>();
  const allocations = block.values.get('rate_allocation');
  for (const item of isSeq(allocations) ? (allocations.items as Node[]) : []) {
    const a = readMap(site, item, 'rate_allocation', { policy: 'string', percent: 'int' });
    const policy = a.values.get('policy') as string;
    if (!names.has(policy)) site.fail(a.nodes.get('policy') ?? item, `rate_allocation names "${policy}", which is not one of the composite_sub_policy names`);
    const percent = (a.values.get('percent') as number | undefined) ?? 0;
    allocated.set(policy, percent > 0 ? (percent / 100) * maxTotal : maxTotal / policies.length);
  }
  return { type: 'composite', maxTotalSpansPerSecond: maxTotal, policies, allocatedSpansPerSecond: allocated };
}
