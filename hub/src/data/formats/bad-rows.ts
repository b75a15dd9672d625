import { OutpostError } from '@outpost/shared';
import type { RawRecord } from '@outpost/shared';
import type { RowError } from './types.ts';

export interface RowPolicy {
  skipBadRows: boolean;
  maxReportedErrors: number;
}

/**
 * Collects the rows of a text format as they are read, and the problems of the malformed ones,
 * then applies the policy at the end: fail on the first bad row's report (all of them counted), or
 * drop and count them. Rows are handed on in chunks (`take`), so memory holds one chunk, not the file.
 * `label` names the format in messages ("malformed CSV: row 2: …").
 */
export function createRowCollector(label: string, policy: RowPolicy) {
  let pending: RawRecord[] = [];
  let accepted = 0;
  const errors: RowError[] = [];
  let first: RowError | undefined;
  let badRows = 0;

  return {
    accept(row: RawRecord): void {
      pending.push(row);
      accepted++;
    },
    /** Record one malformed row with its problems (at least one). */
    reject(problems: readonly RowError[]): void {
      badRows++;
      first ??= problems[0];
      for (const p of problems) if (errors.length < policy.maxReportedErrors) errors.push(p);
    },
    /** Rows accepted since the last take. */
    pending: (): number => pending.length,
    take(): RawRecord[] {
      const out = pending;
      pending = [];
      return out;
    },
    /** After the last row: throws per the policy, else says what was skipped. */
    finish(): { skipped: number; errors: RowError[] } {
      // Under skipBadRows a file with only bad rows still fails with their report, not with "no rows".
      if (badRows > 0 && (!policy.skipBadRows || accepted === 0)) {
        const where = `row ${first!.row}${first!.column === undefined ? '' : `, column ${JSON.stringify(first!.column)}`}`;
        const more = badRows > 1 ? ` (and ${badRows - 1} more row${badRows > 2 ? 's' : ''})` : '';
        throw new OutpostError('INVALID_DATASET', `malformed ${label}: ${where}: ${first!.message}${more}`, { issues: errors });
      }
      if (accepted === 0) throw noRows();
      return { skipped: badRows, errors };
    },
  };
}
export type RowCollector = ReturnType<typeof createRowCollector>;

export const noRows = () => new OutpostError('INVALID_DATASET', 'the dataset has no rows');
