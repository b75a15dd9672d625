/** Helpers shared by this folder's tests. */
import type { RawRecord } from '@outpost/shared';
import { applyRecipe, type CleanResult, type RecipeInput } from './index.ts';

export { errorOf } from '../../test-support/errors.ts';

type StepInput = RecipeInput['steps'][number];

/** Apply a one-step recipe; the rows' keys are the columns unless given. */
export function applyOne(step: StepInput, rows: readonly RawRecord[], columns: readonly string[] = Object.keys(rows[0] ?? {})): CleanResult {
  return applyRecipe({ name: 'test', steps: [step] }, rows, columns);
}


/** One column's values. */
export const col = (result: CleanResult, name: string) => result.rows.map((r) => r[name]);
