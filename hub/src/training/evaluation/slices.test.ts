import { describe, expect, it } from 'vitest';
import { evaluateClassifier } from './classifier.ts';
import { evaluateRegressor } from './regressor.ts';
import { evaluateBySlice, MISSING_SLICE } from './slices.ts';

describe('evaluateBySlice', () => {
  it('groups rows, names the null slice, sorts by size then name', () => {
    const values = ['us', 'eu', null, 'eu', 'us', 'apac', null, 'eu', 'b', 'a'];
    const seen: number[][] = [];
    const out = evaluateBySlice(values, (rows) => {
      seen.push(rows);
      return rows;
    });
    expect(out).toEqual([
      { slice: 'eu', rows: 3, report: [1, 3, 7] },
      { slice: MISSING_SLICE, rows: 2, report: [2, 6] },
      { slice: 'us', rows: 2, report: [0, 4] },
      { slice: 'a', rows: 1, report: [9] },
      { slice: 'apac', rows: 1, report: [5] },
      { slice: 'b', rows: 1, report: [8] },
    ]);
    expect(MISSING_SLICE).toBe('(missing)');
    // Every row is evaluated exactly once, in one slice.
    expect(seen.flat().sort((a, b) => a - b)).toEqual(values.map((_, i) => i));
  });

  it('answers nothing for no rows, and sorts names by code unit (locale-free)', () => {
    expect(evaluateBySlice([], () => 0)).toEqual([]);
    expect(evaluateBySlice(['b', 'B', 'a'], (r) => r.length).map((s) => s.slice)).toEqual(['B', 'a', 'b']);
  });

  it('drives the evaluators', () => {
    const region = ['eu', 'us', 'eu', null];
    const actual = [1, 2, 3, 4];
    const predicted = [1, 2, 5, 4];
    const out = evaluateBySlice(region, (rows) => evaluateRegressor({ actual: rows.map((i) => actual[i]!), predicted: rows.map((i) => predicted[i]!) }));
    expect(out.map((s) => [s.slice, s.rows, s.report.mae])).toEqual([
      ['eu', 2, 1],
      ['(missing)', 1, 0],
      ['us', 1, 0],
    ]);
    const labels = [0, 1, 1, 0];
    const probs = [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]];
    const cls = evaluateBySlice(region, (rows) =>
      evaluateClassifier({ labels: rows.map((i) => labels[i]!), probabilities: rows.map((i) => probs[i]!), classes: ['n', 'y'] }),
    );
    expect(cls.map((s) => s.report.accuracy)).toEqual([0.5, 0, 1]);
  });
});
