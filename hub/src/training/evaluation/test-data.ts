/**
 * Seeded random inputs for the evaluators' tests. Probabilities are built from small integer
 * weights so that equal scores (ties) and exact zeros are common: the cases where AUC, argmax and
 * log-loss clipping conventions matter.
 */
import { createRandom } from '@outpost/shared';

export function randomClassification(seed: number, n: number, k: number): { labels: number[]; probabilities: number[][] } {
  const rng = createRandom(seed);
  const labels: number[] = [];
  const probabilities: number[][] = [];
  for (let i = 0; i < n; i++) {
    const y = Math.floor(rng.next() * k);
    // Integer weights 0..5, the true class nudged up so the "model" is better than chance.
    const w = Array.from({ length: k }, (_, j) => Math.floor(rng.next() * 6) + (j === y && rng.next() < 0.5 ? 3 : 0));
    if (w.reduce((s, x) => s + x, 0) === 0) w[Math.floor(rng.next() * k)] = 1;
    const total = w.reduce((s, x) => s + x, 0);
    labels.push(y);
    probabilities.push(w.map((x) => x / total));
  }
  return { labels, probabilities };
}

export function randomRegression(seed: number, n: number, offset = 0): { actual: number[]; predicted: number[] } {
  const rng = createRandom(seed);
  const actual: number[] = [];
  const predicted: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = rng.next() * 10;
    const y = offset + 3 * x + (rng.next() - 0.5) * 4;
    actual.push(y);
    predicted.push(offset + 3 * x + (rng.next() - 0.5) * 2);
  }
  return { actual, predicted };
}

/** |a − b| within tol, relative to |b| when |b| > 1. */
export function near(a: number, b: number, tol = 1e-12): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
}
