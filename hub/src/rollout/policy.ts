import { z } from 'zod';
import { DeviceContextSchema } from '@outpost/shared';
import { parseRange } from './semver.ts';

/**
 * A model's rollout policy, stored as JSON in the `rollouts` table (one per model). Pure: zod only.
 *
 * The baseline is the model's `production` alias. A rollout moves devices to a `candidate` version
 * through `stages` (percent of devices, by stable bucket) that advance after `stageMinutes` while
 * the guards hold; or `weights` split devices between versions at fixed percentages. Targeting
 * `rules` (first match wins) and QA `pins` override the split. `state`, `stage`, `stageStartedAt`
 * and `history` belong to the schedule: only the actions (start, pause, …) and the tick change them.
 */

export const DEFAULT_STAGES = [1, 10, 50, 100] as const;
export const DEFAULT_STAGE_MINUTES = 60;
export const DEFAULT_GUARDS = { maxErrorRate: 0.05, minSamples: 50 } as const;
/** History entries kept in the policy (the audit log keeps everything). */
export const HISTORY_LIMIT = 20;

export const ROLLOUT_STATES = ['idle', 'running', 'paused', 'completed', 'rolled_back'] as const;
export type RolloutState = (typeof ROLLOUT_STATES)[number];

const Version = z.number().int().positive();
/** A share of devices in percent; two decimals at most (a bucket is 1/10000 of devices). */
const Percent = z
  .number()
  .gt(0)
  .max(100)
  .refine((p) => Math.abs(p * 100 - Math.round(p * 100)) < 1e-9, 'at most two decimals (a bucket is 0.01 %)');

export const StagesSchema = z
  .array(Percent)
  .min(1)
  .max(20)
  .superRefine((stages, ctx) => {
    stages.forEach((p, i) => {
      if (i > 0 && p <= stages[i - 1]!) ctx.addIssue({ code: 'custom', path: [i], message: `must be more than the stage before it (${stages[i - 1]} %)` });
    });
    if (stages[stages.length - 1] !== 100) ctx.addIssue({ code: 'custom', path: [stages.length - 1], message: 'the last stage must be 100 (all devices)' });
  });

export const GuardsSchema = z
  .object({
    /** Share of failed predictions (output `{ error }`) above which the candidate is rolled back. */
    maxErrorRate: z.number().min(0).max(1).default(DEFAULT_GUARDS.maxErrorRate),
    /** p95 latency (ms, as devices report it) above which the candidate is rolled back; unset: not guarded. */
    maxLatencyP95Ms: z.number().positive().optional(),
    /** Predictions per stage the candidate needs before a guard can pass or fail. */
    minSamples: z.number().int().min(1).max(1_000_000).default(DEFAULT_GUARDS.minSamples),
  })
  .strict();
export type Guards = z.infer<typeof GuardsSchema>;

const Strings = (max: number) => z.array(z.string().min(1).max(max)).min(1).max(50);

export const RuleSchema = z
  .object({
    name: z.string().min(1).max(64),
    version: Version,
    when: z
      .object({
        platform: Strings(32).optional(),
        /** A semver range, e.g. `>=1.4.0 <2` (hub/src/rollout/semver.ts). */
        appVersion: z
          .string()
          .min(1)
          .max(100)
          .refine((r) => parseRange(r) !== null, 'not a version range; write e.g. ">=1.4.0 <2", "^1.2", "1.x"')
          .optional(),
        /** Language-tag prefixes: `de` matches de, de-CH; `fr-CA` matches fr-CA only. */
        locale: Strings(35).optional(),
        webgpu: z.boolean().optional(),
        attributes: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,32}$/, 'letters, digits, _ . - (at most 32)'), z.union([z.string().max(64), z.array(z.string().max(64)).min(1).max(50)])).optional(),
      })
      .strict(),
  })
  .strict();
export type Rule = z.infer<typeof RuleSchema>;

const InstallId = DeviceContextSchema.shape.installId;
export const PinsSchema = z.record(InstallId, Version).refine((p) => Object.keys(p).length <= 1000, 'at most 1000 pins');

export const WeightsSchema = z
  .record(z.string().regex(/^[1-9]\d*$/, 'a version number'), z.number().min(0).max(100))
  .superRefine((w, ctx) => {
    const sum = Object.values(w).reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 100) > 1e-9) ctx.addIssue({ code: 'custom', message: `must sum to 100 (they sum to ${sum})` });
    for (const [k, p] of Object.entries(w)) {
      if (Math.abs(p * 100 - Math.round(p * 100)) > 1e-9) ctx.addIssue({ code: 'custom', path: [k], message: 'at most two decimals (a bucket is 0.01 %)' });
    }
  });

