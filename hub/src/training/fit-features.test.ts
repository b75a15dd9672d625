import { describe, it, expect } from 'vitest';
import { applyGraphTransforms, graphTransformsOf } from '../packaging/graph-transforms.ts';
import { encodeRecord, inputWidth, type ErrorCode, type ErrorIssue, type RawRecord } from '@outpost/shared';
import { fitFeatureSpec, labelledRowIndices, quantileEdges, type FeatureOptions } from './fit-features.ts';
import type { FeatureChoice } from './types.ts';
import { errorOf } from '../test-support/errors.ts';
import { penguins } from '../test-support/penguins.ts';

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
    expect(spec.features[0]).toEqual({ name: 'mass', kind: 'numeric', mean: 3750, std: Math.sqrt(125000 / 3), inGraph: true });
  });

  it('uses std 1 for a constant column and treats booleans as numbers', () => {
    const data: RawRecord[] = [
      { y: 'a', c: 5, b: true },
      { y: 'b', c: 5, b: false },
      { y: 'b', c: '5', b: true },
    ];
    const [c, b] = fitFeatureSpec(data, { label: 'y' }).features;
    expect(c).toEqual({ name: 'c', kind: 'numeric', mean: 5, std: 1, inGraph: true });
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
    expect(spec.label).toEqual({ name: 'species', classes: ['Adelie', 'Chinstrap', 'Gentoo'] });
    expect(spec.features[0]).toEqual({ name: 'bill', kind: 'numeric', mean: (39.1 + 50) / 2, std: (50 - 39.1) / 2, inGraph: true });
    expect(spec.features[1]).toMatchObject({ categories: ['Biscoe', 'Dream'] });
  });
});

describe('labelledRowIndices', () => {
  it('drops rows whose label is missing in any of the usual spellings', () => {
    expect(labelledRowIndices([{ y: 'a' }, { y: null }, { y: ' ' }, { y: 'NA' }, {}, { y: 0 }], 'y')).toEqual([0, 5]);
  });
});

