import { OutpostError, type SignedManifest } from '@outpost/shared';
import type { HubDeps } from '../deps.ts';
import { createProjectStore } from '../projects/store.ts';
import { createManifestSigner } from './manifest.ts';
import type { SigningKeyInfo } from './signing-keys.ts';
import { splitIsLive } from '../rollout/assign.ts';
import { withHistory } from '../rollout/policy.ts';
import { createRolloutStore } from '../rollout/store.ts';
import { createRegistryStore, HUB_WIDE } from './store.ts';
import { ALIAS_PATTERN, PRODUCTION, type AliasView } from './wire.ts';

export { HUB_WIDE } from './store.ts';

/** Who changes something and why: every change is audited with both. */
export interface Change {
  actor: string;
  reason?: string | undefined;
}

const blank = (reason: string | undefined) => (reason === undefined || reason.trim() === '' ? null : reason.trim());

/**
 * The registry's changes, shared by the API and the console: each checks what it changes, makes
 * the change, re-signs manifests when what devices run changed, and records it in the audit log
 * (who, what before and after, when, why).
 * @example await createRegistryOperations(deps).setAlias({ project, model, alias: 'staging', version: 3, actor, reason });
 */
export function createRegistryOperations(deps: HubDeps) {
  const projects = createProjectStore(deps.db);
  const registry = createRegistryStore(deps.db);
  const signer = createManifestSigner({ registry, keys: deps.keys, clock: deps.clock });
  const rollouts = createRolloutStore(deps.db);

  async function requireModel(project: string, model: string): Promise<number> {
    await projects.require(project);
    return registry.requireModel(project, model);
  }
  async function requireVersion(project: string, model: string, version: number) {
    const modelId = await requireModel(project, model);
    const v = Number.isInteger(version) ? await registry.getVersion(modelId, version) : undefined;
    if (!v) throw new OutpostError('NOT_FOUND', `model ${model} has no version ${version}`, { issues: [{ path: 'version', message: 'not found' }] });
    return { modelId, v };
  }
  function checkAlias(alias: string) {
    if (!ALIAS_PATTERN.test(alias)) throw new OutpostError('VALIDATION_FAILED', `alias "${alias}": use 1-32 lowercase letters, digits or -`, { issues: [{ path: 'alias', message: 'use 1-32 lowercase letters, digits or -' }] });
  }

  /**
   * Point an alias at a version. `production` is what devices run: it may not go below the
   * model's minimum version, it records a publication, and the model's manifests are re-signed.
   */
  async function moveAlias(input: { project: string; model: string; alias: string; version: number; action: string } & Change): Promise<{ alias: AliasView; manifest?: SignedManifest }> {
    checkAlias(input.alias);
    const { project, model, alias, version, actor } = input;
    const { modelId, v } = await requireVersion(project, model, version);
    const now = deps.clock();
    if (alias === PRODUCTION) {
      const min = await registry.minVersion(modelId);
      if (version < min) throw new OutpostError('CONFLICT', `version ${version} is below ${model}'s minimum version ${min}: devices refuse it`, { issues: [{ path: 'version', message: `below the minimum version ${min}` }] });
    }
    // A live rollout decides what devices run: moving production under it would leave it splitting
    // devices between a candidate and a baseline nobody chose. Its own candidate may be published
    // (that completes it); any other version waits until it is rolled back or done.
    const live = alias === PRODUCTION ? await rollouts.get(modelId) : undefined;
    if (live && splitIsLive(live) && live.candidate !== version) {
      const what = live.candidate === null ? 'fixed version weights are' : `a rollout of version ${live.candidate} is`;
      const message = `${what} ${live.state} for ${model}: roll it back (outpost rollout rollback ${model} --reason …) or let it finish before moving production to version ${version}`;
      throw new OutpostError('CONFLICT', message, { issues: [{ path: 'version', message: `${what} ${live.state}` }] });
    }
    const before = await registry.getAlias(modelId, alias);
    await registry.setAlias(modelId, alias, version, actor, now);
    let manifest: SignedManifest | undefined;
    if (alias === PRODUCTION) {
      await registry.invalidateManifests(modelId, now);
      manifest = await signer.signedFor({ project, model, modelId }, v);
      await registry.recordPublication(modelId, version, manifest, now);
    }
    await registry.audit({ projectId: project, model, actor, action: input.action, detail: { alias, from: before?.version ?? null, to: version }, reason: blank(input.reason) }, now);
    if (live && splitIsLive(live)) {
      // Its candidate went to everyone by hand: the rollout is done (a concurrent change to it wins).
      const done = withHistory({ ...live, state: 'completed', stageStartedAt: now }, { at: now, action: 'complete', actor, detail: `production → version ${version}, published by hand` });
      if (await rollouts.write(modelId, done, actor, now)) {
        await registry.audit({ projectId: project, model, actor, action: 'rollout.complete', detail: { version, from: `${live.state} at stage ${live.stage + 1}`, to: 'production' }, reason: 'published by hand' }, now);
      }
    }
    return { alias: { alias, version, updatedAt: now, updatedBy: actor }, ...(manifest ? { manifest } : {}) };
  }

  return {
    requireModel,
    requireVersion,

    /** Publish: move `production` to this version and sign its manifest. */
    async publish(input: { project: string; model: string; version: number } & Change): Promise<{ version: number; manifest: SignedManifest }> {
      const { manifest } = await moveAlias({ ...input, alias: PRODUCTION, action: 'version.publish' });
      return { version: input.version, manifest: manifest! };
    },

    setAlias: async (input: { project: string; model: string; alias: string; version: number } & Change): Promise<AliasView> =>
      (await moveAlias({ ...input, action: 'alias.set' })).alias,

    /** Remove an alias; `production` cannot go (devices run it): move it instead. */
    async removeAlias(input: { project: string; model: string; alias: string } & Change): Promise<{ alias: string; version: number }> {
      checkAlias(input.alias);
      const { project, model, alias, actor } = input;
      if (alias === PRODUCTION) throw new OutpostError('CONFLICT', 'production is what devices run and cannot be removed; move it to another version instead', { issues: [{ path: 'alias', message: 'production cannot be removed' }] });
      const modelId = await requireModel(project, model);
      const before = await registry.getAlias(modelId, alias);
      if (!before || !(await registry.removeAlias(modelId, alias))) throw new OutpostError('NOT_FOUND', `model ${model} has no alias ${alias}`, { issues: [{ path: 'alias', message: 'not found' }] });
      await registry.audit({ projectId: project, model, actor, action: 'alias.remove', detail: { alias, from: before.version, to: null }, reason: blank(input.reason) }, deps.clock());
      return { alias, version: before.version };
    },

    /**
     * The lowest version devices may run, signed into every manifest. It must exist and be at most
     * the production version: otherwise devices would have nothing they may run.
     */
    async setMinVersion(input: { project: string; model: string; version: number } & Change): Promise<{ minVersion: number }> {
      const { project, model, version, actor } = input;
      const { modelId } = await requireVersion(project, model, version);
      const production = await registry.getAlias(modelId, PRODUCTION);
      if (!production || version > production.version) {
        const why = production ? `above the production version ${production.version}` : 'nothing is published yet';
        throw new OutpostError('CONFLICT', `minimum version ${version} of ${model}: ${why}, so devices would have nothing to run; publish first`, { issues: [{ path: 'version', message: why }] });
      }
      const before = await registry.minVersion(modelId);
      await registry.setMinVersion(modelId, version);
      await registry.invalidateManifests(modelId, deps.clock());
      await registry.audit({ projectId: project, model, actor, action: 'model.min-version', detail: { from: before, to: version }, reason: blank(input.reason) }, deps.clock());
      return { minVersion: version };
    },

    /** A new signing key in status `next` (apps can ship it before it signs). 501 where keys are secrets. */
    async createKey(input: Change): Promise<SigningKeyInfo> {
      const key = await deps.keys.create();
      await registry.audit({ projectId: HUB_WIDE, actor: input.actor, action: 'key.create', detail: { keyId: key.keyId, status: key.status }, reason: blank(input.reason) }, deps.clock());
      return key;
    },

    /** Make a key the active one; every manifest is re-signed with it on its next request (the signer compares key ids). */
    async activateKey(input: { keyId: string } & Change): Promise<{ active: SigningKeyInfo; retired: SigningKeyInfo }> {
      const r = await deps.keys.activate(input.keyId);
      await registry.audit({ projectId: HUB_WIDE, actor: input.actor, action: 'key.activate', detail: { from: r.retired.keyId, to: r.active.keyId }, reason: blank(input.reason) }, deps.clock());
      return r;
    },

    /** A project's audit trail, newest first: its own entries and the hub-wide ones (keys), or one model's. */
    async listAudit(project: string, filter: { model?: string | undefined; limit?: number | undefined } = {}) {
      await projects.require(project);
      const entries = await registry.listAudit(filter.model === undefined ? [project, HUB_WIDE] : project, filter);
      return entries.map(auditToWire);
    },
  };
}
export type RegistryOperations = ReturnType<typeof createRegistryOperations>;

/** An audit entry as the API shows it: `project` is `*` for hub-wide changes. */
export function auditToWire(e: { id: number; projectId: string; model: string | null; actor: string; action: string; detail: Record<string, unknown>; reason: string | null; createdAt: number }) {
  return { id: e.id, project: e.projectId, model: e.model, actor: e.actor, action: e.action, detail: e.detail, reason: e.reason, createdAt: e.createdAt };
}
