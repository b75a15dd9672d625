import { describe, expect, it } from 'vitest';
import type { RawRecord } from '@outpost/shared';
import { applyRecipe, canonicalJson, parseRecipe, recipeHash, type RecipeInput } from './index.ts';
import { errorOf } from './test-support.ts';

const COLUMNS = ['id', 'name', 'score', 'group'];
const ROWS: RawRecord[] = [
  { id: 1, name: ' Ann ', score: '10', group: 'a' },
  { id: 2, name: 'bob', score: '', group: 'a' },
  { id: 3, name: 'CY', score: 'NA', group: 'b' },
  { id: 4, name: 'bob', score: '40', group: 'b' },
  { id: 5, name: 'dee', score: '1000', group: 'b' },
];

const RECIPE: RecipeInput = {
  name: 'tidy',
  steps: [
    { op: 'trim' },
    { op: 'normalize_categories', column: 'name', case: 'title' },
    { op: 'coerce', column: 'score', to: 'number' },
    { op: 'impute', column: 'score', strategy: 'median', by: 'group' },
    { op: 'clip', column: 'score', method: 'quantile', lower: 0, upper: 0.75 },
    { op: 'dedupe', columns: ['name'], keep: 'last' },
    { op: 'drop_columns', columns: ['group'] },
  ],
};

describe('applyRecipe', () => {
  it('runs the steps in order and reports each', () => {
    const r = applyRecipe(RECIPE, ROWS, COLUMNS);
    expect(r.columns).toEqual(['id', 'name', 'score']);
    expect(r.rows).toEqual([
      { id: 1, name: 'Ann', score: 10 },
      { id: 3, name: 'Cy', score: 520 },
      { id: 4, name: 'Bob', score: 40 },
      { id: 5, name: 'Dee', score: 520 },
    ]);
    expect(r.report).toEqual([
      { index: 0, op: 'trim', affected: 1 },
      { index: 1, op: 'normalize_categories', column: 'name', affected: 4 },
      { index: 2, op: 'coerce', column: 'score', affected: 5 },
      // a: median(10) = 10; b: median(40, 1000) = 520; global median(10, 40, 1000) = 40.
      { index: 3, op: 'impute', column: 'score', affected: 2, fitted: { median: 40, groups: 2, 'median[a]': 10, 'median[b]': 520 } },
      // 10, 10, 520, 40, 1000: ⌈0.75·5⌉ = 4th smallest = 520. Only 1000 is above.
      { index: 4, op: 'clip', column: 'score', affected: 1, fitted: { lower: 10, upper: 520 } },
      { index: 5, op: 'dedupe', affected: 1 },
      { index: 6, op: 'drop_columns', affected: 1 },
    ]);
  });

  it('does not change the input rows; output rows are new plain objects in column order', () => {
    const before = structuredClone(ROWS);
    const frozen = ROWS.map((r) => Object.freeze({ ...r }));
    const r = applyRecipe(RECIPE, frozen, COLUMNS);
    expect(ROWS).toEqual(before);
    expect(frozen).toEqual(before);
    for (const row of r.rows) {
      expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
      expect(Object.keys(row)).toEqual(r.columns);
    }
  });

  it('reads only the given columns, absent cells as null', () => {
    const r = applyRecipe({ name: 'r', steps: [{ op: 'trim' }] }, [{ b: ' 1', a: 2, extra: 'x' }, { a: 3 }], ['a', 'b']);
    expect(JSON.stringify(r.rows)).toBe('[{"a":2,"b":"1"},{"a":3,"b":null}]');
  });

  it('treats a column named __proto__ as data', () => {
    const rows = JSON.parse('[{"__proto__": " x ", "constructor": null}]') as RawRecord[];
    const r = applyRecipe({ name: 'r', steps: [{ op: 'trim' }, { op: 'impute', column: 'constructor', strategy: 'constant', value: 'c' }] }, rows, ['__proto__', 'constructor']);
    expect(Object.hasOwn(r.rows[0]!, '__proto__')).toBe(true);
    expect(JSON.stringify(r.rows)).toBe('[{"__proto__":"x","constructor":"c"}]');
  });

  it('is deterministic: the same rows and recipe give byte-identical JSON, whatever the key order of the rows', () => {
    const once = JSON.stringify(applyRecipe(RECIPE, ROWS, COLUMNS));
    const reordered = ROWS.map((r) => Object.fromEntries(Object.entries(r).reverse()));
    expect(JSON.stringify(applyRecipe(RECIPE, ROWS, COLUMNS))).toBe(once);
    expect(JSON.stringify(applyRecipe(RECIPE, reordered, COLUMNS))).toBe(once);
  });
});

