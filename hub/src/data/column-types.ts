/**
 * Column types: what a column holds, inferred from its values (text formats) or read from the
 * file's schema (Parquet, Arrow), and overridable per column. Pure: no Hono, no drizzle.
 *
 * The type decides how a column is profiled: integer and number as numbers, datetime as epoch
 * milliseconds, boolean, categorical and text by their values (top categories, distinct count).
 */
import { isMissing, OutpostError, parseDateTime, type ErrorIssue, type ProfileColumnType, type RawRecord, type RawValue, type DatasetProfile } from '@outpost/shared';

export type DataType = 'integer' | 'number' | 'boolean' | 'datetime' | 'categorical' | 'text';
export const DATA_TYPES: readonly DataType[] = ['integer', 'number', 'boolean', 'datetime', 'categorical', 'text'];

export interface ColumnInfo {
  name: string;
  type: DataType;
  missing: number;
  /** When the column holds something that is not a number: the first such value (so a numeric feature or override can name it). */
  firstNonNumeric?: { row: number; value: string };
}

/** The candidate types a value can rule out, most specific first. */
const CHECKED = ['integer', 'number', 'boolean', 'datetime'] as const;
type Checked = (typeof CHECKED)[number];
interface Example {
  row: number;
  value: string;
}

/** A column's type when profiling: numbers, dates, or values. */
export function profileTypeOf(type: DataType): ProfileColumnType {
  if (type === 'integer' || type === 'number') return 'numeric';
  return type === 'datetime' ? 'datetime' : 'categorical';
}

export const isNumericType = (type: DataType): boolean => type === 'integer' || type === 'number';

const INTEGER_TEXT = /^[+-]?\d+$/;
const BOOLEAN_TEXT = /^(true|false)$/i;

/** Does `v` (present) rule out `type`? */
function rulesOut(type: Checked, v: RawValue): boolean {
  switch (type) {
    case 'integer':
      if (typeof v === 'number') return !Number.isSafeInteger(v);
      return typeof v !== 'string' || !INTEGER_TEXT.test(v.trim()) || !Number.isSafeInteger(Number(v));
    case 'number':
      if (typeof v === 'number') return !Number.isFinite(v);
      return typeof v !== 'string' || !Number.isFinite(Number(v.trim()));
    case 'boolean':
      return typeof v !== 'boolean' && !(typeof v === 'string' && BOOLEAN_TEXT.test(v.trim()));
    case 'datetime':
      return parseDateTime(v) === undefined;
  }
}

interface Tracker {
  name: string;
  missing: number;
  present: number;
  counter: Partial<Record<Checked, Example>>;
}

export interface TypeInference {
  /** Look at one row; `row` (1-based) is what error messages name. Columns absent from a row count as missing. */
  add(row: RawRecord, rowNumber: number): void;
  /** One column per name seen, in order of first appearance. */
  columns(): InferredColumn[];
}

export interface InferredColumn extends ColumnInfo {
  /** The first value that rules out each type that was ruled out. */
  counterExamples: Partial<Record<Checked, Example>>;
}

/**
 * Infer column types in one pass with memory per column, not per row: a column is the first of
 * integer, number, boolean, datetime (ISO 8601, see parseDateTime) that every present value fits,
 * else categorical (which `refineTextColumns` may turn into text once distinct counts are known).
 * A column with no present value is a number.
 * @example
 * const inference = createTypeInference();
 * rows.forEach((r, i) => inference.add(r, i + 1));
 * inference.columns(); // [{ name: 'Body Mass (g)', type: 'integer', missing: 2, … }, …]
 */
export function createTypeInference(): TypeInference {
  const trackers = new Map<string, Tracker>();
  let rows = 0;
  return {
    add(row, rowNumber) {
      rows++;
      for (const name in row) {
        if (!Object.hasOwn(row, name)) continue;
        let t = trackers.get(name);
        if (!t) trackers.set(name, (t = { name, missing: rows - 1, present: 0, counter: {} }));
        const v = row[name];
        if (isMissing(v)) {
          t.missing++;
          continue;
        }
        t.present++;
        for (const type of CHECKED) {
          if (t.counter[type] === undefined && rulesOut(type, v)) t.counter[type] = { row: rowNumber, value: String(v) };
        }
      }
      // A column absent from this row is missing in it.
      for (const t of trackers.values()) if (t.missing + t.present < rows) t.missing = rows - t.present;
    },
    columns() {
      return [...trackers.values()].map((t) => {
        const type: DataType = t.present === 0 ? 'number' : (CHECKED.find((c) => t.counter[c] === undefined) ?? 'categorical');
        const nonNumeric = t.counter.number;
        return { name: t.name, type, missing: t.missing, counterExamples: { ...t.counter }, ...(nonNumeric && !isNumericType(type) ? { firstNonNumeric: nonNumeric } : {}) };
      });
    },
  };
}