describe('fitFeatureSpec: transforms on penguins, fitted on the training rows only', () => {
  const mass = 'Body Mass (g)';
  const beak = 'Beak Length (mm)';
  // Training rows: every penguin not from Torgersen (so its island and its extremes are unseen).
  const train = penguins.flatMap((r, i) => (r.Island !== 'Torgersen' ? [i] : []));
  const trainValues = (column: string) =>
    train.map((i) => penguins[i]![column]).filter((v): v is number => typeof v === 'number');
  const fit = (features: FeatureOptions[]) => fitFeatureSpec(penguins, { label: 'Species', features }, { fitIndices: train });
  const meanOf = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

  it('minmax: min and max of the training values, not of every row', () => {
    // Hold the penguin with the shortest beak out of training: it is then below min and clips to 0.
    const beaks = penguins.map((r) => (typeof r[beak] === 'number' ? (r[beak] as number) : Infinity));
    const shortest = beaks.indexOf(Math.min(...beaks));
    const fitIndices = penguins.map((_, i) => i).filter((i) => i !== shortest);
    const spec = fitFeatureSpec(penguins, { label: 'Species', features: [{ name: beak, transform: 'minmax' }] }, { fitIndices });
    const xs = fitIndices.map((i) => beaks[i]!).filter(Number.isFinite);
    expect(spec.features[0]).toMatchObject({ kind: 'numeric', transform: 'minmax', min: Math.min(...xs), max: Math.max(...xs) });
    expect(Math.min(...xs)).toBeGreaterThan(beaks[shortest]!);
    // The device sends the raw beak; the model's graph scales and clips it to 0.
    const raw = encodeRecord(spec, penguins[shortest]!);
    expect([...raw]).toEqual([Math.fround(beaks[shortest]!)]);
    expect([...applyGraphTransforms(graphTransformsOf(spec)!, raw)]).toEqual([0]);
  });

  it('log: mean and std of log1p of the training values; impute median records the raw median', () => {
    const [f] = fit([{ name: mass, transform: 'log', impute: 'median' }]).features;
    const logged = trainValues(mass).map(Math.log1p);
    const mean = meanOf(logged);
    const std = Math.sqrt(meanOf(logged.map((x) => (x - mean) ** 2)));
    const sorted = trainValues(mass).sort((a, b) => a - b);
    const median = sorted.length % 2 ? sorted[sorted.length >> 1]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
    expect(f).toEqual({ name: mass, kind: 'numeric', transform: 'log', mean, std, fill: median, inGraph: true });
  });

  it('bucketize: training quantile edges, one column per bucket', () => {
    const spec = fit([{ name: mass, transform: 'bucketize', buckets: 5 }]);
    const [f] = spec.features;
    expect(f).toMatchObject({ edges: quantileEdges(trainValues(mass), 5) });
    expect(inputWidth(spec)).toBe(5);
  });

  it('an impute constant is recorded as the fill; the default records none', () => {
    expect(fit([{ name: mass, impute: 3000 }]).features[0]).toMatchObject({ fill: 3000 });
    expect(fit([{ name: mass }]).features[0]).not.toHaveProperty('fill');
  });

  it("categorical 'bucket': categories from training; the held-out island encodes as unknown", () => {
    const spec = fit([{ name: 'Island', unknown: 'bucket' }]);
    expect(spec.features[0]).toEqual({ name: 'Island', kind: 'categorical', categories: ['Biscoe', 'Dream'], mode: 'Biscoe', unknown: 'bucket' });
    expect([...encodeRecord(spec, { Island: 'Torgersen' })]).toEqual([0, 0, 1]);
  });

  it('ordinal: a user order, the fill the training median; a fitted order sorts numbers numerically', () => {
    const [f] = fit([{ name: 'Island', order: ['Torgersen', 'Dream', 'Biscoe'] }]).features;
    // Training: Biscoe 168, Dream 124 → the median penguin (ordered Dream…Biscoe) is from Biscoe.
    expect(f).toEqual({ name: 'Island', kind: 'ordinal', order: ['Torgersen', 'Dream', 'Biscoe'], fill: 'Biscoe' });
    const rows: RawRecord[] = [{ y: 'a', n: 10 }, { y: 'b', n: 9 }, { y: 'a', n: 100 }, { y: 'b', n: 9 }];
    expect(fitFeatureSpec(rows, { label: 'y', features: [{ name: 'n', kind: 'ordinal' }] }).features[0]).toEqual({
      name: 'n',
      kind: 'ordinal',
      order: ['9', '10', '100'],
      fill: '9',
    });
  });

  it('hashed: buckets, the recorded seed, and words only for text', () => {
    const [island] = fit([{ name: 'Island', kind: 'hashed', buckets: 8 }]).features;
    expect(island).toEqual({ name: 'Island', kind: 'hashed', buckets: 8, seed: 0, tokens: 'value' });
    const rows: RawRecord[] = [{ y: 'a', t: 'big red fox' }, { y: 'b', t: 'dog' }];
    expect(fitFeatureSpec(rows, { label: 'y', features: [{ name: 't', kind: 'hashed' }] }).features[0]).toMatchObject({ buckets: 32, tokens: 'words' });
  });

  it('bucketize with fewer distinct values than buckets makes fewer buckets', () => {
    const rows: RawRecord[] = [1, 1, 2, 2, 3, 3].map((x, i) => ({ y: i % 2 ? 'a' : 'b', x }));
    const spec = fitFeatureSpec(rows, { label: 'y', features: [{ name: 'x', transform: 'bucketize' }] });
    expect(spec.features[0]).toMatchObject({ edges: [2, 3] });
    expect(inputWidth(spec)).toBe(3);
    expect(quantileEdges([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4)).toEqual([3, 6, 8]);
    expect(quantileEdges([5, 5, 5], 10)).toEqual([]);
  });

  it('log on a column with negative values is allowed: they count as 0', () => {
    const rows: RawRecord[] = [{ y: 'a', x: -3 }, { y: 'b', x: Math.E - 1 }];
    expect(fitFeatureSpec(rows, { label: 'y', features: [{ name: 'x', transform: 'log' }] }).features[0]).toMatchObject({ mean: 0.5, std: 0.5 });
  });
});

describe('fitFeatureSpec: bad options name features.N.<field>', () => {
  const data: RawRecord[] = [
    { y: 'a', x: 1, c: 'p', t: 'one two' },
    { y: 'b', x: 2, c: 'q', t: 'three' },
  ];
  it.each<[string, FeatureOptions, string, string]>([
    ['an unknown transform', { name: 'x', transform: 'sqrt' as never }, 'transform', 'unknown transform "sqrt"; expected one of standardize, minmax, log, bucketize'],
    ['a transform on a categorical', { name: 'c', kind: 'categorical', transform: 'log' }, 'transform', 'applies to numeric features only, not categorical'],
    ['a bad impute', { name: 'x', impute: 'mode' as never }, 'impute', 'expected "mean", "median" or a finite number, got "mode"'],
    ['too few buckets', { name: 'x', transform: 'bucketize', buckets: 1 }, 'buckets', 'expected a whole number from 2 to 1024, got 1'],
    ['buckets without bucketize', { name: 'x', buckets: 4 }, 'buckets', 'applies to bucketize and hashed features only'],
    ['unknown on a numeric', { name: 'x', kind: 'numeric', unknown: 'bucket' }, 'unknown', 'applies to categorical features only, not numeric'],
    ['a bad unknown', { name: 'c', unknown: 'drop' as never }, 'unknown', 'expected "mode" or "bucket", got "drop"'],
    ['an order that misses a training value', { name: 'c', order: ['p'] }, 'order', 'does not list "q", seen in training'],
    ['an order listing a value twice', { name: 'c', order: ['p', 'q', 'p'] }, 'order', 'lists "p" twice'],
    ['an unknown kind', { name: 'x', kind: 'embedding' as never }, 'kind', 'unknown kind "embedding"; expected one of numeric, categorical, ordinal, hashed'],
  ])('%s', (_, feature, field, message) => {
    const e = errorOf(() => fitFeatureSpec(data, { label: 'y', features: [{ name: 't' }, feature] }));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.issues).toEqual([{ path: `features.1.${field}`, column: feature.name, message }]);
  });
});
