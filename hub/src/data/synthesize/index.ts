/** Synthetic rows drawn column by column from a DatasetProfile (marginals only, no correlations). */
export { synthesizeRows, type SyntheticRow, type SyntheticValue } from './synthesize-rows.ts';
export { validateSynthesizeOptions, MAX_SYNTHETIC_ROWS, type SynthesizeOptions } from './options.ts';
export { createNumericSampler, looksInteger } from './numeric.ts';
export { createCategoricalSampler, OTHER_CATEGORY } from './categorical.ts';
export { createWeightedPick } from './weighted-pick.ts';
