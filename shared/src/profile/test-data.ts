/**
 * Seeded data for the profile tests (not exported from the package): reproducible distributions
 * that stress the sketches differently (smooth, heavy-tailed, duplicate-heavy, skewed categories).
 */
import { createRandom, type Random } from './random.ts';

/** Standard normal via Box–Muller. */
export function normal(rng: Random): number {
  const u = 1 - rng.next(); // (0, 1]
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** Pareto with shape 1.1: heavy tail, finite mean, infinite variance. */
export function pareto(rng: Random): number {
  return (1 - rng.next()) ** (-1 / 1.1);
}

/** Samples 0…n−1 with P(i) ∝ 1/(i+1)^s (Zipf), by binary search in the CDF. */
export function zipf(n: number, s: number, rng: Random): () => number {
  const cdf = new Float64Array(n);
  let c = 0;
  for (let i = 0; i < n; i++) cdf[i] = c += 1 / (i + 1) ** s;
  return () => {
    const u = rng.next() * c;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

export const distributions: Record<string, (seed: number, n: number) => number[]> = {
  uniform: (seed, n) => {
    const rng = createRandom(seed);
    return Array.from({ length: n }, () => rng.next() * 1000);
  },
  normal: (seed, n) => {
    const rng = createRandom(seed + 1000);
    return Array.from({ length: n }, () => 50 + 10 * normal(rng));
  },
  pareto: (seed, n) => {
    const rng = createRandom(seed + 2000);
    return Array.from({ length: n }, () => pareto(rng));
  },
  /** 20 distinct values, very unequal frequencies: many exact ties. */
  duplicates: (seed, n) => {
    const next = zipf(20, 1.2, createRandom(seed + 3000));
    return Array.from({ length: n }, () => next() * 2.5);
  },
  /** Ascending order: the worst case for sketches that assume shuffled input. */
  sorted: (_seed, n) => Array.from({ length: n }, (_, i) => i),
};

/** Number of values < x and ≤ x in an ascending array. */
export function ranks(sorted: ArrayLike<number>, x: number): { below: number; atOrBelow: number } {
  const bound = (strict: boolean): number => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (strict ? sorted[mid]! < x : sorted[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return { below: bound(true), atOrBelow: bound(false) };
}

/** How far rank r is from the ranks value x occupies in the data (0 if x is a correct answer for r). */
export function rankError(sorted: ArrayLike<number>, x: number, r: number): number {
  const { below, atOrBelow } = ranks(sorted, x);
  return r < below + 1 ? below + 1 - r : r > atOrBelow ? r - atOrBelow : 0;
}
