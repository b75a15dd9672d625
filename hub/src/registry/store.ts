import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { OutpostError, type FeatureSpec, type SignedManifest } from '@outpost/shared';
import type { Db } from '../db/client.ts';
import { auditLog, modelAliases, modelVersions, models, publications, signedManifests } from '../db/schema.ts';
import type { TensorInfo } from '../training/types.ts';

/** Audit entries about the hub as a whole (signing keys) carry this project id; no project can be named so. */
export const HUB_WIDE = '*';

/** The inputs, outputs and feature pipeline a model version was built with (what a manifest carries). */
export interface ModelSignature {
  input: TensorInfo;
  output: TensorInfo;
  features: FeatureSpec;
}

export interface ModelVersion {
  version: number;
  runId: string | null;
  datasetVersionId: number | null;
  artifactSha256: string;
  artifactSize: number;
  signature: ModelSignature;
  metrics: Record<string, number> | null;
  referenceSha256: string | null;
  createdAt: number;
}

/** One audit log entry; `projectId` is `*` for hub-wide changes (signing keys). */
export interface AuditEntry {
  id: number;
  projectId: string;
  model: string | null;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
  reason: string | null;
  createdAt: number;
}

export function createRegistryStore(db: Db) {
  const versionSelect = {
    version: modelVersions.version,
    runId: modelVersions.runId,
    datasetVersionId: modelVersions.datasetVersionId,
    artifactSha256: modelVersions.artifactSha256,
    artifactSize: modelVersions.artifactSize,
    signature: modelVersions.signature,
    metrics: modelVersions.metrics,
    referenceSha256: modelVersions.referenceSha256,
    createdAt: modelVersions.createdAt,
  };

  return {
    /** The model's id, creating the model on first use. */
    async ensureModel(projectId: string, name: string, now: number): Promise<number> {
      await db.insert(models).values({ projectId, name, createdAt: now }).onConflictDoNothing();
      return (await this.modelId(projectId, name))!;
    },
    async modelId(projectId: string, name: string): Promise<number | undefined> {
      const rows = await db.select({ id: models.id }).from(models).where(and(eq(models.projectId, projectId), eq(models.name, name)));
      return rows[0]?.id;
    },
    async requireModel(projectId: string, name: string): Promise<number> {
      const id = await this.modelId(projectId, name);
      if (id === undefined) throw new OutpostError('NOT_FOUND', `no model ${name} in project ${projectId}`, { issues: [{ path: 'model', message: 'not found' }] });
      return id;
    },
    async listModels(projectId: string) {
      return db.select({ id: models.id, name: models.name, createdAt: models.createdAt }).from(models).where(eq(models.projectId, projectId)).orderBy(models.name);
    },

    /** Register the next version number; retried on the unique index if two registrations race. */
    async addVersion(modelId: number, v: Omit<ModelVersion, 'version' | 'createdAt' | 'referenceSha256'> & { referenceSha256?: string | null }, now: number): Promise<number> {
      for (let attempt = 0; attempt < 5; attempt++) {
        const [last] = await db
          .select({ max: sql<number | null>`max(${modelVersions.version})` })
          .from(modelVersions)
          .where(eq(modelVersions.modelId, modelId));
        const version = (last?.max ?? 0) + 1;
        const inserted = await db
          .insert(modelVersions)
          .values({ modelId, version, ...v, createdAt: now })
          .onConflictDoNothing()
          .returning({ version: modelVersions.version });
        if (inserted.length > 0) return version;
      }
      throw new OutpostError('CONFLICT', 'model versions are being registered concurrently; try again');
    },
    async listVersions(modelId: number): Promise<ModelVersion[]> {
      return (await db.select(versionSelect).from(modelVersions).where(eq(modelVersions.modelId, modelId)).orderBy(desc(modelVersions.version))) as ModelVersion[];
    },
    async getVersion(modelId: number, version: number): Promise<ModelVersion | undefined> {
      const rows = await db.select(versionSelect).from(modelVersions).where(and(eq(modelVersions.modelId, modelId), eq(modelVersions.version, version)));
      return rows[0] as ModelVersion | undefined;
    },

    /** Record a publish in the publication history (what devices run is the `production` alias). */
    async recordPublication(modelId: number, version: number, signedManifest: SignedManifest, now: number): Promise<void> {
      await db.insert(publications).values({ modelId, version, signedManifest, createdAt: now });
    },
    /** The version the `production` alias points to: what devices run unless a rollout says otherwise. */
    async currentPublication(modelId: number): Promise<{ version: number; createdAt: number } | undefined> {
      const alias = await this.getAlias(modelId, 'production');
      return alias ? { version: alias.version, createdAt: alias.updatedAt } : undefined;
    },

    async getAlias(modelId: number, alias: string): Promise<{ version: number; updatedAt: number; updatedBy: string } | undefined> {
      const rows = await db
        .select({ version: modelAliases.version, updatedAt: modelAliases.updatedAt, updatedBy: modelAliases.updatedBy })
        .from(modelAliases)
        .where(and(eq(modelAliases.modelId, modelId), eq(modelAliases.alias, alias)));
      return rows[0];
    },
    async listAliases(modelId: number): Promise<Array<{ alias: string; version: number; updatedAt: number; updatedBy: string }>> {
      return db
        .select({ alias: modelAliases.alias, version: modelAliases.version, updatedAt: modelAliases.updatedAt, updatedBy: modelAliases.updatedBy })
        .from(modelAliases)
        .where(eq(modelAliases.modelId, modelId))
        .orderBy(modelAliases.alias);
    },
    async setAlias(modelId: number, alias: string, version: number, actor: string, now: number): Promise<void> {
      await db
        .insert(modelAliases)
        .values({ modelId, alias, version, updatedAt: now, updatedBy: actor })
        .onConflictDoUpdate({ target: [modelAliases.modelId, modelAliases.alias], set: { version, updatedAt: now, updatedBy: actor } });
    },
    async removeAlias(modelId: number, alias: string): Promise<boolean> {
      const rows = await db
        .delete(modelAliases)
        .where(and(eq(modelAliases.modelId, modelId), eq(modelAliases.alias, alias)))
        .returning({ v: modelAliases.version });
      return rows.length > 0;
    },

    async minVersion(modelId: number): Promise<number> {
      const rows = await db.select({ v: models.minVersion }).from(models).where(eq(models.id, modelId));
      return rows[0]?.v ?? 1;
    },
    async setMinVersion(modelId: number, version: number): Promise<void> {
      await db.update(models).set({ minVersion: version }).where(eq(models.id, modelId));
    },

    /** The cached signed manifest of a version, if any. */
    async signedManifest(modelId: number, version: number): Promise<{ signed: SignedManifest; issuedAt: number; expiresAt: number } | undefined> {
      const rows = await db
        .select({ signed: signedManifests.signed, issuedAt: signedManifests.issuedAt, expiresAt: signedManifests.expiresAt })
        .from(signedManifests)
        .where(and(eq(signedManifests.modelId, modelId), eq(signedManifests.version, version)));
      return rows[0] as { signed: SignedManifest; issuedAt: number; expiresAt: number } | undefined;
    },
    async putSignedManifest(modelId: number, version: number, entry: { signed: SignedManifest; issuedAt: number; expiresAt: number }): Promise<void> {
      await db
        .insert(signedManifests)
        .values({ modelId, version, ...entry })
        .onConflictDoUpdate({ target: [signedManifests.modelId, signedManifests.version], set: entry });
    },
    /**
     * What the model's devices should run changed at `now`: forget its signed manifests; the next
     * ones are all issued at this change's instant (strictly after the previous change's).
     */
    async invalidateManifests(modelId: number, now: number): Promise<number> {
      const changedAt = Math.max(now, ((await this.manifestsChangedAt(modelId)) ?? 0) + 1);
      await db.batch([
        db.update(models).set({ manifestsChangedAt: changedAt }).where(eq(models.id, modelId)),
        db.delete(signedManifests).where(eq(signedManifests.modelId, modelId)),
      ]);
      return changedAt;
    },
    /** When what the model's devices should run last changed; undefined before its first manifest. */
    async manifestsChangedAt(modelId: number): Promise<number | undefined> {
      const rows = await db.select({ at: models.manifestsChangedAt }).from(models).where(eq(models.id, modelId));
      return rows[0]?.at ?? undefined;
    },

    async audit(entry: { projectId: string; model?: string | null; actor: string; action: string; detail: Record<string, unknown>; reason?: string | null }, now: number): Promise<void> {
      await db.insert(auditLog).values({ projectId: entry.projectId, model: entry.model ?? null, actor: entry.actor, action: entry.action, detail: entry.detail, reason: entry.reason ?? null, createdAt: now });
    },
    /** The key the newest hub-wide key change (`key.activate`, `key.deploy`) moved to, if any. */
    async lastActivatedKey(): Promise<string | undefined> {
      const rows = await db
        .select({ detail: auditLog.detail })
        .from(auditLog)
        .where(and(eq(auditLog.projectId, HUB_WIDE), inArray(auditLog.action, ['key.activate', 'key.deploy'])))
        .orderBy(desc(auditLog.id))
        .limit(1);
      const to = (rows[0]?.detail as { to?: unknown } | undefined)?.to;
      return typeof to === 'string' ? to : undefined;
    },
    /** Newest first: the entries of one project (or several, e.g. with the hub-wide `*`), optionally of one model. */
    async listAudit(projectId: string | string[], filter: { model?: string | undefined; limit?: number | undefined } = {}): Promise<AuditEntry[]> {
      const scope = Array.isArray(projectId) ? inArray(auditLog.projectId, projectId) : eq(auditLog.projectId, projectId);
      const rows = await db
        .select({ id: auditLog.id, projectId: auditLog.projectId, model: auditLog.model, actor: auditLog.actor, action: auditLog.action, detail: auditLog.detail, reason: auditLog.reason, createdAt: auditLog.createdAt })
        .from(auditLog)
        .where(filter.model === undefined ? scope : and(scope, eq(auditLog.model, filter.model)))
        .orderBy(desc(auditLog.id))
        .limit(filter.limit ?? 100);
      return rows as AuditEntry[];
    },
    /** Whether any model version of the project has this artifact (device downloads are scoped to their project). */
    async projectHasArtifact(projectId: string, sha256: string): Promise<boolean> {
      const rows = await db
        .select({ v: modelVersions.version })
        .from(modelVersions)
        .innerJoin(models, eq(models.id, modelVersions.modelId))
        .where(and(eq(models.projectId, projectId), eq(modelVersions.artifactSha256, sha256)))
        .limit(1);
      return rows.length > 0;
    },
  };
}
export type RegistryStore = ReturnType<typeof createRegistryStore>;
