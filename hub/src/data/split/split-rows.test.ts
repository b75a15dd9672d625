import { OutpostError, type RawRecord } from '@outpost/shared';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { penguinColumnNames, penguins } from '../../test-support/penguins.ts';
import { SPLIT_PARTS, SplitSpecSchema, splitRows, type SplitResult, type SplitSpec } from './index.ts';

const spec = (input: Partial<SplitSpec> & Pick<SplitSpec, 'method'>): SplitSpec => SplitSpecSchema.parse(input);
const split = (s: SplitSpec, rows: readonly RawRecord[] = penguins, columns = penguinColumnNames, options = {}) =>
  splitRows(rows, columns, s, options);

/** Every result, whatever the method: consistent views of one assignment. */
function expectWellFormed(result: SplitResult, n: number): void {
  expect(result.assignment).toHaveLength(n);
  expect(result.sizes.train + result.sizes.validation + result.sizes.test).toBe(n);
  for (const part of SPLIT_PARTS) {
    expect(result.parts[part]).toHaveLength(result.sizes[part]);
    expect(result.parts[part]).toEqual([...result.parts[part]].sort((a, b) => a - b));
    for (const i of result.parts[part]) expect(result.assignment[i]).toBe(part);
  }
  expect(result.hash).toMatch(/^[0-9a-f]{64}$/);
}

