import { describe, expect, it } from 'vitest';
import { PolicyInputSchema } from './policy.ts';

const issues = (input: unknown) => {
  const r = PolicyInputSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
};

describe('rollout policy schema', () => {
  it('fills defaults: stages 1 → 10 → 50 → 100 %, 60 min, error rate 0.05, 50 samples', () => {
    expect(PolicyInputSchema.parse({})).toMatchObject({ candidate: null, stages: [1, 10, 50, 100], stageMinutes: 60, weights: null, rules: [], pins: {}, guards: { maxErrorRate: 0.05, minSamples: 50 } });
  });

  it('names the field at fault', () => {
    expect(issues({ stages: [1, 1, 100] })[0]).toMatchObject({ path: 'stages.1', message: expect.stringContaining('more than the stage before') });
    expect(issues({ stages: [5, 50] })[0]).toMatchObject({ path: 'stages.1', message: expect.stringContaining('last stage must be 100') });
    expect(issues({ stages: [0.001, 100] })[0]?.path).toBe('stages.0');
    expect(issues({ rules: [{ name: 'a', version: 2, when: { appVersion: 'soon' } }] })[0]).toMatchObject({ path: 'rules.0.when.appVersion', message: expect.stringContaining('not a version range') });
    expect(issues({ rules: [{ name: 'a', version: 2, when: { os: ['x'] } }] })[0]?.path).toBe('rules.0.when');
    expect(issues({ rules: [{ name: 'a', version: 2, when: {} }, { name: 'a', version: 3, when: {} }] })[0]?.path).toBe('rules.1.name');
    expect(issues({ weights: { '1': 60, '2': 30 } })[0]).toMatchObject({ path: 'weights', message: 'must sum to 100 (they sum to 90)' });
    expect(issues({ weights: { '1': 50, '2': 50 }, candidate: 2 })[0]?.path).toBe('weights');
    expect(issues({ pins: { short: 2 } })[0]?.path).toBe('pins.short');
    expect(issues({ guards: { maxErrorRate: 2 } })[0]?.path).toBe('guards.maxErrorRate');
    expect(issues({ rulez: [] })[0]?.message).toMatch(/rulez/);
  });

  it('accepts what GET returned (the schedule fields are ignored)', () => {
    expect(issues({ salt: 'abcdefgh12', candidate: 2, state: 'running', stage: 2, stageStartedAt: 5, history: [], rev: 3 })).toEqual([]);
  });
});
