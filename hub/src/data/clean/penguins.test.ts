import { describe, expect, it } from 'vitest';
import { isMissing, nearestRank, type RawRecord } from '@outpost/shared';
import { penguinColumnNames, penguins } from '../../test-support/penguins.ts';
import { applyRecipe, recipeHash, type RecipeInput } from './index.ts';

const NUMERIC = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'];
const MASS = 'Body Mass (g)';

/**
 * The penguins' Sex has null (10 rows) and '.' (1 row). '.' is mapped to '' — missing by `isMissing`,
 * so `Sex is null` sees it — and those rows are dropped.
 */
const RECIPE: RecipeInput = {
  name: 'penguins: tidy',
  steps: [
    { op: 'trim' },
    { op: 'normalize_categories', column: 'Sex', case: 'upper', map: { '.': '' } },
    ...NUMERIC.map((column) => ({ op: 'impute' as const, column, strategy: 'mean' as const, by: 'Species' })),
    { op: 'drop_rows', where: 'Sex is null' },
    { op: 'clip', column: MASS, method: 'iqr' },
  ],
};

/** Mean of a column's present values over some rows, computed here, not by the module. */
function meanOf(rows: readonly RawRecord[], column: string): number {
  const values = rows.map((r) => r[column]).filter((v): v is number => typeof v === 'number');
  return values.reduce((a, b) => a + b, 0) / values.length;
}

describe('a realistic recipe on penguins', () => {
  const result = applyRecipe(RECIPE, penguins, penguinColumnNames);

  it('keeps the rows with a sex, with no missing numeric cell left', () => {
    const expected = penguins.filter((r) => !isMissing(r.Sex) && r.Sex !== '.');
    expect(penguins).toHaveLength(344);
    expect(expected).toHaveLength(333);
    expect(result.rows).toHaveLength(expected.length);
    expect(result.columns).toEqual(penguinColumnNames);
    for (const row of result.rows) {
      for (const c of NUMERIC) expect(typeof row[c]).toBe('number');
      expect(['MALE', 'FEMALE']).toContain(row.Sex);
    }
  });

  it('reports what each step did and fitted', () => {
    const [trim, sex, beak, , , mass, drop, clip] = result.report;
    expect(trim).toEqual({ index: 0, op: 'trim', affected: 0 });
    expect(sex).toEqual({ index: 1, op: 'normalize_categories', column: 'Sex', affected: 1 });
    // Two rows lack every measurement: one Adelie, one Gentoo.
    for (const [i, c] of NUMERIC.entries()) {
      const step = result.report[2 + i]!;
      expect(step.affected).toBe(2);
      expect(step.fitted).toMatchObject({ mean: meanOf(penguins, c), groups: 3 });
      for (const species of ['Adelie', 'Chinstrap', 'Gentoo']) {
        expect(step.fitted![`mean[${species}]`]).toBeCloseTo(meanOf(penguins.filter((r) => r.Species === species), c), 12);
      }
    }
    expect(beak!.column).toBe('Beak Length (mm)');
    expect(mass!.column).toBe(MASS);
    expect(drop).toEqual({ index: 6, op: 'drop_rows', affected: 11 });

    // IQR bounds on the 333 kept rows' masses, none imputed (the imputed rows had no sex).
    const masses = penguins
      .filter((r) => !isMissing(r.Sex) && r.Sex !== '.')
      .map((r) => r[MASS] as number)
      .sort((a, b) => a - b);
    const q1 = masses[nearestRank(0.25, masses.length) - 1]!;
    const q3 = masses[nearestRank(0.75, masses.length) - 1]!;
    const lower = q1 - 1.5 * (q3 - q1);
    const upper = q3 + 1.5 * (q3 - q1);
    expect(clip).toEqual({ index: 7, op: 'clip', column: MASS, affected: masses.filter((m) => m < lower || m > upper).length, fitted: { q1, q3, lower, upper } });
    for (const row of result.rows) {
      expect(row[MASS]).toBeGreaterThanOrEqual(lower);
      expect(row[MASS]).toBeLessThanOrEqual(upper);
    }
  });

  it('imputes a missing measurement with its species mean', () => {
    // Before dropping: the same recipe without drop_rows keeps the Adelie row with no measurements.
    const kept = applyRecipe({ ...RECIPE, steps: RECIPE.steps.slice(0, 6) }, penguins, penguinColumnNames);
    const i = penguins.findIndex((r) => r.Species === 'Adelie' && isMissing(r[MASS]));
    expect(kept.rows[i]![MASS]).toBe(meanOf(penguins.filter((r) => r.Species === 'Adelie'), MASS));
  });

  it('replays identically', async () => {
    expect(JSON.stringify(applyRecipe(RECIPE, penguins, penguinColumnNames))).toBe(JSON.stringify(result));
    expect(await recipeHash(RECIPE)).toBe(await recipeHash(structuredClone(RECIPE)));
  });
});
