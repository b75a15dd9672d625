import { OutpostError } from '@outpost/shared';
import type { ErrorIssue } from '@outpost/shared';
import { HIDDEN_ACTIVATIONS, TRAIN_BACKENDS, type TrainConfig } from './types.ts';

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
  issues.push(...checkModelOptions(config));
  if ((config.validationFraction ?? 0) + (config.testFraction ?? 0) >= 0.9) {
    issues.push({ path: 'testFraction', message: 'validationFraction + testFraction must leave at least 10 % of the rows to train on' });
  }
  if (issues.length > 0) {
    const where = issues.map((i) => `${i.path} ${i.message}`).join('; ');
    throw new OutpostError('VALIDATION_FAILED', `invalid training config: ${where}`, { issues });
  }
}

/** The optional model settings: hidden layer widths, activation, dropout, L2, early stopping. */
function checkModelOptions(config: TrainConfig): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  const { layers, activation, dropout, l2, earlyStopping, backend } = config;
  if (backend !== undefined && !(TRAIN_BACKENDS as readonly string[]).includes(backend)) {
    issues.push({ path: 'backend', message: `must be one of ${TRAIN_BACKENDS.join(', ')}, got ${JSON.stringify(backend)}` });
  }
  if (activation !== undefined && !(HIDDEN_ACTIVATIONS as readonly string[]).includes(activation)) {
    issues.push({ path: 'activation', message: `must be one of ${HIDDEN_ACTIVATIONS.join(', ')}, got ${JSON.stringify(activation)}` });
  }
  if (layers !== undefined) {
    const widthOk = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 4096;
    if (!Array.isArray(layers) || layers.length > 8 || !layers.every(widthOk)) {
      issues.push({ path: 'layers', message: `must be at most 8 hidden layer widths, each an integer from 1 to 4096, got ${JSON.stringify(layers)}` });
    }
  }
  if (dropout !== undefined && !(typeof dropout === 'number' && dropout >= 0 && dropout < 0.9)) {
    issues.push({ path: 'dropout', message: `must be a number in [0, 0.9), got ${String(dropout)}` });
  }
  if (l2 !== undefined && !(typeof l2 === 'number' && Number.isFinite(l2) && l2 >= 0)) {
    issues.push({ path: 'l2', message: `must be a number ≥ 0, got ${String(l2)}` });
  }
  if (earlyStopping !== undefined) {
    const { patience, minDelta } = earlyStopping ?? {};
    if (!(typeof patience === 'number' && Number.isInteger(patience) && patience >= 1)) {
      issues.push({ path: 'earlyStopping.patience', message: `must be an integer ≥ 1, got ${String(patience)}` });
    }
    if (minDelta !== undefined && !(typeof minDelta === 'number' && Number.isFinite(minDelta) && minDelta >= 0)) {
      issues.push({ path: 'earlyStopping.minDelta', message: `must be a number ≥ 0, got ${String(minDelta)}` });
    }
    if (!(config.validationFraction > 0)) {
      issues.push({ path: 'earlyStopping', message: 'needs validation rows to watch: set validationFraction above 0' });
    }
  }
  return issues;
}
