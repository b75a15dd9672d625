import { describe, expect, it } from 'vitest';
import { evaluateRegressor } from './regressor.ts';
import { residualHistogram, sampleRows } from './residuals.ts';
import { near, randomRegression } from './test-data.ts';

describe('evaluateRegressor, hand-checked', () => {
  it('computes MAE, RMSE and R² (the JSDoc example)', () => {
    // residuals 0, 0, −1: MAE 1/3, RMSE √(1/3); mean 2, SS_tot 1 + 0 + 1 = 2, SS_res 1 → R² 1/2
    const r = evaluateRegressor({ actual: [1, 2, 3], predicted: [1, 2, 4] });
    expect(r.rows).toBe(3);
    expect(r.mae).toBe(1 / 3);
    expect(r.rmse).toBe(Math.sqrt(1 / 3));
    expect(r.r2).toBe(0.5);
  });

  it('histograms and samples the residuals (actual − predicted)', () => {
    // residuals 2, −1, 0, 1, −2 over [−2, 2] in 4 bins of width 1: [−2,−1) [−1,0) [0,1) [1,2]
    const r = evaluateRegressor({ actual: [5, 1, 3, 4, 0], predicted: [3, 2, 3, 3, 2] }, { residualBins: 4, residualSample: 2 });
    expect(r.residuals.histogram).toEqual({ edges: [-2, -1, 0, 1, 2], counts: [1, 1, 1, 2] });
    // 5 rows, 2 points: rows ⌊0·5/2⌋ = 0 and ⌊1·5/2⌋ = 2
    expect(r.residuals.sample).toEqual([
      { row: 0, predicted: 3, residual: 2 },
      { row: 2, predicted: 3, residual: 0 },
    ]);
  });

  it('samples evenly, reproducibly, and every row when there are few', () => {
    expect(sampleRows(10, 4)).toEqual([0, 2, 5, 7]);
    expect(sampleRows(3, 200)).toEqual([0, 1, 2]);
    expect(sampleRows(1000, 200)).toEqual(Array.from({ length: 200 }, (_, i) => i * 5));
    expect(sampleRows(5, 0)).toEqual([]);
    const { actual, predicted } = randomRegression(3, 1234);
    const a = evaluateRegressor({ actual, predicted });
    expect(a.residuals.sample).toHaveLength(200);
    expect(evaluateRegressor({ actual, predicted })).toEqual(a);
    const rows = a.residuals.sample.map((p) => p.row);
    expect(new Set(rows).size).toBe(200);
    expect(rows).toEqual([...rows].sort((x, y) => x - y));
  });
});

/** Count values per bin by comparing with the edges: [e_i, e_{i+1}), the last bin closed. */
function bruteCounts(xs: readonly number[], edges: readonly number[]): number[] {
  const bins = edges.length - 1;
  return Array.from({ length: bins }, (_, b) => xs.filter((x) => x >= edges[b]! && (x < edges[b + 1]! || b === bins - 1)).length);
}

describe('evaluateRegressor against direct formulas', () => {
  it.each([0, 1e6])('agrees on random data (offset %d)', (offset) => {
    for (let seed = 1; seed <= 20; seed++) {
      const { actual, predicted } = randomRegression(seed, 10 + seed * 37, offset);
      const n = actual.length;
      const bins = 1 + (seed % 25);
      const r = evaluateRegressor({ actual, predicted }, { residualBins: bins, residualSample: 50 });
      const res = actual.map((y, i) => y - predicted[i]!);
      const mean = actual.reduce((s, y) => s + y, 0) / n;
      let sumSq = 0;
      for (const e of res) sumSq += e ** 2;
      let tot = 0;
      for (const y of actual) tot += (y - mean) ** 2;
      expect(near(r.mae, res.reduce((s, e) => s + Math.abs(e), 0) / n)).toBe(true);
      expect(near(r.rmse, Math.sqrt(sumSq / n))).toBe(true);
      expect(near(r.r2, 1 - sumSq / tot)).toBe(true);

      const h = r.residuals.histogram;
      const lo = Math.min(...res);
      const hi = Math.max(...res);
      expect(h.edges).toHaveLength(bins + 1);
      expect([h.edges[0], h.edges[bins]]).toEqual([lo, hi]);
      h.edges.forEach((e, i) => expect(near(e, lo + ((hi - lo) * i) / bins)).toBe(true));
      expect(h.counts).toEqual(bruteCounts(res, h.edges));
      expect(h.counts.reduce((s, c) => s + c, 0)).toBe(n);

      expect(r.residuals.sample.length).toBe(Math.min(50, n));
      for (const p of r.residuals.sample) expect(p).toEqual({ row: p.row, predicted: predicted[p.row], residual: res[p.row] });
    }
  });
});

describe('residualHistogram', () => {
  it('puts equal values in one bin and spans ranges wider than the largest double', () => {
    expect(residualHistogram([1, 2, 2, 3, 4], 3)).toEqual({ edges: [1, 2, 3, 4], counts: [1, 2, 2] });
    expect(residualHistogram([0.5, 0.5], 10)).toEqual({ edges: [0.5, 0.5], counts: [2] });
    expect(residualHistogram([-1e308, 0, 1e308], 4)).toEqual({ edges: [-1e308, -5e307, 0, 5e307, 1e308], counts: [1, 0, 1, 1] });
  });
});
