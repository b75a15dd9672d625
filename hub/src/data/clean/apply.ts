/** Replay a cleaning recipe on rows: pure and deterministic (same rows + recipe → same JSON). */
import type { RawRecord, RawValue } from '@outpost/shared';
import { coerceStep, normalizeCategoriesStep, trimStep } from './cell-steps.ts';
import { checkColumns } from './check-columns.ts';
import { clipStep } from './clip.ts';
import { imputeStep } from './impute.ts';
import { dedupeStep, dropColumnsStep, dropRowsStep } from './row-steps.ts';
import { parseRecipe, type RecipeInput, type Step } from './schema.ts';
import { fromRecords, toRecords, type StepResult, type Table } from './table.ts';

/** What one step did. */
export interface StepReport {
  /** 0-based position in `recipe.steps`. */
  index: number;
  op: string;
  /** The step's `column`, for the ops that name one. */
  column?: string;
  /** Cells changed (trim, coerce, impute, normalize_categories, clip), rows dropped (dedupe, drop_rows) or columns dropped (drop_columns). */
  affected: number;
  /** What the step learnt from this input: `{ mean: 43.92 }`, `{ lower, upper }`, … */
  fitted?: Record<string, number | string | null>;
}

export interface CleanResult {
  /** Plain objects, keys in `columns` order, every column present (null for missing). */
  rows: Record<string, RawValue>[];
  columns: string[];
  report: StepReport[];
}

/**
 * Apply `recipe` to `rows`, step by step; statistics are fitted on the rows as they are at each
 * step. The recipe is parsed again (defaults filled) and its column references checked against
 * `columns` before any work. Input rows are never changed; only `columns` are read, an absent
 * cell as null. Row numbers in errors are 1-based positions in `rows`.
 * @throws OutpostError('VALIDATION_FAILED'): an invalid recipe, an unknown column, a bad drop_rows
 *   expression (checkColumns), or mean/median/clip on a non-numeric column (path 'steps.N.column').
 * @throws OutpostError('INVALID_DATASET'): a cell that coerce with `onError: 'fail'` cannot convert.
 * @example
 * const { rows: clean, report } = applyRecipe(
 *   { name: 'tidy', steps: [{ op: 'impute', column: 'mass', strategy: 'mean' }] },
 *   [{ mass: 1 }, { mass: null }, { mass: 3 }], ['mass'],
 * );
 * clean;  // [{ mass: 1 }, { mass: 2 }, { mass: 3 }]
 * report; // [{ index: 0, op: 'impute', column: 'mass', affected: 1, fitted: { mean: 2 } }]
 */
export function applyRecipe(recipe: RecipeInput, rows: readonly RawRecord[], columns: readonly string[]): CleanResult {
  const parsed = parseRecipe(recipe);
  checkColumns(parsed, columns);
  let table = fromRecords(rows, columns);
  const report: StepReport[] = parsed.steps.map((step, index) => {
    const { table: next, outcome } = applyStep(step, table, index);
    table = next;
    return {
      index,
      op: step.op,
      ...('column' in step ? { column: step.column } : {}),
      affected: outcome.affected,
      ...(outcome.fitted === undefined ? {} : { fitted: outcome.fitted }),
    };
  });
  return { rows: toRecords(table), columns: [...table.columns], report };
}

function applyStep(step: Step, table: Table, index: number): StepResult {
  switch (step.op) {
    case 'trim':
      return trimStep(step, table);
    case 'coerce':
      return coerceStep(step, table, index);
    case 'impute':
      return imputeStep(step, table, index);
    case 'normalize_categories':
      return normalizeCategoriesStep(step, table);
    case 'dedupe':
      return dedupeStep(step, table);
    case 'clip':
      return clipStep(step, table, index);
    case 'drop_columns':
      return dropColumnsStep(step, table);
    case 'drop_rows':
      return dropRowsStep(step, table);
  }
}