const HistoryEntry = z.object({ at: z.number(), action: z.string(), actor: z.string(), detail: z.string() });
export type HistoryEntry = z.infer<typeof HistoryEntry>;

/** What people edit (PUT …/rollout): the schedule's own fields may be sent back as read, and are ignored. */
export const PolicyInputSchema = z
  .object({
    /** Changing it reshuffles every device's bucket: leave it alone unless you mean that. */
    salt: z.string().min(8).max(64).optional(),
    candidate: Version.nullable().default(null),
    stages: StagesSchema.default([...DEFAULT_STAGES]),
    stageMinutes: z.number().min(0).max(60 * 24 * 30).default(DEFAULT_STAGE_MINUTES),
    weights: WeightsSchema.nullable().default(null),
    rules: z.array(RuleSchema).max(50).default([]),
    pins: PinsSchema.default({}),
    guards: GuardsSchema.default({ ...DEFAULT_GUARDS }),
    // The schedule's own (ignored when sent).
    state: z.unknown().optional(),
    stage: z.unknown().optional(),
    stageStartedAt: z.unknown().optional(),
    history: z.unknown().optional(),
    rev: z.unknown().optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.weights && p.candidate !== null) ctx.addIssue({ code: 'custom', path: ['weights'], message: 'give either a candidate (staged) or weights (a fixed split), not both' });
    const seen = new Set<string>();
    p.rules.forEach((r, i) => {
      if (seen.has(r.name)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'name'], message: `another rule is named ${r.name}` });
      seen.add(r.name);
    });
  });
export type PolicyInput = z.input<typeof PolicyInputSchema>;

export const RolloutPolicySchema = z.object({
  salt: z.string().min(8).max(64),
  candidate: Version.nullable(),
  stages: StagesSchema,
  stageMinutes: z.number().min(0),
  weights: WeightsSchema.nullable(),
  rules: z.array(RuleSchema),
  pins: PinsSchema,
  guards: GuardsSchema,
  state: z.enum(ROLLOUT_STATES),
  /** Index into `stages` of the current stage. */
  stage: z.number().int().min(0),
  stageStartedAt: z.number().nullable(),
  history: z.array(HistoryEntry),
  /** Incremented by every write: the store only writes over the revision it read (no lost updates). */
  rev: z.number().int().min(0),
});
export type RolloutPolicy = z.infer<typeof RolloutPolicySchema>;

/** A new model's policy: nothing rolling out, a fresh random salt. */
export function defaultPolicy(salt: string): RolloutPolicy {
  return {
    salt,
    candidate: null,
    stages: [...DEFAULT_STAGES],
    stageMinutes: DEFAULT_STAGE_MINUTES,
    weights: null,
    rules: [],
    pins: {},
    guards: { ...DEFAULT_GUARDS },
    state: 'idle',
    stage: 0,
    stageStartedAt: null,
    history: [],
    rev: 0,
  };
}

/** A random salt (hex, 64 bits). */
export function newSalt(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The edited fields applied over a stored policy; the schedule's fields stay (the stage is kept in range). */
export function applyInput(policy: RolloutPolicy, input: z.output<typeof PolicyInputSchema>): RolloutPolicy {
  return {
    ...policy,
    salt: input.salt ?? policy.salt,
    candidate: input.candidate,
    stages: input.stages,
    stageMinutes: input.stageMinutes,
    weights: input.weights,
    rules: input.rules,
    pins: input.pins,
    guards: input.guards,
    stage: Math.min(policy.stage, input.stages.length - 1),
  };
}

/** The policy with one more history entry (the newest last, at most HISTORY_LIMIT). */
export function withHistory(policy: RolloutPolicy, entry: HistoryEntry): RolloutPolicy {
  return { ...policy, history: [...policy.history, entry].slice(-HISTORY_LIMIT) };
}

/** The versions a policy names (candidate, weights, rules, pins) with the path that names each: to check they exist. */
export function versionsNamed(p: Pick<RolloutPolicy, 'candidate' | 'weights' | 'rules' | 'pins'>): Array<{ path: string; version: number }> {
  return [
    ...(p.candidate !== null ? [{ path: 'candidate', version: p.candidate }] : []),
    ...Object.keys(p.weights ?? {}).map((k) => ({ path: `weights.${k}`, version: Number(k) })),
    ...p.rules.map((r, i) => ({ path: `rules.${i}.version`, version: r.version })),
    ...Object.entries(p.pins).map(([id, version]) => ({ path: `pins.${id}`, version })),
  ];
}
