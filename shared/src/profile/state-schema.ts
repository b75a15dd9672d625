/**
 * Validation of a stored ProfilerState. Why more than a shape check: a state that parses but does
 * not add up (weights that do not sum to n, a correlation block for the wrong number of columns)
 * would not fail loudly; it would produce a plausible, wrong profile. So the invariants each
 * sketch keeps are checked too, and the first broken one is named.
 */
import { z } from 'zod';
import { OutpostError, type ErrorIssue } from '../errors.ts';
import { PAIR_WIDTH, pairCount } from './correlation.ts';
import { HLL_REGISTER_BYTES } from './distinct.ts';
import type { ProfilerState } from './types.ts';

const count = z.number().int().nonnegative();
/** zod 4 numbers reject NaN and ±Infinity. */
const finite = z.number();

export const ProfilerStateSchema: z.ZodType<ProfilerState> = z.object({
  version: z.literal(1),
  options: z.object({
    distinctExactLimit: count,
    categoryLimit: z.number().int().positive(),
    topK: count,
    histogramBins: z.number().int().positive(),
    quantileK: z.number().int().min(8).max(65536),
    seed: z.number().int(),
  }),
  rowCount: count,
  columns: z.array(
    z.object({
      name: z.string(),
      type: z.enum(['numeric', 'categorical', 'datetime']),
      missing: count,
      typeMismatches: count,
      distinct: z.object({
        exactLimit: count,
        values: z.array(z.string()).nullable(),
        registers: z.string().regex(/^[A-Za-z0-9_-]*$/).nullable(),
      }),
      moments: z.object({ count, shift: finite, shiftedMean: finite, m2: finite.nonnegative(), min: finite.nullable(), max: finite.nullable() }).optional(),
      quantiles: z
        .object({
          k: z.number().int(),
          n: count,
          min: finite.nullable(),
          max: finite.nullable(),
          levels: z.array(z.array(finite)).min(1).max(64),
          errorVariance: finite.nonnegative(),
          rng: z.number().int(),
        })
        .optional(),
      topK: z
        .object({
          capacity: z.number().int().positive(),
          total: count,
          exact: z.boolean(),
          entries: z.array(z.tuple([z.string(), count, count])),
        })
        .optional(),
    }),
  ),
  correlation: z.object({ columns: count, pairs: z.array(finite) }),
});

/** Parse and check a stored state; throws OutpostError('VALIDATION_FAILED') naming where it is wrong. */
export function parseProfilerState(input: unknown): ProfilerState {
  const parsed = ProfilerStateSchema.safeParse(input);
  if (!parsed.success) {
    const issues: ErrorIssue[] = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw invalid(issues);
  }
  const s = parsed.data;
  const problem = findProblem(s);
  if (problem) throw invalid([problem]);
  return s;
}

function invalid(issues: ErrorIssue[]): OutpostError {
  const first = issues[0]!;
  return new OutpostError('VALIDATION_FAILED', `invalid profiler state: ${first.path}: ${first.message}`, { issues });
}

function findProblem(s: ProfilerState): ErrorIssue | undefined {
  const { options } = s;
  const names = new Set<string>();
  let numeric = 0;
  for (const [i, c] of s.columns.entries()) {
    const at = (field: string, message: string): ErrorIssue => ({ path: `columns.${i}.${field}`, column: c.name, message });
    if (names.has(c.name)) return at('name', 'duplicate column name');
    names.add(c.name);
    const d = c.distinct;
    if (d.exactLimit !== options.distinctExactLimit) return at('distinct.exactLimit', 'differs from options.distinctExactLimit');
    if ((d.values === null) === (d.registers === null)) return at('distinct', 'needs exactly one of values and registers');
    if (d.values && (d.values.length > d.exactLimit || new Set(d.values).size !== d.values.length)) return at('distinct.values', 'more than exactLimit or repeated values');
    if (d.registers !== null && d.registers.length !== Math.ceil((HLL_REGISTER_BYTES * 4) / 3)) return at('distinct.registers', `must encode ${HLL_REGISTER_BYTES} bytes`);
    if (c.type === 'numeric') {
      numeric++;
      const { moments: m, quantiles: q } = c;
      if (!m || !q || c.topK) return at('type', 'a numeric column has moments and quantiles, and no topK');
      if (c.missing + c.typeMismatches + m.count !== s.rowCount) return at('moments.count', 'missing + typeMismatches + count must equal rowCount');
      if (q.k !== options.quantileK) return at('quantiles.k', 'differs from options.quantileK');
      if (q.n !== m.count) return at('quantiles.n', 'differs from moments.count');
      if ((m.count === 0) !== (m.min === null) || (m.count === 0) !== (m.max === null)) return at('moments', 'min and max are null exactly when count is 0');
      if ((q.n === 0) !== (q.min === null) || (q.n === 0) !== (q.max === null)) return at('quantiles', 'min and max are null exactly when n is 0');
      if (q.levels.reduce((sum, l, h) => sum + l.length * 2 ** h, 0) !== q.n) return at('quantiles.levels', 'weights must sum to n');
      if (q.levels.some((l) => l.some((x) => x < q.min! || x > q.max!))) return at('quantiles.levels', 'values outside [min, max]');
    } else {
      const t = c.topK;
      if (!t || c.moments || c.quantiles) return at('type', 'a categorical column has topK, and no moments or quantiles');
      if (c.typeMismatches !== 0) return at('typeMismatches', 'must be 0 for a categorical column');
      if (c.missing + t.total !== s.rowCount) return at('topK.total', 'missing + total must equal rowCount');
      if (t.capacity !== options.categoryLimit) return at('topK.capacity', 'differs from options.categoryLimit');
      if (t.entries.length > t.capacity) return at('topK.entries', 'more entries than capacity');
      if (t.entries.some(([, n, e]) => e > n)) return at('topK.entries', 'an error larger than its count');
      if (new Set(t.entries.map((e) => e[0])).size !== t.entries.length) return at('topK.entries', 'repeated values');
      const sum = t.entries.reduce((acc, e) => acc + e[1], 0);
      if (t.exact ? sum !== t.total || t.entries.some((e) => e[2] !== 0) : sum > t.total) return at('topK.entries', 'counts do not add up to total');
    }
  }
  if (s.correlation.columns !== numeric) return { path: 'correlation.columns', message: `must be the number of numeric columns (${numeric})` };
  if (s.correlation.pairs.length !== pairCount(numeric) * PAIR_WIDTH) return { path: 'correlation.pairs', message: `must hold ${pairCount(numeric) * PAIR_WIDTH} numbers` };
  return undefined;
}
