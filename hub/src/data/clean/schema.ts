/**
 * Cleaning recipes: an ordered list of steps, plain JSON, so a recipe can be stored with the
 * version it made, hashed (hash.ts) and replayed on new rows (apply.ts). Each step's semantics is
 * documented on its schema; "missing" is shared `isMissing` (absent, null, '', 'NA', 'NaN', 'null', NaN).
 */
import { z } from 'zod';
import { OutpostError, type ErrorIssue } from '@outpost/shared';
import { MAX_EXPRESSION_LENGTH, parseExpression } from '../validation/index.ts';

export const MAX_STEPS = 100;

const column = z.string().min(1).max(500);
const columnList = z.array(column).min(1).max(10_000);

/** Trim string cells of `columns` (default: every column); other cells are left alone, '' stays ''. */
export const TrimStepSchema = z.object({ op: z.literal('trim'), columns: columnList.optional() });

/**
 * Convert every cell of `column`. Missing cells become null for every target. Present cells:
 * - number: `parseNumber` (numbers, numeric text after trimming, booleans as 1/0);
 * - integer: as number, and the number must be an integer ('3.0' → 3, '3.5' fails); no rounding;
 * - boolean: booleans; 'true'/'false'/'yes'/'no'/'1'/'0' in any case, trimmed; the numbers 1 and 0;
 * - string: numbers as JavaScript prints them, booleans as 'true'/'false', strings unchanged.
 * A cell that does not convert becomes null (`onError: 'null'`) or fails the whole recipe with
 * OutpostError('INVALID_DATASET') naming input row, column and value (`onError: 'fail'`, the default).
 */
export const CoerceStepSchema = z.object({
  op: z.literal('coerce'),
  column,
  to: z.enum(['number', 'integer', 'boolean', 'string']),
  onError: z.enum(['null', 'fail']).default('fail'),
});

/**
 * Fill missing cells of `column` with a statistic of its present values, fitted on the rows as they
 * are at this step: mean, median (the mean of the two middle values for an even count) or mode (the
 * most frequent value, compared canonically; ties go to the value seen first; the filled value is
 * that first occurrence as it was written), or `value` (constant). mean and median need a numeric
 * column (every present value a number or numeric text; booleans do not count).
 * `by`: fit per group of that column (missing group values form one group); a group with no present
 * values falls back to the global statistic. A column with no present values at all stays missing.
 */
export const ImputeStepSchema = z
  .object({
    op: z.literal('impute'),
    column,
    strategy: z.enum(['mean', 'median', 'mode', 'constant']),
    value: z.union([z.string(), z.number(), z.boolean()]).optional(),
    by: column.optional(),
  })
  .superRefine((s, ctx) => {
    if (s.strategy === 'constant' && s.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: "strategy 'constant' needs a value" });
    if (s.strategy !== 'constant' && s.value !== undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `value is only used by strategy 'constant', not '${s.strategy}'` });
    if (s.strategy === 'constant' && s.by !== undefined) ctx.addIssue({ code: 'custom', path: ['by'], message: "by has no effect with strategy 'constant'" });
  });

/**
 * Present string cells are trimmed, then `case` applied (title: the first letter of each
 * whitespace-separated word upper case, the rest lower; locale-independent), then `map` looked up
 * with the result: write map keys as they look after trimming and case. Mapped values are used as
 * given; map to '' to make a value missing ('.' → ''). Numbers and booleans are only mapped (by their
 * text); missing cells are left alone.
 */
export const NormalizeCategoriesStepSchema = z.object({
  op: z.literal('normalize_categories'),
  column,
  case: z.enum(['lower', 'upper', 'title']).optional(),
  map: z.record(z.string(), z.string()).optional(),
});

/**
 * Drop rows equal on `columns` (default: every column), compared canonically: missing cells equal
 * each other, strings trimmed, in a numeric column numbers by value ('39.10' = 39.1). `keep`: the
 * first (default) or last row of each set of equal rows; kept rows stay in input order.
 */
export const DedupeStepSchema = z.object({ op: z.literal('dedupe'), columns: columnList.optional(), keep: z.enum(['first', 'last']).default('first') });

/**
 * Winsorize a numeric column with bounds fitted on this input: `iqr` → [q1 − k·IQR, q3 + k·IQR]
 * with nearest-rank quartiles; `quantile` → the nearest-rank `lower` and `upper` quantiles.
 * Values outside are set to the bound (a number); missing cells are left alone. Parameters the
 * method does not use are ignored (k by quantile, lower/upper by iqr).
 */
export const ClipStepSchema = z
  .object({
    op: z.literal('clip'),
    column,
    method: z.enum(['iqr', 'quantile']),
    k: z.number().nonnegative().max(1_000).default(1.5),
    lower: z.number().min(0).max(1).default(0.01),
    upper: z.number().min(0).max(1).default(0.99),
  })
  .refine((s) => s.lower < s.upper, { path: ['lower'], message: 'lower must be below upper' });

export const DropColumnsStepSchema = z.object({ op: z.literal('drop_columns'), columns: columnList });

/**
 * Drop the rows where the expression (validation/expression.ts) is true. null (unknown, e.g. a
 * comparison with a missing cell) and false keep the row: write `x is null or x > 3` to drop both.
 */
export const DropRowsStepSchema = z.object({
  op: z.literal('drop_rows'),
  where: z
    .string()
    .min(1)
    .max(MAX_EXPRESSION_LENGTH)
    .superRefine((source, ctx) => {
      try {
        parseExpression(source);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
      }
    }),
});

export const StepSchema = z.discriminatedUnion('op', [
  TrimStepSchema,
  CoerceStepSchema,
  ImputeStepSchema,
  NormalizeCategoriesStepSchema,
  DedupeStepSchema,
  ClipStepSchema,
  DropColumnsStepSchema,
  DropRowsStepSchema,
]);

export const RecipeSchema = z.object({ name: z.string().min(1).max(100), steps: z.array(StepSchema).min(1).max(MAX_STEPS) });

/** A parsed recipe: defaults filled. */
export type Recipe = z.infer<typeof RecipeSchema>;
/** A recipe as written: defaulted fields may be left out. Every `Recipe` is one. */
export type RecipeInput = z.input<typeof RecipeSchema>;
export type Step = Recipe['steps'][number];
export type StepOp = Step['op'];

/**
 * Validate untrusted JSON as a recipe, filling defaults. Throws OutpostError('VALIDATION_FAILED')
 * with one issue per problem, each with its dotted path (`steps.2.to`).
 * @example parseRecipe({ name: 'tidy', steps: [{ op: 'coerce', column: 'age', to: 'integer' }] }).steps[0]; // { …, onError: 'fail' }
 */
export function parseRecipe(input: unknown): Recipe {
  const r = RecipeSchema.safeParse(input);
  if (r.success) return r.data;
  const issues: ErrorIssue[] = r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const first = issues[0]!;
  throw new OutpostError('VALIDATION_FAILED', `invalid cleaning recipe: ${first.path ? `${first.path}: ` : ''}${first.message}`, { issues });
}
