import { describe, expect, it } from 'vitest';
import { evaluateClassifier } from './classifier.ts';
import { dummyClassifierReport, dummyRegressorReport } from './dummy.ts';
import { evaluateRegressor } from './regressor.ts';
import { ClassificationReportSchema, RegressionReportSchema } from './schema.ts';
import { randomClassification, randomRegression } from './test-data.ts';

describe('report schemas', () => {
  it('accept every report unchanged, also after a JSON round trip', () => {
    const { labels, probabilities } = randomClassification(1, 200, 3);
    const classes = ['a', 'b', 'c'];
    const reports = [
      evaluateClassifier({ labels, probabilities, classes }),
      evaluateClassifier({ labels: [0, 0], probabilities: [[1, 0, 0], [1, 0, 0]], classes }), // null AUCs, empty bins
      dummyClassifierReport(labels, labels, classes),
    ];
    for (const r of reports) {
      expect(ClassificationReportSchema.parse(r)).toEqual(r);
      expect(ClassificationReportSchema.parse(JSON.parse(JSON.stringify(r)))).toEqual(r);
    }
    const { actual, predicted } = randomRegression(2, 300);
    for (const r of [evaluateRegressor({ actual, predicted }), dummyRegressorReport(actual, actual)]) {
      expect(RegressionReportSchema.parse(r)).toEqual(r);
      expect(RegressionReportSchema.parse(JSON.parse(JSON.stringify(r)))).toEqual(r);
    }
  });

  it('reject a report of the other kind or with a wrong field', () => {
    const r = evaluateRegressor({ actual: [1, 2], predicted: [1, 3] });
    expect(ClassificationReportSchema.safeParse(r).success).toBe(false);
    expect(RegressionReportSchema.safeParse({ ...r, r2: null }).success).toBe(false);
    expect(RegressionReportSchema.safeParse({ ...r, rows: 1.5 }).success).toBe(false);
  });
});