describe('validation up front', () => {
  // [steps, issue paths]; columns are COLUMNS.
  const CASES: [unknown[], string[]][] = [
    [[{ op: 'coerce', column: 'nope', to: 'number' }], ['steps.0.column']],
    [[{ op: 'trim', columns: ['id', 'nope'] }], ['steps.0.columns.1']],
    [[{ op: 'impute', column: 'score', strategy: 'mean', by: 'nope' }], ['steps.0.by']],
    [[{ op: 'dedupe', columns: ['nope'] }], ['steps.0.columns.0']],
    // A step after drop_columns cannot name the dropped column.
    [[{ op: 'drop_columns', columns: ['score'] }, { op: 'clip', column: 'score', method: 'iqr' }], ['steps.1.column']],
    [[{ op: 'drop_columns', columns: ['score'] }, { op: 'drop_rows', where: 'score > 1' }], ['steps.1.where']],
    [[{ op: 'drop_rows', where: 'score >' }], ['steps.0.where']],
    // Every problem is listed.
    [[{ op: 'trim', columns: ['x'] }, { op: 'normalize_categories', column: 'y' }], ['steps.0.columns.0', 'steps.1.column']],
    // Schema problems.
    [[{ op: 'explode', column: 'id' }], ['steps.0.op']],
    [[{ op: 'coerce', column: 'id', to: 'date' }], ['steps.0.to']],
    [[], ['steps']],
  ];

  it.each(CASES)('%j → %j', (steps, paths) => {
    const e = errorOf(() => applyRecipe({ name: 'r', steps } as RecipeInput, ROWS, COLUMNS));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.issues?.map((i) => i.path)).toEqual(paths);
  });

  it('an unknown column message lists the columns known at that step', () => {
    const e = errorOf(() => applyRecipe({ name: 'r', steps: [{ op: 'drop_columns', columns: ['group'] }, { op: 'trim', columns: ['group'] }] }, ROWS, COLUMNS));
    expect(e.message).toBe("steps.1.columns.0: unknown column 'group' at step 1 (trim); known columns: id, name, score");
  });

  it('checks before any work: a bad later step wins over a failing earlier one', () => {
    const steps: RecipeInput['steps'] = [{ op: 'coerce', column: 'name', to: 'number' }, { op: 'clip', column: 'nope', method: 'iqr' }];
    expect(errorOf(() => applyRecipe({ name: 'r', steps }, ROWS, COLUMNS)).code).toBe('VALIDATION_FAILED');
    expect(errorOf(() => applyRecipe({ name: 'r', steps: steps.slice(0, 1) }, ROWS, COLUMNS)).code).toBe('INVALID_DATASET');
  });

  it('rejects repeated input columns', () => {
    expect(errorOf(() => applyRecipe({ name: 'r', steps: [{ op: 'trim' }] }, ROWS, ['id', 'id'])).issues?.map((i) => i.path)).toEqual(['columns']);
  });
});

describe('recipeHash', () => {
  it('is stable, fills defaults, ignores key order', async () => {
    const h = await recipeHash(RECIPE);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(await recipeHash(RECIPE)).toBe(h);
    // Keys reversed at every level.
    const reversed = JSON.parse(canonicalJson(RECIPE), (_, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v)) as RecipeInput;
    expect(Object.keys(reversed)).toEqual(['steps', 'name']);
    expect(await recipeHash(reversed)).toBe(h);
    // Defaults written out hash alike.
    const explicit = { ...RECIPE, steps: RECIPE.steps.map((s) => (s.op === 'coerce' ? { ...s, onError: 'fail' as const } : s)) };
    expect(await recipeHash(explicit)).toBe(h);
  });

  it('changes with any parameter and with step order', async () => {
    const h = await recipeHash(RECIPE);
    expect(await recipeHash({ ...RECIPE, name: 'other' })).not.toBe(h);
    expect(await recipeHash({ ...RECIPE, steps: [...RECIPE.steps].reverse() })).not.toBe(h);
    expect(await recipeHash({ ...RECIPE, steps: RECIPE.steps.map((s) => (s.op === 'clip' ? { ...s, upper: 0.8 } : s)) })).not.toBe(h);
  });

  it('hashes the canonical JSON of the parsed recipe', async () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }], u: undefined })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
    // Pinned (checked with `printf '%s' '<canonical JSON>' | sha256sum`): a change here means stored
    // recipe hashes no longer match.
    const recipe: RecipeInput = { name: 'r', steps: [{ op: 'trim' }, { op: 'clip', column: 'x', method: 'iqr' }] };
    expect(canonicalJson(parseRecipe(recipe))).toBe('{"name":"r","steps":[{"op":"trim"},{"column":"x","k":1.5,"lower":0.01,"method":"iqr","op":"clip","upper":0.99}]}');
    expect(await recipeHash(recipe)).toBe('9ea9d1803fc2b8623af2acf3d8db36cdef4709150aee5081644502a6c5f1a26c');
  });

  it('rejects an invalid recipe', async () => {
    await expect(recipeHash({ name: '', steps: [{ op: 'trim' }] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
