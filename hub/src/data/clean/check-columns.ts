/**
 * Up-front check of a parsed recipe against the columns as they will be at each step, so a recipe
 * fails before any work, with every problem listed, rather than halfway through the rows.
 */
import { isOutpostError, OutpostError, type ErrorIssue } from '@outpost/shared';
import { compileExpression } from '../validation/index.ts';
import { listColumns } from '../validation/expression.ts';
import type { Recipe, Step } from './schema.ts';

/**
 * @throws OutpostError('VALIDATION_FAILED') with one issue per problem: a repeated input column
 *   (path 'columns'), an unknown column (path 'steps.N.column', 'steps.N.by', 'steps.N.columns.M';
 *   the message lists the columns known at that step), a drop_rows expression that does not compile
 *   against them (path 'steps.N.where').
 * @example checkColumns(recipe, ['a', 'b']); // throws for [{ op: 'drop_columns', columns: ['a'] }, { op: 'trim', columns: ['a'] }]
 */
export function checkColumns(recipe: Recipe, columns: readonly string[]): void {
  const issues: ErrorIssue[] = [];
  const seen = new Set<string>();
  for (const name of columns) {
    if (seen.has(name)) issues.push({ path: 'columns', column: name, message: `column '${name}' is given twice` });
    seen.add(name);
  }

  let current = [...seen];
  recipe.steps.forEach((step, index) => {
    const known = new Set(current);
    for (const [path, name] of references(step)) {
      if (!known.has(name)) {
        issues.push({ path: `steps.${index}.${path}`, column: name, message: `unknown column '${name}' at step ${index} (${step.op}); known columns: ${listColumns(current)}` });
      }
    }
    if (step.op === 'drop_rows') {
      try {
        compileExpression(step.where, current);
      } catch (err) {
        if (!isOutpostError(err)) throw err;
        issues.push({ path: `steps.${index}.where`, message: err.message });
      }
    }
    if (step.op === 'drop_columns') {
      const dropped = new Set(step.columns);
      current = current.filter((c) => !dropped.has(c));
    }
  });

  if (issues.length > 0) {
    const first = issues[0]!;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem(s))` : '';
    throw new OutpostError('VALIDATION_FAILED', `${first.path}: ${first.message}${more}`, { issues });
  }
}

/** [path within the step, column name] for every column the step names. */
function references(step: Step): [string, string][] {
  switch (step.op) {
    case 'trim':
    case 'dedupe':
      return (step.columns ?? []).map((name, i) => [`columns.${i}`, name]);
    case 'drop_columns':
      return step.columns.map((name, i) => [`columns.${i}`, name]);
    case 'impute':
      return step.by === undefined ? [['column', step.column]] : [['column', step.column], ['by', step.by]];
    case 'coerce':
    case 'normalize_categories':
    case 'clip':
      return [['column', step.column]];
    case 'drop_rows':
      return [];
  }
}
