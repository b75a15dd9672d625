import { OutpostError } from '@outpost/shared';
import type { HubDeps } from '../deps.ts';
import { readVersionRows } from '../data/version-rows.ts';
import { createDatasetStore } from '../data/store.ts';
import { createRegistryStore } from '../registry/store.ts';
import { createRunStore } from './store.ts';
import { putJson } from '../blobs/json-blobs.ts';
import { DEFAULT_GATES, evaluateGates } from './gates.ts';

/**
 * The queue job that trains a queued run and registers its model version.
 * Failures are recorded on the run (with the error's code and issues), never thrown to the queue.
 */
export function createTrainJob(deps: HubDeps) {
  const runs = createRunStore(deps.db);
  const datasets = createDatasetStore(deps.db);
  const registry = createRegistryStore(deps.db);

  /** The production model: the published version of this model, with its metrics. */
  async function championOf(modelId: number) {
    const published = await registry.currentPublication(modelId);
    const version = published ? await registry.getVersion(modelId, published.version) : undefined;
    return version ? { version: version.version, metrics: (version.metrics ?? {}) as Record<string, number> } : null;
  }

  return async function train(runId: string): Promise<void> {
    const run = await runs.get(runId);
    if (!run || run.status !== 'queued') return; // a redelivered message for a run already handled
    await runs.markRunning(runId);
    try {
      if (!deps.trainer) throw new OutpostError('NOT_IMPLEMENTED', 'this hub cannot train models');
      const dv = await datasets.getVersionById(run.datasetVersionId);
      if (!dv) throw new OutpostError('NOT_FOUND', `dataset version ${run.datasetVersionId} is missing`);
      const rows = await readVersionRows(deps, dv);
      const started = deps.clock();
      const result = await deps.trainer.train(rows, run.config, {
        // Live progress and the learning curve: each epoch is stored as it ends.
        onEpoch: (m) => runs.recordEpoch(runId, { ...m }),
      });
      const trainMs = deps.clock() - started;
      const metrics = { ...result.metrics, parityMaxAbsDiff: result.parity.maxAbsDiff, ...(result.parity.maxRelDiff !== undefined ? { parityMaxRelDiff: result.parity.maxRelDiff } : {}), trainMs };
      const modelId = await registry.requireModel(run.project, run.model);
      const verdict = evaluateGates(run.config.gates ?? DEFAULT_GATES, { metrics, champion: await championOf(modelId) });
      const override = verdict.passed ? null : (run.config.allowFailedGates ?? null);
      await runs.setOutcomeDetails(runId, {
        ...(run.lineage ? { lineage: { ...run.lineage, ...result.lineage } } : {}),
        system: { ...result.system, ...systemInfo() },
        evaluation: result.evaluation,
        acceptance: { ...verdict, override },
      });
      if (run.config.register === false) {
        // A search trial: its numbers are what the search needs; the search registers only its best.
        await runs.finish(runId, { status: 'succeeded', metrics, modelVersion: null }, deps.clock());
        return;
      }
      if (!verdict.passed && override === null) {
        // Not registered: the verdict, every gate's numbers and the metrics stay with the run.
        const failing = verdict.gates.filter((g) => !g.passed);
        const error = new OutpostError('GATES_FAILED', `the model failed ${failing.length} of ${verdict.gates.length} acceptance gates and was not registered: ${failing.map((g) => g.detail).join('; ')}`, {
          issues: failing.map((g) => ({ path: `gates.${verdict.gates.indexOf(g)}`, message: g.detail })),
        });
        await runs.finish(runId, { status: 'failed', error: error.toBody().error, metrics }, deps.clock());
        return;
      }
      const artifact = await deps.blobs.put(result.onnx);
      const referenceSha256 = await putJson(deps.blobs, result.reference);
      const version = await registry.addVersion(
        modelId,
        {
          runId,
          datasetVersionId: dv.id,
          artifactSha256: artifact.sha256,
          artifactSize: artifact.size,
          signature: { input: result.input, output: result.output, features: result.features },
          metrics,
          referenceSha256,
        },
        deps.clock(),
      );
      await runs.finish(runId, { status: 'succeeded', metrics, modelVersion: version }, deps.clock());
    } catch (e) {
      const error = e instanceof OutpostError ? e : new OutpostError('TRAINING_FAILED', `training failed: ${(e as Error).message}`, { cause: e });
      if (!(e instanceof OutpostError)) console.error(`run ${runId} failed`, e);
      await runs.finish(runId, { status: 'failed', error: error.toBody().error }, deps.clock());
    }
  };
}

/** The machine a run trained on (Node: the only platform that trains). */
function systemInfo(): Record<string, string | number> {
  const info: Record<string, string | number> = {};
  if (typeof process !== 'undefined' && process.versions?.node) {
    info.runtime = `node ${process.versions.node}`;
    info.platform = `${process.platform}-${process.arch}`;
  }
  if (typeof navigator !== 'undefined' && typeof navigator.hardwareConcurrency === 'number') info.cpus = navigator.hardwareConcurrency;
  return info;
}
