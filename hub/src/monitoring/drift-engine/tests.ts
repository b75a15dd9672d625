// The drift tests other than KS (ks.ts), each a pure function of counts, with the formula it
// computes and the SciPy / Evidently definition it matches (drift-engine.test.ts checks them
// against SciPy within 1e-6).
import { erfc, gammaQ } from './special.ts';

/**
 * Pearson's chi-square goodness of fit of `observed` counts against `expected` ones (scaled to the
 * observed total, as Evidently scales the reference's counts), χ² = Σ (o − e)²/e with k − 1 degrees
 * of freedom: SciPy's `chisquare(f_obs, f_exp)`. Categories expected 0 times are left out of χ²
 * (SciPy would answer inf); the caller reports what they hold as new categories. Effect size:
 * Cohen's w = √(χ²/n).
 * @example chiSquare([10, 20, 30], [20, 20, 20]) // { statistic: 10, pValue: 0.0067…, df: 2, effectSize: 0.408… }
 */
export function chiSquare(observed: readonly number[], expected: readonly number[]): { statistic: number; pValue: number; df: number; effectSize: number } {
  const totalObserved = observed.reduce((a, b) => a + b, 0);
  let totalExpected = 0;
  for (let i = 0; i < expected.length; i++) if (expected[i]! > 0) totalExpected += expected[i]!;
  const scale = totalExpected > 0 ? totalObserved / totalExpected : 0;
  let statistic = 0;
  let k = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = expected[i]! * scale;
    if (!(e > 0)) continue;
    k++;
    statistic += (observed[i]! - e) ** 2 / e;
  }
  const df = Math.max(k - 1, 0);
  const pValue = df === 0 ? 1 : chiSquareSf(statistic, df);
  return { statistic, pValue, df, effectSize: totalObserved > 0 ? Math.sqrt(statistic / totalObserved) : 0 };
}

/** P(χ²_df > x): the regularized upper incomplete gamma Q(df/2, x/2) (`scipy.stats.chi2.sf`). */
export function chiSquareSf(x: number, df: number): number {
  if (!(x > 0)) return 1;
  return gammaQ(df / 2, x / 2);
}

/**
 * Two-proportion Z-test, two-sided (Evidently's `proportions_diff_z_stat_ind` and
 * `proportions_diff_z_test`): z = (p₁ − p₂)/√(P(1 − P)(1/n₁ + 1/n₂)), P the pooled proportion,
 * p = 2(1 − Φ(|z|)) = erfc(|z|/√2). `ones`: how many of each sample are the second category.
 * Identical one-valued samples give p = 1 (as Evidently). Effect size: Cohen's h = |2 asin √p₁ − 2 asin √p₂|.
 * @example zTest(30, 100, 50, 100) // { statistic: -2.88…, pValue: 0.0039…, effectSize: 0.41… }
 */
export function zTest(ones1: number, n1: number, ones2: number, n2: number): { statistic: number; pValue: number; effectSize: number } {
  const p1 = ones1 / n1;
  const p2 = ones2 / n2;
  const pooled = (ones1 + ones2) / (n1 + n2);
  const effectSize = Math.abs(2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p2)));
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (!(variance > 0)) return { statistic: 0, pValue: 1, effectSize };
  const statistic = (p1 - p2) / Math.sqrt(variance);
  return { statistic, pValue: erfc(Math.abs(statistic) / Math.SQRT2), effectSize };
}

/**
 * The first Wasserstein distance between two weighted point sets on the same sorted `points`
 * (SciPy's `wasserstein_distance(points, points, u_weights, v_weights)`): ∫|U − V|, the area
 * between the two CDFs, divided by `norm` (Evidently's normalised Wasserstein divides by the
 * reference's standard deviation, floored at 0.001).
 * @example wasserstein([0, 1, 2], [1, 0, 0], [0, 0, 1], 1) // 2
 */
export function wasserstein(points: readonly number[], u: readonly number[], v: readonly number[], norm: number): number {
  const su = u.reduce((a, b) => a + b, 0);
  const sv = v.reduce((a, b) => a + b, 0);
  if (su === 0 || sv === 0) return 0;
  let cu = 0;
  let cv = 0;
  let area = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    cu += u[i]!;
    cv += v[i]!;
    area += Math.abs(cu / su - cv / sv) * (points[i + 1]! - points[i]!);
  }
  return area / norm;
}

/**
 * Jensen–Shannon distance of two count vectors over the same bins (SciPy's
 * `scipy.spatial.distance.jensenshannon(p, q)`, natural log): √((KL(p‖m) + KL(q‖m))/2), m = (p + q)/2.
 * @example jensenShannon([1, 0], [0, 1]) // √ln 2 = 0.8325…
 */
export function jensenShannon(p: readonly number[], q: readonly number[]): number {
  const sp = p.reduce((a, b) => a + b, 0);
  const sq = q.reduce((a, b) => a + b, 0);
  if (sp === 0 || sq === 0) return 0;
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i]! / sp;
    const b = q[i]! / sq;
    const m = (a + b) / 2;
    if (a > 0) js += a * Math.log(a / m);
    if (b > 0) js += b * Math.log(b / m);
  }
  return Math.sqrt(Math.max(js / 2, 0));
}

/** The share floor PSI puts on an empty bin (Evidently's `feel_zeroes`). */
export const PSI_FLOOR = 0.0001;

/**
 * Population stability index of current counts against reference ones over the same bins
 * (Evidently's `psi`): Σ (r − c)·ln(r/c) over the bins' shares, each share floored at PSI_FLOOR.
 * Rules of thumb: < 0.1 stable, 0.1–0.25 some shift, > 0.25 a major one.
 * @example psi([50, 50], [90, 10]) // 0.5493…
 */
export function psi(reference: readonly number[], current: readonly number[]): number {
  const sr = reference.reduce((a, b) => a + b, 0);
  const sc = current.reduce((a, b) => a + b, 0);
  if (sr === 0 || sc === 0) return 0;
  let value = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = Math.max(reference[i]! / sr, PSI_FLOOR);
    const c = Math.max(current[i]! / sc, PSI_FLOOR);
    value += (r - c) * Math.log(r / c);
  }
  return value;
}

/** Bonferroni-adjusted p-values: p·m, capped at 1 (m: how many were tested). */
export function bonferroni(pValues: readonly number[]): number[] {
  return pValues.map((p) => Math.min(1, p * pValues.length));
}

/**
 * Benjamini–Hochberg adjusted p-values (`scipy.stats.false_discovery_control(p, method='bh')`):
 * for the i-th smallest of m, min over j ≥ i of p₍ⱼ₎·m/j, capped at 1, in the input's order.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(m);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const [p, i] = order[k]!;
    running = Math.min(running, (p * m) / (k + 1));
    out[i] = Math.min(1, running);
  }
  return out;
}
