/**
 * Declarative data validation: expectation suites (suite.ts), a one-pass runner (runner.ts), a safe
 * row-predicate language (expression.ts) and suites suggested from a profile (suggest.ts).
 * Pure code: no Hono, no database.
 */
export {
  ExpectationSchema,
  ExpectationSuiteSchema,
  MAX_EXPECTATIONS,
  parseSuite,
  type Expectation,
  type ExpectationSuite,
  type ExpectationType,
} from './suite.ts';
export { createSuiteRunner, type SuiteRunner, type SuiteRunnerOptions } from './runner.ts';
export type { ExpectationResult, FailureSample, ValidationResult } from './result.ts';
export {
  compileExpression,
  parseExpression,
  truthValue,
  MAX_EXPRESSION_DEPTH,
  MAX_EXPRESSION_LENGTH,
  type CompiledExpression,
  type ExpressionNode,
  type ExpressionValue,
} from './expression.ts';
export { suggestSuite, MAX_SUGGESTED_CATEGORIES, type SuggestOptions } from './suggest.ts';
