import { and, desc, eq, sql } from 'drizzle-orm';
import type { ErrorBody } from '@outpost/shared';
import type { Db } from '../db/client.ts';
import { models, runEpochs, runs, searches } from '../db/schema.ts';
import type { TrainConfig, TrainEvaluation, TrainMetrics } from './types.ts';
import type { AcceptanceVerdict } from './gates.ts';

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** What a run was made from: enough to make it again. */
export interface RunLineage {
  dataset: string;
  datasetVersion: number;
  datasetSha256: string;
  splitHash: string | null;
  featuresHash: string | null;
  /** The training code: a git commit (and whether the tree had uncommitted changes) or a version the caller supplied. */
  code: { commit: string; dirty: boolean } | { version: string } | null;
  seed: number;
}

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
  tags: string[];
  notes: string | null;
  lineage: RunLineage | null;
  system: Record<string, string | number> | null;
  evaluation: TrainEvaluation | null;
  acceptance: (AcceptanceVerdict & { override: string | null }) | null;
}

export type EpochRecord = { epoch: number } & Record<string, number>;

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
    tags: runs.tags,
    notes: runs.notes,
    lineage: runs.lineage,
    system: runs.system,
    evaluation: runs.evaluation,
    acceptance: runs.acceptance,
  };
  return {
    async create(run: { id: string; modelId: number; datasetVersionId: number; config: TrainConfig; tags: string[]; notes: string | null; lineage: RunLineage | null }, now: number) {
      await db.insert(runs).values({ ...run, status: 'queued', createdAt: now });
    },
    async modelIdOf(projectId: string, model: string): Promise<number | undefined> {
      const rows = await db.select({ id: models.id }).from(models).where(and(eq(models.projectId, projectId), eq(models.name, model)));
      return rows[0]?.id;
    },
    /** Runs of a project, newest first, optionally of one model or with one tag. */
    async list(projectId: string, filter: { model?: string | undefined; tag?: string | undefined; limit: number }): Promise<Run[]> {
      const rows = (await db
        .select(select)
        .from(runs)
        .innerJoin(models, eq(models.id, runs.modelId))
        .where(and(eq(models.projectId, projectId), filter.model === undefined ? undefined : eq(models.name, filter.model)))
        // Runs created in the same millisecond (a search's trials, started together) newest-inserted first.
        .orderBy(desc(runs.createdAt), desc(sql`${runs}.rowid`))) as Run[];
      // Tags are a short JSON list per run: filtered here rather than with SQL JSON functions D1 and libSQL spell alike.
      return (filter.tag === undefined ? rows : rows.filter((r) => r.tags.includes(filter.tag!))).slice(0, filter.limit);
    },
    async annotate(id: string, change: { tags?: string[] | undefined; notes?: string | null | undefined }) {
      const set = { ...(change.tags ? { tags: change.tags } : {}), ...(change.notes !== undefined ? { notes: change.notes } : {}) };
      if (Object.keys(set).length > 0) await db.update(runs).set(set).where(eq(runs.id, id));
    },
    async recordEpoch(id: string, metrics: EpochRecord) {
      const { epoch, ...values } = metrics;
      await db.insert(runEpochs).values({ runId: id, epoch, metrics: values }).onConflictDoNothing();
    },
    async epochs(id: string): Promise<EpochRecord[]> {
      const rows = await db.select().from(runEpochs).where(eq(runEpochs.runId, id)).orderBy(runEpochs.epoch);
      return rows.map((r) => ({ epoch: r.epoch, ...(r.metrics as Record<string, number>) }));
    },
    async setOutcomeDetails(id: string, details: { lineage?: RunLineage; system: Run['system']; evaluation: TrainEvaluation; acceptance: Run['acceptance'] }) {
      await db.update(runs).set(details).where(eq(runs.id, id));
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
    async finish(id: string, outcome: { status: 'succeeded'; metrics: Run['metrics']; modelVersion: number | null } | { status: 'failed'; error: ErrorBody['error']; metrics?: Run['metrics'] }, now: number) {
      await db.update(runs).set({ ...outcome, finishedAt: now }).where(eq(runs.id, id));
    },
  };
}
export type RunStore = ReturnType<typeof createRunStore>;

export type SearchStatus = RunStatus;

export interface Search {
  id: string;
  project: string;
  model: string;
  datasetVersionId: number;
  spec: Record<string, unknown>;
  status: SearchStatus;
  bestRunId: string | null;
  finalRunId: string | null;
  error: ErrorBody['error'] | null;
  createdAt: number;
  finishedAt: number | null;
}

export function createSearchStore(db: Db) {
  const select = {
    id: searches.id,
    project: models.projectId,
    model: models.name,
    datasetVersionId: searches.datasetVersionId,
    spec: searches.spec,
    status: searches.status,
    bestRunId: searches.bestRunId,
    finalRunId: searches.finalRunId,
    error: searches.error,
    createdAt: searches.createdAt,
    finishedAt: searches.finishedAt,
  };
  return {
    async create(s: { id: string; modelId: number; datasetVersionId: number; spec: Record<string, unknown> }, now: number) {
      await db.insert(searches).values({ ...s, status: 'queued', createdAt: now });
    },
    async get(id: string, projectId?: string): Promise<Search | undefined> {
      const rows = await db
        .select(select)
        .from(searches)
        .innerJoin(models, eq(models.id, searches.modelId))
        .where(projectId === undefined ? eq(searches.id, id) : and(eq(searches.id, id), eq(models.projectId, projectId)));
      return rows[0] as Search | undefined;
    },
    async markRunning(id: string) {
      await db.update(searches).set({ status: 'running' }).where(eq(searches.id, id));
    },
    async setBest(id: string, bestRunId: string) {
      await db.update(searches).set({ bestRunId }).where(eq(searches.id, id));
    },
    async finish(id: string, outcome: { status: 'succeeded' | 'failed'; finalRunId?: string | null; error?: ErrorBody['error'] | null }, now: number) {
      await db.update(searches).set({ ...outcome, finishedAt: now }).where(eq(searches.id, id));
    },
  };
}
export type SearchStore = ReturnType<typeof createSearchStore>;
