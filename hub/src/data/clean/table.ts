/**
 * The rows a recipe works on: cells in arrays by column position (no property lookups, so a
 * column named `__proto__` or `constructor` is data like any other), each row remembering its
 * input position for error messages.
 */
import { isMissing, OutpostError, parseNumber, type RawRecord, type RawValue } from '@outpost/shared';

export interface Table {
  readonly columns: readonly string[];
  readonly rows: readonly RawValue[][];
  /** 0-based position in the input of each row. */
  readonly origin: readonly number[];
}

/** What a step reports besides its index and op. */
export interface StepOutcome {
  affected: number;
  fitted?: Record<string, number | string | null>;
}

export interface StepResult {
  table: Table;
  outcome: StepOutcome;
}

/**
 * Copy input rows into a table: only `columns`, in that order; an absent cell reads as null.
 * @example fromRecords([{ b: 2, a: 1, x: 0 }], ['a', 'b']).rows; // [[1, 2]]
 */
export function fromRecords(rows: readonly RawRecord[], columns: readonly string[]): Table {
  return {
    columns: [...columns],
    rows: rows.map((row) => columns.map((c) => (Object.hasOwn(row, c) ? (row[c] ?? null) : null))),
    origin: rows.map((_, i) => i),
  };
}

/**
 * Plain objects with keys in column order; Object.fromEntries defines own properties, so `__proto__` stays a key.
 * @example toRecords({ columns: ['a'], rows: [[1]], origin: [0] }); // [{ a: 1 }]
 */
export function toRecords(table: Table): Record<string, RawValue>[] {
  return table.rows.map((cells) => Object.fromEntries(table.columns.map((c, i) => [c, cells[i]])));
}

/** Position of a column the up-front validation already checked. */
export function columnIndex(table: Table, column: string): number {
  const i = table.columns.indexOf(column);
  if (i < 0) throw new Error(`clean: column '${column}' not in table (validation should have caught it)`);
  return i;
}

/** A number or numeric text; booleans are not numeric here (mean of true/false is not meant). */
export function numericValue(v: RawValue): number | undefined {
  return typeof v === 'boolean' ? undefined : parseNumber(v);
}

/**
 * The present values of column `c` as numbers. Throws OutpostError('VALIDATION_FAILED') at the first
 * present value that is not numeric, with `path` the step's column field.
 */
export function numericColumn(table: Table, c: number, path: string, purpose: string): number[] {
  const values: number[] = [];
  table.rows.forEach((cells, r) => {
    const v = cells[c];
    if (isMissing(v)) return;
    const n = numericValue(v);
    if (n === undefined) {
      const row = table.origin[r]! + 1;
      const column = table.columns[c]!;
      const message = `${purpose} needs a numeric column: '${column}' has ${JSON.stringify(v)} at row ${row}`;
      throw new OutpostError('VALIDATION_FAILED', message, { issues: [{ path, row, column, message }] });
    }
    values.push(n);
  });
  return values;
}

/** Whether every present value of column `c` is numeric (vacuously true for an all-missing column). */
export function isNumericColumn(table: Table, c: number): boolean {
  return table.rows.every((cells) => isMissing(cells[c]) || numericValue(cells[c]) !== undefined);
}

/** Keep the rows whose flag is true. */
export function keepRows(table: Table, keep: readonly boolean[]): Table {
  return {
    columns: table.columns,
    rows: table.rows.filter((_, i) => keep[i]),
    origin: table.origin.filter((_, i) => keep[i]),
  };
}

/**
 * Replace column `c` through `f`; counts the cells whose value changed (Object.is, so NaN → null counts).
 * Rows are copied, never changed in place.
 */
export function mapColumn(table: Table, c: number, f: (v: RawValue, r: number) => RawValue): StepResult {
  let affected = 0;
  const rows = table.rows.map((cells, r) => {
    const before = cells[c];
    const after = f(before, r);
    if (Object.is(before, after)) return cells;
    affected++;
    const copy = cells.slice();
    copy[c] = after;
    return copy;
  });
  return { table: { ...table, rows }, outcome: { affected } };
}
