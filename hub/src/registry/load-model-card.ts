import type { Db } from '../db/client.ts';
import { createDatasetStore } from '../data/store.ts';
import { createRunStore } from '../training/store.ts';
import { buildModelCard, type ModelCard } from './model-card.ts';
import type { ModelVersion } from './store.ts';

/**
 * A version's model card from what the hub stores: its training run, or for an uploaded model the
 * dataset version of its reference data. The API and the console show the same card.
 * @example const card = await loadModelCard(deps.db, 'penguins', v);
 */
export async function loadModelCard(db: Db, model: string, version: ModelVersion): Promise<ModelCard> {
  const run = version.runId ? ((await createRunStore(db).get(version.runId)) ?? null) : null;
  const dataset = !run && version.datasetVersionId !== null ? await createDatasetStore(db).getVersionById(version.datasetVersionId) : undefined;
  return buildModelCard({ model, version, run, dataset: dataset ?? null });
}
