/**
 * Runs an expectation suite over rows in one pass with bounded memory (checks.ts), so it can follow
 * a streaming parse. Everything that can be wrong with the suite itself (shape, regex, expression
 * syntax, columns the dataset lacks) is reported up front, all problems together, before any row.
 */
import { OutpostError, type ErrorIssue, type RawRecord } from '@outpost/shared';
import { createCheck, type Check, type CheckOptions } from './checks.ts';
import { compileExpression, listColumns, type CompiledExpression } from './expression.ts';
import type { ValidationResult } from './result.ts';
import { parseSuite, type ExpectationSuite } from './suite.ts';

export interface SuiteRunnerOptions {
  /** Failing rows kept per expectation, the first ones in row order. Default 20. */
  sampleLimit?: number;
  /** Distinct values `unique` keeps exactly; past it the result is `unverifiable`. Default 1 000 000. */
  uniqueExactLimit?: number;
}

export interface SuiteRunner {
  /** Check one row; `rowNumber` (1-based) is what samples report. */
  add(row: RawRecord, rowNumber: number): void;
  /** The result over the rows added so far; may be called more than once. */
  result(): ValidationResult;
}

const DEFAULTS: Required<SuiteRunnerOptions> = { sampleLimit: 20, uniqueExactLimit: 1_000_000 };

/**
 * Throws OutpostError('VALIDATION_FAILED') when the suite is malformed or names a column not in
 * `columns`; each issue has a path such as `expectations.3.column`.
 * @example
 * const runner = createSuiteRunner({ name: 'penguins', expectations: [{ type: 'not_null', column: 'Sex' }] }, ['Species', 'Sex']);
 * rows.forEach((row, i) => runner.add(row, i + 1));
 * runner.result().expectations[0]?.unexpectedCount; // rows where Sex is missing
 */
export function createSuiteRunner(suite: ExpectationSuite, columns: readonly string[], options: SuiteRunnerOptions = {}): SuiteRunner {
  const o: CheckOptions = { ...DEFAULTS, ...options };
  const valid = parseSuite(suite);
  const known = new Set(columns);
  const issues: ErrorIssue[] = [];
  const expressions = new Map<number, CompiledExpression>();
  valid.expectations.forEach((e, i) => {
    if ('column' in e && !known.has(e.column)) {
      issues.push({ path: `expectations.${i}.column`, column: e.column, message: `unknown column '${e.column}'; known columns: ${listColumns(columns)}` });
    } else if (e.type === 'row_predicate') {
      try {
        expressions.set(i, compileExpression(e.expression, columns));
      } catch (err) {
        if (!(err instanceof OutpostError)) throw err;
        issues.push({ path: `expectations.${i}.expression`, message: err.message });
      }
    }
  });
  const first = issues[0];
  if (first) throw new OutpostError('VALIDATION_FAILED', `${first.path}: ${first.message}`, { issues });

  const checks: Check[] = valid.expectations.map((e, i) => createCheck(e, i, o, expressions.get(i)));
  let rowCount = 0;
  return {
    add(row, rowNumber) {
      rowCount++;
      for (const c of checks) c.add(row, rowNumber);
    },
    result() {
      const expectations = checks.map((c) => c.result(rowCount));
      return { suite: valid.name, success: expectations.every((e) => e.success), rowCount, expectations };
    },
  };
}
