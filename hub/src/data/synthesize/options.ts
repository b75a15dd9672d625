/** Checks synthesizeRows' options; one OutpostError lists every problem with its path. */
import { OutpostError, type ErrorIssue } from '@outpost/shared';
import type { DataType } from '../column-types.ts';

/** Upper bound on rows per call: the rows are built in memory, one object each. */
export const MAX_SYNTHETIC_ROWS = 1_000_000;

export interface SynthesizeOptions {
  /** How many rows to generate: an integer in [1, 1 000 000]. No default. */
  rows: number;
  /**
   * Seed of the generator: an integer in [0, 2³² − 1]. No default. Capped at 2³² − 1 because
   * createRng keeps only 32 bits: larger seeds would silently repeat smaller ones.
   */
  seed: number;
  /** The source's column types: integer columns come out rounded. Optional. */
  types?: Readonly<Record<string, DataType>>;
}

/**
 * Throws OutpostError('VALIDATION_FAILED') with issues at 'rows' and/or 'seed' when out of range.
 * @example validateSynthesizeOptions({ rows: 0, seed: 1 }) // throws, issues: [{ path: 'rows', … }]
 */
export function validateSynthesizeOptions(options: SynthesizeOptions): void {
  const issues: ErrorIssue[] = [];
  const { rows, seed } = options;
  if (!Number.isInteger(rows) || rows < 1 || rows > MAX_SYNTHETIC_ROWS) {
    issues.push({ path: 'rows', message: `must be an integer from 1 to ${MAX_SYNTHETIC_ROWS}, got ${String(rows)}` });
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
    issues.push({ path: 'seed', message: `must be an integer from 0 to ${0xffff_ffff}, got ${String(seed)}` });
  }
  if (issues.length > 0) {
    throw new OutpostError('VALIDATION_FAILED', `invalid synthesis options: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
      issues,
    });
  }
}
