import { OutpostError, type ErrorIssue, type RawRecord } from '@outpost/shared';
import { createSuiteRunner, type ExpectationSuite, type ValidationResult } from './validation/index.ts';

/**
 * A validation report: the suite's result, or, when the suite cannot run on this version at all
 * (it names a column the version lacks), a failed report saying why. A version is flagged either way.
 */
export type ValidationReport = ValidationResult & { error?: { message: string; issues?: ErrorIssue[] } };

/** A report built a row at a time, so it can follow a streaming read. */
export interface ReportRunner {
  add(row: RawRecord, rowNumber: number): void;
  result(rowCount: number): ValidationReport;
}

export function createReportRunner(suite: ExpectationSuite, columns: readonly string[]): ReportRunner {
  try {
    const runner = createSuiteRunner(suite, columns);
    return { add: (row, n) => runner.add(row, n), result: () => runner.result() };
  } catch (e) {
    if (!(e instanceof OutpostError)) throw e;
    const error = { message: e.message, ...(e.issues ? { issues: e.issues } : {}) };
    return { add: () => {}, result: (rowCount) => ({ suite: suite.name, success: false, rowCount, expectations: [], error }) };
  }
}

export function validateRows(suite: ExpectationSuite, rows: readonly RawRecord[], columns: readonly string[]): ValidationReport {
  const runner = createReportRunner(suite, columns);
  rows.forEach((row, i) => runner.add(row, i + 1));
  return runner.result(rows.length);
}
