import { OutpostError } from '@outpost/shared';
import type { ErrorIssue } from '@outpost/shared';
import type { TrainConfig } from './types.ts';

// [field, test, what it must be]; the routes validate bodies too, but the trainer is also called from
// the CLI and jobs, and a NaN learning rate would otherwise surface as a NaN model much later.
const RULES: [keyof TrainConfig, (v: number) => boolean, string][] = [
  ['hiddenUnits', (v) => Number.isInteger(v) && v >= 0 && v <= 4096, 'an integer from 0 to 4096'],
  ['epochs', (v) => Number.isInteger(v) && v >= 1 && v <= 10_000, 'an integer from 1 to 10000'],
  ['learningRate', (v) => Number.isFinite(v) && v > 0, 'a positive number'],
  ['batchSize', (v) => Number.isInteger(v) && v >= 1, 'a positive integer'],
  ['seed', (v) => Number.isInteger(v), 'an integer'],
  ['validationFraction', (v) => Number.isFinite(v) && v >= 0 && v < 1, 'a number in [0, 1)'],
];
const OPTIONAL: typeof RULES = [['testFraction', (v) => Number.isFinite(v) && v >= 0 && v < 1, 'a number in [0, 1)']];

/**
 * Throws OutpostError('VALIDATION_FAILED') listing every numeric setting out of range.
 * @example checkTrainConfig({ ...DEFAULT_TRAIN_CONFIG, label: 'Species', epochs: 0 }) // throws, path 'epochs'
 */
export function checkTrainConfig(config: TrainConfig): void {
  const issues: ErrorIssue[] = [];
  for (const [field, ok, expected] of RULES) {
    const v = config[field];
    if (typeof v !== 'number' || !ok(v)) issues.push({ path: field, message: `must be ${expected}, got ${String(v)}` });
  }
  for (const [field, ok, expected] of OPTIONAL) {
    const v = config[field];
    if (v !== undefined && (typeof v !== 'number' || !ok(v))) issues.push({ path: field, message: `must be ${expected}, got ${String(v)}` });
  }
  if ((config.validationFraction ?? 0) + (config.testFraction ?? 0) >= 0.9) {
    issues.push({ path: 'testFraction', message: 'validationFraction + testFraction must leave at least 10 % of the rows to train on' });
  }
  if (issues.length > 0) {
    const where = issues.map((i) => `${i.path} ${i.message}`).join('; ');
    throw new OutpostError('VALIDATION_FAILED', `invalid training config: ${where}`, { issues });
  }
}
