import { OutpostError, type Assignment, type DeviceContext, type ErrorIssue } from '@outpost/shared';
import type { HubDeps } from '../deps.ts';
import { createInferenceStore } from '../monitoring/store.ts';
import { createAlertStore } from '../monitoring/alerting/store.ts';
import { createRegistryStore, type ModelVersion } from '../registry/store.ts';
import { assign, candidatePercent, splitIsLive } from './assign.ts';
import { bucketOf } from './bucket.ts';
import { applyInput, versionsNamed, withHistory, type Guards, type PolicyInputSchema, type RolloutPolicy } from './policy.ts';
import { guardedVersions, judge, step, type GuardVerdict, type StepEvent, type VersionMetrics } from './stepper.ts';
import { createRolloutStore } from './store.ts';
import type { z } from 'zod';

/** The window of inference records the version mix counts devices in. */
export const MIX_WINDOW_MS = 60 * 60 * 1000;
const SYSTEM = 'system';

export interface RolloutView {
  model: string;
  /** What the `production` alias points to (the baseline), if anything. */
  production: number | null;
  policy: RolloutPolicy;
  /** Share of devices on the candidate now, in percent (0 unless a staged rollout is live). */
  percent: number;
  /** When the current stage may advance (stageStartedAt + stageMinutes), for a live staged rollout. */
  stageEndsAt: number | null;
  /** Guard metrics since the stage started, per version that matters (guarded ones and production). */
  guards: Array<{ version: number; role: 'candidate' | 'weighted' | 'production'; metrics: VersionMetrics; verdict: GuardVerdict | null }>;
  /** Distinct devices and predictions per version among records received in the last hour. */
  mix: Array<{ version: number; devices: number; predictions: number }>;
  /** What the next evaluation would do, or why it would wait. */
  next: string;
}

/** A change to a policy: the new policy and what the audit log says about it. */
interface Change {
  policy: RolloutPolicy;
  action: string;
  detail: Record<string, unknown>;
  reason?: string | null | undefined;
  promote?: number | undefined;
}

type Ref = { project: string; model: string };
const EMPTY: VersionMetrics = { samples: 0, errors: 0, errorRate: null, p95LatencyMs: null };

/**
 * Rollouts: read a model's policy with live metrics, change it (every change audited, manifests
 * re-signed), run the automatic step, and resolve which version a device gets. The pure parts are
 * policy.ts, bucket.ts, assign.ts and stepper.ts; this wires them to the stores.
 */
