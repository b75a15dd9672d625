import { describe, expect, it } from 'vitest';
import { holds, next } from './rules.ts';

describe('alert rule states', () => {
  const rule = { comparator: '>' as const, threshold: 0.3, forMs: 60_000 };
  it('ok → pending → firing after forMs → ok with a resolution', () => {
    let s = next({ state: 'ok', since: null }, { ...rule, value: 0.5 }, 1000);
    expect(s).toEqual({ state: 'pending', since: 1000, event: null });
    s = next(s, { ...rule, value: 0.6 }, 60_999);
    expect(s).toEqual({ state: 'pending', since: 1000, event: null });
    s = next(s, { ...rule, value: 0.6 }, 61_000);
    expect(s).toEqual({ state: 'firing', since: 1000, event: 'firing' });
    s = next(s, { ...rule, value: 0.7 }, 90_000);
    expect(s.event).toBeNull();
    s = next(s, { ...rule, value: 0.1 }, 100_000);
    expect(s).toEqual({ state: 'ok', since: null, event: 'resolved' });
  });
  it('a pending rule whose condition stops goes back to ok silently; forMs 0 fires at once', () => {
    expect(next({ state: 'pending', since: 5 }, { ...rule, value: 0.2 }, 10)).toEqual({ state: 'ok', since: null, event: null });
    expect(next({ state: 'ok', since: null }, { ...rule, forMs: 0, value: 0.31 }, 10)).toEqual({ state: 'firing', since: 10, event: 'firing' });
  });
  it('no data neither fires nor resolves', () => {
    expect(next({ state: 'firing', since: 5 }, { ...rule, value: null }, 10)).toEqual({ state: 'firing', since: 5, event: null });
    expect(next({ state: 'pending', since: 5 }, { ...rule, value: null }, 10 ** 9)).toEqual({ state: 'pending', since: 5, event: null });
  });
  it('compares as written', () => {
    expect([holds(1, '>', 1), holds(1, '>=', 1), holds(1, '<', 1), holds(1, '<=', 1)]).toEqual([false, true, false, true]);
  });
});
