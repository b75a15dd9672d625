/** Steps that rewrite cells one at a time: trim, coerce, normalize_categories (semantics in schema.ts). */
import { isMissing, OutpostError, type ErrorIssue, type RawValue } from '@outpost/shared';
import type { Step } from './schema.ts';
import { columnIndex, mapColumn, numericValue, type StepResult, type Table } from './table.ts';

type StepOf<K extends Step['op']> = Extract<Step, { op: K }>;

/** Failing cells named in the error's issues; the message names the first. */
const MAX_COERCE_ISSUES = 10;

const BOOLEAN_TEXT: ReadonlyMap<string, boolean> = new Map([
  ['true', true],
  ['false', false],
  ['yes', true],
  ['no', false],
  ['1', true],
  ['0', false],
]);

export function trimStep(step: StepOf<'trim'>, table: Table): StepResult {
  let current = table;
  let affected = 0;
  for (const name of step.columns ?? table.columns) {
    const r = mapColumn(current, columnIndex(current, name), (v) => (typeof v === 'string' ? v.trim() : v));
    current = r.table;
    affected += r.outcome.affected;
  }
  return { table: current, outcome: { affected } };
}

/**
 * @throws OutpostError('INVALID_DATASET') with `onError: 'fail'`, one issue per failing cell (the first
 *   10) with its 1-based input row, the column and `path` 'steps.N'.
 */
export function coerceStep(step: StepOf<'coerce'>, table: Table, index: number): StepResult {
  const convert = CONVERTERS[step.to];
  const issues: ErrorIssue[] = [];
  let failures = 0;
  const result = mapColumn(table, columnIndex(table, step.column), (v, r) => {
    if (isMissing(v)) return null;
    const out = convert(v);
    if (out !== undefined) return out;
    failures++;
    if (issues.length < MAX_COERCE_ISSUES) {
      issues.push({ path: `steps.${index}`, row: table.origin[r]! + 1, column: step.column, message: `cannot coerce ${JSON.stringify(v)} to ${step.to}` });
    }
    return null;
  });
  if (failures > 0 && step.onError === 'fail') {
    const first = issues[0]!;
    const message = `step ${index} (coerce): ${failures} cell(s) of column '${step.column}' cannot be coerced to ${step.to}; first at row ${first.row}: ${first.message}`;
    throw new OutpostError('INVALID_DATASET', message, { issues });
  }
  return result;
}

/** Present value → converted value, or undefined when it does not convert. */
const CONVERTERS: Record<StepOf<'coerce'>['to'], (v: RawValue) => RawValue | undefined> = {
  number: (v) => numberOf(v),
  integer: (v) => {
    const n = numberOf(v);
    return n !== undefined && Number.isInteger(n) ? n : undefined;
  },
  boolean: (v) => {
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : undefined;
    return BOOLEAN_TEXT.get(String(v).trim().toLowerCase());
  },
  string: (v) => (typeof v === 'string' ? v : String(v)),
};

function numberOf(v: RawValue): number | undefined {
  if (typeof v === 'boolean') return v ? 1 : 0;
  const n = numericValue(v);
  // +0 for -0: the same JSON either way, but Object.is would count it as a change.
  return n === 0 ? 0 : n;
}

export function normalizeCategoriesStep(step: StepOf<'normalize_categories'>, table: Table): StepResult {
  // A Map, so keys such as 'constructor' or '__proto__' are only data.
  const map = new Map(Object.entries(step.map ?? {}));
  const changeCase = step.case === undefined ? (s: string) => s : CASES[step.case];
  return mapColumn(table, columnIndex(table, step.column), (v) => {
    if (isMissing(v)) return v;
    if (typeof v !== 'string') return map.get(String(v)) ?? v;
    const cased = changeCase(v.trim());
    return map.get(cased) ?? cased;
  });
}

// toLowerCase/toUpperCase, not the locale variants: a replay must not depend on the machine's locale.
const CASES: Record<'lower' | 'upper' | 'title', (s: string) => string> = {
  lower: (s) => s.toLowerCase(),
  upper: (s) => s.toUpperCase(),
  title: (s) => s.toLowerCase().replace(/(^|\s)(\S)/gu, (_, space: string, first: string) => space + first.toUpperCase()),
};