export function createRolloutService(deps: Pick<HubDeps, 'db' | 'clock' | 'sqlMaxParams'>) {
  const registry = createRegistryStore(deps.db);
  const rollouts = createRolloutStore(deps.db);
  const alerts = createAlertStore(deps.db);
  const inferences = createInferenceStore(deps.db, deps.sqlMaxParams);

  const conflict = (message: string, path = 'state') => new OutpostError('CONFLICT', message, { issues: [{ path, message }] });

  async function requireVersion(modelId: number, model: string, version: number, path = 'version'): Promise<ModelVersion> {
    const v = await registry.getVersion(modelId, version);
    if (!v) throw new OutpostError('NOT_FOUND', `model ${model} has no version ${version}`, { issues: [{ path, message: 'no such version' }] });
    return v;
  }

  /**
   * Read, change and write a policy, over again if another writer got in between (the store only
   * writes over the revision it read); then move `production` if asked, re-sign manifests and audit.
   */
  async function mutate(ref: Ref, actor: string, change: (policy: RolloutPolicy, production: number | undefined, modelId: number) => Promise<Change | null> | Change | null) {
    const modelId = await registry.requireModel(ref.project, ref.model);
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = deps.clock();
      const policy = await rollouts.ensure(modelId, now);
      const production = (await registry.getAlias(modelId, 'production'))?.version;
      const c = await change(policy, production, modelId);
      if (!c) return { modelId, policy, change: null };
      const written = await rollouts.write(modelId, c.policy, actor, now);
      if (!written) continue;
      if (c.promote !== undefined) await registry.setAlias(modelId, 'production', c.promote, actor, now);
      await registry.invalidateManifests(modelId, now);
      await registry.audit({ projectId: ref.project, model: ref.model, actor, action: c.action, detail: c.detail, reason: c.reason ?? null }, now);
      return { modelId, policy: written, change: c };
    }
    throw new OutpostError('CONFLICT', `the rollout of ${ref.model} is being changed by someone else; try again`);
  }

  async function metricsFor(ref: Ref, policy: RolloutPolicy, production: number | undefined): Promise<Map<number, VersionMetrics>> {
    const since = policy.stageStartedAt ?? deps.clock();
    const versions = [...guardedVersions(policy, production), ...(production !== undefined ? [production] : [])];
    return inferences.guardMetrics(ref.project, ref.model, since, versions);
  }

  const history = (p: RolloutPolicy, action: string, actor: string, detail: string) => withHistory(p, { at: deps.clock(), action, actor, detail });

  /** A manual step's reason: required for a rollback, optional elsewhere. */
  const why = (reason: string | undefined) => (reason ? `: ${reason}` : '');

  return {
    async view(ref: Ref): Promise<RolloutView> {
      const modelId = await registry.requireModel(ref.project, ref.model);
      const now = deps.clock();
      const policy = await rollouts.ensure(modelId, now);
      const production = (await registry.getAlias(modelId, 'production'))?.version;
      const live = splitIsLive(policy);
      const metrics = live ? await metricsFor(ref, policy, production) : new Map<number, VersionMetrics>();
      const guarded = live ? guardedVersions(policy, production) : [];
      const guards: RolloutView['guards'] = [
        ...guarded.map((v) => ({ version: v, role: (policy.weights ? 'weighted' : 'candidate') as 'candidate' | 'weighted', metrics: metrics.get(v) ?? EMPTY, verdict: judge(policy.guards, metrics.get(v)) })),
        ...(live && production !== undefined && !guarded.includes(production) ? [{ version: production, role: 'production' as const, metrics: metrics.get(production) ?? EMPTY, verdict: null }] : []),
      ];
      const dry = step({ policy, production, metrics, now });
      const next = dry.event ? `the next evaluation will ${dry.event.action.slice('rollout.'.length)}: ${dry.event.reason}` : dry.waiting ?? '';
      return {
        model: ref.model,
        production: production ?? null,
        policy,
        percent: candidatePercent(policy),
        stageEndsAt: live && !policy.weights && policy.candidate !== null && policy.stageStartedAt !== null ? policy.stageStartedAt + policy.stageMinutes * 60_000 : null,
        guards,
        mix: await inferences.versionMix(ref.project, ref.model, now - MIX_WINDOW_MS),
        next,
      };
    },

    /** Replace the editable policy (PUT): every version it names must exist. */
    async replace(ref: Ref, input: z.output<typeof PolicyInputSchema>, actor: string) {
      return mutate(ref, actor, async (policy, _production, modelId) => {
        const issues: ErrorIssue[] = [];
        for (const named of versionsNamed(input)) {
          if (!(await registry.getVersion(modelId, named.version))) issues.push({ path: named.path, message: `${ref.model} has no version ${named.version}` });
        }
        if (issues.length > 0) throw new OutpostError('VALIDATION_FAILED', `invalid body: ${issues[0]!.path}: ${issues[0]!.message}`, { issues });
        let next = applyInput(policy, input);
        const now = deps.clock();
        // A fixed split is live as soon as it is set; a policy with nothing to split is idle.
        if (next.weights && !splitIsLive(policy)) next = { ...next, state: 'running', stage: 0, stageStartedAt: now };
        if (splitIsLive(next) && !next.weights && next.candidate === null) next = { ...next, state: 'idle' };
        const editable = (p: RolloutPolicy) => ({ salt: p.salt, candidate: p.candidate, stages: p.stages, stageMinutes: p.stageMinutes, weights: p.weights, rules: p.rules, pins: p.pins, guards: p.guards, state: p.state });
        next = history(next, 'update', actor, next.salt !== policy.salt ? 'policy replaced (new salt: every bucket reshuffled)' : 'policy replaced');
        return { policy: next, action: 'rollout.update', detail: { before: editable(policy), after: editable(next) } };
      });
    },

    async start(ref: Ref, req: { version: number; stages?: number[] | undefined; stageMinutes?: number | undefined; guards?: Partial<Guards> | undefined; reason?: string | undefined }, actor: string) {
      return mutate(ref, actor, async (policy, production, modelId) => {
        await requireVersion(modelId, ref.model, req.version);
        if (splitIsLive(policy)) throw conflict(`a rollout of ${ref.model} is ${policy.state}${policy.candidate !== null ? ` (version ${policy.candidate})` : ''}: roll it back or let it complete first`);
        if (production === undefined) throw conflict(`${ref.model} has no production version to roll out from: publish one first`, 'version');
        if (req.version === production) throw conflict(`version ${req.version} is already production`, 'version');
        const now = deps.clock();
        let next: RolloutPolicy = {
          ...policy,
          candidate: req.version,
          weights: null,
          stages: req.stages ?? policy.stages,
          stageMinutes: req.stageMinutes ?? policy.stageMinutes,
          guards: { ...policy.guards, ...req.guards },
          state: 'running',
          stage: 0,
          stageStartedAt: now,
        };
        next = history(next, 'start', actor, `version ${req.version} at ${next.stages[0]} % (stages ${next.stages.join(' → ')} %, ${next.stageMinutes} min each)${why(req.reason)}`);
        return { policy: next, action: 'rollout.start', reason: req.reason, detail: { version: req.version, from: production, stages: next.stages, stageMinutes: next.stageMinutes, guards: next.guards } };
      });
    },

    async pause(ref: Ref, reason: string | undefined, actor: string) {
      return mutate(ref, actor, (policy) => {
        if (policy.state !== 'running') throw conflict(`the rollout of ${ref.model} is ${policy.state}, not running`);
        return { policy: history({ ...policy, state: 'paused' }, 'pause', actor, `paused${why(reason)}`), action: 'rollout.pause', reason, detail: { stage: policy.stage } };
      });
    },

    /** Resume a paused rollout; the stage's clock (and its metric window) starts again. */
    async resume(ref: Ref, reason: string | undefined, actor: string) {
      return mutate(ref, actor, (policy) => {
        if (policy.state !== 'paused') throw conflict(`the rollout of ${ref.model} is ${policy.state}, not paused`);
        return { policy: history({ ...policy, state: 'running', stageStartedAt: deps.clock() }, 'resume', actor, `resumed${why(reason)}`), action: 'rollout.resume', reason, detail: { stage: policy.stage } };
      });
    },

    /** Go to the next stage now, without waiting or samples; past the last stage, complete. */
    async advance(ref: Ref, reason: string | undefined, actor: string) {
      return mutate(ref, actor, (policy, production) => {
        if (!splitIsLive(policy) || policy.candidate === null || policy.weights) throw conflict(`no staged rollout of ${ref.model} is live (it is ${policy.state})`);
        const now = deps.clock();
        if (policy.stage >= policy.stages.length - 1) {
          const next = history({ ...policy, state: 'completed', stageStartedAt: now }, 'complete', actor, `production → version ${policy.candidate}${why(reason)}`);
          return { policy: next, action: 'rollout.complete', reason, detail: { version: policy.candidate, alias: 'production', from: production ?? null, to: policy.candidate }, promote: policy.candidate };
        }
        const next = { ...policy, stage: policy.stage + 1, stageStartedAt: now };
        return {
          policy: history(next, 'advance', actor, `to ${next.stages[next.stage]} % (manual)${why(reason)}`),
          action: 'rollout.advance',
          reason,
          detail: { version: policy.candidate, from: policy.stages[policy.stage], to: next.stages[next.stage], manual: true },
        };
      });
    },

    /** Instant: every device back on production (the candidate at 0 %). */
    async rollback(ref: Ref, reason: string, actor: string) {
      return mutate(ref, actor, (policy) => {
        if (!splitIsLive(policy)) throw conflict(`the rollout of ${ref.model} is ${policy.state}: nothing to roll back`);
        const next = history({ ...policy, state: 'rolled_back', stageStartedAt: deps.clock() }, 'rollback', actor, `rolled back${why(reason)}`);
        return { policy: next, action: 'rollout.rollback', reason, detail: { version: policy.candidate, weights: policy.weights, from: policy.weights ? 'weights' : `${candidatePercent(policy)} %`, to: 'production' } };
      });
    },

    async pin(ref: Ref, installId: string, version: number, reason: string | undefined, actor: string) {
      return mutate(ref, actor, async (policy, _p, modelId) => {
        await requireVersion(modelId, ref.model, version);
        const pins = { ...policy.pins, [installId]: version };
        return { policy: history({ ...policy, pins }, 'pin', actor, `${installId} → version ${version}${why(reason)}`), action: 'rollout.pin', reason, detail: { installId, from: policy.pins[installId] ?? null, to: version } };
      });
    },

    async unpin(ref: Ref, installId: string, reason: string | undefined, actor: string) {
      return mutate(ref, actor, (policy) => {
        if (policy.pins[installId] === undefined) throw new OutpostError('NOT_FOUND', `${installId} is not pinned`, { issues: [{ path: 'installId', message: 'not pinned' }] });
        const { [installId]: was, ...pins } = policy.pins;
        return { policy: history({ ...policy, pins }, 'unpin', actor, `${installId} unpinned${why(reason)}`), action: 'rollout.unpin', reason, detail: { installId, from: was } };
      });
    },

    /** The automatic step for one model (actor `system`): advance, complete, roll back, or wait. */
    async evaluate(ref: Ref): Promise<{ event: StepEvent | null; waiting: string | null }> {
      let waiting: string | null = null;
      const r = await mutate(ref, SYSTEM, async (policy, production) => {
        const firing = (await alerts.firingGuards(ref.project, ref.model)).map((r) => ({ name: r.name, version: r.params.version === undefined ? undefined : Number(r.params.version), value: r.lastValue }));
        const result = step({ policy, production, metrics: await metricsFor(ref, policy, production), now: deps.clock(), firingAlerts: firing });
        waiting = result.waiting;
        return result.event ? { policy: result.policy, action: result.event.action, detail: result.event.detail, reason: result.event.reason, promote: result.event.promote } : null;
      });
      const event = r.change ? ({ action: r.change.action, reason: r.change.reason ?? '', detail: r.change.detail, ...(r.change.promote !== undefined ? { promote: r.change.promote } : {}) } as StepEvent) : null;
      return { event, waiting: event ? null : waiting };
    },

    /** Evaluate every live rollout (the Node interval and the Workers cron); one model's failure does not stop the others. */
    async tick(onError: (model: string, e: unknown) => void = (m, e) => console.error(`rollout tick for ${m} failed`, e)) {
      const done: Array<{ project: string; model: string; event: StepEvent | null }> = [];
      for (const live of await rollouts.listLive()) {
        try {
          const r = await this.evaluate({ project: live.projectId, model: live.model });
          done.push({ project: live.projectId, model: live.model, event: r.event });
        } catch (e) {
          onError(`${live.projectId}/${live.model}`, e);
        }
      }
      return done;
    },

    /**
     * The version a device gets and why. Without a device context (an SDK that sends none) there is
     * no assignment: the production version. NOT_FOUND when nothing applies.
     */
    async resolve(project: string, model: string, context: DeviceContext | undefined): Promise<{ modelId: number; version: ModelVersion; assignment: Assignment | undefined }> {
      const nothing = () => new OutpostError('NOT_FOUND', `model ${model} has no published version`, { issues: [{ path: 'model', message: 'nothing published' }] });
      const modelId = await registry.modelId(project, model);
      if (modelId === undefined) throw nothing();
      const production = (await registry.getAlias(modelId, 'production'))?.version;
      let assignment: Assignment | undefined;
      if (context) {
        const policy = await rollouts.ensure(modelId, deps.clock());
        assignment = assign({ policy, production, context, bucket: await bucketOf(policy.salt, model, context.installId) }) ?? undefined;
        // A pin, rule or split below the model's minimum version would be refused by the device.
        if (assignment && assignment.version !== production && assignment.version < (await registry.minVersion(modelId))) {
          const below = `version ${assignment.version} (${assignment.reason}) is below the minimum version`;
          assignment = production === undefined ? undefined : { version: production, bucket: assignment.bucket, reason: 'default', detail: `${below}: production version` };
        }
      }
      const chosen = assignment?.version ?? production;
      const version = chosen === undefined ? undefined : await registry.getVersion(modelId, chosen);
      if (!version) throw nothing();
      return { modelId, version, assignment };
    },
  };
}
export type RolloutService = ReturnType<typeof createRolloutService>;
