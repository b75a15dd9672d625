/**
 * Input checks shared by the evaluators. Why check at all in a pure module: a NaN probability or a
 * label one past the last class does not crash the arithmetic, it quietly yields a NaN log loss or
 * a wrong confusion matrix that an acceptance gate would then compare against. Every problem is
 * reported with its path (and row), like the rest of the hub's 4xx bodies; the list is capped so a
 * million bad rows do not make a million issues.
 */
import { OutpostError, type ErrorIssue } from '@outpost/shared';

const MAX_ISSUES = 20;

/** How far a probability row's sum may stray from 1 (float32 softmax over many classes stays far inside). */
export const ROW_SUM_TOLERANCE = 1e-3;

export class IssueList {
  readonly issues: ErrorIssue[] = [];
  private dropped = 0;

  add(issue: ErrorIssue): void {
    if (this.issues.length < MAX_ISSUES) this.issues.push(issue);
    else this.dropped++;
  }

  get full(): boolean {
    return this.issues.length >= MAX_ISSUES;
  }

  /** Throws VALIDATION_FAILED naming the first problems, if there are any. */
  throwIfAny(what: string): void {
    if (this.issues.length === 0) return;
    const shown = this.issues.slice(0, 3).map((i) => `${i.path} ${i.message}`).join('; ');
    const more = this.issues.length + this.dropped - 3;
    throw new OutpostError('VALIDATION_FAILED', `invalid ${what}: ${shown}${more > 0 ? ` (and ${more} more)` : ''}`, {
      issues: this.issues,
    });
  }
}

function show(x: number): string {
  return Number.isNaN(x) ? 'NaN' : String(x);
}

/** Non-empty, and each an integer index into a list of `classCount` classes. */
export function checkLabels(issues: IssueList, labels: readonly number[], classCount: number, path: string): void {
  if (labels.length === 0) {
    issues.add({ path, message: 'is empty: there is nothing to evaluate' });
    return;
  }
  for (let i = 0; i < labels.length && !issues.full; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= classCount) {
      issues.add({ path: `${path}[${i}]`, row: i, message: `must be a class index from 0 to ${classCount - 1}, got ${show(y)}` });
    }
  }
}

/** At least one class, each named once. */
export function checkClasses(issues: IssueList, classes: readonly string[]): void {
  if (classes.length === 0) issues.add({ path: 'classes', message: 'is empty: name at least one class' });
  const seen = new Set<string>();
  classes.forEach((c, i) => {
    if (seen.has(c)) issues.add({ path: `classes[${i}]`, message: `repeats the class "${c}"` });
    seen.add(c);
  });
}

/** One row per label, `width` finite entries in [0, 1] summing to 1 within ROW_SUM_TOLERANCE. */
export function checkProbabilities(issues: IssueList, probabilities: readonly ArrayLike<number>[], width: number): void {
  for (let i = 0; i < probabilities.length && !issues.full; i++) {
    const row = probabilities[i]!;
    if (row.length !== width) {
      issues.add({ path: `probabilities[${i}]`, row: i, message: `has ${row.length} entries, expected ${width} (one per class)` });
      continue;
    }
    let sum = 0;
    let bad = false;
    for (let j = 0; j < width; j++) {
      const p = row[j]!;
      if (!(p >= 0 && p <= 1)) {
        issues.add({ path: `probabilities[${i}][${j}]`, row: i, message: `must be a probability in [0, 1], got ${show(p)}` });
        bad = true;
        break;
      }
      sum += p;
    }
    if (!bad && Math.abs(sum - 1) > ROW_SUM_TOLERANCE) {
      issues.add({ path: `probabilities[${i}]`, row: i, message: `sums to ${sum}, expected 1 (are these scores or logits rather than probabilities?)` });
    }
  }
}

/** Non-empty and every value finite. */
export function checkFinite(issues: IssueList, values: readonly number[], path: string): void {
  if (values.length === 0) {
    issues.add({ path, message: 'is empty: there is nothing to evaluate' });
    return;
  }
  for (let i = 0; i < values.length && !issues.full; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) issues.add({ path: `${path}[${i}]`, row: i, message: `must be a finite number, got ${show(v)}` });
  }
}

export function checkSameLength(issues: IssueList, a: { path: string; length: number }, b: { path: string; length: number }): boolean {
  if (a.length === b.length) return true;
  issues.add({ path: b.path, message: `has ${b.length} rows but ${a.path} has ${a.length}` });
  return false;
}

/** An integer option in [min, ∞); `undefined` means "use the default". */
export function checkIntOption(issues: IssueList, value: number | undefined, path: string, min: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min) issues.add({ path, message: `must be an integer ≥ ${min}, got ${show(value)}` });
}
