/**
 * Expectation suites: declarative checks on a dataset, in the manner of Great Expectations
 * (https://docs.greatexpectations.io/docs/reference/learn/terms/expectation). Plain JSON, so a
 * suite can be stored, diffed and sent over HTTP; runner.ts checks rows against it in one pass.
 *
 * Missing values (features.ts isMissing) are seen only by `not_null`; `range`, `in_set`, `regex`,
 * `unique`, `mean` and `std` skip them, so "no nulls" and "valid when present" are separate checks.
 * Bounds are inclusive.
 */
import { z } from 'zod';
import { OutpostError, type ErrorIssue } from '@outpost/shared';
import { MAX_EXPRESSION_LENGTH, parseExpression } from './expression-parser.ts';

export const MAX_EXPECTATIONS = 200;

const column = z.string().min(1).max(500);
const description = z.string().max(1_000).optional();
const bound = z.number().optional();

/** At least one of min/max, and min ≤ max: a check without bounds would pass silently. */
function checkBounds(e: { min?: number | undefined; max?: number | undefined }, ctx: z.RefinementCtx): void {
  if (e.min === undefined && e.max === undefined) ctx.addIssue({ code: 'custom', message: 'give min, max or both', path: ['min'] });
  else if (e.min !== undefined && e.max !== undefined && e.min > e.max) ctx.addIssue({ code: 'custom', message: `min ${e.min} is above max ${e.max}`, path: ['min'] });
}

export const NotNullExpectationSchema = z.object({ type: z.literal('not_null'), column, description });

/** Present values must be numbers within [min, max]; a present non-number fails. */
export const RangeExpectationSchema = z.object({ type: z.literal('range'), column, min: bound, max: bound, description }).superRefine(checkBounds);

/** `String(value).trim()` (strings trimmed) must equal `String(item)` for some item: 1.5 matches '1.5', not '1.50'. */
export const InSetExpectationSchema = z.object({
  type: z.literal('in_set'),
  column,
  values: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1).max(10_000),
  description,
});

/**
 * The value's text must contain a match (RegExp.test, unanchored like GE's re.search: add ^…$ to
 * match whole values). No `g`/`y` flags: they make test() stateful across rows.
 */
export const RegexExpectationSchema = z
  .object({ type: z.literal('regex'), column, pattern: z.string().min(1).max(1_000), flags: z.string().regex(/^[imsuv]*$/, 'flags may use i, m, s, u, v').optional(), description })
  .superRefine((e, ctx) => {
    try {
      new RegExp(e.pattern, e.flags);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message, path: ['pattern'] });
    }
  });

/**
 * No value (its trimmed text) may repeat; each repeat after the first occurrence is a failing row.
 * Exact for up to 1 000 000 distinct values (the runner's `uniqueExactLimit`), beyond that `unverifiable`.
 */
export const UniqueExpectationSchema = z.object({ type: z.literal('unique'), column, description });

export const RowCountExpectationSchema = z
  .object({ type: z.literal('row_count'), min: z.number().int().nonnegative().optional(), max: z.number().int().nonnegative().optional(), description })
  .superRefine(checkBounds);

/** Mean of the column's numeric values (non-numeric present values are ignored). */
export const MeanExpectationSchema = z.object({ type: z.literal('mean'), column, min: bound, max: bound, description }).superRefine(checkBounds);

/** Population standard deviation (divides by n) of the column's numeric values. */
export const StdExpectationSchema = z.object({ type: z.literal('std'), column, min: bound, max: bound, description }).superRefine(checkBounds);

/** A row fails unless the expression (expression.ts) is true: null counts as false. */
export const RowPredicateExpectationSchema = z
  .object({ type: z.literal('row_predicate'), expression: z.string().min(1).max(MAX_EXPRESSION_LENGTH), name: z.string().min(1).max(200).optional(), description })
  .superRefine((e, ctx) => {
    try {
      parseExpression(e.expression);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message, path: ['expression'] });
    }
  });

export const ExpectationSchema = z.discriminatedUnion('type', [
  NotNullExpectationSchema,
  RangeExpectationSchema,
  InSetExpectationSchema,
  RegexExpectationSchema,
  UniqueExpectationSchema,
  RowCountExpectationSchema,
  MeanExpectationSchema,
  StdExpectationSchema,
  RowPredicateExpectationSchema,
]);

export const ExpectationSuiteSchema = z.object({
  name: z.string().min(1).max(200),
  expectations: z.array(ExpectationSchema).min(1).max(MAX_EXPECTATIONS),
});

export type Expectation = z.infer<typeof ExpectationSchema>;
export type ExpectationType = Expectation['type'];
export type ExpectationSuite = z.infer<typeof ExpectationSuiteSchema>;

/**
 * Validate untrusted JSON as a suite. Throws OutpostError('VALIDATION_FAILED') with one issue per
 * problem, each with its dotted path (`expectations.2.pattern`).
 * @example const suite = parseSuite(JSON.parse(body));
 */
export function parseSuite(input: unknown): ExpectationSuite {
  const r = ExpectationSuiteSchema.safeParse(input);
  if (r.success) return r.data;
  const issues: ErrorIssue[] = r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const first = issues[0]!;
  throw new OutpostError('VALIDATION_FAILED', `invalid expectation suite: ${first.path ? `${first.path}: ` : ''}${first.message}`, { issues });
}
