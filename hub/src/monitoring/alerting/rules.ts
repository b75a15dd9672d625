// Alert rule evaluation, pure: given a rule's state and the metric's value now, the next state and
// what happened. A condition must hold for `forMs` before the rule fires (Prometheus' `for`); a
// value of null (not enough data) changes nothing: it neither fires nor resolves.

export type Comparator = '>' | '>=' | '<' | '<=';
export const COMPARATORS: readonly Comparator[] = ['>', '>=', '<', '<='];

export type AlertState = 'ok' | 'pending' | 'firing';

export interface RuleState {
  state: AlertState;
  /** When the condition started to hold (pending or firing); null when ok. */
  since: number | null;
}

export function holds(value: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

/**
 * The next state of a rule: ok → pending when the condition starts to hold, pending → firing once
 * it has held for `forMs` (at once when forMs is 0), firing → ok when it stops (a resolution);
 * pending → ok silently.
 * @example next({ state: 'ok', since: null }, { value: 0.4, comparator: '>', threshold: 0.3, forMs: 0 }, now) // { state: 'firing', since: now, event: 'firing' }
 */
export function next(current: RuleState, rule: { value: number | null; comparator: Comparator; threshold: number; forMs: number }, now: number): RuleState & { event: 'firing' | 'resolved' | null } {
  if (rule.value === null) return { ...current, event: null };
  if (!holds(rule.value, rule.comparator, rule.threshold)) {
    return { state: 'ok', since: null, event: current.state === 'firing' ? 'resolved' : null };
  }
  const since = current.state === 'ok' ? now : (current.since ?? now);
  if (current.state === 'firing') return { state: 'firing', since, event: null };
  return now - since >= rule.forMs ? { state: 'firing', since, event: 'firing' } : { state: 'pending', since, event: null };
}
