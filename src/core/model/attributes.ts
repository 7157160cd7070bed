// Attributes of spans, events, links, resources and scopes share one columnar store; an owner refers
// to its attributes as a contiguous range (start, count).
import { u32Column, u8Column } from './growable-column.ts';
import type { StringTable } from './string-table.ts';

export type AttrType = 'string' | 'bool' | 'int' | 'double' | 'bytes' | 'array' | 'map';
export const ATTR_TYPES: readonly AttrType[] = ['string', 'bool', 'int', 'double', 'bytes', 'array', 'map'];
const ATTR_TYPE_IDS = Object.fromEntries(ATTR_TYPES.map((t, i) => [t, i])) as Record<AttrType, number>;

/** int64 beyond ±2^53 stays a bigint; bytes are base64 text; maps are plain objects. */
export type AttrValue = string | number | boolean | bigint | readonly AttrValue[] | { readonly [key: string]: AttrValue };

export interface Attribute {
  readonly key: string;
  readonly type: AttrType;
  readonly value: AttrValue;
}

export function inferAttrType(value: AttrValue): AttrType {
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return Number.isInteger(value) ? 'int' : 'double';
    default:
      return Array.isArray(value) ? 'array' : 'map';
  }
}

export class AttributeStore {
  private readonly keyIds = u32Column();
  private readonly typeIds = u8Column();
  readonly values: AttrValue[] = [];

  constructor(private readonly strings: StringTable) {}

  /** Key string ids, by attribute index (the array may be longer than `length`). */
  get keys(): Uint32Array {
    return this.keyIds.data;
  }

  /** Indices into ATTR_TYPES, by attribute index (the array may be longer than `length`). */
  get types(): Uint8Array {
    return this.typeIds.data;
  }

  get length(): number {
    return this.values.length;
  }

  add(key: string, value: AttrValue, type: AttrType = inferAttrType(value)): void {
    this.keyIds.push(this.strings.intern(key));
    this.typeIds.push(ATTR_TYPE_IDS[type]);
    this.values.push(value);
  }

  read(start: number, count: number): Attribute[] {
    const out: Attribute[] = [];
    for (let i = start; i < start + count; i++) {
      out.push({ key: this.strings.get(this.keys[i]), type: ATTR_TYPES[this.types[i]], value: this.values[i] });
    }
    return out;
  }

  /** The value of `key` within a range, or undefined. */
  find(start: number, count: number, key: string): AttrValue | undefined {
    for (let i = start; i < start + count; i++) {
      if (this.strings.get(this.keys[i]) === key) return this.values[i];
    }
    return undefined;
  }
}

/** Text for display and search: strings as they are, everything else as JSON. */
export function attrValueToString(value: AttrValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