describe('splitRows on penguins', () => {
  it('has the data it expects', () => {
    expect(penguins).toHaveLength(344);
  });

  it('random: sizes by largest remainder', async () => {
    const result = await split(spec({ method: 'random' }));
    expectWellFormed(result, 344);
    expect(result.sizes).toEqual({ train: 241, validation: 52, test: 51 });
    expect(result.balance).toBeUndefined();
  });

  it('stratified: class proportions within ±1 row per class per part', async () => {
    const s = spec({ method: 'stratified', column: 'Species' });
    const result = await split(s);
    expectWellFormed(result, 344);
    const classSizes = { Adelie: 152, Gentoo: 124, Chinstrap: 68 };
    expect(result.balance?.column).toBe('Species');
    for (const part of SPLIT_PARTS) {
      for (const [species, size] of Object.entries(classSizes)) {
        const count = result.balance!.counts[part][species]!;
        expect(Math.abs(count - size * s.fractions[part])).toBeLessThan(1);
        expect(count).toBe(result.parts[part].filter((i) => penguins[i]!.Species === species).length);
      }
    }
    // Tied remainders (0.15 / 0.15) alternate between validation and test, so totals stay balanced.
    expect(Math.abs(result.sizes.validation - result.sizes.test)).toBeLessThanOrEqual(1);
  });

  it('stratified: missing values are a class of their own', async () => {
    const result = await split(spec({ method: 'stratified', column: 'Sex' }));
    const missing = SPLIT_PARTS.map((p) => result.balance!.counts[p]['(missing)']!);
    expect(missing.reduce((a, b) => a + b)).toBe(10);
    expect(missing).toEqual([7, 2, 1]);
  });

  it('stratified: a class too small to reach every part is fine', async () => {
    const rows = [...penguins, { ...penguins[0]!, Species: 'Emperor' }];
    const result = await split(spec({ method: 'stratified', column: 'Species' }), rows);
    expectWellFormed(result, 345);
    expect(result.balance!.counts.train.Emperor).toBe(1);
    expect(result.balance!.counts.validation.Emperor).toBe(0);
    expect(result.balance!.counts.test.Emperor).toBe(0);
  });

  it('group by Island: no island in two parts, every part gets one, largest island to train', async () => {
    const result = await split(spec({ method: 'group', column: 'Island' }), penguins, penguinColumnNames, {
      balanceColumn: 'Island',
    });
    expectWellFormed(result, 344);
    for (const island of ['Biscoe', 'Dream', 'Torgersen']) {
      const holding = SPLIT_PARTS.filter((p) => result.balance!.counts[p][island]! > 0);
      expect(holding).toHaveLength(1);
    }
    expect(result.sizes).toEqual({ train: 168, validation: 124, test: 52 });
  });

  it('group by a many-valued column: sizes near the fractions, no leakage', async () => {
    const rows = penguins.map((r, i) => ({ ...r, Nest: `n${(i * 7) % 60}` }));
    const result = await split(spec({ method: 'group', column: 'Nest' }), rows, [...penguinColumnNames, 'Nest']);
    expectWellFormed(result, 344);
    const nests = (part: 'train' | 'validation' | 'test') => new Set(result.parts[part].map((i) => rows[i]!.Nest));
    expect([...nests('train')].filter((n) => nests('validation').has(n) || nests('test').has(n))).toEqual([]);
    expect([...nests('validation')].filter((n) => nests('test').has(n))).toEqual([]);
    // Nests hold 5 or 6 rows: each part ends within a couple of nests of 241 / 52 / 51.
    expect(Math.abs(result.sizes.train - 241)).toBeLessThanOrEqual(12);
    expect(Math.abs(result.sizes.validation - 52)).toBeLessThanOrEqual(12);
    expect(Math.abs(result.sizes.test - 51)).toBeLessThanOrEqual(12);
  });

  it('balanceColumn reports any column', async () => {
    const result = await split(spec({ method: 'random' }), penguins, penguinColumnNames, { balanceColumn: 'Species' });
    const totals = Object.keys(result.balance!.counts.train).map((c) =>
      SPLIT_PARTS.reduce((sum, p) => sum + result.balance!.counts[p][c]!, 0),
    );
    expect(totals.sort((a, b) => a - b)).toEqual([68, 124, 152]);
  });

  // A generated time column: a seeded permutation, so rows are not already in time order.
  const times = penguins.map((_, i) => (i * 97) % 344);
  const day = (k: number) => new Date(Date.UTC(2020, 0, 1) + k * 86_400_000).toISOString().slice(0, 10);
  it.each([
    { kind: 'numeric', value: (k: number) => k, key: (v: unknown) => v as number },
    { kind: 'numeric strings', value: (k: number) => String(k), key: (v: unknown) => Number(v) },
    { kind: 'ISO dates', value: day, key: (v: unknown) => Date.parse(v as string) },
    { kind: 'ISO dates with ties', value: (k: number) => day(Math.floor(k / 10)), key: (v: unknown) => Date.parse(v as string) },
  ])('time ($kind): every train time ≤ every validation time ≤ every test time', async ({ value, key }) => {
    const rows = penguins.map((r, i) => ({ ...r, when: value(times[i]!) }));
    const result = await split(spec({ method: 'time', column: 'when' }), rows, [...penguinColumnNames, 'when']);
    expectWellFormed(result, 344);
    expect(result.sizes).toEqual({ train: 241, validation: 52, test: 51 });
    const range = (part: 'train' | 'validation' | 'test') => result.parts[part].map((i) => key(rows[i]!.when));
    expect(Math.max(...range('train'))).toBeLessThanOrEqual(Math.min(...range('validation')));
    expect(Math.max(...range('validation'))).toBeLessThanOrEqual(Math.min(...range('test')));
  });

  it('time: equal times keep row order across a boundary', async () => {
    const rows = [{ t: 1 }, { t: 0 }, { t: 1 }, { t: 1 }];
    const result = await split(spec({ method: 'time', column: 't', fractions: { train: 0.5, validation: 0.25, test: 0.25 } }), rows, ['t']);
    expect(result.assignment).toEqual(['train', 'train', 'validation', 'test']);
  });
});

describe('determinism', () => {
  // Body mass ties across species and has missing values: fill those in to get a usable time column.
  // Nest: a generated group id with 60 groups, so the seed has room to matter (Island has only 3).
  const timed = penguins.map((r, i) => ({ ...r, 'Body Mass (g)': r['Body Mass (g)'] ?? 4000 + i, Nest: `n${(i * 7) % 60}` }));
  const splitTimed = (s: SplitSpec) => splitRows(timed, [...penguinColumnNames, 'Nest'], s);
  const methods: SplitSpec[] = [
    spec({ method: 'random' }),
    spec({ method: 'stratified', column: 'Species' }),
    spec({ method: 'group', column: 'Nest' }),
    spec({ method: 'time', column: 'Body Mass (g)' }),
  ];

  it.each(methods)('$method: same rows + spec → same assignment and hash', async (s) => {
    const [a, b] = await Promise.all([splitTimed(s), splitTimed(s)]);
    expect(b.assignment).toEqual(a.assignment);
    expect(b.hash).toBe(a.hash);
  });

  it.each(methods.slice(0, 3))('$method: another seed → another assignment and hash', async (s) => {
    const a = await splitTimed(s);
    for (const seed of [0, 1, 2, 43]) {
      const other = await splitTimed({ ...s, seed });
      expect(other.assignment).not.toEqual(a.assignment);
      expect(other.hash).not.toBe(a.hash);
    }
  });

  it('group with no more groups than parts: the seed has no effect', async () => {
    const island = spec({ method: 'group', column: 'Island' });
    expect((await splitTimed({ ...island, seed: 1 })).hash).toBe((await splitTimed(island)).hash);
  });

  it('time ignores the seed', async () => {
    const s = methods[3]!;
    expect((await splitTimed({ ...s, seed: 7 })).hash).toBe((await splitTimed(s)).hash);
  });

  it('hashes the assignment as one letter per row', async () => {
    const rows = [{ t: 2 }, { t: 1 }, { t: 3 }];
    const result = await split(spec({ method: 'time', column: 't', fractions: { train: 0.34, validation: 0.33, test: 0.33 } }), rows, ['t']);
    expect(result.assignment).toEqual(['validation', 'train', 'test']);
    expect(result.hash).toBe(createHash('sha256').update('vts').digest('hex'));
  });
});

