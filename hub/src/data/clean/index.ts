/**
 * Recorded, replayable data cleaning: a recipe of steps (schema.ts), checked against the columns up
 * front and applied deterministically (apply.ts), identified by a hash (hash.ts).
 * Pure code: no Hono, no database.
 */
export {
  RecipeSchema,
  StepSchema,
  MAX_STEPS,
  parseRecipe,
  type Recipe,
  type RecipeInput,
  type Step,
  type StepOp,
} from './schema.ts';
export { applyRecipe, type CleanResult, type StepReport } from './apply.ts';
export { recipeHash, canonicalJson } from './hash.ts';
export { MAX_REPORTED_GROUPS } from './impute.ts';
