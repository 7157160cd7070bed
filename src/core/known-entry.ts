/**
 * The value an algorithm stored under `key` before reading it back. A missing one is a bug in that
 * algorithm, not bad input, so it throws rather than passing `undefined` on.
 */
export function knownEntry<K, V>(map: ReadonlyMap<K, V>, key: K): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`internal error: no entry for ${String(key)}`);
  return value;
}
