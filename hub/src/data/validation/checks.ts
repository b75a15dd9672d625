/**
 * One check per expectation, each fed every row once and holding bounded state: counters, the first
 * failing samples, running moments, and for `unique` the set of values seen (capped).
 */
import { createMoments, isMissing, parseNumber, type RawRecord, type RawValue } from '@outpost/shared';
import { truthValue, type CompiledExpression } from './expression.ts';
import type { ExpectationResult, FailureSample } from './result.ts';
import type { Expectation } from './suite.ts';

export interface Check {
  add(row: RawRecord, rowNumber: number): void;
  /** Reads state only, so it may be called at any point. */
  result(rowCount: number): ExpectationResult;
}

export interface CheckOptions {
  sampleLimit: number;
  uniqueExactLimit: number;
}

/** The text a value is compared as by in_set, regex and unique. */
export function cellText(v: RawValue): string {
  return typeof v === 'string' ? v.trim() : String(v);
}

function cell(row: RawRecord, column: string): RawValue {
  return Object.hasOwn(row, column) ? row[column] : undefined;
}

/**
 * @example createCheck({ type: 'not_null', column: 'Sex' }, 0, options).result(0).success; // true
 */
export function createCheck(e: Expectation, index: number, options: CheckOptions, expression?: CompiledExpression): Check {
  const head = { index, type: e.type, ...('column' in e ? { column: e.column } : {}) };
  const description = e.type === 'row_predicate' ? (e.description ?? e.name ?? e.expression) : e.description;
  const base = description === undefined ? head : { ...head, description };
  switch (e.type) {
    case 'not_null':
      return rowCheck(base, options, e.column, false, (v) => !isMissing(v));
    case 'range':
      return rowCheck(base, options, e.column, true, (v) => {
        const x = parseNumber(v);
        return x !== undefined && (e.min === undefined || x >= e.min) && (e.max === undefined || x <= e.max);
      });
    case 'in_set': {
      const allowed = new Set(e.values.map(String));
      return rowCheck(base, options, e.column, true, (v) => allowed.has(cellText(v)));
    }
    case 'regex': {
      const re = new RegExp(e.pattern, e.flags);
      return rowCheck(base, options, e.column, true, (v) => re.test(cellText(v)));
    }
    case 'unique': {
      // Values seen, capped: past the cap new values are not kept, so a later repeat of one of
      // them would go unseen; the result says so instead of claiming success.
      const seen = new Set<string>();
      let overflow = false;
      return rowCheck(
        base,
        options,
        e.column,
        true,
        (v) => {
          const key = cellText(v);
          if (seen.has(key)) return false;
          if (seen.size < options.uniqueExactLimit) seen.add(key);
          else overflow = true;
          return true;
        },
        () => (overflow ? `more than ${options.uniqueExactLimit} distinct values: repeats of values after the first ${options.uniqueExactLimit} were not checked` : undefined),
      );
    }
    case 'row_count':
      return { add() {}, result: (rowCount) => aggregate(base, rowCount, rowCount, e) };
    case 'mean':
    case 'std': {
      const moments = createMoments();
      const column = e.column;
      return {
        add(row) {
          const v = cell(row, column);
          if (isMissing(v)) return;
          const x = parseNumber(v);
          if (x !== undefined) moments.add(x);
        },
        result() {
          const s = moments.summary();
          const observed = s === null ? null : e.type === 'mean' ? s.mean : s.std;
          return aggregate(base, s?.count ?? 0, observed, e);
        },
      };
    }
    case 'row_predicate':
      return predicateCheck(base, options, expression!);
  }
}

type Head = Pick<ExpectationResult, 'index' | 'type' | 'column' | 'description'>;

function rowCheck(
  head: Head,
  options: CheckOptions,
  column: string,
  skipMissing: boolean,
  passes: (v: RawValue) => boolean,
  unverifiable: () => string | undefined = () => undefined,
): Check {
  let evaluated = 0;
  let failed = 0;
  const samples: FailureSample[] = [];
  return {
    add(row, rowNumber) {
      const v = cell(row, column);
      if (skipMissing && isMissing(v)) return;
      evaluated++;
      if (passes(v)) return;
      failed++;
      if (samples.length < options.sampleLimit) samples.push({ row: rowNumber, value: v ?? null });
    },
    result() {
      const why = unverifiable();
      return { ...head, success: failed === 0 && why === undefined, unexpectedCount: failed, evaluatedCount: evaluated, samples: [...samples], ...(why ? { unverifiable: why } : {}) };
    },
  };
}

function predicateCheck(head: Head, options: CheckOptions, expression: CompiledExpression): Check {
  let evaluated = 0;
  let failed = 0;
  const samples: FailureSample[] = [];
  return {
    add(row, rowNumber) {
      evaluated++;
      // Only true passes: a null result (e.g. a comparison with a missing value) fails. SQL's CHECK
      // passes on unknown; a data test should not vouch for what it could not evaluate.
      if (truthValue(expression.evaluate(row)) === true) return;
      failed++;
      // fromEntries defines own properties, so a column named __proto__ stays data.
      if (samples.length < options.sampleLimit) samples.push({ row: rowNumber, values: Object.fromEntries(expression.columns.map((c) => [c, cell(row, c) ?? null])) });
    },
    result: () => ({ ...head, success: failed === 0, unexpectedCount: failed, evaluatedCount: evaluated, samples: [...samples] }),
  };
}

function aggregate(head: Head, evaluated: number, observed: number | null, bounds: { min?: number | undefined; max?: number | undefined }): ExpectationResult {
  const success = observed !== null && (bounds.min === undefined || observed >= bounds.min) && (bounds.max === undefined || observed <= bounds.max);
  return { ...head, success, unexpectedCount: 0, evaluatedCount: evaluated, observed, samples: [] };
}
