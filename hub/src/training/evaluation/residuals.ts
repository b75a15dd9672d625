/**
 * What a residual plot needs, bounded in size whatever the row count: an exact histogram and a
 * sample of points. Why an evenly spaced sample instead of a random one: the same predictions must
 * give the same report (it is stored with the run and diffed between runs), and rows in a held-out
 * split are already in no particular order, so rows ⌊i·n/N⌋, spread evenly, are as good as a random draw.
 */
import { binOf, equalWidthEdges } from './bins.ts';
import type { RegressionReport, ResidualPoint } from './types.ts';

/**
 * Equal-width histogram between the smallest and largest value; one bin [v, v] when all are equal.
 * @example residualHistogram([1, 2, 2, 3, 4], 3) // { edges: [1, 2, 3, 4], counts: [1, 2, 2] }
 */
export function residualHistogram(values: ArrayLike<number>, bins: number): RegressionReport['residuals']['histogram'] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    min = Math.min(min, values[i]!);
    max = Math.max(max, values[i]!);
  }
  if (min === max) return { edges: [min, max], counts: [values.length] };
  const edges = equalWidthEdges(min, max, bins);
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) counts[binOf(values[i]!, edges)]!++;
  return { edges, counts };
}

/**
 * Row indices ⌊i·n/size⌋ for i < size (every row when n ≤ size): evenly spaced, starting at row 0.
 * @example sampleRows(10, 4) // [0, 2, 5, 7]
 */
export function sampleRows(n: number, size: number): number[] {
  if (n <= size) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: size }, (_, i) => Math.floor((i * n) / size));
}

/**
 * The residual-plot points of the sampled rows.
 * @example residualSample([3, 5], [2.5, 6], 10) // [{ row: 0, predicted: 2.5, residual: 0.5 }, { row: 1, predicted: 6, residual: -1 }]
 */
export function residualSample(actual: readonly number[], predicted: readonly number[], size: number): ResidualPoint[] {
  return sampleRows(actual.length, size).map((row) => ({ row, predicted: predicted[row]!, residual: actual[row]! - predicted[row]! }));
}
