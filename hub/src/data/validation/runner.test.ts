import { describe, expect, it } from 'vitest';
import { isMissing, type RawRecord } from '@outpost/shared';
import { createSuiteRunner, parseSuite, type Expectation, type ExpectationResult, type SuiteRunnerOptions, type ValidationResult } from './index.ts';
import { penguinColumnNames, penguins } from '../../test-support/penguins.ts';
import { errorOf } from '../../test-support/errors.ts';

function run(expectations: Expectation[], rows: readonly RawRecord[], columns: readonly string[], options?: SuiteRunnerOptions): ValidationResult {
  const runner = createSuiteRunner({ name: 't', expectations }, columns, options);
  rows.forEach((r, i) => runner.add(r, i + 1));
  return runner.result();
}
const one = (e: Expectation, rows: readonly RawRecord[], columns: readonly string[], options?: SuiteRunnerOptions): ExpectationResult =>
  run([e], rows, columns, options).expectations[0]!;


// CSV-like rows: every value a string.
const COLUMNS = ['id', 'name', 'score', 'flag'];
const ROWS: RawRecord[] = [
  { id: '1', name: 'Ann', score: '10', flag: 'yes' },
  { id: '2', name: ' Bob ', score: '', flag: 'no' },
  { id: '2', name: 'NA', score: 'x', flag: 'yes' },
  { id: '4', name: 'Cy', score: '30', flag: 'maybe' },
  { id: '5', name: '', score: '50', flag: 'yes' },
];

// [expectation, the parts of its result that matter]
const CASES: [Expectation, Partial<ExpectationResult>][] = [
  [
    { type: 'not_null', column: 'name' },
    { success: false, unexpectedCount: 2, evaluatedCount: 5, samples: [{ row: 3, value: 'NA' }, { row: 5, value: '' }] },
  ],
  [{ type: 'not_null', column: 'id' }, { success: true, unexpectedCount: 0, evaluatedCount: 5, samples: [] }],
  [
    // missing row 2 is skipped; 'x' is present and not a number, so it fails
    { type: 'range', column: 'score', min: 0, max: 40 },
    { success: false, unexpectedCount: 2, evaluatedCount: 4, samples: [{ row: 3, value: 'x' }, { row: 5, value: '50' }] },
  ],
  [{ type: 'range', column: 'score', min: 100 }, { success: false, unexpectedCount: 4, evaluatedCount: 4 }],
  [{ type: 'range', column: 'id', max: 5 }, { success: true, unexpectedCount: 0, evaluatedCount: 5 }],
  [{ type: 'in_set', column: 'flag', values: ['yes', 'no'] }, { success: false, unexpectedCount: 1, evaluatedCount: 5, samples: [{ row: 4, value: 'maybe' }] }],
  [{ type: 'in_set', column: 'id', values: [1, 2, 4, 5] }, { success: true, evaluatedCount: 5 }],
  [{ type: 'regex', column: 'name', pattern: '^[A-Z][a-z]+$' }, { success: true, unexpectedCount: 0, evaluatedCount: 3 }], // ' Bob ' is trimmed
  [{ type: 'regex', column: 'name', pattern: 'n', flags: 'i' }, { success: false, unexpectedCount: 2, samples: [{ row: 2, value: ' Bob ' }, { row: 4, value: 'Cy' }] }],
  // unique: the repeat fails, not the first occurrence
  [{ type: 'unique', column: 'id' }, { success: false, unexpectedCount: 1, evaluatedCount: 5, samples: [{ row: 3, value: '2' }] }],
  [{ type: 'unique', column: 'name' }, { success: true, evaluatedCount: 3 }],
  [{ type: 'row_count', min: 6 }, { success: false, observed: 5, unexpectedCount: 0, evaluatedCount: 5, samples: [] }],
  [{ type: 'row_count', min: 1, max: 5 }, { success: true, observed: 5 }],
  // mean/std read the numeric values 10, 30, 50: mean 30, population std √(800/3)
  [{ type: 'mean', column: 'score', min: 25, max: 35 }, { success: true, observed: 30, evaluatedCount: 3, unexpectedCount: 0 }],
  [{ type: 'mean', column: 'score', max: 29.9 }, { success: false, observed: 30 }],
  [{ type: 'std', column: 'score', min: 16.32, max: 16.34 }, { success: true, evaluatedCount: 3 }],
  [{ type: 'std', column: 'score', max: 10 }, { success: false }],
  [
    // row 2: null or true → true; row 3: 'x' > 5 is null, flag is 'yes' → null → fails
    { type: 'row_predicate', expression: 'score > 5 or flag == "no"' },
    { success: false, unexpectedCount: 1, evaluatedCount: 5, samples: [{ row: 3, values: { score: 'x', flag: 'yes' } }], description: 'score > 5 or flag == "no"' },
  ],
  [{ type: 'row_predicate', expression: 'len(id) == 1', name: 'short ids' }, { success: true, description: 'short ids' }],
];

