import { and, asc, eq } from 'drizzle-orm';
import { OutpostError } from '@outpost/shared';
import { chunkRows, D1_MAX_BOUND_PARAMS, type Db } from '../../db/client.ts';
import { datasets, datasetVersions, labels, labelSets } from '../../db/schema.ts';

export interface LabelSet {
  id: number;
  name: string;
  dataset: string;
  version: number;
  datasetVersionId: number;
  labelColumn: string;
  classes: string[];
  createdBy: string;
  createdAt: number;
}

export function createLabelStore(db: Db, maxParams = D1_MAX_BOUND_PARAMS) {
  const select = {
    id: labelSets.id,
    name: labelSets.name,
    dataset: datasets.name,
    version: datasetVersions.version,
    datasetVersionId: labelSets.datasetVersionId,
    labelColumn: labelSets.labelColumn,
    classes: labelSets.classes,
    createdBy: labelSets.createdBy,
    createdAt: labelSets.createdAt,
  };
  const base = () =>
    db
      .select(select)
      .from(labelSets)
      .innerJoin(datasetVersions, eq(datasetVersions.id, labelSets.datasetVersionId))
      .innerJoin(datasets, eq(datasets.id, datasetVersions.datasetId));

  return {
    async create(set: { projectId: string; name: string; datasetVersionId: number; labelColumn: string; classes: string[]; createdBy: string }, now: number): Promise<void> {
      const inserted = await db.insert(labelSets).values({ ...set, createdAt: now }).onConflictDoNothing().returning({ id: labelSets.id });
      if (inserted.length === 0) throw new OutpostError('CONFLICT', `label set ${set.name} already exists`, { issues: [{ path: 'name', message: 'taken' }] });
    },
    async get(projectId: string, name: string): Promise<LabelSet | undefined> {
      return (await base().where(and(eq(labelSets.projectId, projectId), eq(labelSets.name, name))))[0] as LabelSet | undefined;
    },
    async list(projectId: string): Promise<LabelSet[]> {
      return (await base().where(eq(labelSets.projectId, projectId)).orderBy(asc(labelSets.name))) as LabelSet[];
    },
    /** Label rows (1-based) as `labeler`; a row this labeler already labeled gets the new label. */
    async setLabels(labelSetId: number, rows: readonly number[], labeler: string, label: string, now: number): Promise<void> {
      const values = rows.map((row) => ({ labelSetId, row, labeler, label, createdAt: now }));
      const statements = chunkRows(values, 5, maxParams).map((chunk) =>
        db.insert(labels).values(chunk).onConflictDoUpdate({ target: [labels.labelSetId, labels.row, labels.labeler], set: { label, createdAt: now } }),
      );
      const [first, ...rest] = statements;
      if (first) await db.batch([first, ...rest]);
    },
    async labels(labelSetId: number) {
      return db
        .select({ row: labels.row, labeler: labels.labeler, label: labels.label, createdAt: labels.createdAt })
        .from(labels)
        .where(eq(labels.labelSetId, labelSetId))
        .orderBy(asc(labels.row), asc(labels.createdAt));
    },
  };
}
export type LabelStore = ReturnType<typeof createLabelStore>;
