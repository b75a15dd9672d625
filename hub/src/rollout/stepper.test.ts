import { describe, expect, it } from 'vitest';
import { defaultPolicy, type RolloutPolicy } from './policy.ts';
import { judge, nearestRankIndex, step, type VersionMetrics } from './stepper.ts';

const HOUR = 60 * 60_000;
const policy = (over: Partial<RolloutPolicy> = {}): RolloutPolicy => ({ ...defaultPolicy('salt-salt'), candidate: 4, state: 'running', stage: 0, stageStartedAt: 0, ...over });
const m = (samples: number, errors = 0, p95: number | null = 10): VersionMetrics => ({ samples, errors, errorRate: samples ? errors / samples : null, p95LatencyMs: samples ? p95 : null });
const metrics = (entries: Array<[number, VersionMetrics]>) => new Map(entries);

describe('rollout stepper', () => {
  it('waits for the stage to last its minimum duration, then for enough samples, then advances (the next stage starts now)', () => {
    const p = policy();
    expect(step({ policy: p, production: 3, metrics: metrics([[4, m(500)]]), now: HOUR - 1 })).toMatchObject({ event: null, waiting: expect.stringContaining('the stage runs until 1970-01-01T01:00:00.000Z') });
    expect(step({ policy: p, production: 3, metrics: metrics([[4, m(49)]]), now: HOUR })).toMatchObject({ event: null, waiting: expect.stringContaining('49 of 50 samples') });
    const r = step({ policy: p, production: 3, metrics: metrics([[4, m(50, 2)]]), now: HOUR });
    expect(r.event).toMatchObject({ action: 'rollout.advance', detail: { version: 4, from: 1, to: 10 }, reason: 'guards held for 60 min: error rate 0.040 ≤ max 0.05 (50 samples)' });
    expect(r.policy).toMatchObject({ stage: 1, stageStartedAt: HOUR, state: 'running' });
    expect(r.policy.history.at(-1)).toMatchObject({ action: 'advance', actor: 'system', at: HOUR });
  });

  it('completes after the last stage: production moves to the candidate', () => {
    const r = step({ policy: policy({ stage: 3 }), production: 3, metrics: metrics([[4, m(80)]]), now: HOUR });
    expect(r.event).toMatchObject({ action: 'rollout.complete', promote: 4, detail: { alias: 'production', from: 3, to: 4 } });
    expect(r.policy.state).toBe('completed');
  });

  it('rolls back on the error rate or p95 latency once there are enough samples, at any time in the stage', () => {
    const tooFew = step({ policy: policy(), production: 3, metrics: metrics([[4, m(49, 49)]]), now: 1 });
    expect(tooFew.event).toBeNull();
    const errors = step({ policy: policy(), production: 3, metrics: metrics([[4, m(60, 7)]]), now: 1 });
    expect(errors.event).toMatchObject({ action: 'rollout.rollback', reason: 'version 4: error rate 0.117 > max 0.05 (60 samples)' });
    expect(errors.policy.state).toBe('rolled_back');
    const slow = policy({ guards: { maxErrorRate: 0.05, minSamples: 50, maxLatencyP95Ms: 20 } });
    expect(step({ policy: slow, production: 3, metrics: metrics([[4, m(60, 0, 25)]]), now: 1 }).event).toMatchObject({ reason: 'version 4: p95 latency 25 ms > max 20 ms (60 samples)' });
    // Production's own errors are not the candidate's.
    expect(step({ policy: policy(), production: 3, metrics: metrics([[3, m(100, 90)], [4, m(10)]]), now: 1 }).event).toBeNull();
  });

  it('never advances a paused rollout, but its guards still roll it back', () => {
    expect(step({ policy: policy({ state: 'paused' }), production: 3, metrics: metrics([[4, m(500)]]), now: 10 * HOUR })).toMatchObject({ event: null, waiting: expect.stringMatching(/^paused/) });
    expect(step({ policy: policy({ state: 'paused' }), production: 3, metrics: metrics([[4, m(500, 100)]]), now: 1 }).event?.action).toBe('rollout.rollback');
  });

  it('guards every weighted version but production, and never advances a fixed split', () => {
    const w = policy({ candidate: null, weights: { '3': 50, '4': 25, '5': 25 } });
    expect(step({ policy: w, production: 3, metrics: metrics([[3, m(100, 50)], [4, m(100)], [5, m(100)]]), now: 10 * HOUR })).toMatchObject({ event: null, waiting: expect.stringContaining('fixed split') });
    expect(step({ policy: w, production: 3, metrics: metrics([[4, m(100)], [5, m(100, 30)]]), now: 1 }).event).toMatchObject({ action: 'rollout.rollback', detail: { version: 5 } });
  });

  it('does nothing to a rollout that is not live', () => {
    for (const state of ['idle', 'completed', 'rolled_back'] as const) expect(step({ policy: policy({ state }), production: 3, metrics: metrics([[4, m(500, 500)]]), now: HOUR }).event).toBeNull();
  });

  it('judges with nearest-rank p95', () => {
    expect(nearestRankIndex(100, 0.95)).toBe(94);
    expect(nearestRankIndex(1, 0.95)).toBe(0);
    expect(nearestRankIndex(20, 0.95)).toBe(18);
    expect(judge({ maxErrorRate: 0.05, minSamples: 1 }, m(10, 0, 1e6)).status).toBe('pass'); // latency unguarded
  });
});