/**
 * Replace inferred types with the user's. A type the values do not fit is refused with 400 naming
 * the column and its first offending value; so is a column the dataset lacks. Every problem is an issue.
 */
export function applyTypeOverrides(columns: readonly InferredColumn[], overrides: Readonly<Record<string, DataType>>): ColumnInfo[] {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const issues: ErrorIssue[] = [];
  for (const [name, type] of Object.entries(overrides)) {
    const col = byName.get(name);
    const bad = col && (CHECKED as readonly string[]).includes(type) ? col.counterExamples[type as Checked] : undefined;
    if (!col) issues.push({ path: `types.${name}`, column: name, message: `no column ${name}; columns are: ${columns.map((c) => c.name).join(', ')}` });
    else if (bad) issues.push({ path: `types.${name}`, column: name, row: bad.row, message: `${name} cannot be ${type}: row ${bad.row} has ${JSON.stringify(bad.value)}` });
  }
  if (issues.length > 0) throw new OutpostError('VALIDATION_FAILED', issues[0]!.message, { issues });
  return columns.map(({ counterExamples, firstNonNumeric, ...c }) => {
    const type = overrides[c.name] ?? c.type;
    const nonNumeric = counterExamples.number ?? firstNonNumeric;
    return { ...c, type, ...(nonNumeric && !isNumericType(type) ? { firstNonNumeric: nonNumeric } : {}) };
  });
}

/** Distinct values above which an inferred categorical column is text: this many, or… */
export const TEXT_MIN_DISTINCT = 50;
/** …more than this share of its present values distinct (mostly unique: names, comments, ids). */
export const TEXT_DISTINCT_SHARE = 0.5;

/**
 * Categorical columns whose values are mostly unique become text, from the profile's distinct
 * counts: more than TEXT_MIN_DISTINCT distinct values and more than TEXT_DISTINCT_SHARE of the present
 * values distinct. Columns in `pinned` (the user's overrides) keep their type.
 */
export function refineTextColumns(columns: readonly ColumnInfo[], profile: DatasetProfile, pinned: ReadonlySet<string> = new Set()): ColumnInfo[] {
  const byName = new Map(profile.columns.map((c) => [c.name, c]));
  return columns.map((c) => {
    const p = byName.get(c.name);
    if (c.type !== 'categorical' || pinned.has(c.name) || !p) return c;
    const present = p.count - p.missing;
    return p.distinct.value > TEXT_MIN_DISTINCT && p.distinct.value > TEXT_DISTINCT_SHARE * present ? { ...c, type: 'text' } : c;
  });
}

/** A stored column type from before types were refined ('numeric') read as today's. */
export function normalizeColumns(columns: readonly (Omit<ColumnInfo, 'type'> & { type: string })[]): ColumnInfo[] {
  return columns.map((c) => (DATA_TYPES.includes(c.type as DataType) ? (c as ColumnInfo) : { ...c, type: c.type === 'numeric' ? 'number' : 'categorical' }));
}

/**
 * Parse `column:type,other:type` (the upload's `types` query). `numeric` is accepted for number.
 * Returns the overrides, or the first part that is not `column:type` with a message.
 */
export function parseTypeOverrides(text: string): { ok: true; types: Record<string, DataType> } | { ok: false; message: string } {
  const types: Record<string, DataType> = {};
  for (const part of text.split(',')) {
    const at = part.lastIndexOf(':');
    const name = part.slice(0, at).trim();
    const raw = part.slice(at + 1).trim();
    const type = raw === 'numeric' ? 'number' : raw;
    if (at <= 0 || !DATA_TYPES.includes(type as DataType)) {
      return { ok: false, message: `"${part}": write column:type, the type one of ${DATA_TYPES.join(', ')}` };
    }
    types[name] = type as DataType;
  }
  return { ok: true, types };
}