describe('createSuiteRunner: each expectation type', () => {
  it.each(CASES)('%j', (e, expected) => {
    expect(one(e, ROWS, COLUMNS)).toMatchObject({ type: e.type, index: 0, ...expected });
  });

  it('reports the column and the description, and succeeds only when every expectation does', () => {
    const r = run(
      [
        { type: 'not_null', column: 'id', description: 'ids are required' },
        { type: 'row_count', max: 4 },
      ],
      ROWS,
      COLUMNS,
    );
    expect(r).toMatchObject({ suite: 't', success: false, rowCount: 5 });
    expect(r.expectations[0]).toEqual({ index: 0, type: 'not_null', column: 'id', description: 'ids are required', success: true, unexpectedCount: 0, evaluatedCount: 5, samples: [] });
    expect(r.expectations[1]).toEqual({ index: 1, type: 'row_count', success: false, unexpectedCount: 0, evaluatedCount: 5, observed: 5, samples: [] });
  });

  it('keeps the first 20 failing rows in row order and counts them all', () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ v: i % 5 === 0 ? 'ok' : null }));
    const r = one({ type: 'not_null', column: 'v' }, rows, ['v']);
    expect(r.unexpectedCount).toBe(40);
    expect(r.samples.map((s) => s.row)).toEqual([2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 14, 15, 17, 18, 19, 20, 22, 23, 24, 25]);
    expect(one({ type: 'not_null', column: 'v' }, rows, ['v'], { sampleLimit: 2 }).samples).toEqual([{ row: 2, value: null }, { row: 3, value: null }]);
  });

  it('treats an absent cell as missing', () => {
    const rows = [{ a: 1 }, {}];
    expect(one({ type: 'not_null', column: 'a' }, rows, ['a'])).toMatchObject({ unexpectedCount: 1, samples: [{ row: 2, value: null }] });
    expect(one({ type: 'range', column: 'a', min: 0 }, rows, ['a'])).toMatchObject({ success: true, evaluatedCount: 1 });
    expect(one({ type: 'row_predicate', expression: 'a > 0' }, rows, ['a'])).toMatchObject({ unexpectedCount: 1, samples: [{ row: 2, values: { a: null } }] });
  });

  it('passes column checks vacuously on an all-missing column, but mean/std have nothing to observe', () => {
    const rows = [{ a: null }, { a: 'NA' }];
    expect(one({ type: 'range', column: 'a', min: 0 }, rows, ['a'])).toMatchObject({ success: true, evaluatedCount: 0 });
    expect(one({ type: 'mean', column: 'a', min: 0 }, rows, ['a'])).toMatchObject({ success: false, observed: null, evaluatedCount: 0 });
  });

  it('compares in_set values as text: typed JSON values and CSV strings alike', () => {
    const rows = [{ a: 1 }, { a: '2' }, { a: true }, { a: 1.5 }, { a: '1.50' }];
    expect(one({ type: 'in_set', column: 'a', values: [1, 2, true, 1.5] }, rows, ['a'])).toMatchObject({ unexpectedCount: 1, samples: [{ row: 5, value: '1.50' }] });
  });

  it('reports unique as unverifiable past its exact limit', () => {
    const opts = { uniqueExactLimit: 3 };
    const col = ['a'];
    const rows = (...vs: string[]) => vs.map((a) => ({ a }));
    // 'a' repeats within the kept values: a real failure, and the rest is unverifiable
    expect(one({ type: 'unique', column: 'a' }, rows('a', 'b', 'c', 'd', 'a'), col, opts)).toMatchObject({ success: false, unexpectedCount: 1, unverifiable: expect.stringMatching(/more than 3 distinct values/) });
    // 'd' was not kept, so its repeat goes unseen: not a success either
    expect(one({ type: 'unique', column: 'a' }, rows('a', 'b', 'c', 'd', 'd'), col, opts)).toMatchObject({ success: false, unexpectedCount: 0, unverifiable: expect.any(String) });
    expect(one({ type: 'unique', column: 'a' }, rows('a', 'b', 'c'), col, opts)).not.toHaveProperty('unverifiable');
  });

  it('can report before all rows are in, and again after', () => {
    const runner = createSuiteRunner({ name: 't', expectations: [{ type: 'row_count', min: 2 }] }, ['a']);
    runner.add({ a: 1 }, 1);
    expect(runner.result().success).toBe(false);
    runner.add({ a: 2 }, 2);
    expect(runner.result()).toMatchObject({ success: true, rowCount: 2 });
  });
});

