/**
 * Synthetic rows shaped like a profiled dataset. Each column is drawn on its own from its marginal
 * summary, so single-column statistics (missing rate, category shares, histogram, quantiles) carry
 * over, but joint structure does not: correlations, conditional distributions (e.g. body mass by
 * species) and duplicate rows are NOT reproduced. The profile holds no more than marginals plus
 * Pearson pairs, and independent draws keep the generator simple and predictable.
 */
import type { ColumnProfile, DatasetProfile } from '@outpost/shared';
import type { DataType } from '../column-types.ts';
import { createRng } from '../../training/split.ts';
import { createCategoricalSampler } from './categorical.ts';
import { createNumericSampler } from './numeric.ts';
import { validateSynthesizeOptions, type SynthesizeOptions } from './options.ts';

export type SyntheticValue = string | number | null;
export type SyntheticRow = Record<string, SyntheticValue>;

type ColumnSampler = (rng: () => number) => SyntheticValue;

/**
 * One column's sampler: null with probability missing / count, else a present value: integer
 * columns (`types`) rounded, datetime columns as ISO 8601 UTC strings. Numeric type
 * mismatches count as present and come out as numbers (the profile keeps no sample of them). A column
 * with nothing to draw from (no rows, or no numbers / categories recorded) is all null.
 */
function columnSampler(c: ColumnProfile, type: DataType | undefined): ColumnSampler {
  const numbers = c.numeric ? createNumericSampler(c.numeric) : null;
  let present: ColumnSampler | null;
  if (c.type === 'datetime') present = numbers && ((rng) => new Date(Math.round(numbers(rng) as number)).toISOString());
  else if (c.type === 'numeric') present = numbers && type === 'integer' ? (rng) => Math.round(numbers(rng) as number) : numbers;
  else present = c.categorical ? createCategoricalSampler(c.categorical) : null;
  if (present === null || !(c.count > 0)) return () => null;
  const missingRate = Math.min(1, Math.max(0, c.missing / c.count));
  if (missingRate === 0) return present;
  return (rng) => (rng() < missingRate ? null : present(rng));
}

/**
 * `options.rows` rows drawn from `profile`, keyed by column name in profile order. Deterministic:
 * one createRng(seed) stream consumed row by row, column by column, so the same profile and options
 * give identical rows. Throws OutpostError('VALIDATION_FAILED') (paths 'rows', 'seed') on bad options.
 * @example
 * const rows = synthesizeRows(profile, { rows: 1000, seed: 42 });
 * rows[0]; // { Species: 'Adelie', Island: 'Biscoe', 'Beak Length (mm)': 41.3…, …, 'Body Mass (g)': 3812, Sex: null }
 */
export function synthesizeRows(profile: DatasetProfile, options: SynthesizeOptions): SyntheticRow[] {
  validateSynthesizeOptions(options);
  const rng = createRng(options.seed);
  const columns = profile.columns.map((c) => ({ name: c.name, draw: columnSampler(c, options.types?.[c.name]) }));
  // Object.fromEntries defines own properties, so a column named '__proto__' stays a plain key
  // (assigning row['__proto__'] would set the prototype instead).
  return Array.from({ length: options.rows }, () => Object.fromEntries(columns.map((c) => [c.name, c.draw(rng)])));
}
