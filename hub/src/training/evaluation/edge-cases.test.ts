import { describe, expect, it } from 'vitest';
import { evaluateClassifier, LOG_LOSS_EPS } from './classifier.ts';
import { evaluateRegressor } from './regressor.ts';
import { near } from './test-data.ts';

const classes = ['a', 'b', 'c'];

describe('classifier edge cases', () => {
  it('one class present in the labels: no AUC, macro over the classes that occur', () => {
    // Every row is 'a'; predictions: a, a, b.
    const r = evaluateClassifier({ labels: [0, 0, 0], probabilities: [[0.8, 0.1, 0.1], [0.5, 0.3, 0.2], [0.3, 0.6, 0.1]], classes });
    // 'a' is in every row and 'b', 'c' in none: one-vs-rest AUC is undefined for all three.
    expect(r.rocAuc).toEqual({ perClass: [null, null, null], macro: null });
    expect(r.perClass).toEqual([
      { class: 'a', precision: 1, recall: 2 / 3, f1: 0.8, support: 3 },
      { class: 'b', precision: 0, recall: 0, f1: 0, support: 0 }, // predicted once, never right
      { class: 'c', precision: 0, recall: 0, f1: 0, support: 0 }, // neither true nor predicted: zero_division=0
    ]);
    // Macro over a and b ('c' occurs nowhere): P (1 + 0)/2, R (2/3 + 0)/2, F1 (0.8 + 0)/2
    expect(r.macro).toEqual({ precision: 0.5, recall: 1 / 3, f1: 0.4 });
    // Weighted: only 'a' has support, so its own numbers (3 · 0.8 / 3 rounds to 0.8000000000000002).
    expect(r.weighted.precision).toBe(1);
    expect(r.weighted.recall).toBe(2 / 3);
    expect(near(r.weighted.f1, 0.8)).toBe(true);
  });

  it('perfect one-hot predictions', () => {
    const labels = [0, 1, 2, 2, 1];
    const probabilities = labels.map((y) => classes.map((_, c) => (c === y ? 1 : 0)));
    const r = evaluateClassifier({ labels, probabilities, classes });
    expect(r.accuracy).toBe(1);
    expect(r.confusion).toEqual([[1, 0, 0], [0, 2, 0], [0, 0, 2]]);
    expect(r.macro).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(r.rocAuc).toEqual({ perClass: [1, 1, 1], macro: 1 });
    expect(r.logLoss).toBe(-Math.log(1 - LOG_LOSS_EPS)); // clipped: ≈ 1.1e-15, not 0
    expect(r.calibration.ece).toBe(0);
    expect(r.calibration.bins[9]).toEqual({ lower: 0.9, upper: 1, count: 5, meanConfidence: 1, accuracy: 1 });
  });

  it('all-equal probabilities: argmax → the first class, AUC 1/2, log loss ln k', () => {
    const labels = [0, 1, 2, 1];
    const r = evaluateClassifier({ labels, probabilities: labels.map(() => [1 / 3, 1 / 3, 1 / 3]), classes });
    expect(r.confusion).toEqual([[1, 0, 0], [2, 0, 0], [1, 0, 0]]);
    expect(r.accuracy).toBe(0.25);
    expect(r.rocAuc).toEqual({ perClass: [0.5, 0.5, 0.5], macro: 0.5 });
    expect(near(r.logLoss, Math.log(3))).toBe(true);
    // Every row in [0.3, 0.4) with confidence 1/3 and accuracy 1/4.
    const full = r.calibration.bins.filter((b) => b.count > 0);
    expect(full).toHaveLength(1);
    expect(full[0]!.lower).toBe(0.3);
    expect(near(r.calibration.ece, 1 / 3 - 1 / 4)).toBe(true);
  });

  it('a single class, a single row', () => {
    const r = evaluateClassifier({ labels: [0], probabilities: [[1]], classes: ['only'] });
    expect(r.accuracy).toBe(1);
    expect(r.perClass).toEqual([{ class: 'only', precision: 1, recall: 1, f1: 1, support: 1 }]);
    expect(r.rocAuc).toEqual({ perClass: [null], macro: null });
    expect(r.calibration.method).toBe('top-label');
  });

  it('confidence exactly on a bin edge falls in the upper bin; 1 in the last', () => {
    const r = evaluateClassifier({ labels: [1, 0, 1], probabilities: [[0.5, 0.5], [0.7, 0.3], [0, 1]], classes: ['n', 'y'] }, { calibrationBins: 2 });
    // p(y): 0.5 → [0.5, 1]; 0.3 → [0, 0.5); 1 → [0.5, 1]
    expect(r.calibration.bins.map((b) => b.count)).toEqual([1, 2]);
  });
});

describe('regressor edge cases', () => {
  it('perfect predictions', () => {
    const r = evaluateRegressor({ actual: [1, 2, 3], predicted: [1, 2, 3] });
    expect([r.mae, r.rmse, r.r2]).toEqual([0, 0, 1]);
    expect(r.residuals.histogram).toEqual({ edges: [0, 0], counts: [3] });
  });

  it('constant actual values: R² is 1 for a perfect fit, else 0 (not NaN or −∞)', () => {
    expect(evaluateRegressor({ actual: [5, 5, 5], predicted: [5, 5, 5] }).r2).toBe(1);
    expect(evaluateRegressor({ actual: [5, 5, 5], predicted: [5, 6, 5] }).r2).toBe(0);
    expect(evaluateRegressor({ actual: [7], predicted: [4] })).toEqual({
      rows: 1,
      mae: 3,
      rmse: 3,
      r2: 0,
      residuals: { histogram: { edges: [3, 3], counts: [1] }, sample: [{ row: 0, predicted: 4, residual: 3 }] },
    });
  });

  it('keeps R² accurate far from zero (two-pass SS_tot)', () => {
    const actual = [1e9 + 1, 1e9 + 2, 1e9 + 3];
    expect(evaluateRegressor({ actual, predicted: [1e9 + 1, 1e9 + 2, 1e9 + 4] }).r2).toBe(0.5);
  });
});
