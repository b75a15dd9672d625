import type { Assignment, DeviceContext } from '@outpost/shared';
import { inSlice, versionByWeights } from './bucket.ts';
import type { RolloutPolicy } from './policy.ts';
import { firstMatchingRule } from './targeting.ts';

/** Whether the policy's split (staged candidate or weights) is live: devices are being moved. */
export function splitIsLive(policy: RolloutPolicy): boolean {
  return policy.state === 'running' || policy.state === 'paused';
}

/** The current stage's share of devices on the candidate, in percent (0 when nothing is live). */
export function candidatePercent(policy: RolloutPolicy): number {
  if (!splitIsLive(policy) || policy.candidate === null) return 0;
  return policy.stages[Math.min(policy.stage, policy.stages.length - 1)] ?? 0;
}

/** "stage 2 of 4: 10 %" */
export function stageLabel(policy: RolloutPolicy): string {
  return `stage ${policy.stage + 1} of ${policy.stages.length}: ${candidatePercent(policy)} %`;
}

/**
 * Which version a device runs, and why: a QA pin first, then the first targeting rule that matches,
 * then the live split by bucket (staged candidate or fixed weights), else the production version.
 * Null when nothing applies and nothing is in production.
 * @example assign({ policy, production: 3, context: { installId: 'a1b2c3d4e5' }, bucket: 42 }) // { version: 4, bucket: 42, reason: 'rollout', … }
 */
export function assign(input: { policy: RolloutPolicy; production: number | undefined; context: DeviceContext; bucket: number }): Assignment | null {
  const { policy, production, context, bucket } = input;
  const pinned = policy.pins[context.installId];
  if (pinned !== undefined) return { version: pinned, bucket, reason: 'pinned', detail: 'this install id is pinned (QA)' };
  const rule = firstMatchingRule(policy.rules, context);
  if (rule) return { version: rule.version, bucket, reason: 'rule', detail: `rule "${rule.name}"` };
  if (splitIsLive(policy) && policy.weights) {
    const version = versionByWeights(bucket, policy.weights);
    const split = Object.entries(policy.weights).map(([v, p]) => `v${v} ${p} %`).join(', ');
    if (version !== undefined) return { version, bucket, reason: 'rollout', detail: `weights ${split}` };
  }
  if (splitIsLive(policy) && policy.candidate !== null) {
    const percent = candidatePercent(policy);
    if (inSlice(bucket, percent)) return { version: policy.candidate, bucket, reason: 'rollout', detail: `${stageLabel(policy)} (bucket ${bucket} < ${Math.round(percent * 100)})` };
    if (production !== undefined) return { version: production, bucket, reason: 'rollout', detail: `${stageLabel(policy)}; bucket ${bucket} stays on production` };
  }
  if (production === undefined) return null;
  return { version: production, bucket, reason: 'default', detail: 'production version' };
}
