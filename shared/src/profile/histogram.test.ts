import { describe, expect, it } from 'vitest';
import { histogramFromSketch } from './histogram.ts';
import { createQuantileSketch, type QuantileSketch } from './quantiles.ts';
import { distributions } from './test-data.ts';

function sketchOf(xs: readonly number[]): QuantileSketch {
  const s = createQuantileSketch();
  for (const x of xs) s.add(x);
  return s;
}

/** Count values per bin by comparing with the edges: [e_i, e_{i+1}), the last bin closed. */
function bruteCounts(xs: readonly number[], edges: readonly number[]): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(bins).fill(0);
  for (const x of xs) {
    let i = 0;
    while (i < bins - 1 && x >= edges[i + 1]!) i++;
    counts[i]!++;
  }
  return counts;
}

function checkEdges(edges: readonly number[], min: number, max: number): void {
  expect(edges[0]).toBe(min);
  expect(edges[edges.length - 1]).toBe(max);
  const width = (max - min) / (edges.length - 1);
  edges.forEach((e, i) => expect(Math.abs(e - (min + i * width))).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(min), Math.abs(max))));
}

describe('histogramFromSketch', () => {
  it('is exact in exact mode (the documented example too)', () => {
    expect(histogramFromSketch(sketchOf([1, 2, 2, 3, 4]), 3)).toEqual({ edges: [1, 2, 3, 4], counts: [1, 2, 2], exact: true });
    for (const name of Object.keys(distributions)) {
      const xs = distributions[name]!(3, 600);
      for (const bins of [1, 7, 20]) {
        const h = histogramFromSketch(sketchOf(xs), bins)!;
        checkEdges(h.edges, Math.min(...xs), Math.max(...xs));
        expect(h.exact).toBe(true);
        expect(h.counts).toEqual(bruteCounts(xs, h.edges));
      }
    }
  });

  it.each(Object.keys(distributions))('keeps every bin within ±2·rankErrorBound() in approximate mode (%s)', (name) => {
    const xs = distributions[name]!(21, 100_000);
    const s = sketchOf(xs);
    const h = histogramFromSketch(s, 20)!;
    const t = s.rankErrorBound();
    expect(h.exact).toBe(false);
    checkEdges(h.edges, Math.min(...xs), Math.max(...xs));
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(xs.length);
    const truth = bruteCounts(xs, h.edges);
    h.counts.forEach((c, i) => expect(Math.abs(c - truth[i]!)).toBeLessThanOrEqual(2 * t));
  });

  it('puts a constant column in one bin, and answers null when empty', () => {
    expect(histogramFromSketch(sketchOf([5, 5, 5]), 10)).toEqual({ edges: [5, 5], counts: [3], exact: true });
    expect(histogramFromSketch(createQuantileSketch())).toBeNull();
    expect(() => histogramFromSketch(sketchOf([1]), 0)).toThrow(RangeError);
  });

  it('spans ranges wider than the largest double', () => {
    const h = histogramFromSketch(sketchOf([-1e308, 0, 1e308]), 4)!;
    expect(h.edges).toEqual([-1e308, -5e307, 0, 5e307, 1e308]);
    expect(h.counts).toEqual([1, 0, 1, 1]);
  });
});
