import { describe, it, expect } from 'vitest';
import type { ErrorCode, ErrorIssue, RawRecord } from '@outpost/shared';
import { fitFeatureSpec, labelledRowIndices } from './fit-features.ts';
import type { FeatureChoice } from './types.ts';
import { errorOf } from '../test-support/errors.ts';

const rows: RawRecord[] = [
  { species: 'Adelie', island: 'Biscoe', bill: 39.1, mass: '3750', sex: 'MALE' },
  { species: 'Gentoo', island: ' Dream ', bill: 47.5, mass: '', sex: 'FEMALE' },
  { species: 'Adelie', island: 'Biscoe', bill: null, mass: '4000', sex: null },
  { species: null, island: 'Torgersen', bill: 'oops', mass: 'n/a', sex: 'MALE' },
  { species: 'Chinstrap', island: 'Dream', bill: 50, mass: 3500, sex: 'FEMALE' },
];


describe('fitFeatureSpec: bad input names the culprit', () => {
  const cases: {
    name: string;
    rows: readonly RawRecord[];
    label: string;
    features?: FeatureChoice[];
    code: ErrorCode;
    issue: ErrorIssue;
  }[] = [
    {
      name: 'no rows',
      rows: [],
      label: 'species',
      code: 'INVALID_DATASET',
      issue: { message: 'expected at least one row' },
    },
    {
      name: 'unknown label column',
      rows,
      label: 'Species',
      code: 'VALIDATION_FAILED',
      issue: { path: 'label', column: 'Species', message: 'no column named "Species"' },
    },
    {
      name: 'unknown feature column',
      rows,
      label: 'species',
      features: [{ name: 'bill' }, { name: 'flipper' }],
      code: 'VALIDATION_FAILED',
      issue: { path: 'features[1].name', column: 'flipper', message: 'no column named "flipper"' },
    },
    {
      name: 'label used as a feature',
      rows,
      label: 'species',
      features: [{ name: 'species' }],
      code: 'VALIDATION_FAILED',
      issue: { path: 'features[0].name', column: 'species', message: 'is the label column' },
    },
    {
      name: 'feature listed twice',
      rows,
      label: 'species',
      features: [{ name: 'bill' }, { name: 'island' }, { name: 'bill' }],
      code: 'VALIDATION_FAILED',
      issue: { path: 'features[2].name', column: 'bill', message: 'is listed twice' },
    },
    {
      name: 'empty feature list',
      rows,
      label: 'species',
      features: [],
      code: 'VALIDATION_FAILED',
      issue: { path: 'features', message: 'need at least one feature column besides the label' },
    },
    {
      name: 'single-class label (the row with a missing label does not count)',
      rows: rows.filter((r) => r.species !== 'Gentoo' && r.species !== 'Chinstrap'),
      label: 'species',
      code: 'VALIDATION_FAILED',
      issue: { path: 'label', column: 'species', message: 'needs at least 2 classes, found only "Adelie"' },
    },
    {
      name: 'label with no values',
      rows: rows.map((r) => ({ ...r, species: '' })),
      label: 'species',
      code: 'VALIDATION_FAILED',
      issue: { path: 'label', column: 'species', message: 'needs at least 2 classes, found no labelled rows' },
    },
    {
      name: 'text in a column forced numeric',
      rows,
      label: 'sex',
      features: [{ name: 'island', kind: 'numeric' }],
      code: 'INVALID_DATASET',
      issue: { row: 1, column: 'island', message: 'expected a number, got "Biscoe"' },
    },
    {
      name: 'forced categorical column with no values',
      rows: rows.map((r) => ({ ...r, empty: null })),
      label: 'species',
      features: [{ name: 'empty', kind: 'categorical' }],
      code: 'INVALID_DATASET',
      issue: { column: 'empty', message: 'has no values' },
    },
  ];

  it.each(cases)('$name → $code', ({ rows: data, label, features, code, issue }) => {
    const e = errorOf(() => fitFeatureSpec(data, { label, ...(features ? { features } : {}) }));
    expect(e.code).toBe(code);
    expect(e.issues?.[0]).toEqual(issue);
  });

  it('reports the 1-based data row of the first non-number, skipping rows without a label', () => {
    const data: RawRecord[] = [
      { y: 'a', x: 1 },
      { y: null, x: 'ignored: row dropped' },
      { y: 'b', x: '2' },
      { y: 'a', x: 'x' },
    ];
    const e = errorOf(() => fitFeatureSpec(data, { label: 'y', features: [{ name: 'x', kind: 'numeric' }] }));
    expect(e.code).toBe('INVALID_DATASET');
    expect(e.issues).toEqual([{ row: 4, column: 'x', message: 'expected a number, got "x"' }]);
    expect(e.message).toContain('row 4');
  });

  it('lists every config problem at once', () => {
    const e = errorOf(() => fitFeatureSpec(rows, { label: 'nope', features: [{ name: 'a' }, { name: 'b' }] }));
    expect(e.issues?.map((i) => i.path)).toEqual(['label', 'features[0].name', 'features[1].name']);
  });
});

