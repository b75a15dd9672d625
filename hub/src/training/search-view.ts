import { OutpostError } from '@outpost/shared';
import type { HubDeps } from '../deps.ts';
import { halvingRungs, planTrials, SEARCHABLE, type SearchMethod, type SearchSpace } from './search.ts';
import { createRunStore, createSearchStore } from './store.ts';

/**
 * A search as the API and the console show it: its plan, the trials so far (oldest first) with
 * their scores, the best, and the run that registered it.
 * @throws OutpostError NOT_FOUND (path `search`).
 */
export async function describeSearch(deps: HubDeps, project: string, id: string) {
  const searchStore = createSearchStore(deps.db);
  const runs = createRunStore(deps.db);
  const found = await searchStore.get(id, project);
  if (!found) throw new OutpostError('NOT_FOUND', `no search ${id} in project ${project}`, { issues: [{ path: 'search', message: 'not found' }] });
  const spec = found.spec as { metric: string; space: SearchSpace; method: SearchMethod; seed: number };
  const trials = (await runs.list(project, { model: found.model, tag: `search:${id}`, limit: 500 }))
    .filter((r) => r.tags.includes('trial'))
    .reverse()
    .map((r) => ({
      runId: r.id,
      status: r.status,
      params: Object.fromEntries(SEARCHABLE.map((k) => [k, (r.config as unknown as Record<string, unknown>)[k]])),
      score: r.metrics ? ((r.metrics as unknown as Record<string, number>)[spec.metric] ?? null) : null,
    }));
  const final = found.finalRunId ? await runs.get(found.finalRunId) : undefined;
  const planned = spec.method.method === 'halving' ? halvingRungs(spec.method).reduce((n, r) => n + r.trials, 0) : spec.method.method === 'random' ? spec.method.trials : planTrials(spec.space, spec.method, spec.seed).length;
  return {
    id: found.id,
    model: found.model,
    status: found.status,
    spec: found.spec,
    metric: spec.metric,
    planned,
    trials,
    bestRunId: found.bestRunId,
    finalRun: final ? { id: final.id, status: final.status, modelVersion: final.modelVersion } : null,
    error: found.error,
    createdAt: found.createdAt,
    finishedAt: found.finishedAt,
  };
}

