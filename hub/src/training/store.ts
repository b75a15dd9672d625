import { and, desc, eq } from 'drizzle-orm';
import type { ErrorBody } from '@outpost/shared';
import type { Db } from '../db/client.ts';
import { models, runs } from '../db/schema.ts';
import type { TrainConfig, TrainMetrics } from './types.ts';

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface Run {
  id: string;
  project: string;
  model: string;
  datasetVersionId: number;
  config: TrainConfig;
  status: RunStatus;
  error: ErrorBody['error'] | null;
  metrics: (TrainMetrics & { parityMaxAbsDiff: number; trainMs: number }) | null;
  modelVersion: number | null;
  createdAt: number;
  finishedAt: number | null;
}

export function createRunStore(db: Db) {
  const select = {
    id: runs.id,
    project: models.projectId,
    model: models.name,
    datasetVersionId: runs.datasetVersionId,
    config: runs.config,
    status: runs.status,
    error: runs.error,
    metrics: runs.metrics,
    modelVersion: runs.modelVersion,
    createdAt: runs.createdAt,
    finishedAt: runs.finishedAt,
  };
  return {
    async create(run: { id: string; modelId: number; datasetVersionId: number; config: TrainConfig }, now: number) {
      await db.insert(runs).values({ ...run, status: 'queued', createdAt: now });
    },
    async get(id: string, projectId?: string): Promise<Run | undefined> {
      const rows = await db
        .select(select)
        .from(runs)
        .innerJoin(models, eq(models.id, runs.modelId))
        .where(projectId === undefined ? eq(runs.id, id) : and(eq(runs.id, id), eq(models.projectId, projectId)));
      return rows[0] as Run | undefined;
    },
    async listForModel(modelId: number): Promise<Run[]> {
      return (await db.select(select).from(runs).innerJoin(models, eq(models.id, runs.modelId)).where(eq(runs.modelId, modelId)).orderBy(desc(runs.createdAt))) as Run[];
    },
    async markRunning(id: string) {
      await db.update(runs).set({ status: 'running' }).where(eq(runs.id, id));
    },
    async finish(id: string, outcome: { status: 'succeeded'; metrics: Run['metrics']; modelVersion: number } | { status: 'failed'; error: ErrorBody['error'] }, now: number) {
      await db.update(runs).set({ ...outcome, finishedAt: now }).where(eq(runs.id, id));
    },
  };
}
export type RunStore = ReturnType<typeof createRunStore>;
