/**
 * Canonical cell values, so two versions compare equal when they hold the same data in different
 * encodings: a CSV version holds strings ('39.10'), a JSON version typed values (39.1).
 *
 * - missing (null, undefined, NaN, '', 'NA', …; shared `isMissing`) → null, so '' equals a JSON null;
 * - in a numeric column: anything `parseNumber` reads as a finite number → that number, so
 *   '39.10', ' 39.1 ' and 39.1 are equal;
 * - anything else → its trimmed text (a number as JavaScript prints it, so 1 and '1' are equal in a
 *   categorical column, booleans as 'true'/'false' so JSON true equals CSV 'true').
 *
 * A column counts as numeric when either version inferred it so: a column that turned categorical
 * (a schema change, reported as such) must not also turn every '39.10' → '39.1' into a row change.
 */
import { isNumericType } from '../column-types.ts';
import { isMissing, parseNumber, type RawRecord, type RawValue } from '@outpost/shared';
import type { DiffInput } from './types.ts';

export type CanonicalValue = string | number | null;

/**
 * @example canonicalCell('39.10', true); // 39.1
 * @example canonicalCell(' NA ', false); // null
 */
export function canonicalCell(v: RawValue, numeric: boolean): CanonicalValue {
  if (isMissing(v)) return null;
  // Booleans stay text: parseNumber would read true as 1, and a CSV 'true' never parses.
  if (numeric && typeof v !== 'boolean') {
    const n = parseNumber(v);
    // +0 for -0, so the fingerprint text (JSON) and === agree.
    if (n !== undefined) return n === 0 ? 0 : n;
  }
  return typeof v === 'string' ? v.trim() : String(v);
}

/**
 * A cell's own value, absent (a JSON row without the property) read as undefined. Object.hasOwn
 * so a column named `constructor` never reads Object.prototype's.
 */
export function cellOf(row: RawRecord, column: string): RawValue {
  return Object.hasOwn(row, column) ? row[column] : undefined;
}

export interface SharedColumn {
  name: string;
  numeric: boolean;
}

/**
 * Columns present in both versions, in `from`'s order, each with how it is compared.
 * @example sharedColumns(from, to).map((c) => c.name); // ['id', 'mass']
 */
export function sharedColumns(from: DiffInput, to: DiffInput): SharedColumn[] {
  const toTypes = new Map(to.columns.map((c) => [c.name, c.type]));
  const shared: SharedColumn[] = [];
  for (const c of from.columns) {
    const toType = toTypes.get(c.name);
    if (toType !== undefined) shared.push({ name: c.name, numeric: isNumericType(c.type) || isNumericType(toType) });
  }
  return shared;
}

/**
 * A row as a sample shows it. Object.fromEntries defines own properties, so a column named
 * `__proto__` stays data instead of replacing the prototype; undefined becomes null so it survives JSON.
 * @example sampleValues({ a: '1', b: undefined }); // { a: '1', b: null }
 */
export function sampleValues(row: RawRecord): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v ?? null]));
}