describe('errors', () => {
  async function failure(promise: Promise<unknown>): Promise<OutpostError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OutpostError);
    return error as OutpostError;
  }

  it.each([
    { name: 'stratified without column', s: { method: 'stratified' }, path: 'column' },
    { name: 'time without column', s: { method: 'time' }, path: 'column' },
    { name: 'group without column', s: { method: 'group' }, path: 'column' },
    { name: 'unknown column', s: { method: 'group', column: 'island' }, path: 'column', says: 'known columns: Species, Island' },
    {
      name: 'fractions not summing to 1',
      s: { method: 'random', fractions: { train: 0.7, validation: 0.2, test: 0.2 } },
      path: 'fractions',
    },
    { name: 'train fraction 0', s: { method: 'random', fractions: { train: 0, validation: 0.5, test: 0.5 } }, path: 'fractions.train' },
    { name: 'negative fraction', s: { method: 'random', fractions: { train: 1.1, validation: -0.1, test: 0 } }, path: 'fractions.train' },
    { name: 'non-integer seed', s: { method: 'random', fractions: { train: 1, validation: 0, test: 0 }, seed: 1.5 }, path: 'seed' },
    { name: 'unknown method', s: { method: 'kfold', fractions: { train: 1, validation: 0, test: 0 }, seed: 1 }, path: 'method' },
  ])('$name → VALIDATION_FAILED at $path', async ({ s, path, says }) => {
    const e = await failure(split(s as SplitSpec));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.issues?.map((i) => i.path)).toContain(path);
    if (says) expect(e.message).toContain(says);
  });

  it('fewer rows than non-zero parts → VALIDATION_FAILED at fractions', async () => {
    const e = await failure(split(spec({ method: 'random' }), penguins.slice(0, 2)));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.issues).toEqual([expect.objectContaining({ path: 'fractions' })]);
    // Two parts need only two rows.
    const ok = await split(spec({ method: 'random', fractions: { train: 0.9, validation: 0.1, test: 0 } }), penguins.slice(0, 2));
    expect(ok.sizes).toEqual({ train: 1, validation: 1, test: 0 });
  });

  it('no rows → VALIDATION_FAILED at fractions', async () => {
    const e = await failure(split(spec({ method: 'random' }), []));
    expect(e.issues?.[0]?.path).toBe('fractions');
  });

  it('unknown balanceColumn → VALIDATION_FAILED at balanceColumn', async () => {
    const e = await failure(split(spec({ method: 'random' }), penguins, penguinColumnNames, { balanceColumn: 'Beak' }));
    expect(e.issues?.[0]?.path).toBe('balanceColumn');
  });

  it('time on a non-time column → INVALID_DATASET naming the row and value', async () => {
    const e = await failure(split(spec({ method: 'time', column: 'Species' })));
    expect(e.code).toBe('INVALID_DATASET');
    expect(e.issues).toEqual([expect.objectContaining({ row: 0, column: 'Species' })]);
    expect(e.message).toContain('"Adelie"');
  });

  it('time with a missing value → INVALID_DATASET at its row', async () => {
    const firstMissing = penguins.findIndex((r) => r['Body Mass (g)'] === null);
    const e = await failure(split(spec({ method: 'time', column: 'Body Mass (g)' })));
    expect(e.code).toBe('INVALID_DATASET');
    expect(e.issues?.[0]?.row).toBe(firstMissing);
  });
});