describe('createSuiteRunner: a suite that cannot run', () => {
  it('names every unknown column and bad expression with its path', () => {
    const e = errorOf(() =>
      createSuiteRunner(
        {
          name: 't',
          expectations: [
            { type: 'not_null', column: 'id' },
            { type: 'range', column: 'nope', min: 0 },
            { type: 'row_count', min: 1 },
            { type: 'row_predicate', expression: 'bogus > 1' },
            { type: 'mean', column: 'Score', max: 1 },
          ],
        },
        COLUMNS,
      ),
    );
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toBe("expectations.1.column: unknown column 'nope'; known columns: id, name, score, flag");
    expect(e.issues?.map((i) => i.path)).toEqual(['expectations.1.column', 'expectations.3.expression', 'expectations.4.column']);
    expect(e.issues?.[1]?.message).toBe("unknown column 'bogus' at 0; known columns: id, name, score, flag");
  });

  it('refuses a malformed suite, each problem with its path', () => {
    const bad = {
      name: 't',
      expectations: [
        { type: 'range', column: 'score' },
        { type: 'regex', column: 'name', pattern: '(' },
        { type: 'regex', column: 'name', pattern: 'a', flags: 'g' },
        { type: 'row_predicate', expression: '(score > 1' },
        { type: 'mean', column: 'score', min: 2, max: 1 },
        { type: 'in_set', column: 'flag', values: [] },
        { type: 'median', column: 'score' },
      ],
    };
    const e = errorOf(() => createSuiteRunner(bad as never, COLUMNS));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toBe('invalid expectation suite: expectations.0.min: give min, max or both');
    expect(e.issues?.map((i) => i.path)).toEqual([
      'expectations.0.min',
      'expectations.1.pattern',
      'expectations.2.flags',
      'expectations.3.expression',
      'expectations.4.min',
      'expectations.5.values',
      'expectations.6.type',
    ]);
    expect(e.issues?.[1]?.message).toMatch(/Invalid regular expression/);
    expect(e.issues?.[3]?.message).toBe("expected ')' at 10");
    expect(() => parseSuite({ name: 't', expectations: [] })).toThrow(/expectations/);
  });
});

describe('createSuiteRunner on penguins', () => {
  const result = run(
    [
      { type: 'not_null', column: 'Sex' },
      { type: 'in_set', column: 'Sex', values: ['MALE', 'FEMALE'] },
      { type: 'mean', column: 'Body Mass (g)', min: 4000, max: 4400 },
      { type: 'range', column: 'Beak Length (mm)', min: 30, max: 60 },
      { type: 'row_count', min: 300, max: 400 },
      { type: 'unique', column: 'Species' },
      { type: 'row_predicate', expression: "Species != 'Gentoo' or `Flipper Length (mm)` > 200", name: 'Gentoo flippers' },
      { type: 'std', column: 'Body Mass (g)', min: 700, max: 900 },
    ],
    penguins,
    penguinColumnNames,
  );
  const [notNull, inSet, mean, range, rowCount, unique, predicate, std] = result.expectations;

  it('finds the 10 rows without a sex', () => {
    expect(penguins.filter((r) => isMissing(r.Sex)).length).toBe(10);
    expect(notNull).toMatchObject({ success: false, unexpectedCount: 10, evaluatedCount: 344 });
    expect(notNull!.samples.map((s) => s.row)).toEqual([4, 9, 10, 11, 12, 48, 247, 287, 325, 340]);
  });

  it("fails in_set on the one '.' row, skipping the missing ones", () => {
    expect(inSet).toMatchObject({ success: false, unexpectedCount: 1, evaluatedCount: 334, samples: [{ row: 337, value: '.' }] });
  });

  it('observes the mean body mass over the 342 weighed birds', () => {
    expect(mean).toMatchObject({ success: true, evaluatedCount: 342 });
    expect(mean!.observed).toBeCloseTo(4201.754, 3);
    expect(std).toMatchObject({ success: true, evaluatedCount: 342 });
    expect(std!.observed).toBeCloseTo(800.78, 1);
  });

  it('checks ranges, row count and uniqueness', () => {
    expect(range).toMatchObject({ success: true, evaluatedCount: 342 });
    expect(rowCount).toMatchObject({ success: true, observed: 344 });
    expect(unique).toMatchObject({ success: false, unexpectedCount: 341, evaluatedCount: 344 });
  });

  it('evaluates a predicate over backtick-quoted columns; the unmeasured Gentoo fails (null is not true)', () => {
    const gentooMissing = penguins.findIndex((r) => r.Species === 'Gentoo' && r['Flipper Length (mm)'] == null) + 1;
    expect(predicate).toMatchObject({
      success: false,
      unexpectedCount: 1,
      description: 'Gentoo flippers',
      samples: [{ row: gentooMissing, values: { Species: 'Gentoo', 'Flipper Length (mm)': null } }],
    });
    expect(result.success).toBe(false);
  });
});
