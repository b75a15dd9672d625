import { OutpostError } from '@outpost/shared';
import type { HubDeps } from '../deps.ts';
import { createDatasetStore } from '../data/store.ts';
import { createTrainJob } from './jobs.ts';
import { halvingRungs, planTrials, topTrials, type SearchMethod, type SearchSpace, type TrialParams } from './search.ts';
import { createRunStore, createSearchStore, type RunLineage } from './store.ts';
import type { TrainConfig, Trainer } from './types.ts';

/** What a search request stores: the space, the method, the score, and the settings every trial shares. */
export interface SearchSpec {
  space: SearchSpace;
  method: SearchMethod;
  /** Trials are scored on validation rows; the test rows stay for the final model's gates. */
  metric: 'validationAccuracy' | 'validationLoss' | 'validationRmse';
  seed: number;
  base: TrainConfig;
  codeVersion: RunLineage['code'];
  tags: string[];
  /** Trials trained at once (at most the trainer's concurrency when the search runs); absent in searches from before: 1. */
  concurrency?: number;
}

interface Trial {
  runId: string;
  params: TrialParams;
  score: number | null;
}

/**
 * The queue job of a search: trains its trials as tracked runs (tagged `search:<id>` and `trial`,
 * not registered), up to `concurrency` at once (each rung's trials for successive halving, rungs in
 * order), then retrains the best trial's configuration as a normal run that is gated and registered
 * (training is deterministic, so that run reproduces the trial's model bit for bit). Trials start,
 * and their results are ranked, in plan order, so the best trial and the final model are the same
 * at any concurrency; a failed trial scores nothing and the search goes on.
 */
export function createSearchJob(deps: HubDeps) {
  const searches = createSearchStore(deps.db);
  const runs = createRunStore(deps.db);
  const datasets = createDatasetStore(deps.db);
  const trainRun = createTrainJob(deps);

  return async function search(searchId: string): Promise<void> {
    const s = await searches.get(searchId);
    if (!s || s.status !== 'queued') return;
    await searches.markRunning(searchId);
    try {
      const spec = s.spec as unknown as SearchSpec;
      const dv = await datasets.getVersionById(s.datasetVersionId);
      if (!dv) throw new OutpostError('NOT_FOUND', `dataset version ${s.datasetVersionId} is missing`);
      const modelId = (await runs.modelIdOf(s.project, s.model))!;
      const lineage: RunLineage = { dataset: dv.dataset, datasetVersion: dv.version, datasetSha256: dv.sha256, splitHash: null, featuresHash: null, code: spec.codeVersion, seed: spec.base.seed };
      const score = (metrics: Record<string, number> | null) => {
        const value = metrics?.[spec.metric];
        return value === undefined ? null : spec.metric === 'validationAccuracy' ? value : -value;
      };
      const train = async (config: TrainConfig, tags: string[]): Promise<{ runId: string; metrics: Record<string, number> | null }> => {
        const runId = crypto.randomUUID();
        await runs.create({ id: runId, modelId, datasetVersionId: dv.id, config, tags: [`search:${searchId}`, ...tags, ...spec.tags], notes: null, lineage }, deps.clock());
        await trainRun(runId);
        return { runId, metrics: ((await runs.get(runId))?.metrics ?? null) as Record<string, number> | null };
      };
      const trial = async (params: TrialParams): Promise<Trial> => {
        const { runId, metrics } = await train({ ...spec.base, ...params, register: false }, ['trial']);
        return { runId, params, score: score(metrics) };
      };

      let finalists: Trial[] = [];
      const planned = planTrials(spec.space, spec.method, spec.seed);
      // More at once than the trainer runs would only leave runs "running" while they wait for it.
      const limit = Math.max(1, Math.min(spec.concurrency ?? 1, trainerConcurrency(deps.trainer)));
      if (spec.method.method === 'halving') {
        let current = planned;
        for (const [i, rung] of halvingRungs(spec.method).entries()) {
          const results = await mapInOrder(current, limit, (params) => trial({ ...params, epochs: rung.epochs }));
          finalists = results;
          const next = halvingRungs(spec.method)[i + 1];
          if (next) current = topTrials(results, next.trials).map((t) => t.params);
        }
      } else {
        finalists = await mapInOrder(planned, limit, trial);
      }
      const [best] = topTrials(finalists, 1);
      if (!best) throw new OutpostError('TRAINING_FAILED', 'no trial of the search produced a score; see its runs for why');
      await searches.setBest(searchId, best.runId);
      const final = await train({ ...spec.base, ...best.params }, ['best']);
      const finalRun = await runs.get(final.runId);
      await searches.finish(searchId, { status: finalRun?.status === 'succeeded' ? 'succeeded' : 'failed', finalRunId: final.runId, error: finalRun?.error ?? null }, deps.clock());
    } catch (e) {
      const error = e instanceof OutpostError ? e : new OutpostError('TRAINING_FAILED', `search failed: ${(e as Error).message}`, { cause: e });
      if (!(e instanceof OutpostError)) console.error(`search ${searchId} failed`, e);
      await searches.finish(searchId, { status: 'failed', error: error.toBody().error }, deps.clock());
    }
  };
}

/**
 * How many trainings `trainer` runs at once: its `concurrency` when it says (the worker pool does),
 * else 1 (an in-thread trainer shares one tfjs engine).
 * @example trainerConcurrency(createWorkerTrainer({ size: 2 })) // 2
 */
export function trainerConcurrency(trainer: Trainer | undefined): number {
  const n = trainer?.concurrency;
  return n !== undefined && Number.isInteger(n) && n >= 1 ? n : 1;
}

/**
 * `fn` over `items`, at most `limit` at once, started in the items' order; the results in that
 * order, whichever ends first. After a failure none start, and it rejects once those under way end.
 * @example await mapInOrder([30, 10, 20], 2, (ms) => sleep(ms).then(() => ms)) // [30, 10, 20]
 */
export async function mapInOrder<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (!failure && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failure) throw failure.error;
  return results;
}
