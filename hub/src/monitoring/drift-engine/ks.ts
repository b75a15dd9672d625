// Two-sample Kolmogorov–Smirnov, as SciPy's `ks_2samp(reference, current)` (two-sided,
// method='auto'): the statistic D = sup |F_ref − F_cur|, and its p-value — exact (Hodges' lattice
// path counts, SciPy's `_compute_prob_outside_square` and `_compute_outer_prob_inside_method`) when
// both samples have at most 10,000 values, else the limiting Kolmogorov distribution of √en·D,
// en = n₁n₂/(n₁+n₂) (SciPy's 'asymp' uses the finite-n `kstwo.sf(D, round(en))` instead, which is
// within ~1 % of it at en ≥ 1000 — the sizes where it applies; tested against `scipy.special.kolmogorov`).

/** Largest sample size for which the exact p-value is computed (SciPy's MAX_AUTO_N). */
export const KS_EXACT_MAX_N = 10_000;

/**
 * A small reference, sorted once, that counts a current window against it in one pass without
 * sorting the window: for each distinct reference value u_j, how many current values equal it and
 * how many fall strictly between it and the one below. That is all D needs: between two reference
 * values F_ref is flat and F_cur rises, so |F_ref − F_cur| peaks at the interval's ends.
 */
export interface KsReference {
  /** Distinct reference values, ascending. */
  readonly values: Float64Array;
  /** How many reference values are ≤ values[j]. */
  readonly atOrBelow: Float64Array;
  readonly n: number;
}

export function ksReference(sample: ArrayLike<number>): KsReference {
  const sorted = Float64Array.from(sample).filter((x) => Number.isFinite(x)).sort();
  const values: number[] = [];
  const atOrBelow: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i + 1 < sorted.length && sorted[i + 1] === sorted[i]) continue;
    values.push(sorted[i]!);
    atOrBelow.push(i + 1);
  }
  return { values: Float64Array.from(values), atOrBelow: Float64Array.from(atOrBelow), n: sorted.length };
}

/** Counts of a current window against a KsReference (ksCounter). */
export interface KsCounts {
  /** between[j]: current values in (values[j−1], values[j]); between[q]: above the last. */
  between: Float64Array;
  /** equal[j]: current values equal to values[j]. */
  equal: Float64Array;
  n: number;
}

/**
 * Counts finite current values against `ref`; call `add` per value (or `addAll`), then `counts`.
 * A lookup table over the reference range narrows each value's search to a few comparisons.
 * @example const c = ksCounter(ksReference(ref)); c.addAll(current); ksStatistic(ref, c.counts());
 */
export function ksCounter(ref: KsReference) {
  const { values } = ref;
  const q = values.length;
  const between = new Float64Array(q + 1);
  const equal = new Float64Array(q);
  let n = 0;
  const lo = q > 0 ? values[0]! : 0;
  const hi = q > 0 ? values[q - 1]! : 0;
  const buckets = Math.max(1, q * 4);
  const scale = hi > lo && Number.isFinite(buckets / (hi - lo)) ? buckets / (hi - lo) : 0;
  // start[b]: the first j with values[j] ≥ the bucket's lower end.
  const start = new Int32Array(buckets + 1);
  for (let b = 0, j = 0; b <= buckets; b++) {
    const edge = scale === 0 ? lo : lo + b / scale;
    while (j < q && values[j]! < edge) j++;
    start[b] = Math.max(0, j - 1);
  }
  function add(x: number): void {
    if (x < lo) {
      if (x === -Infinity) return;
      between[0]!++;
    } else if (x > hi) {
      if (x === Infinity) return;
      between[q]!++;
    } else if (x >= lo && q > 0) {
      let j = start[Math.min(buckets, Math.floor((x - lo) * scale))]!;
      while (values[j]! < x) j++;
      if (values[j] === x) equal[j]!++;
      else between[j]!++;
    } else return; // NaN, or nothing to compare with
    n++;
  }
  return {
    add,
    addAll(xs: ArrayLike<number>): void {
      for (let i = 0; i < xs.length; i++) add(xs[i]!);
    },
    counts: (): KsCounts => ({ between, equal, n }),
  };
}

/** D = sup |F_ref − F_cur| from the counts (exactly SciPy's statistic, ties included). */
export function ksStatistic(ref: KsReference, counts: KsCounts): number {
  const { atOrBelow, n: m } = ref;
  const { between, equal, n } = counts;
  if (m === 0 || n === 0) return 0;
  let below = between[0]!; // current values < values[j]
  let d = below / n; // at the current values below the reference: F_ref = 0
  for (let j = 0; j < equal.length; j++) {
    const fRef = atOrBelow[j]! / m;
    const atOrBelowJ = below + equal[j]!;
    d = Math.max(d, Math.abs(fRef - atOrBelowJ / n));
    // The current values up to the next reference value: F_cur climbs to (below next)/n.
    below = atOrBelowJ + between[j + 1]!;
    d = Math.max(d, below / n - fRef);
  }
  return d;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The two-sided p-value of D for samples of n1 and n2 values, as SciPy's ks_2samp(method='auto').
 * @example ksPValue(0.5, 20, 30) // 0.003…
 */
export function ksPValue(d: number, n1: number, n2: number): number {
  if (n1 === 0 || n2 === 0) return 1;
  if (Math.max(n1, n2) <= KS_EXACT_MAX_N) {
    const exact = ksExact(d, n1, n2);
    if (exact !== undefined) return exact;
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  return clamp01(kolmogorovSf(Math.sqrt((m * n) / (m + n)) * d));
}

/** SciPy's `_attempt_exact_2kssamp`, two-sided; undefined where it gives up (floating-point trouble). */
function ksExact(d: number, n1: number, n2: number): number | undefined {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = Math.round(d * lcm);
  if (h === 0) return 1;
  const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
  return Number.isFinite(p) && p >= 0 && p <= 1 ? p : undefined;
}

function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

/** The share of lattice paths from (0,0) to (m,n) that leave the band |nx − my| < h·g (Hodges), column by column in a sliding window. */
function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  const [m, n] = m0 >= n0 ? [m0, n0] : [n0, m0];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const a = new Float64Array(Math.min(2 * maxj + 2, n + 1)).fill(1);
  a.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (a[jj + minj - lastminj]! * i + val * j) / (i + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) a.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return a[maxj - minj - 1]!;
}

/**
 * The Kolmogorov distribution's survival function, P(K > x) = 2 Σ (−1)^(k−1) e^(−2k²x²), as
 * `scipy.special.kolmogorov(x)`; for small x, 1 − √(2π)/x Σ e^(−(2k−1)²π²/(8x²)) converges faster.
 */
export function kolmogorovSf(x: number): number {
  if (!(x > 0)) return 1;
  if (x < 1) {
    const c = (Math.PI * Math.PI) / (8 * x * x);
    let s = 0;
    for (let k = 1; k <= 8; k++) s += Math.exp(-(2 * k - 1) * (2 * k - 1) * c);
    return clamp01(1 - (Math.sqrt(2 * Math.PI) / x) * s);
  }
  let s = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * x * x);
    s += k % 2 === 1 ? term : -term;
    if (term < 1e-17) break;
  }
  return clamp01(2 * s);
}

const clamp01 = (p: number) => Math.min(1, Math.max(0, p));
