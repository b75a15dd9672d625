/** Deterministic train/validation/test splits of a dataset version's rows. */
export { SPLIT_PARTS, SplitSpecSchema, type SplitFractions, type SplitPart, type SplitResult, type SplitSpec } from './schema.ts';
export { splitRows, type SplitRowsOptions } from './split-rows.ts';
export { apportion, allocateSizes } from './apportion.ts';
export { splitRandom } from './random.ts';
export { splitStratified } from './stratified.ts';
export { splitTime } from './time.ts';
export { readTimes, parseIsoTime } from './time-values.ts';
export { splitGroups } from './group.ts';
export { MISSING_KEY, valueKey } from './keys.ts';
