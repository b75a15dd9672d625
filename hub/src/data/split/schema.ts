import { z } from 'zod';

/** The three parts, in the order time splits fill them and ties in rounding are broken. */
export const SPLIT_PARTS = ['train', 'validation', 'test'] as const;
export type SplitPart = (typeof SPLIT_PARTS)[number];

/** Methods that read `column`: the class (stratified), the timestamp (time), the group id (group). */
const COLUMN_METHODS = new Set(['stratified', 'time', 'group']);

// 1e-9: fractions typed by people (0.7 + 0.2 + 0.1 = 0.9999999999999999 in floating point) must pass.
const SUM_TOLERANCE = 1e-9;

const fraction = z.number().min(0).max(1);

/**
 * How to split a dataset version's rows. Parse request bodies and CLI flags with it; `splitRows`
 * parses again, so a spec built by hand meets the same rules.
 * - `fractions`: each in [0, 1], summing to 1 (±1e-9), `train` > 0. Default 0.7 / 0.15 / 0.15.
 * - `seed`: non-negative integer, default 42. Used by random, stratified and group; time ignores it.
 * - `column`: required by stratified (class), time (timestamp) and group (group id); ignored by
 *   random, but still checked against the known columns when given, to catch typos.
 * @example
 * SplitSpecSchema.parse({ method: 'stratified', column: 'Species' });
 * // { method: 'stratified', column: 'Species', fractions: { train: 0.7, validation: 0.15, test: 0.15 }, seed: 42 }
 */
export const SplitSpecSchema = z
  .object({
    method: z.enum(['random', 'stratified', 'time', 'group']),
    fractions: z
      .object({ train: fraction.gt(0, 'train must be > 0: a model needs rows to learn from'), validation: fraction, test: fraction })
      .refine((f) => Math.abs(f.train + f.validation + f.test - 1) <= SUM_TOLERANCE, {
        message: 'fractions must sum to 1',
      })
      .default({ train: 0.7, validation: 0.15, test: 0.15 }),
    seed: z.number().int().min(0).default(42),
    column: z.string().optional(),
  })
  .superRefine((spec, ctx) => {
    if (COLUMN_METHODS.has(spec.method) && spec.column === undefined) {
      ctx.addIssue({ code: 'custom', path: ['column'], message: `method '${spec.method}' needs a column` });
    }
  });
export type SplitSpec = z.infer<typeof SplitSpecSchema>;
export type SplitFractions = SplitSpec['fractions'];

/** What `splitRows` returns. */
export interface SplitResult {
  /** Part of each input row, in row order. */
  assignment: SplitPart[];
  /** Row indices (0-based) per part, ascending. */
  parts: Record<SplitPart, number[]>;
  sizes: Record<SplitPart, number>;
  /**
   * Per part, count per class of `column` (stratified) — or of `balanceColumn` if given — for the
   * console/CLI "class balance". Every class appears in every part, 0 where absent.
   */
  balance?: { column: string; counts: Record<SplitPart, Record<string, number>> };
  /**
   * SHA-256 hex of the assignment encoded as one letter per row ('t', 'v', 's'): same rows + spec ⇒
   * same hash. It fingerprints the assignment only, so two specs that happen to split alike share it.
   */
  hash: string;
}
