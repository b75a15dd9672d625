import type { Guards, RolloutPolicy } from './policy.ts';
import { withHistory } from './policy.ts';
import { stageLabel } from './assign.ts';

/** What devices reported for one version since the current stage began. */
export interface VersionMetrics {
  samples: number;
  errors: number;
  /** errors / samples; null without samples. */
  errorRate: number | null;
  /** Nearest-rank 95th percentile of reported latency (ms); null without samples. */
  p95LatencyMs: number | null;
}

export interface GuardVerdict {
  /** `waiting`: fewer samples than the guards need; `pass`/`fail` once there are enough. */
  status: 'waiting' | 'pass' | 'fail';
  /** For people: each metric against its threshold, e.g. "error rate 0.120 > max 0.05 (60 samples)". */
  text: string;
}

/** The 0-based index of the nearest-rank q-quantile among n sorted values (n ≥ 1). */
export function nearestRankIndex(n: number, q: number): number {
  return Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(3));

/** Judge one version's metrics against the guards. */
export function judge(guards: Guards, m: VersionMetrics | undefined): GuardVerdict {
  const samples = m?.samples ?? 0;
  if (!m || samples < guards.minSamples) return { status: 'waiting', text: `${samples} of ${guards.minSamples} samples` };
  const failures: string[] = [];
  const passes: string[] = [];
  const rate = m.errorRate ?? 0;
  (rate > guards.maxErrorRate ? failures : passes).push(`error rate ${fmt(rate)} ${rate > guards.maxErrorRate ? '>' : '≤'} max ${guards.maxErrorRate}`);
  if (guards.maxLatencyP95Ms !== undefined && m.p95LatencyMs !== null) {
    const over = m.p95LatencyMs > guards.maxLatencyP95Ms;
    (over ? failures : passes).push(`p95 latency ${fmt(m.p95LatencyMs)} ms ${over ? '>' : '≤'} max ${guards.maxLatencyP95Ms} ms`);
  }
  return failures.length > 0
    ? { status: 'fail', text: `${failures.join('; ')} (${samples} samples)` }
    : { status: 'pass', text: `${passes.join('; ')} (${samples} samples)` };
}

/** What a step did, for the audit log; `promote` asks the caller to move `production` there. */
export interface StepEvent {
  action: 'rollout.advance' | 'rollout.complete' | 'rollout.rollback';
  reason: string;
  detail: Record<string, unknown>;
  promote?: number;
}

export interface StepResult {
  policy: RolloutPolicy;
  event: StepEvent | null;
  /** Why nothing happened (for the console and `evaluate`), when nothing did. */
  waiting: string | null;
}

const ACTOR = 'system';

/** The versions a live split guards: the candidate, or every weighted version but production. */
export function guardedVersions(policy: RolloutPolicy, production: number | undefined): number[] {
  if (policy.weights) return Object.keys(policy.weights).map(Number).filter((v) => v !== production);
  return policy.candidate !== null ? [policy.candidate] : [];
}

/**
 * One automatic step of a rollout, given what devices reported since its stage began:
 * - a guard fails (with at least `minSamples`): roll back (candidate to 0 %), running or paused;
 * - running, the stage's `stageMinutes` passed and the guards hold with enough samples: advance
 *   to the next stage (its clock starts now), or, after the last (100 %), complete: the caller
 *   moves `production` to the candidate;
 * - otherwise nothing, with the reason.
 * Weighted splits are only guarded: they never advance by themselves.
 */
export function step(input: {
  policy: RolloutPolicy;
  production: number | undefined;
  metrics: ReadonlyMap<number, VersionMetrics>;
  now: number;
  /** Alert rules that guard rollouts and fire now: for one version (`version`) or for any. */
  firingAlerts?: ReadonlyArray<{ name: string; version?: number | undefined; value: number | null }>;
}): StepResult {
  const { policy, production, metrics, now } = input;
  if (policy.state !== 'running' && policy.state !== 'paused') return { policy, event: null, waiting: `nothing to do: the rollout is ${policy.state}` };
  const guarded = guardedVersions(policy, production);
  for (const v of guarded) {
    const alert = input.firingAlerts?.find((a) => a.version === undefined || a.version === v);
    if (alert) {
      const reason = `version ${v}: alert "${alert.name}" is firing (value ${alert.value})`;
      const next = withHistory({ ...policy, state: 'rolled_back', stageStartedAt: now }, { at: now, action: 'rollback', actor: ACTOR, detail: reason });
      return { policy: next, event: { action: 'rollout.rollback', reason, detail: { version: v, from: policy.weights ? 'weights' : stageLabel(policy), to: 'production', alert: alert.name } }, waiting: null };
    }
    const verdict = judge(policy.guards, metrics.get(v));
    if (verdict.status === 'fail') {
      const reason = `version ${v}: ${verdict.text}`;
      const next = withHistory({ ...policy, state: 'rolled_back', stageStartedAt: now }, { at: now, action: 'rollback', actor: ACTOR, detail: reason });
      return { policy: next, event: { action: 'rollout.rollback', reason, detail: { version: v, from: policy.weights ? 'weights' : stageLabel(policy), to: 'production', metrics: metrics.get(v) ?? null } }, waiting: null };
    }
  }
  if (policy.state === 'paused') return { policy, event: null, waiting: 'paused: guards are watched, stages do not advance' };
  if (policy.weights || policy.candidate === null) return { policy, event: null, waiting: 'a fixed split: it never advances by itself' };

  const started = policy.stageStartedAt ?? now;
  const due = started + policy.stageMinutes * 60_000;
  if (now < due) return { policy, event: null, waiting: `${stageLabel(policy)}: the stage runs until ${new Date(due).toISOString()}` };
  const verdict = judge(policy.guards, metrics.get(policy.candidate));
  if (verdict.status !== 'pass') return { policy, event: null, waiting: `${stageLabel(policy)}: waiting for samples (${verdict.text})` };

  const last = policy.stage >= policy.stages.length - 1;
  if (last) {
    const reason = `guards held at 100 %: ${verdict.text}`;
    const next = withHistory({ ...policy, state: 'completed', stageStartedAt: now }, { at: now, action: 'complete', actor: ACTOR, detail: `production → version ${policy.candidate}; ${reason}` });
    return { policy: next, event: { action: 'rollout.complete', reason, detail: { version: policy.candidate, alias: 'production', from: production ?? null, to: policy.candidate }, promote: policy.candidate }, waiting: null };
  }
  const moved = { ...policy, stage: policy.stage + 1, stageStartedAt: now };
  const reason = `guards held for ${policy.stageMinutes} min: ${verdict.text}`;
  const next = withHistory(moved, { at: now, action: 'advance', actor: ACTOR, detail: `${stageLabel(moved)}; ${reason}` });
  return { policy: next, event: { action: 'rollout.advance', reason, detail: { version: policy.candidate, from: policy.stages[policy.stage], to: policy.stages[policy.stage + 1] } }, waiting: null };
}
