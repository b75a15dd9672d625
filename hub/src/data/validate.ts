import { OutpostError, type ErrorIssue, type RawRecord } from '@outpost/shared';
import { createSuiteRunner, type ExpectationSuite, type ValidationResult } from './validation/index.ts';

/**
 * A validation report: the suite's result, or, when the suite cannot run on this version at all
 * (it names a column the version lacks), a failed report saying why. A version is flagged either way.
 */
export type ValidationReport = ValidationResult & { error?: { message: string; issues?: ErrorIssue[] } };

export function validateRows(suite: ExpectationSuite, rows: readonly RawRecord[], columns: readonly string[]): ValidationReport {
  let runner;
  try {
    runner = createSuiteRunner(suite, columns);
  } catch (e) {
    if (!(e instanceof OutpostError)) throw e;
    return { suite: suite.name, success: false, rowCount: rows.length, expectations: [], error: { message: e.message, ...(e.issues ? { issues: e.issues } : {}) } };
  }
  rows.forEach((row, i) => runner.add(row, i + 1));
  return runner.result();
}
