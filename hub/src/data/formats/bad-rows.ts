import { OutpostError } from '@outpost/shared';
import type { RawRecord } from '@outpost/shared';
import type { ReadResult, RowError } from './types.ts';

export interface RowPolicy {
  skipBadRows: boolean;
  maxReportedErrors: number;
}

/**
 * Collects the rows of a text format and the problems of the malformed ones, then applies the policy:
 * fail on the first bad row's report (all of them counted), or drop and count them.
 * `label` names the format in messages ("malformed CSV: row 2: …").
 */
export function createRowCollector(label: string, policy: RowPolicy) {
  const rows: RawRecord[] = [];
  const errors: RowError[] = [];
  let first: RowError | undefined;
  let badRows = 0;

  return {
    accept(row: RawRecord): void {
      rows.push(row);
    },
    /** Record one malformed row with its problems (at least one). */
    reject(problems: readonly RowError[]): void {
      badRows++;
      first ??= problems[0];
      for (const p of problems) if (errors.length < policy.maxReportedErrors) errors.push(p);
    },
    finish(): ReadResult {
      // Under skipBadRows a file with only bad rows still fails with their report, not with "no rows".
      if (badRows > 0 && (!policy.skipBadRows || rows.length === 0)) {
        const where = `row ${first!.row}${first!.column === undefined ? '' : `, column ${JSON.stringify(first!.column)}`}`;
        const more = badRows > 1 ? ` (and ${badRows - 1} more row${badRows > 2 ? 's' : ''})` : '';
        throw new OutpostError('INVALID_DATASET', `malformed ${label}: ${where}: ${first!.message}${more}`, { issues: errors });
      }
      return { rows: requireRows(rows), skipped: badRows, errors };
    },
  };
}

export function requireRows<T>(rows: T[]): T[] {
  if (rows.length === 0) throw new OutpostError('INVALID_DATASET', 'the dataset has no rows');
  return rows;
}
