import { and, desc, eq, sql } from 'drizzle-orm';
import { OutpostError, type FeatureSpec, type SignedManifest } from '@outpost/shared';
import type { Db } from '../db/client.ts';
import { modelVersions, models, publications } from '../db/schema.ts';
import type { TensorInfo } from '../training/types.ts';

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

    async publish(modelId: number, version: number, signedManifest: SignedManifest, now: number): Promise<void> {
      await db.insert(publications).values({ modelId, version, signedManifest, createdAt: now });
    },
    /** The newest publication of a model, if any. */
    async currentPublication(modelId: number): Promise<{ version: number; signedManifest: SignedManifest; createdAt: number } | undefined> {
      const rows = await db
        .select({ version: publications.version, signedManifest: publications.signedManifest, createdAt: publications.createdAt })
        .from(publications)
        .where(eq(publications.modelId, modelId))
        .orderBy(desc(publications.id))
        .limit(1);
      return rows[0] as { version: number; signedManifest: SignedManifest; createdAt: number } | undefined;
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
