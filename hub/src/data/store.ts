import { and, desc, eq } from 'drizzle-orm';
import { OutpostError } from '@outpost/shared';
import type { Db } from '../db/client.ts';
import { datasets, datasetVersions } from '../db/schema.ts';
import type { DatasetFormat } from './parse.ts';
import { normalizeColumns, type ColumnInfo } from './column-types.ts';

export interface DatasetVersion {
  id: number;
  dataset: string;
  version: number;
  sha256: string;
  format: DatasetFormat;
  size: number;
  rowCount: number;
  columns: ColumnInfo[];
  profileSha256: string | null;
  validationSha256: string | null;
  validationSuccess: boolean | null;
  parents: number[];
  operation: VersionOperation | null;
  message: string | null;
  author: string | null;
  createdAt: number;
}

/** What made a version: an upload, or an operation on other versions, with its parameters. */
export interface VersionOperation {
  kind: 'upload' | 'split' | 'clean' | 'label' | 'synthesize';
  params: Record<string, unknown>;
}

export type NewVersion = Pick<
  DatasetVersion,
  'sha256' | 'format' | 'size' | 'rowCount' | 'columns' | 'validationSha256' | 'validationSuccess' | 'parents' | 'operation' | 'message' | 'author'
> & { profileSha256: string };

export function createDatasetStore(db: Db) {
  const versionSelect = {
    id: datasetVersions.id,
    dataset: datasets.name,
    version: datasetVersions.version,
    sha256: datasetVersions.sha256,
    format: datasetVersions.format,
    size: datasetVersions.size,
    rowCount: datasetVersions.rowCount,
    columns: datasetVersions.columns,
    profileSha256: datasetVersions.profileSha256,
    validationSha256: datasetVersions.validationSha256,
    validationSuccess: datasetVersions.validationSuccess,
    parents: datasetVersions.parents,
    operation: datasetVersions.operation,
    message: datasetVersions.message,
    author: datasetVersions.author,
    createdAt: datasetVersions.createdAt,
  };
  // Columns stored before types were refined said 'numeric': read them as today's types.
  const cast = (rows: unknown[]) => (rows as DatasetVersion[]).map((v) => ({ ...v, columns: normalizeColumns(v.columns) }));

  async function datasetId(projectId: string, name: string, now?: number): Promise<number | undefined> {
    if (now !== undefined) {
      await db.insert(datasets).values({ projectId, name, createdAt: now }).onConflictDoNothing();
    }
    const rows = await db
      .select({ id: datasets.id })
      .from(datasets)
      .where(and(eq(datasets.projectId, projectId), eq(datasets.name, name)));
    return rows[0]?.id;
  }

  return {
    /**
     * Add a version unless the same bytes are already a version of this dataset.
     * Versions are numbered 1, 2, … per dataset; a concurrent add retries on the unique index.
     */
    async addVersion(
      projectId: string,
      name: string,
      v: NewVersion,
      now: number,
    ): Promise<{ version: DatasetVersion; created: boolean }> {
      const id = (await datasetId(projectId, name, now))!;
      for (let attempt = 0; attempt < 5; attempt++) {
        const existing = await this.versionWithHash(projectId, name, v.sha256);
        if (existing) return { version: existing, created: false };
        const last = await db
          .select({ version: datasetVersions.version })
          .from(datasetVersions)
          .where(eq(datasetVersions.datasetId, id))
          .orderBy(desc(datasetVersions.version))
          .limit(1);
        const inserted = await db
          .insert(datasetVersions)
          .values({ datasetId: id, version: (last[0]?.version ?? 0) + 1, ...v, createdAt: now })
          .onConflictDoNothing()
          .returning({ id: datasetVersions.id });
        if (inserted.length > 0) {
          return { version: (await this.getVersion(projectId, name, (last[0]?.version ?? 0) + 1))!, created: true };
        }
      }
      throw new OutpostError('CONFLICT', `dataset ${name} is being written concurrently; try again`);
    },

    /** Attach an expectation suite (by blob address) to a dataset, creating the dataset if needed. */
    async setSuite(projectId: string, name: string, suiteSha256: string, now: number): Promise<void> {
      const id = (await datasetId(projectId, name, now))!;
      await db.update(datasets).set({ suiteSha256 }).where(eq(datasets.id, id));
    },
    /** The attached suite's address; null when none is attached, undefined when there is no such dataset. */
    async suiteOf(projectId: string, name: string): Promise<string | null | undefined> {
      const rows = await db.select({ suite: datasets.suiteSha256 }).from(datasets).where(and(eq(datasets.projectId, projectId), eq(datasets.name, name)));
      return rows[0] === undefined ? undefined : rows[0].suite;
    },

    async list(projectId: string) {
      return db.select().from(datasets).where(eq(datasets.projectId, projectId)).orderBy(datasets.name);
    },

    async listVersions(projectId: string, name: string): Promise<DatasetVersion[]> {
      return cast(
        await db
          .select(versionSelect)
          .from(datasetVersions)
          .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
          .where(and(eq(datasets.projectId, projectId), eq(datasets.name, name)))
          .orderBy(desc(datasetVersions.version)),
      );
    },

    /** The version of this dataset with these exact bytes, if any. */
    async versionWithHash(projectId: string, name: string, sha256: string): Promise<DatasetVersion | undefined> {
      return cast(
        await db
          .select(versionSelect)
          .from(datasetVersions)
          .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
          .where(and(eq(datasets.projectId, projectId), eq(datasets.name, name), eq(datasetVersions.sha256, sha256))),
      )[0];
    },

    /** A version by number, or the latest when `version` is omitted. */
    async getVersion(projectId: string, name: string, version?: number): Promise<DatasetVersion | undefined> {
      const rows = cast(
        await db
          .select(versionSelect)
          .from(datasetVersions)
          .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId))
          .where(
            and(
              eq(datasets.projectId, projectId),
              eq(datasets.name, name),
              version === undefined ? undefined : eq(datasetVersions.version, version),
            ),
          )
          .orderBy(desc(datasetVersions.version))
          .limit(1),
      );
      return rows[0];
    },

    /** Profiles are derived data: a version made before profiling existed gets one later. */
    async setProfile(id: number, profileSha256: string): Promise<void> {
      await db.update(datasetVersions).set({ profileSha256 }).where(eq(datasetVersions.id, id));
    },

    async getVersionById(id: number): Promise<DatasetVersion | undefined> {
      return cast(
        await db.select(versionSelect).from(datasetVersions).innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId)).where(eq(datasetVersions.id, id)),
      )[0];
    },
  };
}
export type DatasetStore = ReturnType<typeof createDatasetStore>;