describe('fitFeatureSpec: kinds and statistics', () => {
  it('infers kinds, keeps column order, and sorts classes', () => {
    // "bill" holds "oops" only in the unlabelled row, which is dropped: it stays numeric.
    const spec = fitFeatureSpec(rows, { label: 'species' });
    expect(spec.label).toEqual({ name: 'species', classes: ['Adelie', 'Chinstrap', 'Gentoo'] });
    expect(spec.features.map((f) => [f.name, f.kind])).toEqual([
      ['island', 'categorical'],
      ['bill', 'numeric'],
      ['mass', 'numeric'],
      ['sex', 'categorical'],
    ]);
  });

  it('computes the mean and population std over present values only', () => {
    const spec = fitFeatureSpec(rows, { label: 'species', features: [{ name: 'mass' }] });
    // 3750, 4000, 3500 (the empty string is missing): mean 3750, population std sqrt(125000/3).
    expect(spec.features[0]).toEqual({ name: 'mass', kind: 'numeric', mean: 3750, std: Math.sqrt(125000 / 3) });
  });

  it('uses std 1 for a constant column and treats booleans as numbers', () => {
    const data: RawRecord[] = [
      { y: 'a', c: 5, b: true },
      { y: 'b', c: 5, b: false },
      { y: 'b', c: '5', b: true },
    ];
    const [c, b] = fitFeatureSpec(data, { label: 'y' }).features;
    expect(c).toEqual({ name: 'c', kind: 'numeric', mean: 5, std: 1 });
    expect(b).toMatchObject({ name: 'b', kind: 'numeric', mean: 2 / 3 });
  });

  it('trims categories, sorts them, and breaks mode ties by sorted order', () => {
    const spec = fitFeatureSpec(rows, { label: 'species', features: [{ name: 'island' }, { name: 'sex' }] });
    // island: Biscoe ×2, Dream ×2 (" Dream " trimmed); sex: MALE ×1, FEMALE ×2 (missing ignored).
    expect(spec.features).toEqual([
      { name: 'island', kind: 'categorical', categories: ['Biscoe', 'Dream'], mode: 'Biscoe' },
      { name: 'sex', kind: 'categorical', categories: ['FEMALE', 'MALE'], mode: 'FEMALE' },
    ]);
  });

  it('honours a forced categorical kind on numbers', () => {
    const spec = fitFeatureSpec(rows, { label: 'species', features: [{ name: 'bill', kind: 'categorical' }] });
    expect(spec.features[0]).toEqual({
      name: 'bill',
      kind: 'categorical',
      categories: ['39.1', '47.5', '50'],
      mode: '39.1',
    });
  });

  it('fits statistics on fitIndices only, but classes on every labelled row', () => {
    const spec = fitFeatureSpec(rows, { label: 'species', features: [{ name: 'bill' }, { name: 'island' }] }, {
      fitIndices: [0, 4],
    });
    expect(spec.label.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(spec.features[0]).toEqual({ name: 'bill', kind: 'numeric', mean: (39.1 + 50) / 2, std: (50 - 39.1) / 2 });
    expect(spec.features[1]).toMatchObject({ categories: ['Biscoe', 'Dream'] });
  });
});

describe('labelledRowIndices', () => {
  it('drops rows whose label is missing in any of the usual spellings', () => {
    expect(labelledRowIndices([{ y: 'a' }, { y: null }, { y: ' ' }, { y: 'NA' }, {}, { y: 0 }], 'y')).toEqual([0, 5]);
  });
});
