import { describe, expect, it } from 'vitest';
import { evaluateClassifier } from './classifier.ts';
import { dummyClassifierReport, dummyRegressorReport } from './dummy.ts';
import { evaluateRegressor } from './regressor.ts';
import { near, randomClassification, randomRegression } from './test-data.ts';

describe('dummyClassifierReport', () => {
  it('predicts the most frequent training class with the training frequencies (the JSDoc example)', () => {
    // train: 2 × no, 1 × yes → prior [2/3, 1/3], always 'no'; eval: no, yes, yes
    const r = dummyClassifierReport([0, 0, 1], [0, 1, 1], ['no', 'yes']);
    expect(r.accuracy).toBe(1 / 3);
    expect(r.confusion).toEqual([[1, 0], [2, 0]]);
    expect(near(r.logLoss, -(Math.log(2 / 3) + 2 * Math.log(1 / 3)) / 3)).toBe(true);
    // One score for every row: every pair ties.
    expect(r.rocAuc).toEqual({ perClass: [0.5, 0.5], macro: 0.5 });
    expect(r.perClass[1]).toEqual({ class: 'yes', precision: 0, recall: 0, f1: 0, support: 2 });
  });

  it('breaks a frequency tie toward the lowest index, and gives unseen classes probability 0', () => {
    const r = dummyClassifierReport([2, 1, 1, 2], [0, 1, 2], ['a', 'b', 'c']);
    expect(r.confusion.map((row) => row.indexOf(1))).toEqual([1, 1, 1]); // always 'b'
    // rows: a → p 0 (clipped to 1e-15), b → 1/2, c → 1/2
    expect(near(r.logLoss, (-Math.log(1e-15) - 2 * Math.log(0.5)) / 3)).toBe(true);
  });

  it('equals evaluating the prior by hand, with options passed through', () => {
    const train = randomClassification(7, 300, 4).labels;
    const { labels } = randomClassification(8, 120, 4);
    const classes = ['w', 'x', 'y', 'z'];
    const prior = classes.map((_, c) => train.filter((y) => y === c).length / train.length);
    const expected = evaluateClassifier({ labels, probabilities: labels.map(() => prior), classes }, { calibrationBins: 5 });
    expect(dummyClassifierReport(train, labels, classes, { calibrationBins: 5 })).toEqual(expected);
  });
});

describe('dummyRegressorReport', () => {
  it('predicts the training mean (the JSDoc example)', () => {
    // mean of [1, 2, 3] = 2; eval [2, 4] → residuals 0, 2
    const r = dummyRegressorReport([1, 2, 3], [2, 4]);
    expect(r.mae).toBe(1);
    expect(r.rmse).toBe(Math.sqrt(2));
    // SS_tot of [2, 4] = 2, SS_res = 4 → R² = −1
    expect(r.r2).toBe(-1);
    expect(r.residuals.sample.map((p) => p.predicted)).toEqual([2, 2]);
  });

  it('scores R² ≈ 0 when training and evaluation share a mean, and loses to a real model', () => {
    const { actual, predicted } = randomRegression(5, 500);
    const base = dummyRegressorReport(actual, actual);
    expect(Math.abs(base.r2)).toBeLessThan(1e-12);
    const model = evaluateRegressor({ actual, predicted });
    expect(model.rmse).toBeLessThan(base.rmse);
    expect(model.r2).toBeGreaterThan(base.r2);
  });
});
