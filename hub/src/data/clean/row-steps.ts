/** Steps that drop rows or columns: dedupe, drop_rows, drop_columns (semantics in schema.ts). */
import { canonicalCell } from '../diff/canonical.ts';
import { compileExpression, truthValue } from '../validation/index.ts';
import type { Step } from './schema.ts';
import { columnIndex, isNumericColumn, keepRows, type StepResult, type Table } from './table.ts';

type StepOf<K extends Step['op']> = Extract<Step, { op: K }>;

export function dedupeStep(step: StepOf<'dedupe'>, table: Table): StepResult {
  const compared = (step.columns ?? table.columns).map((name) => {
    const c = columnIndex(table, name);
    return { c, numeric: isNumericColumn(table, c) };
  });
  // JSON of the canonical cells: injective (strings quoted, numbers bare, missing null).
  const keys = table.rows.map((cells) => JSON.stringify(compared.map(({ c, numeric }) => canonicalCell(cells[c], numeric))));
  const keptAt = new Map<string, number>();
  keys.forEach((key, r) => {
    if (step.keep === 'last' || !keptAt.has(key)) keptAt.set(key, r);
  });
  const keep = keys.map((key, r) => keptAt.get(key) === r);
  return { table: keepRows(table, keep), outcome: { affected: table.rows.length - keptAt.size } };
}

export function dropRowsStep(step: StepOf<'drop_rows'>, table: Table): StepResult {
  const expression = compileExpression(step.where, table.columns);
  const keep = table.rows.map((cells) => truthValue(expression.evaluate(Object.fromEntries(table.columns.map((c, i) => [c, cells[i]])))) !== true);
  const kept = keepRows(table, keep);
  return { table: kept, outcome: { affected: table.rows.length - kept.rows.length } };
}

/** affected: the number of columns dropped (a list with repeats counts each column once). */
export function dropColumnsStep(step: StepOf<'drop_columns'>, table: Table): StepResult {
  const dropped = new Set(step.columns);
  const remaining = table.columns.map((name, i) => ({ name, i })).filter(({ name }) => !dropped.has(name));
  return {
    table: { columns: remaining.map((k) => k.name), rows: table.rows.map((cells) => remaining.map(({ i }) => cells[i])), origin: table.origin },
    outcome: { affected: table.columns.length - remaining.length },
  };
}
