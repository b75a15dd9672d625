/**
 * A starting suite from a dataset profile. Like Evidently's generated tests
 * (https://docs.evidentlyai.com/metrics/all_tests), bounds are the reference statistics widened by a
 * tolerance, not the exact observed values, so a fresh sample of the same population passes while a
 * shifted one fails. Bounds are rounded to about three significant digits of their band's width,
 * for a suite people can read, never so far that the reference statistic falls outside.
 */
import type { ColumnProfile, DatasetProfile } from '@outpost/shared';
import { MAX_EXPECTATIONS, type Expectation, type ExpectationSuite } from './suite.ts';

export interface SuggestOptions {
  /** Relative width of every band. Default 0.1. */
  tolerance?: number;
  /** Suite name. Default 'suggested'. */
  name?: string;
}

/** Categorical columns with more categories than this get no in_set. */
export const MAX_SUGGESTED_CATEGORIES = 50;

/**
 * In profile order: row_count within n·(1 ± tol); per column, not_null when it had no missing value;
 * numeric: range [min − tol·(max − min), max + tol·(max − min)] (± tol·|min| when max = min; left
 * out when the column holds non-numeric values, which range fails), mean ± tol·max(|mean|, std)
 * (± tol·|mean|, or ± tol·std once the mean is within one std of 0: a mean ≈ 0 would otherwise
 * give a band no resample fits; taking the larger keeps it continuous), std within std·(1 ± tol);
 * categorical: in_set of its categories when the profile lists all of them exactly and there are at
 * most 50. Past 200 expectations (the suite limit) the rest are left out.
 * @example const suite = suggestSuite(profile, { tolerance: 0.2, name: 'penguins-v1' });
 */
export function suggestSuite(profile: DatasetProfile, options: SuggestOptions = {}): ExpectationSuite {
  const tol = options.tolerance ?? 0.1;
  if (!Number.isFinite(tol) || tol < 0) throw new RangeError(`tolerance must be a finite number ≥ 0, got ${tol}`);
  const pct = `${+(tol * 100).toPrecision(6)}%`;
  const n = profile.rowCount;
  const expectations: Expectation[] = [
    { type: 'row_count', min: Math.max(0, Math.floor(n * (1 - tol))), max: Math.ceil(n * (1 + tol)), description: `row count ${n} ± ${pct}` },
  ];
  for (const c of profile.columns) expectations.push(...forColumn(c, tol, pct));
  return { name: options.name ?? 'suggested', expectations: expectations.slice(0, MAX_EXPECTATIONS) };
}

function forColumn(c: ColumnProfile, tol: number, pct: string): Expectation[] {
  const column = c.name;
  const out: Expectation[] = [];
  if (c.missing === 0) out.push({ type: 'not_null', column, description: 'no missing values in the reference' });
  const num = c.numeric;
  if (c.type === 'numeric' && num) {
    if (c.typeMismatches === 0) {
      const pad = num.max > num.min ? tol * (num.max - num.min) : tol * Math.abs(num.min);
      out.push({ type: 'range', column, ...band(num.min - pad, num.max + pad, num.min, num.max), description: `reference range [${fmt(num.min)}, ${fmt(num.max)}] widened by ${pct} of its width` });
    }
    const d = tol * Math.max(Math.abs(num.mean), num.std);
    out.push({ type: 'mean', column, ...band(num.mean - d, num.mean + d, num.mean, num.mean), description: `reference mean ${fmt(num.mean)} ± ${pct}` });
    out.push({ type: 'std', column, ...band(Math.max(0, num.std * (1 - tol)), num.std * (1 + tol), num.std, num.std), description: `reference std ${fmt(num.std)} ± ${pct}` });
  }
  const cat = c.categorical;
  if (c.type === 'categorical' && cat?.exact && cat.otherCount === 0 && cat.top.length > 0 && cat.top.length <= MAX_SUGGESTED_CATEGORIES) {
    // Sorted, not by frequency: the same categories give the same suite whatever their counts.
    const values = cat.top.map((t) => t.value).sort();
    out.push({ type: 'in_set', column, values, description: `the ${values.length} categories of the reference` });
  }
  return out;
}

/**
 * [lo, hi] rounded to steps of 1/100 to 1/1000 of the band's width: outwards, except that float
 * noise (0.01 + 0.2 = 0.21000000000000002) snaps to the round value, never past the observed
 * statistics [innerLo, innerHi] the band was widened from.
 */
function band(lo: number, hi: number, innerLo = lo, innerHi = hi): { min: number; max: number } {
  const width = hi - lo;
  if (!(width > 0) || !Number.isFinite(width)) return { min: lo, max: hi };
  const exponent = Math.floor(Math.log10(width)) - 2;
  const decimals = Math.max(0, -exponent);
  if (decimals > 20) return { min: lo, max: hi };
  const step = 10 ** exponent;
  const at = (k: number) => Number((k * step).toFixed(decimals));
  const snap = (q: number, round: (q: number) => number) => (Math.abs(q - Math.round(q)) < 1e-6 ? Math.round(q) : round(q));
  const kLo = snap(lo / step, Math.floor);
  const kHi = snap(hi / step, Math.ceil);
  return { min: at(kLo) > innerLo ? at(kLo - 1) : at(kLo), max: at(kHi) < innerHi ? at(kHi + 1) : at(kHi) };
}

function fmt(x: number): string {
  return String(+x.toPrecision(6));
}
