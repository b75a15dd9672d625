import { OutpostError, type ErrorIssue } from '@outpost/shared';
import { describe, expect, it } from 'vitest';
import { evaluateClassifier } from './classifier.ts';
import { dummyClassifierReport, dummyRegressorReport } from './dummy.ts';
import { evaluateRegressor } from './regressor.ts';

/** The issues of the VALIDATION_FAILED error `f` throws. */
function issuesOf(f: () => unknown): ErrorIssue[] {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(OutpostError);
    expect((e as OutpostError).code).toBe('VALIDATION_FAILED');
    return (e as OutpostError).issues ?? [];
  }
  throw new Error('expected a VALIDATION_FAILED error');
}
const paths = (issues: ErrorIssue[]) => issues.map((i) => i.path);

const classes = ['a', 'b', 'c'];
const row = [0.2, 0.3, 0.5];

describe('evaluateClassifier rejects bad input, naming where', () => {
  it.each([
    ['mismatched lengths', { labels: [0, 1], probabilities: [row], classes }, ['probabilities']],
    ['no rows', { labels: [], probabilities: [], classes }, ['labels']],
    ['a row of the wrong width', { labels: [0, 1], probabilities: [row, [0.5, 0.5]], classes }, ['probabilities[1]']],
    ['NaN', { labels: [0], probabilities: [[0.2, 0.3, NaN]], classes }, ['probabilities[0][2]']],
    ['a negative probability', { labels: [0], probabilities: [[0.6, -0.1, 0.5]], classes }, ['probabilities[0][1]']],
    ['a row not summing to 1 (logits)', { labels: [0], probabilities: [[0.9, 0.9, 0.9]], classes }, ['probabilities[0]']],
    ['a label past the last class', { labels: [0, 1, 3], probabilities: [row, row, row], classes }, ['labels[2]']],
    ['a fractional label', { labels: [0.5], probabilities: [row], classes }, ['labels[0]']],
    ['no classes', { labels: [0], probabilities: [[1]], classes: [] }, ['classes', 'labels[0]', 'probabilities[0]']],
    ['a repeated class', { labels: [0], probabilities: [row], classes: ['a', 'b', 'a'] }, ['classes[2]']],
  ])('%s', (_, input, expected) => {
    expect(paths(issuesOf(() => evaluateClassifier(input)))).toEqual(expected);
  });

  it('gives the row of a row-level problem and says what was wrong', () => {
    const [issue] = issuesOf(() => evaluateClassifier({ labels: [0, 0], probabilities: [row, [0.1, NaN, 0.9]], classes }));
    expect(issue).toEqual({ path: 'probabilities[1][1]', row: 1, message: 'must be a probability in [0, 1], got NaN' });
  });

  it('checks options', () => {
    for (const calibrationBins of [0, 2.5, NaN]) {
      expect(paths(issuesOf(() => evaluateClassifier({ labels: [0], probabilities: [row], classes }, { calibrationBins })))).toEqual(['options.calibrationBins']);
    }
    expect(() => evaluateClassifier({ labels: [0], probabilities: [row], classes }, { calibrationBins: undefined })).not.toThrow();
  });

  it('caps the list of issues and counts the rest in the message', () => {
    const n = 100;
    let error: unknown;
    try {
      evaluateClassifier({ labels: new Array(n).fill(7), probabilities: new Array(n).fill(row), classes });
    } catch (e) {
      error = e;
    }
    expect((error as OutpostError).issues).toHaveLength(20);
    expect((error as OutpostError).message).toMatch(/^invalid classifier evaluation input: labels\[0\] must be .* \(and 17 more\)$/);
  });
});

describe('evaluateRegressor rejects bad input, naming where', () => {
  it.each([
    ['mismatched lengths', { actual: [1, 2], predicted: [1] }, ['predicted']],
    ['no rows', { actual: [], predicted: [] }, ['actual']],
    ['NaN', { actual: [1, 2], predicted: [1, NaN] }, ['predicted[1]']],
    ['Infinity', { actual: [Infinity, 2], predicted: [1, 2] }, ['actual[0]']],
  ])('%s', (_, input, expected) => {
    expect(paths(issuesOf(() => evaluateRegressor(input)))).toEqual(expected);
  });

  it('checks options', () => {
    const input = { actual: [1], predicted: [1] };
    expect(paths(issuesOf(() => evaluateRegressor(input, { residualBins: 0 })))).toEqual(['options.residualBins']);
    expect(paths(issuesOf(() => evaluateRegressor(input, { residualSample: -1 })))).toEqual(['options.residualSample']);
    expect(evaluateRegressor(input, { residualSample: 0 }).residuals.sample).toEqual([]);
  });
});

describe('dummy baselines reject bad input under their own names', () => {
  it('classifier', () => {
    expect(paths(issuesOf(() => dummyClassifierReport([], [0], classes)))).toEqual(['trainLabels']);
    expect(paths(issuesOf(() => dummyClassifierReport([0], [5], classes)))).toEqual(['evalLabels[0]']);
  });
  it('regressor', () => {
    expect(paths(issuesOf(() => dummyRegressorReport([1, NaN], [1])))).toEqual(['trainActual[1]']);
    expect(paths(issuesOf(() => dummyRegressorReport([1], [])))).toEqual(['evalActual']);
  });
});
