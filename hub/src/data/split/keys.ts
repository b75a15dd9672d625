import { isMissing, type RawValue } from '@outpost/shared';

/** The class / group of rows whose value is missing (null, '', NA, …): one class of their own. */
export const MISSING_KEY = '(missing)';

/**
 * The class or group id of a cell. String form, so 1 (JSON) and "1" (CSV) are the same group: the
 * same data uploaded in either format must split alike.
 * @example valueKey(null) // '(missing)'
 */
export function valueKey(v: RawValue): string {
  return isMissing(v) ? MISSING_KEY : String(v);
}

/**
 * Row indices per distinct key, keys in order of first appearance (deterministic for given rows).
 * @example groupIndices(['a', 'b', 'a']) // Map { 'a' => [0, 2], 'b' => [1] }
 */
export function groupIndices(keys: readonly string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  keys.forEach((key, i) => {
    const members = groups.get(key);
    if (members) members.push(i);
    else groups.set(key, [i]);
  });
  return groups;
}
